/* storage_rec.c - what every storage job records through: the I/O latency histogram and
 * the throughput samples, the random block order, the write path with the ENOSPC test hook,
 * and the full-disk stop. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runner.h"
#include "storage_internal.h"

bool tool_storage_hook_full(tool_srun *s, size_t n)
{
    if (!s->o->enospc_after) return false;
    if (s->hook_written + n > s->o->enospc_after) return true;
    s->hook_written += n;
    return false;
}

static void shuffle(tool_srun *s)
{
    for (uint64_t i = s->norder; i > 1; i--) {
        uint64_t j = tach__rng_below(&s->rng, i);
        uint32_t t = s->order[i - 1];
        s->order[i - 1] = s->order[j], s->order[j] = t;
    }
    s->at = 0;
}

int tool_storage_new_pass(tool_srun *s, uint64_t blocks)
{
    if (s->norder != blocks) { /* a new block size: a new order */
        tach__free(s->order);
        s->order = tach__malloc(blocks * sizeof *s->order);
        s->norder = s->order ? blocks : 0;
        if (!s->order) return -1;
    }
    /* from the identity each time: the order depends on the seed and the job's place
     * in the run alone, not on how far the job before got through its own */
    for (uint64_t i = 0; i < s->norder; i++) s->order[i] = (uint32_t)i;
    shuffle(s);
    return 0;
}

uint64_t tool_storage_next_block(tool_srun *s, uint64_t blocks)
{
    if (!s->order || s->norder != blocks) return tach__rng_below(&s->rng, blocks); /* no memory */
    if (s->at >= s->norder) shuffle(s); /* past the pass (not reached: one pass a job) */
    return s->order[s->at++];
}

double tool_storage_cached_share(int fd, uint64_t size)
{
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || size == 0) return NAN;
    size_t pages = (size_t)((size + (uint64_t)page - 1) / (uint64_t)page);
    /* PROT_READ, MAP_SHARED, never dereferenced: no page is faulted in or read */
    void *m = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) return NAN;
    unsigned char *vec = tach__malloc(pages);
    double share = NAN;
    if (vec && mincore(m, (size_t)size, vec) == 0) {
        size_t in = 0;
        for (size_t i = 0; i < pages; i++) in += vec[i] & 1;
        share = (double)in / (double)pages;
    }
    tach__free(vec);
    munmap(m, (size_t)size);
    return share;
}

/* pwrite, or the ENOSPC the test hook injects past o->enospc_after bytes written; the
 * SIGINT test hook raises the signal (through the tool's handler) once o->sigint_after
 * bytes were written: an interruption at a known point, e.g. during the layout. */
ssize_t tool_storage_pwrite(tool_srun *s, int fd, const void *buf, size_t n, uint64_t off)
{
    if (tool_storage_hook_full(s, n)) {
        errno = ENOSPC;
        return -1;
    }
    if (s->o->sigint_after && s->sigint_written < s->o->sigint_after &&
        (s->sigint_written += n) >= s->o->sigint_after) {
        raise(SIGINT);
        if (s->o->sigint_again) raise(SIGINT); /* the handler is reset: this one kills */
    }
    return pwrite(fd, buf, n, (off_t)off);
}

bool tool_storage_full_errno(int e)
{
    return e == ENOSPC || e == EFBIG || e == EDQUOT;
}

void tool_storage_set_full(tool_srun *s, int e, uint64_t written)
{
    s->full = true;
    /* what stopped it, said as it was: a file size limit or a quota is not a full disk
     * (the jobs after it were noted "not run (the disk is full)" under ulimit -f) */
    s->full_why = e == EFBIG    ? "the file size limit was reached"
                  : e == EDQUOT ? "the disk quota was exceeded"
                                : "the disk is full";
    snprintf(s->full_msg, sizeof s->full_msg,
             "stopped: %s in '%s' (%s) writing at offset %llu; the test file was removed",
             e == EFBIG    ? "the file size limit (RLIMIT_FSIZE) was reached"
             : e == EDQUOT ? "the disk quota was exceeded"
                           : "no space left on the device",
             s->o->dir, e == EFBIG ? "EFBIG" : e == EDQUOT ? "EDQUOT" : "ENOSPC",
             (unsigned long long)written);
}

/* ---- recording one job ------------------------------------------------------ */

int tool_srec_init(tool_srec *r, double job_time_s, bool per_io)
{
    memset(r, 0, sizeof *r);
    r->hist = tach__hist_new_default();
    if (!r->hist) return -1;
    r->interval_ns = per_io ? 0 : (uint64_t)(job_time_s * 1e9 / 50);
    tool_srec_start(r);
    return 0;
}

void tool_srec_start(tool_srec *r)
{
    /* the run queue first: its /proc read (tens of microseconds) is then outside the
     * CPU time, which starts as close to the clock as it can (it was 2% of a 1 ms job) */
    r->runq_start = tach__thread_runq_ns();
    getrusage(RUSAGE_SELF, &r->ru_start);
    r->start = r->mark = r->end = tach__now_ns();
}

void tool_srec_stop(tool_srec *r)
{
    getrusage(RUSAGE_SELF, &r->ru_end);
    r->runq_end = tach__thread_runq_ns();
}

static double tv_s(struct timeval a, struct timeval b)
{
    return (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_usec - a.tv_usec) / 1e6;
}

bool tool_srec_cpu_share(const tool_srec *r, double secs, bool one_thread, double *usr, double *sys)
{
    *usr = 100 * tv_s(r->ru_start.ru_utime, r->ru_end.ru_utime) / secs;
    *sys = 100 * tv_s(r->ru_start.ru_stime, r->ru_end.ru_stime) / secs;
    double sum = *usr + *sys;
    if (!one_thread || !(sum > 100)) return false;
    *usr *= 100 / sum;
    *sys = 100 - *usr;
    return true;
}

int tool_srec_io(tool_srec *r, uint64_t lat_ns, size_t bytes, uint64_t now)
{
    tach__hist_record(r->hist, lat_ns ? (int64_t)lat_ns : 1);
    r->ios++, r->bytes += bytes, r->in_interval++;
    r->end = now;
    if (now - r->mark >= r->interval_ns) return tool_srec_io_flush(r, now);
    return 0;
}

int tool_srec_io_flush(tool_srec *r, uint64_t now)
{
    if (!r->in_interval) return 0;
    size_t c1 = r->cap, c2 = r->cap; /* parallel arrays: each grows from the same capacity */
    if (TACH__GROW(&r->ns, &c1, r->n + 1, 64) != 0 || TACH__GROW(&r->iters, &c2, r->n + 1, 64) != 0)
        return -1;
    r->cap = c1;
    r->ns[r->n] = (double)(now - r->mark) / (double)r->in_interval;
    r->iters[r->n++] = r->in_interval;
    r->mark = now, r->in_interval = 0;
    return 0;
}

void tool_srec_free(tool_srec *r)
{
    tach__hist_free(r->hist);
    tach__free(r->ns);
    tach__free(r->iters);
    memset(r, 0, sizeof *r);
}

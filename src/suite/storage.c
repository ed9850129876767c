/*
 * storage.c - the storage I/O suite: one test file in the chosen directory, laid out
 * once, then each job (fio's vocabulary: rw, bs, iodepth, ioengine, direct) for a time
 * or one pass, every I/O's completion latency in a histogram, throughput sampled per
 * interval so it gets a confidence interval like any tach result.
 *
 * Safety: the file is made with O_EXCL under the directory given, nothing else is
 * written, the file is removed however the run ends, and a full disk (ENOSPC, or EFBIG
 * past RLIMIT_FSIZE, SIGXFSZ ignored meanwhile) stops the suite cleanly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "hist.h"
#include "storage.h"
#include "runner.h"
#include "storage_internal.h"

/* rw kinds as fio names them */
static const char *const rw_names[] = {"read", "write", "randread", "randwrite", "fsync", "fdatasync"};

static const tool_sjob defs[] = {
    {"write-1m", TOOL_RW_WRITE, 1 << 20, 1, false, false},
    {"read-1m", TOOL_RW_READ, 1 << 20, 1, false, false},
    {"randread-4k-qd1", TOOL_RW_RANDREAD, 4096, 1, false, false},
    {"randwrite-4k-qd1", TOOL_RW_RANDWRITE, 4096, 1, false, false},
    {"randread-4k-qd1-uring", TOOL_RW_RANDREAD, 4096, 1, true, false},
    {"randread-4k-qd32-uring", TOOL_RW_RANDREAD, 4096, 32, true, false},
    {"randwrite-4k-qd32-uring", TOOL_RW_RANDWRITE, 4096, 32, true, false},
    {"write-1m-direct", TOOL_RW_WRITE, 1 << 20, 1, false, true},
    {"read-1m-direct", TOOL_RW_READ, 1 << 20, 1, false, true},
    {"randread-4k-qd1-direct", TOOL_RW_RANDREAD, 4096, 1, false, true},
    {"randwrite-4k-qd1-direct", TOOL_RW_RANDWRITE, 4096, 1, false, true},
    {"randread-4k-qd32-uring-direct", TOOL_RW_RANDREAD, 4096, 32, true, true},
    {"randwrite-4k-qd32-uring-direct", TOOL_RW_RANDWRITE, 4096, 32, true, true},
    {"fsync-4k", TOOL_RW_FSYNC, 4096, 1, false, false},
    {"fdatasync-4k", TOOL_RW_FDATASYNC, 4096, 1, false, false},
};
#define NDEFS (sizeof defs / sizeof *defs)

const char *const *tool_storage_jobs(void)
{
    static const char *names[NDEFS + 1];
    for (size_t i = 0; i < NDEFS; i++) names[i] = defs[i].name;
    names[NDEFS] = NULL;
    return names;
}

/* bytes in MiB or GiB, one decimal, rounded down (never more than there is) */
static const char *human(uint64_t b, char *buf, size_t size)
{
    bool gib = b >= (uint64_t)1 << 30;
    snprintf(buf, size, "%.1f %s", floor((double)b / (gib ? 1073741824.0 : 1048576.0) * 10) / 10,
             gib ? "GiB" : "MiB");
    return buf;
}

int tool_storage_plan(const char *dir, uint64_t wanted, bool given, uint64_t *size, char *err)
{
    struct statvfs sv;
    /* the messages naming dir say it whole: err holds TOOL_STORAGE_MSG_MAX (storage.h) */
    if (statvfs(dir, &sv) != 0)
        return tach__err_in(err, TOOL_STORAGE_MSG_MAX, "cannot examine '%s': %s", dir,
                            strerror(errno));
    uint64_t free_b = (uint64_t)sv.f_bavail * sv.f_frsize, half;
    const char *hook = tool_suite_test_hook("free-bytes"); /* tests: a fuller disk */
    if (hook) free_b = strtoull(hook, NULL, 10);
    /* a size given that the disk cannot hold, a tenth of its free space to spare, is a
     * mistake to say before anything is written, not a size to shrink to half the free
     * space (--file-size 50GiB of 20 GiB free was run on 10 GiB, a note said) */
    if (given && wanted > free_b - free_b / 10) {
        char a[32], f[32];
        tach__err_in(err, TOOL_STORAGE_MSG_MAX, "a file of %llu bytes (%s) does not fit in '%s': "
                     "%llu bytes (%s) free, and a size given may take at most 90%% of it "
                     "(nothing written)", (unsigned long long)wanted, human(wanted, a, sizeof a),
                     dir, (unsigned long long)free_b, human(free_b, f, sizeof f));
        return -2;
    }
    half = free_b / 2;
    uint64_t s = wanted < half ? wanted : half;
    s &= ~(uint64_t)((1 << 20) - 1);
    /* the free space rounded down: a byte short of 8 MiB read "only 8.0 MiB free", which
     * is just enough for the 4 MiB asked of half of it */
    if (s < TOOL_STORAGE_FLOOR)
        return tach__err_in(err, TOOL_STORAGE_MSG_MAX, "only %.1f MiB free in '%s': the storage "
                            "suite needs a file of at least %llu MiB in at most half the free "
                            "space, %llu MiB free (nothing written)",
                            floor((double)free_b / 1048576 * 10) / 10, dir,
                            (unsigned long long)(TOOL_STORAGE_FLOOR >> 20),
                            (unsigned long long)(2 * TOOL_STORAGE_FLOOR >> 20));
    *size = s;
    return 0;
}

/* The layout: the whole file written once in 1 MiB blocks, then flushed.  An interruption
 * stops it at the next block (a file of tens of GiB took minutes to write, and a second
 * signal would kill tach with the file left behind); the jobs are then noted as not run. */
static int layout(tool_srun *s, char *err)
{
    for (uint64_t off = 0; off < s->size; off += 1 << 20) {
        if (tool_suite_interrupted()) return 0;
        ssize_t w = tool_storage_pwrite(s, s->fd, s->buf, 1 << 20, off);
        if (w != 1 << 20) {
            int e = w < 0 ? errno : ENOSPC;
            if (tool_storage_full_errno(e)) {
                tool_storage_set_full(s, e, off);
                return -1;
            }
            return tach__err(err, "cannot write the test file: %s", strerror(e));
        }
    }
    if (fsync(s->fd) != 0) return tach__err(err, "fsync of the test file failed: %s", strerror(errno));
    return 0;
}

static const double pcts[] = {1, 5, 10, 50, 90, 95, 99, 99.9, 99.99};

/* The job's result and its fio-shaped entry. */
static int finish_job(tool_srun *s, const tool_sjob *d, tool_srec *rec, tach__doc *doc, json_t *fio)
{
    char name[96];
    snprintf(name, sizeof name, "storage/%s", d->name);
    /* fio's runtime: from the job's first I/O to its last completion */
    double secs = (double)(rec->end - rec->start) / 1e9;
    bool sync = d->rw == TOOL_RW_FSYNC || d->rw == TOOL_RW_FDATASYNC;
    /* no bytes_per_iter: a format's throughput would be the block over the median
     * interval's time per I/O, not the job's (10x it on read-1m); bw_bytes below is */
    tach__result *r = tool_suite_add_samples(doc, name, rec->ns, rec->n, 0, s->o->seed);
    if (!r) return -1;
    for (size_t i = 0; i < rec->n; i++) r->sample_iters[i] = rec->iters[i];
    char v[32];
    tach__result_set_param(r, "rw", rw_names[d->rw]);
    snprintf(v, sizeof v, "%zu", d->bs);
    tach__result_set_param(r, "bs", v);
    snprintf(v, sizeof v, "%d", d->qd);
    tach__result_set_param(r, "iodepth", v);
    tach__result_set_param(r, "ioengine", d->uring ? "io_uring" : sync ? "sync" : "psync");
    tach__result_set_param(r, "direct", d->direct ? "1" : "0");
    double iops = secs > 0 ? (double)rec->ios / secs : NAN;
    if (!sync) {
        double bw = secs > 0 ? (double)rec->bytes / secs : NAN;
        tach__result_set_counter(r, "bw_bytes", bw);
        /* its CI from the job's intervals: not the median interval's rate, which on
         * read-1m (readahead stalls among I/Os from memory) was 10x the job's bw */
        tool_suite_set_rate_ci(r, "bw_bytes", bw, s->o->seed);
    }
    tach__result_set_counter(r, "iops", iops);
    tach__result_set_counter(r, "total_ios", (double)rec->ios);
    if (!isnan(rec->cached_at_start)) tach__result_set_counter(r, "cached_at_start", rec->cached_at_start);
    /* the share of the job's time its thread spent runnable but not running: the wake-up
     * after each I/O waiting for a CPU that other work holds (until the next tick, when
     * the wakeup does not preempt it), which a qd1 or sync job counts as I/O time */
    if (rec->runq_end >= 0 && rec->runq_start >= 0 && secs > 0) {
        double w = (rec->runq_end - rec->runq_start) / 1e9 / secs;
        w = w < 0 ? 0 : w > 1 ? 1 : w;
        tach__result_set_counter(r, "cpu_wait_share", w);
        if (w > TOOL_STORAGE_CPU_WAIT_NOTE)
            tool_suite_note(doc, "%s: waited for a CPU %.0f%% of its time (other work on the machine): "
                            "its figures measure the scheduler as much as the storage", d->name, w * 100);
    }
    const char *lat = sync ? "lat_ns" : "clat_ns";
    json_t *c = json_object(), *pj = json_object();
    char key[64];
    snprintf(key, sizeof key, "%s.mean", lat);
    tach__result_set_counter(r, key, tach__hist_mean(rec->hist));
    json_object_set_new(c, "min", json_integer(tach__hist_min(rec->hist)));
    json_object_set_new(c, "max", json_integer(tach__hist_max(rec->hist)));
    json_object_set_new(c, "mean", tach__json_num(tach__hist_mean(rec->hist)));
    json_object_set_new(c, "stddev", tach__json_num(tach__hist_stddev(rec->hist)));
    json_object_set_new(c, "N", json_integer(tach__hist_count(rec->hist)));
    for (size_t i = 0; i < sizeof pcts / sizeof *pcts && rec->ios; i++) {
        int64_t q = tach__hist_value_at(rec->hist, pcts[i]);
        char pk[24];
        snprintf(pk, sizeof pk, "%f", pcts[i]); /* fio's keys: "99.000000" */
        json_object_set_new(pj, pk, json_integer(q));
        snprintf(key, sizeof key, "%s.percentile.%s", lat, pk);
        tach__result_set_counter(r, key, (double)q);
    }
    json_object_set_new(c, "percentile", pj);
    json_t *side = json_object();
    if (!sync) {
        json_object_set_new(side, "io_bytes", json_integer((json_int_t)rec->bytes));
        json_object_set_new(side, "bw_bytes", tach__json_num(secs > 0 ? (double)rec->bytes / secs : NAN));
    }
    json_object_set_new(side, "iops", tach__json_num(iops));
    /* whole milliseconds as fio's, rounded up as fio's are: a job that ran is never 0 ms
     * (write-1m's 0.6 ms was 0 beside a bw_bytes of 6 GB/s; fio writes 1 for 20 us) */
    json_object_set_new(side, "runtime", json_integer((json_int_t)(secs > 0 ? ceil(secs * 1000) : 0)));
    json_object_set_new(side, "total_ios", json_integer((json_int_t)rec->ios));
    json_object_set_new(side, lat, c);
    json_t *job = json_object();
    json_object_set_new(job, "jobname", json_string(d->name));
    /* fio's usr_cpu and sys_cpu: the CPU time over the runtime, in percent; a CPU-bound
     * job (buffered I/O into memory) under 100% was waiting for a CPU.  Taken at the job's
     * end: the statistics above (the bootstrap) had added ~20% to a 0.2 s job's usr_cpu.
     * A one-thread job's at most 100% (tool_srec_cpu_share: a millisecond job read 101%). */
    if (secs > 0) {
        double usr, sys;
        tool_srec_cpu_share(rec, secs, !d->uring, &usr, &sys);
        json_object_set_new(job, "usr_cpu", json_real(usr));
        json_object_set_new(job, "sys_cpu", json_real(sys));
    }
    json_t *opts = json_object();
    json_object_set_new(opts, "rw", json_string(sync ? "randwrite" : rw_names[d->rw]));
    /* strings, as fio writes every option ("bs": "4k"): a fio user's script reads them so */
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)d->bs);
    json_object_set_new(opts, "bs", json_string(num));
    snprintf(num, sizeof num, "%d", d->qd);
    json_object_set_new(opts, "iodepth", json_string(num));
    json_object_set_new(opts, "ioengine", json_string(d->uring ? "io_uring" : "psync"));
    json_object_set_new(opts, "direct", json_string(d->direct ? "1" : "0"));
    if (d->uring) { /* how the ring was set up (fio 3.33's own: all four flags) */
        char fl[96];
        json_object_set_new(opts, "uring_setup", json_string(tool_storage_uring_flags(s->uring_flags, fl, sizeof fl)));
    }
    if (sync) json_object_set_new(opts, d->rw == TOOL_RW_FSYNC ? "fsync" : "fdatasync", json_string("1"));
    json_object_set_new(job, "job options", opts);
    bool reads = d->rw == TOOL_RW_READ || d->rw == TOOL_RW_RANDREAD;
    json_object_set_new(job, sync ? "sync" : reads ? "read" : "write", side);
    json_array_append_new(fio, job);
    return 0;
}

/* ---- the jobs ------------------------------------------------------------------ */

static int run_psync(tool_srun *s, const tool_sjob *d, int fd, tool_srec *rec, char *err)
{
    bool seq = d->rw == TOOL_RW_READ || d->rw == TOOL_RW_WRITE;
    bool wr = d->rw == TOOL_RW_WRITE || d->rw == TOOL_RW_RANDWRITE;
    uint64_t blocks = s->size / d->bs;
    tool_srec_start(rec);
    uint64_t deadline = rec->start + (uint64_t)(s->o->job_time_s * 1e9), t1 = rec->start;
    /* one pass over the file or the time, whichever ends first (fio's size= with runtime=,
     * not time_based): no block is visited twice, so no job reads its own cached pages.
     * Two clock reads an I/O, as fio's: its start and its end (which is also the next
     * one's deadline check and the sample's clock). */
    for (uint64_t k = 0; k < blocks; k++) {
        if (tool_suite_interrupted()) break;
        if (k > 0 && t1 >= deadline) break;
        uint64_t off = (seq ? k : tool_storage_next_block(s, blocks)) * d->bs;
        uint64_t t0 = tach__now_ns();
        ssize_t n = wr ? tool_storage_pwrite(s, fd, s->buf, d->bs, off) : pread(fd, s->buf, d->bs, (off_t)off);
        t1 = tach__now_ns();
        if (n != (ssize_t)d->bs) {
            int e = n < 0 ? errno : EIO;
            if (wr && tool_storage_full_errno(e)) {
                tool_storage_set_full(s, e, off);
                return -1;
            }
            return tach__err(err, "%s at offset %llu: %s", wr ? "pwrite" : "pread",
                             (unsigned long long)off, n < 0 ? strerror(e) : "short transfer");
        }
        if (tool_srec_io(rec, t1 - t0, d->bs, t1) != 0) return tach__err(err, "out of memory");
    }
    tool_srec_stop(rec);
    return 0;
}

static int run_sync(tool_srun *s, const tool_sjob *d, tool_srec *rec, char *err)
{
    uint64_t blocks = s->size / d->bs;
    tool_srec_start(rec);
    uint64_t deadline = rec->start + (uint64_t)(s->o->job_time_s * 1e9), t1 = rec->start;
    /* one pass or --time, as every job (a cap of 100 000 syncs ended a --time 60 on a fast
     * disk after 1.4 s), and at least 3 syncs */
    for (uint64_t k = 0; k < blocks && (k < 3 || t1 < deadline) && !tool_suite_interrupted(); k++) {
        uint64_t off = tool_storage_next_block(s, blocks) * d->bs;
        ssize_t n = tool_storage_pwrite(s, s->fd, s->buf, d->bs, off);
        if (n != (ssize_t)d->bs) {
            int e = n < 0 ? errno : EIO;
            if (tool_storage_full_errno(e)) {
                tool_storage_set_full(s, e, off);
                return -1;
            }
            return tach__err(err, "pwrite: %s", strerror(e));
        }
        uint64_t t0 = tach__now_ns();
        int rc = d->rw == TOOL_RW_FSYNC ? fsync(s->fd) : fdatasync(s->fd);
        t1 = tach__now_ns();
        if (rc != 0) {
            int e = errno;
            if (tool_storage_full_errno(e)) {
                tool_storage_set_full(s, e, off);
                return -1;
            }
            return tach__err(err, "%s: %s", d->rw == TOOL_RW_FSYNC ? "fsync" : "fdatasync", strerror(e));
        }
        if (tool_srec_io(rec, t1 - t0, d->bs, t1) != 0) return tach__err(err, "out of memory");
    }
    tool_srec_stop(rec);
    return 0;
}

static bool wanted(const tool_storage_opts *o, const char *name)
{
    if (!o->jobs) return true;
    for (size_t i = 0; i < o->njobs; i++)
        if (!strcmp(o->jobs[i], name)) return true;
    return false;
}

/* Drops the file's cached pages, as fio's invalidate=1 does before a job. */
static void invalidate(tool_srun *s)
{
    fdatasync(s->fd);
    posix_fadvise(s->fd, 0, 0, POSIX_FADV_DONTNEED);
}

static int run_jobs(tool_srun *s, tach__doc *doc, json_t *fio, char *err)
{
    int failed = 0;
    for (size_t i = 0; i < NDEFS; i++) {
        const tool_sjob *d = &defs[i];
        if (!wanted(s->o, d->name)) continue;
        char name[96];
        snprintf(name, sizeof name, "storage/%s", d->name);
        if (s->full || tool_suite_interrupted()) {
            tool_suite_note(doc, "%s: not run (%s)", d->name, s->full ? s->full_why : "interrupted");
            continue;
        }
        if (d->direct && s->fd_direct < 0) {
            tool_suite_note(doc, "%s: skipped (%s)", d->name, s->direct_why);
            continue;
        }
        if (d->uring && !s->uring_ok) {
            tool_suite_note(doc, "%s: skipped (%s)", d->name, s->uring_why);
            continue;
        }
        int fd = d->direct ? s->fd_direct : s->fd;
        bool seq = d->rw == TOOL_RW_READ || d->rw == TOOL_RW_WRITE;
        invalidate(s);
        /* a fresh shuffled pass for each random job, made before its clock starts */
        if (!seq) tool_storage_new_pass(s, s->size / d->bs);
        /* the access pattern told to the kernel, as fio's fadvise_hint=1: no read-ahead
         * filling the cache around random reads */
        posix_fadvise(fd, 0, 0, seq ? POSIX_FADV_SEQUENTIAL : POSIX_FADV_RANDOM);
        tool_srec rec;
        if (tool_srec_init(&rec, s->o->job_time_s, seq) != 0) return tach__err(err, "out of memory");
        /* what the job starts from: a file dropped from the page cache (a job that found
         * its pages cached would measure memory, not the disk) */
        rec.cached_at_start = tool_storage_cached_share(s->fd, s->size);
        if (rec.cached_at_start > 0.01 && !s->in_memory) /* said once for a tmpfs */
            tool_suite_note(doc, "%s: %.0f%% of the test file was still in the page cache at its start",
                            d->name, rec.cached_at_start * 100);
        char jerr[TACH__ERR_MAX] = "";
        int rc = d->rw == TOOL_RW_FSYNC || d->rw == TOOL_RW_FDATASYNC ? run_sync(s, d, &rec, jerr)
                 : d->uring ? tool_storage_uring(s, d, fd, &rec, jerr)
                            : run_psync(s, d, fd, &rec, jerr);
        if (rc == 0 && rec.in_interval) tool_srec_io_flush(&rec, rec.end);
        if (rc != 0) {
            if (!tool_suite_add_failed(doc, name, s->full ? s->full_msg : jerr)) rc = -2;
            failed++;
        } else if (finish_job(s, d, &rec, doc, fio) != 0) {
            rc = -2;
        }
        tool_srec_free(&rec);
        if (rc == -2) return tach__err(err, "out of memory");
    }
    return failed;
}

int tool_storage_run(const tool_storage_opts *o, tach__doc *doc, char *err)
{
    tool_srun s;
    memset(&s, 0, sizeof s);
    s.o = o;
    s.size = o->file_size;
    s.fd = s.fd_direct = -1;
    tach__rng_seed(&s.rng, o->seed);
    json_t *sctx = tool_suite_ctx(doc);
    json_object_set_new(sctx, "dir", tach__json_string_lossy(o->dir));
    json_object_set_new(sctx, "file_size", json_integer((json_int_t)s.size));
    json_object_set_new(sctx, "job_time_s", json_real(o->job_time_s));
    json_t *fio = json_array();
    json_object_set_new(sctx, "fio_jobs", fio);
    /* the file is made through its directory's descriptor: a --dir near PATH_MAX with
     * the name after it is longer than a path may be, and was cut to fit ('DIR/tach-st',
     * or 'DIR/t': a file of another name, or one the user has, refused as "File exists") */
    char fname[64];
    snprintf(fname, sizeof fname, "tach-storage-%ld.dat", (long)getpid());
    int dfd = -1;
    void (*old_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
    int failed = -1;
    /* The file's name lives only from its creation to its unlink, a few calls later, with
     * SIGINT and SIGTERM held meanwhile: the jobs use its descriptors, and the kernel frees
     * it when they close, however tach ends.  (Removed at the end, a second signal during
     * the wind-down, or a SIGKILL, left it in --dir.) */
    sigset_t hold, was;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigprocmask(SIG_BLOCK, &hold, &was);
    dfd = open(o->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    s.fd = dfd < 0 ? -1 : openat(dfd, fname, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (s.fd < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &was, NULL);
        tach__err_in(err, TOOL_STORAGE_MSG_MAX, "cannot create '%s' in '%s': %s", fname, o->dir,
                     strerror(e));
        goto out;
    }
    s.fd_direct = openat(dfd, fname, O_RDWR | O_DIRECT | O_CLOEXEC);
    int direct_errno = errno;
    unlinkat(dfd, fname, 0);
    if (o->remove_dir) rmdir(o->dir); /* the directory made for the run, now empty */
    sigprocmask(SIG_SETMASK, &was, NULL);
    /* the data written, made only now: filled before the file, its 32 MiB took a tenth
     * of a second with the directory made for the run already there, which a SIGKILL or
     * a second Ctrl-C then left behind */
    if (posix_memalign((void **)&s.buf, 4096, 32 << 20) != 0) {
        s.buf = NULL;
        tach__err(err, "out of memory");
        goto out;
    }
    tach_fill_random(s.buf, 32 << 20, o->seed);
    struct statfs fs;
    if (fstatfs(s.fd, &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC)) {
        s.in_memory = true;
        tool_suite_note(doc, "'%s' is a %s in memory: the test file lives in the page cache, so every job "
                        "measures memory, not a storage device", o->dir, fs.f_type == TMPFS_MAGIC ? "tmpfs" : "ramfs");
    }
    if (s.fd_direct < 0)
        snprintf(s.direct_why, sizeof s.direct_why, "O_DIRECT refused in '%s': %s", o->dir, strerror(direct_errno));
    tool_storage_uring_probe(&s);
    if (layout(&s, err) != 0) {
        if (!s.full) goto out;
        tool_suite_add_failed(doc, "storage/layout", s.full_msg);
        failed = 1;
        for (size_t i = 0; i < NDEFS; i++)
            if (wanted(o, defs[i].name)) tool_suite_note(doc, "%s: not run (%s)", defs[i].name, s.full_why);
    } else {
        failed = run_jobs(&s, doc, fio, err);
    }
    if (s.full) {
        doc->partial = true;
        json_object_set_new(sctx, "stopped", json_string(s.full_msg));
    }
out:
    if (dfd >= 0) close(dfd);
    if (s.fd_direct >= 0) close(s.fd_direct);
    if (s.fd >= 0) close(s.fd); /* unlinked since it was opened */
    signal(SIGXFSZ, old_xfsz);
    free(s.buf);
    tach__free(s.order);
    return failed;
}

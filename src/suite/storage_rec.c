/* storage_rec.c - what every storage job records through: the I/O latency histogram and
 * the throughput samples, the random block order, the write path with the ENOSPC test hook,
 * and the full-disk stop. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "storage_internal.h"

bool tool_storage_hook_full(tool_srun *s, size_t n)
{
    if (!s->o->enospc_after) return false;
    if (s->hook_written + n > s->o->enospc_after) return true;
    s->hook_written += n;
    return false;
}

uint64_t tool_storage_next_block(tool_srun *s, uint64_t blocks)
{
    if (s->norder != blocks) { /* a new block size: a new order */
        tach__free(s->order);
        s->order = tach__malloc(blocks * sizeof *s->order);
        s->norder = s->order ? blocks : 0;
        for (uint64_t i = 0; i < s->norder; i++) s->order[i] = (uint32_t)i;
        s->at = s->norder;
    }
    if (!s->order) return tach__rng_below(&s->rng, blocks); /* no memory: with replacement */
    if (s->at >= s->norder) { /* a new pass, freshly shuffled */
        for (uint64_t i = s->norder; i > 1; i--) {
            uint64_t j = tach__rng_below(&s->rng, i);
            uint32_t t = s->order[i - 1];
            s->order[i - 1] = s->order[j], s->order[j] = t;
        }
        s->at = 0;
    }
    return s->order[s->at++];
}

/* pwrite, or the ENOSPC the test hook injects past o->enospc_after bytes written. */
ssize_t tool_storage_pwrite(tool_srun *s, int fd, const void *buf, size_t n, uint64_t off)
{
    if (tool_storage_hook_full(s, n)) {
        errno = ENOSPC;
        return -1;
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
    snprintf(s->full_msg, sizeof s->full_msg,
             "stopped: %s in '%s' (%s) writing at offset %llu; the test file was removed",
             e == EFBIG ? "the file size limit (RLIMIT_FSIZE) was reached" : "no space left on the device",
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
    r->start = r->mark = tach__now_ns();
    return 0;
}

int tool_srec_io(tool_srec *r, uint64_t lat_ns, size_t bytes)
{
    tach__hist_record(r->hist, lat_ns ? (int64_t)lat_ns : 1);
    r->ios++, r->bytes += bytes, r->in_interval++;
    if (tach__now_ns() - r->mark >= r->interval_ns) return tool_srec_io_flush(r);
    return 0;
}

int tool_srec_io_flush(tool_srec *r)
{
    if (!r->in_interval) return 0;
    size_t c1 = r->cap, c2 = r->cap; /* parallel arrays: each grows from the same capacity */
    if (TACH__GROW(&r->ns, &c1, r->n + 1, 64) != 0 || TACH__GROW(&r->iters, &c2, r->n + 1, 64) != 0)
        return -1;
    r->cap = c1;
    uint64_t now = tach__now_ns();
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

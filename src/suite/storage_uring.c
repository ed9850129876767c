/* storage_uring.c - the storage suite's io_uring jobs: iodepth requests kept in
 * flight, each I/O's completion latency from its submission (fio's clat); one pass over
 * the file or the time, whichever ends first. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "storage_internal.h"
#include "suite.h"

#ifdef TACH_HAVE_URING
#include <liburing.h>

void tool_storage_uring_probe(tool_srun *s)
{
    struct io_uring ring;
    int rc = io_uring_queue_init(4, &ring, 0);
    if (rc < 0) {
        snprintf(s->uring_why, sizeof s->uring_why, "io_uring refused by the kernel: %s", strerror(-rc));
        return;
    }
    io_uring_queue_exit(&ring);
    s->uring_ok = true;
}

/* Queues the I/O of slot k at the next offset: false when the disk is full (the test
 * hook) or the ring has no free entry. */
static bool queue_io(tool_srun *s, const tool_sjob *d, int fd, struct io_uring *ring, uint64_t *next,
                     uint64_t k, uint64_t *offs)
{
    bool wr = d->rw == TOOL_RW_RANDWRITE || d->rw == TOOL_RW_WRITE;
    bool seq = d->rw == TOOL_RW_READ || d->rw == TOOL_RW_WRITE;
    uint64_t blocks = s->size / d->bs;
    uint64_t off = (seq ? *next : tool_storage_next_block(s, blocks)) * d->bs;
    (*next)++;
    if (wr && tool_storage_hook_full(s, d->bs)) {
        tool_storage_set_full(s, ENOSPC, off);
        return false;
    }
    struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
    if (!sqe) return false;
    unsigned char *b = s->buf + (size_t)k * d->bs;
    if (wr) io_uring_prep_write(sqe, fd, b, (unsigned)d->bs, off);
    else io_uring_prep_read(sqe, fd, b, (unsigned)d->bs, off);
    io_uring_sqe_set_data64(sqe, k);
    offs[k] = off;
    return true;
}

/* The ring as fio 3.33 sets its own up (strace of its io_uring_setup): a completion queue
 * of iodepth entries, one submitting thread (SINGLE_ISSUER), completions' task work run
 * when the thread enters the kernel asking for events (DEFER_TASKRUN, COOP_TASKRUN): the
 * io_uring workers' completions (ext4's buffered writes all go to one) and the device's
 * reach the ring then, not as each finishes.  Older kernels refuse the newer flags: then
 * fewer, then none. */
static const unsigned ring_flags[] = {
    IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
    IORING_SETUP_CQSIZE | IORING_SETUP_COOP_TASKRUN,
    0,
};

int tool_storage_uring_init(struct io_uring *ring, unsigned qd, unsigned *flags)
{
    int rc = -EINVAL;
    for (size_t i = 0; i < sizeof ring_flags / sizeof *ring_flags; i++) {
        struct io_uring_params p;
        memset(&p, 0, sizeof p);
        p.flags = ring_flags[i];
        p.cq_entries = qd;
        rc = io_uring_queue_init_params(qd, ring, &p);
        if (rc == 0) {
            *flags = ring_flags[i];
            return 0;
        }
        if (rc != -EINVAL) break;
    }
    return rc;
}

const char *tool_storage_uring_flags(unsigned flags, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s", flags & IORING_SETUP_CQSIZE ? "cqsize," : "",
             flags & IORING_SETUP_COOP_TASKRUN ? "coop_taskrun," : "",
             flags & IORING_SETUP_SINGLE_ISSUER ? "single_issuer," : "",
             flags & IORING_SETUP_DEFER_TASKRUN ? "defer_taskrun," : "");
    size_t n = strlen(buf);
    if (n) buf[n - 1] = '\0';
    return buf;
}

int tool_storage_uring(tool_srun *s, const tool_sjob *d, int fd, tool_srec *rec, char *err)
{
    struct io_uring ring;
    /* set up before the job's clock starts, as fio's ring is */
    unsigned flags = 0;
    int rc = tool_storage_uring_init(&ring, (unsigned)d->qd, &flags);
    if (rc < 0) return tach__err(err, "io_uring_queue_init: %s", strerror(-rc));
    s->uring_flags = flags;
    bool wr = d->rw == TOOL_RW_RANDWRITE || d->rw == TOOL_RW_WRITE;
    uint64_t blocks = s->size / d->bs, next = 0;
    uint64_t started[64], offs[64], pending[64];
    int inflight = 0, npending = 0, out = 0;
    bool stop = false;
    tool_srec_start(rec);
    uint64_t deadline = rec->start + (uint64_t)(s->o->job_time_s * 1e9);
    /* every slot's first I/O, submitted together */
    for (int k = 0; k < d->qd && next < blocks; k++) {
        if (!queue_io(s, d, fd, &ring, &next, (uint64_t)k, offs)) {
            stop = true, out = s->full ? -1 : out;
            break;
        }
        pending[npending++] = (uint64_t)k;
    }
    for (;;) {
        if (npending > 0) {
            /* with IORING_ENTER_GETEVENTS, as fio's every submission (strace): under
             * DEFER_TASKRUN the I/Os finished meanwhile reach the ring now and their
             * slots are refilled at once, where a bare submit left them for the next
             * wait (randwrite-4k-qd32-uring-direct: one wait per ~18 submissions) */
            rc = io_uring_submit_and_get_events(&ring);
            /* fio's clat: from the submission's return to the completion (the time
             * in io_uring_enter is fio's slat) */
            uint64_t now = tach__now_ns();
            if (rc < 0) {
                tach__err(err, "io_uring_submit_and_get_events: %s", strerror(-rc));
                out = -1;
                break;
            }
            for (int i = 0; i < npending; i++) started[pending[i]] = now;
            inflight += npending, npending = 0;
        }
        if (inflight == 0) break;
        struct io_uring_cqe *cqe;
        rc = io_uring_wait_cqe(&ring, &cqe);
        if (rc == -EINTR) continue;
        if (rc < 0) {
            tach__err(err, "io_uring_wait_cqe: %s", strerror(-rc));
            out = -1;
            break;
        }
        uint64_t now = tach__now_ns(), k = io_uring_cqe_get_data64(cqe);
        int res = cqe->res;
        io_uring_cqe_seen(&ring, cqe);
        inflight--;
        if (res != (int)d->bs) {
            int e = res < 0 ? -res : EIO;
            if (wr && tool_storage_full_errno(e)) tool_storage_set_full(s, e, offs[k]);
            else tach__err(err, "io_uring %s at offset %llu: %s", wr ? "write" : "read",
                           (unsigned long long)offs[k], res < 0 ? strerror(e) : "short transfer");
            stop = true, out = -1;
            continue;
        }
        if (tool_srec_io(rec, now - started[k], d->bs, now) != 0) {
            tach__err(err, "out of memory");
            stop = true, out = -1;
            continue;
        }
        if (stop || now >= deadline || next >= blocks || tool_suite_interrupted()) {
            stop = true;
            continue;
        }
        if (!queue_io(s, d, fd, &ring, &next, k, offs)) {
            stop = true, out = s->full ? -1 : out;
            continue;
        }
        pending[npending++] = k;
    }
    /* the job ends at its last completion: the ring's teardown (unmapping it, its
     * workers' exit) is no more the job's CPU time than its setup is */
    tool_srec_stop(rec);
    io_uring_queue_exit(&ring);
    return out;
}
#else
const char *tool_storage_uring_flags(unsigned flags, char *buf, size_t size)
{
    (void)flags;
    if (size) *buf = '\0';
    return buf;
}

void tool_storage_uring_probe(tool_srun *s)
{
    snprintf(s->uring_why, sizeof s->uring_why, "liburing absent at build time");
}

int tool_storage_uring(tool_srun *s, const tool_sjob *d, int fd, tool_srec *rec, char *err)
{
    (void)s, (void)d, (void)fd, (void)rec;
    return tach__err(err, "liburing absent at build time");
}
#endif

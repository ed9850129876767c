/* storage_internal.h - what the storage suite's files share (storage.c, the pread/
 * pwrite jobs and the file; storage_uring.c, the io_uring jobs). */
#ifndef TOOL_STORAGE_INTERNAL_H
#define TOOL_STORAGE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "hist.h"
#include "storage.h"

typedef enum tool_rw {
    TOOL_RW_READ, TOOL_RW_WRITE, TOOL_RW_RANDREAD, TOOL_RW_RANDWRITE, TOOL_RW_FSYNC, TOOL_RW_FDATASYNC
} tool_rw;

/* A job whose thread waited for a CPU more than this share of its time gets a note. */
#define TOOL_STORAGE_CPU_WAIT_NOTE 0.25

/* One job: fio's rw, bs, iodepth, ioengine (io_uring or psync) and direct. */
typedef struct tool_sjob {
    const char *name;
    tool_rw rw;
    size_t bs;
    int qd;
    bool uring, direct;
} tool_sjob;

/* The run: the file (buffered and O_DIRECT descriptors), a 32 MiB aligned buffer of
 * random bytes, whether the disk filled up. */
typedef struct tool_srun {
    const tool_storage_opts *o;
    uint64_t size;
    int fd, fd_direct;
    unsigned char *buf;
    tach__rng rng;
    bool full;
    char full_msg[TOOL_STORAGE_MSG_MAX];
    const char *full_why; /* the jobs not run say why: "the disk is full", ... */
    char direct_why[TOOL_STORAGE_MSG_MAX];
    bool in_memory; /* the file is on tmpfs or ramfs: every job reads and writes memory */
    bool uring_ok;
    char uring_why[256];
    unsigned uring_flags;   /* the io_uring_setup flags of the last ring (see storage_uring.c) */
    uint64_t hook_written; /* bytes written, for the ENOSPC test hook */
    uint64_t sigint_written; /* bytes written, for the SIGINT test hook */
    uint32_t *order;        /* the random jobs' block order: a shuffled pass (fio's random map) */
    uint64_t norder, at;
} tool_srun;

/* One job's record: every I/O's latency in hist, and throughput samples (ns per I/O)
 * closed every interval_ns (0: every I/O).  start is when the job's clock started: its
 * first I/O, after its setup (the ring, the block order). */
typedef struct tool_srec {
    tach__hist *hist;
    double *ns; uint64_t *iters; size_t n, cap;
    uint64_t ios, bytes, in_interval;
    uint64_t start, mark, interval_ns;
    uint64_t end; /* the last I/O's completion */
    double cached_at_start; /* the share of the file in the page cache at the job's start */
    struct rusage ru_start, ru_end; /* the process's CPU time at the start and the end (its
                                     * io_uring workers included) */
    double runq_start, runq_end;    /* tach__thread_runq_ns() at the start and the end */
} tool_srec;
int tool_srec_init(tool_srec *r, double job_time_s, bool per_io);
/* Starts the job's clock (start, and the first interval) and its CPU time: just before
 * its first I/O, after its own setup (an io_uring job's ring). */
void tool_srec_start(tool_srec *r);
/* Takes the job's CPU time and run-queue wait at its end: just after its last I/O, before
 * its own teardown (an io_uring job's ring) and its statistics, whose CPU time is not the
 * job's (fio reads its rusage after its I/O loop, before it closes the engine).  The job's
 * function calls both, around its I/O; a job that failed is not reported and may skip it. */
void tool_srec_stop(tool_srec *r);
/* fio's usr_cpu and sys_cpu of the job recorded in r that ran secs (> 0): its user and
 * system CPU time over secs, in percent, into *usr and *sys.  one_thread: the job ran on
 * this thread alone (psync, sync), so it cannot have used more CPU than it had time: a
 * sum over 100% (a job of a millisecond or two, where the few microseconds between the
 * CPU times' reads and the clock's are a percent) is scaled down to 100%, both in
 * proportion, and true returned.  An io_uring job's workers are its CPU time too, and its
 * share may pass 100%: never capped. */
bool tool_srec_cpu_share(const tool_srec *r, double secs, bool one_thread, double *usr, double *sys);
/* Records one I/O of bytes that took lat_ns, completed at now (tach__now_ns(), read by
 * the caller once for both): -1 when out of memory. */
int tool_srec_io(tool_srec *r, uint64_t lat_ns, size_t bytes, uint64_t now);
/* Closes the open interval as a sample at now. */
int tool_srec_io_flush(tool_srec *r, uint64_t now);
void tool_srec_free(tool_srec *r);

/* The ENOSPC test hook: true when writing n more bytes passes o->enospc_after (else
 * counts them). */
bool tool_storage_hook_full(tool_srun *s, size_t n);
/* A fresh shuffled order of the file's blocks for the next random job, made before its
 * clock starts: each job its own order (fio's random map with a seed of its own; fio's
 * default randrepeat=1 would give every job the same offsets).  -1 when out of memory
 * (then tool_storage_next_block draws with replacement). */
int tool_storage_new_pass(tool_srun *s, uint64_t blocks);
/* The next block of a random job: every block once per pass in a shuffled order, as
 * fio's random map gives (no block read twice before all were read once). */
uint64_t tool_storage_next_block(tool_srun *s, uint64_t blocks);
/* The share (0..1) of the file's first size bytes in the page cache now (mincore over a
 * mapping that touches no page); NAN when it cannot be told. */
double tool_storage_cached_share(int fd, uint64_t size);
/* pwrite through the ENOSPC test hook. */
ssize_t tool_storage_pwrite(tool_srun *s, int fd, const void *buf, size_t n, uint64_t off);
/* Whether errno e means the disk (or the file size limit) is full. */
bool tool_storage_full_errno(int e);
/* Marks the run stopped by a full disk (e) after written bytes. */
void tool_storage_set_full(tool_srun *s, int e, uint64_t written);

/* Sets s->uring_ok, or s->uring_why (liburing absent, or the kernel refused a ring). */
void tool_storage_uring_probe(tool_srun *s);
#ifdef TACH_HAVE_URING
struct io_uring;
/* A ring of qd entries set up as fio's (the flags it got in *flags, fewer where the
 * kernel refuses them): 0 or -errno. */
int tool_storage_uring_init(struct io_uring *ring, unsigned qd, unsigned *flags);
#endif
/* The io_uring_setup flags as words ("cqsize,coop_taskrun,single_issuer,defer_taskrun";
 * "" for none) in buf. */
const char *tool_storage_uring_flags(unsigned flags, char *buf, size_t size);
/* Runs job d through io_uring at its queue depth on fd.  0, or -1 (err, or s->full). */
int tool_storage_uring(tool_srun *s, const tool_sjob *d, int fd, tool_srec *rec, char *err);

#endif /* TOOL_STORAGE_INTERNAL_H */

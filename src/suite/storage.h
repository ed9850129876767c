/* storage.h - the storage I/O suite (tool_ prefix): sequential and random I/O, buffered
 * and O_DIRECT, through pread/pwrite and io_uring, and fsync/fdatasync latency, in one
 * file of one directory. */
#ifndef TOOL_STORAGE_H
#define TOOL_STORAGE_H

#include "suite.h"

typedef struct tool_storage_opts {
    const char *dir;         /* where the file goes (must exist) */
    uint64_t file_size;      /* wanted; less when the disk is fuller (see tool_storage_plan) */
    char **jobs; size_t njobs; /* NULL: all */
    double job_time_s;       /* each job's time limit */
    uint64_t seed;
    uint64_t enospc_after;   /* test hook: writes past this many bytes in all fail with ENOSPC (0: off) */
    uint64_t sigint_after;   /* test hook: SIGINT raised once this many bytes were written (0: off) */
    bool sigint_again;       /* test hook: a second SIGINT raised right after that one */
    bool remove_dir;         /* dir was made for the run: removed once the file is unlinked */
} tool_storage_opts;

/* The room of a message naming the directory, which may be as long as a path (4095
 * bytes), and so of err for tool_storage_plan and tool_storage_run: in TACH__ERR_MAX's
 * 512 a --dir of 500 lost what followed it, the free space and the reason ("... does
 * not fit in '/mnt/qqq...", exit 2); a full disk's "(ENOSPC) writing at offset ..." too. */
#define TOOL_STORAGE_MSG_MAX (4096 + 512)

/* The smallest test file the suite accepts. */
#define TOOL_STORAGE_FLOOR ((uint64_t)4 << 20)

/* The file size to use in dir: the one wanted, else half the free space, rounded down
 * to 1 MiB; -1 with err saying how much is free and how much is needed when that is
 * under TOOL_STORAGE_FLOOR.  A size given (not a default) that the free space cannot
 * hold with a tenth of it to spare is refused, not shrunk: -2 with err saying the size
 * and the free space ("a file of 67108864 bytes (64.0 MiB) does not fit in ...").  Nothing is
 * written either way.  err holds TOOL_STORAGE_MSG_MAX bytes. */
int tool_storage_plan(const char *dir, uint64_t wanted, bool given, uint64_t *size, char *err);

/* The job names, NULL-terminated (docs/suites.md lists them). */
const char *const *tool_storage_jobs(void);

/* Runs the jobs into doc: a result per job storage/JOB with one sample per interval (ns
 * per I/O; no bytes_per_iter: its rate would be the median interval's), the block size as
 * parameter bs, and fio's figures as counters (bw_bytes,
 * iops, clat_ns.mean, clat_ns.percentile.P); suite.fio_jobs in the context holds them in
 * fio's JSON shape.  The file is unlinked as soon as it is opened (its descriptors live
 * on: nothing is left in dir however tach ends, killed included), and on a full disk (ENOSPC, or
 * EFBIG past RLIMIT_FSIZE) the suite stops there: that job fails saying so, the rest
 * are noted as not run, and doc->partial is set.  Returns the failed rows, -1 (err, of
 * TOOL_STORAGE_MSG_MAX bytes) when the file cannot be made at all. */
int tool_storage_run(const tool_storage_opts *o, tach__doc *doc, char *err);

#endif /* TOOL_STORAGE_H */

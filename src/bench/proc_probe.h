/*
 * proc_probe.h - what a soak watches of a process (src/bench/proc_probe.c): its
 * resident set, heap in use, open file descriptors and threads, read from /proc (and
 * glibc's mallinfo2 for the heap of this process).  Private to the library and the
 * tool (tach__ prefix); docs/soak.md says what users see.
 */
#ifndef TACH_PROC_PROBE_H
#define TACH_PROC_PROBE_H

#include <stdbool.h>
#include <sys/types.h>

#include "tach_internal.h"

typedef struct tach__proc_probe {
    double rss_bytes;  /* resident set (/proc/PID/statm) */
    double heap_bytes; /* in-use chunks plus mmapped blocks (mallinfo2); this process
                        * only, and NaN when another allocator answers malloc */
    double fds;        /* open file descriptors (/proc/PID/fd) */
    double threads;    /* /proc/PID/status "Threads:" */
} tach__proc_probe;

/* Reads pid's figures (0: this process); a figure that cannot be read is NaN (all of
 * them when the process is gone). */
void tach__proc_probe_read(pid_t pid, tach__proc_probe *out);

/* Whether /proc/PID exists (a process tach soak --pid can watch). */
bool tach__proc_exists(pid_t pid);

/* Sets rss_bytes, heap_bytes, fds and threads of o (numbers, or null when NaN). */
void tach__proc_probe_json(const tach__proc_probe *p, json_t *o);

#endif /* TACH_PROC_PROBE_H */

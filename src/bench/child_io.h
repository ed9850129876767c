/*
 * child_io.h - what the forked worker (worker.c) and the memory pass's process
 * (mempass.c) share: writing a whole buffer, and reading a child's one-line answer
 * while watching for its end, a deadline and an interrupt (child_io.c).
 */
#ifndef TACH_CHILD_IO_H
#define TACH_CHILD_IO_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Writes n bytes of p to fd, again after EINTR: 0, or -1 (errno set). */
int tach__write_all(int fd, const void *p, size_t n);

/* What tach__read_answer read, and how it stopped. */
typedef struct tach__answer {
    char *buf;        /* what was read, NUL-terminated (malloc'd; NULL: nothing) */
    size_t len;
    int ws;           /* the child's wait status, when reaped */
    bool reaped;      /* the child ended and was waited for */
    bool timed_out;   /* the deadline passed first */
    bool interrupted; /* *interrupt was set first */
} tach__answer;

/* Reads child pid's answer from fd until a newline, or until the child has ended
 * (then what it wrote before, without waiting for end of file: a process it forked
 * may hold the pipe open), or until deadline_ns (tach__now_ns; 0: none), or until
 * *interrupt (NULL: never).  The child is not killed; a->buf is freed by the caller.
 * Returns -1 only when out of memory or poll fails (a still holds what was read). */
int tach__read_answer(int fd, pid_t pid, const volatile sig_atomic_t *interrupt,
                      uint64_t deadline_ns, tach__answer *a);

#endif

/*
 * child_io.h - what the forked worker (worker.c) and the memory pass's process
 * (mempass.c) share: writing a whole buffer, and reading a child's one-line answer
 * while watching for its end, a deadline and an interrupt, then telling whether it
 * came late (child_io.c).
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

/* In a child just forked (first thing, before it starts anything): it leads a process
 * group of its own, so that tach__kill_group ends what it started too (a benchmark's
 * own children, a shell's), and it ends with parent, the process that forked it (whose
 * group it has left: a kill of that group no longer reaches it).  -1 when parent has
 * already gone (the child should _exit). */
int tach__child_own_group(pid_t parent);

/* Kills (SIGKILL) child pid, a tach__child_own_group one, and every process of its
 * group: what a timed-out or interrupted child started does not outlive it. */
void tach__kill_group(pid_t pid);

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

/* After tach__read_answer with deadline_ns: whether what ended the read (the answer,
 * or the child's end) was seen only at or past the deadline, this process having been
 * stopped, or not scheduled, while the child ran on.  The child took longer than its
 * timeout, which taking what it sent would hide: the caller treats it as a timeout
 * (and does not kill a child a->reaped says is gone: its pid may be another's now).
 * False when a timed out or was interrupted (each says so itself), and with no
 * deadline (0). */
bool tach__answer_late(const tach__answer *a, uint64_t deadline_ns);

#endif

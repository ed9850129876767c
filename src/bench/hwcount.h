/*
 * hwcount.h - CPU counters through perf_event_open (hwcount.c, docs/counters.md):
 * the ten counters by name, a group of them opened on this process (or, for `tach
 * run`, inherited by a child and its children), enabled around the measured region.
 * Private to the library and the tool; Linux only (elsewhere every counter is absent).
 */
#ifndef TACH_HWCOUNT_H
#define TACH_HWCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tach_internal.h"

#define TACH__HW_MAX 10

/* The counters, in this order (bit i of a mask is counter i). */
const char *tach__hw_name(size_t i); /* NULL past the last */
/* Every counter: what --counters alone asks for. */
#define TACH__HW_ALL ((1u << TACH__HW_MAX) - 1)
/* Parses a comma-separated LIST of names into a mask.  Returns 0, or -1 with err
 * naming the first unknown name and the known ones. */
int tach__hw_parse(const char *list, unsigned *mask, char *err);

typedef struct tach__hw_group {
    int fd[TACH__HW_MAX];     /* -1: not open */
    int leader;               /* the fd reads and toggles go through, or -1 */
    int solo;                 /* the counter kept out of the group (task-clock), or -1 */
    bool grouped;             /* one group (a benchmark) or separate inherited fds (a command) */
    char why[TACH__HW_MAX][160]; /* for each asked counter that failed to open */
    unsigned asked;
} tach__hw_group;

/* Opens the asked counters on this process (pid 0) as one group (task-clock beside it,
 * switched with it), disabled, user space only (context-switches and cpu-migrations happen in the kernel and are counted there
 * when allowed).  A counter that cannot be opened is left closed with why set.
 * Returns how many opened. */
size_t tach__hw_open_self(tach__hw_group *g, unsigned asked);
/* The same for a whole process and its children: separate counters inherited across
 * fork, enabled when pid next calls exec. */
size_t tach__hw_open_child(tach__hw_group *g, unsigned asked, pid_t pid);
void tach__hw_close(tach__hw_group *g);
void tach__hw_reset(const tach__hw_group *g);
void tach__hw_on(const tach__hw_group *g);
void tach__hw_off(const tach__hw_group *g);

typedef struct tach__hw_values {
    double v[TACH__HW_MAX];   /* scaled counts (open counters only) */
    double raw[TACH__HW_MAX], enabled[TACH__HW_MAX], running[TACH__HW_MAX]; /* as read (ns) */
    bool scaled[TACH__HW_MAX]; /* time running < time enabled */
    bool ok[TACH__HW_MAX];    /* read */
} tach__hw_values;
/* Sets counter i of out from one read: its value, time enabled and time running (ns),
 * the value scaled by enabled / running when the kernel multiplexed it; ok false when it
 * was enabled but never scheduled (time running 0: its 0 counted nothing), whether it
 * was read alone (task-clock, a command's counters) or in the group. */
void tach__hw_decode(uint64_t value, uint64_t enabled, uint64_t running, tach__hw_values *out,
                     size_t i);
/* Reads the counters' totals since the last reset.  Returns 0, or -1 when the read
 * failed. */
int tach__hw_read(const tach__hw_group *g, tach__hw_values *out);

/* Records in r the counters of g as per_iter = (value - harness) / iters (harness may
 * be NULL; a difference below 0 is 0), and the asked ones that did not open as absent.
 * Returns -1 on allocation failure. */
int tach__hw_store(tach__result *r, const tach__hw_group *g, const tach__hw_values *val,
                   const tach__hw_values *harness, double iters);

/* Which of the asked counters this machine gives: {"available": [...], "unavailable":
 * {name: why}} for the run's context, by opening and closing each. */
json_t *tach__hw_probe_json(unsigned asked);

#endif /* TACH_HWCOUNT_H */

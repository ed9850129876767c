/*
 * suite_kind.h - the reference suites of `tach suite` (docs/suites.md) by name, in one
 * table for every part that tells them apart: the command that runs them (cli/cmd_suite.c),
 * their tables (src/suite/), the reports and certificates (src/report/) and the console
 * format (src/format/console.c), which meet a suite only as the name in a document's
 * context.suite.name.  Library internal (tach__ prefix).
 *
 * A new suite is one row of TACH__SUITES; each switch on a tach__suite_kind (without a
 * default) then names, under -Wswitch, every place that has still to learn it.
 */
#ifndef TACH_SUITE_KIND_H
#define TACH_SUITE_KIND_H

#include <stdbool.h>

/* X(ID, name, one_run) for each suite, in the order the tool lists them.  one_run: a row's
 * samples are I/Os, intervals, batches or messages of one run of a workload, whose spread
 * is the workload's own, so the CV rule ("unstable") does not apply to them. */
#define TACH__SUITES(X)                    \
    X(COMPRESSION, "compression", false) \
    X(CRYPTO, "crypto", false)           \
    X(STORAGE, "storage", true)          \
    X(BUS, "bus", true)

typedef enum tach__suite_kind {
    TACH__SUITE_NONE = 0, /* no name, or a name that is none of the suites */
#define TACH__SUITE_ENUM(id, name, one_run) TACH__SUITE_##id,
    TACH__SUITES(TACH__SUITE_ENUM)
#undef TACH__SUITE_ENUM
} tach__suite_kind;

/* The suite named name (exactly, case and all), or TACH__SUITE_NONE (also for NULL). */
tach__suite_kind tach__suite_kind_of(const char *name);
/* Whether name is one of the suites' names. */
bool tach__suite_known(const char *name);
/* The name of suite k (a static string), or NULL for TACH__SUITE_NONE or a value past the
 * last suite: `for (int k = 1; tach__suite_name(k); k++)` visits every suite in order. */
const char *tach__suite_name(int k);
/* Whether suite k's samples are parts of one run of a workload (storage, bus); false for
 * TACH__SUITE_NONE. */
bool tach__suite_one_run(tach__suite_kind k);

#endif /* TACH_SUITE_KIND_H */

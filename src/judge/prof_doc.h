/*
 * prof_doc.h - profiles kept with a run, and the differential view of two profiles
 * (tool_ prefix; docs/profiling.md).
 *
 * A profile travels in the results document, so that the store keeps it with the
 * run and every command that reads a run (compare, gate, report, site) finds it:
 * context.profiles.NAME = {"folded_zlib_base64": the folded stacks compressed with
 * zlib and base64-encoded, "samples": N, "top": the bottleneck table (the JSON of
 * tach__profile_top_json)}, NAME the benchmark's (or command's) result name.
 */
#ifndef TACH_PROF_DOC_H
#define TACH_PROF_DOC_H

#include "profile.h"
#include "tach_internal.h"

/* Adds p (its folded stacks and top table) to doc under name.  0, or -1 with err. */
int tool_profile_embed(tach__doc *doc, const char *name, const tach__profile *p, char *err);
/* The profile doc keeps for name (its folded stacks read back), or NULL: *err is
 * set ("" when there is none, a message when it is damaged). */
tach__profile *tool_profile_from_doc(const tach__doc *doc, const char *name, char *err);
/* How many profiles doc keeps. */
size_t tool_profile_count(const tach__doc *doc);

/* One function's share of samples (in a sample's stack anywhere: its total share)
 * before and after, the change in points and its 95% bootstrap CI. */
typedef struct tool_prof_change {
    const char *func;         /* points into the profiles */
    double before, after;     /* shares, 0..1 */
    double change, lo, hi;    /* after - before and its CI, in shares */
    double self_before, self_after;
    double self_change, self_lo, self_hi; /* the same for the self share */
} tool_prof_change;

/* Compares every function of base and new (matched by name), sorted by change, the
 * largest growth first; *n gets the count.  The CI resamples each side's samples
 * (a frame is in a sample's stack or not: a binomial draw per side), resamples
 * times, seeded.  Caller frees the array (the names point into the profiles). */
tool_prof_change *tool_profile_diff(const tach__profile *base, const tach__profile *new_,
                                    size_t resamples, uint64_t seed, size_t *n);
/* The diff as a table: the top rows by growth (and the largest shrinkage), with
 * before %, after %, change and CI.  Caller frees. */
char *tool_profile_diff_text(const tool_prof_change *c, size_t n, size_t rows);

/* The entry of c[0..n) for func, or NULL. */
const tool_prof_change *tool_prof_change_find(const tool_prof_change *c, size_t n, const char *func);
/* A change is significant when its 95% CI excludes 0. */
bool tool_prof_change_significant(double lo, double hi);

/* The bottleneck table of one profile (docs/profiling.md) from its JSON (the "top"
 * of tach__profile_top_json): "Top N of NAME (self time):", the rows (rank,
 * function, file:line, self %, total %, samples) and the summary line, as a
 * benchmark binary prints it.  With c (the diff against a baseline, may be NULL), a
 * last column "change": each function's self share against the baseline in points,
 * "*" when its 95% CI excludes 0, and a line saying so naming base_label.  rows:
 * at most this many (the JSON keeps what it keeps).  The summary line counts the
 * samples in child processes that ran other programs ("other", 0 when missing); a table
 * with "notes" (the note lines printed with it, the caller's to print) has no note of
 * its own on debug information.  Caller frees. */
char *tool_profile_top_table(const json_t *top, const char *name, size_t rows,
                             const tool_prof_change *c, size_t nc, const char *base_label);

#endif /* TACH_PROF_DOC_H */

/* prof_compare.c - `tach compare` / `gate` with profiles on both sides: for every
 * regressed benchmark, the functions whose share of samples grew most (the
 * differential view of src/judge/prof_doc.c). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "compare.h"
#include "prof_cli.h"
#include "prof_doc.h"

#define GROWTH_ROWS 3
#define RESAMPLES 2000

/* The diff of name's profiles in base and cur; NULL when either has none.  A profile
 * that is there but cannot be read back is said on stderr (a warning: the comparison
 * stands), not shown as if the run kept none. */
static tool_prof_change *diff_of(const tach__doc *base, const tach__doc *cur, const char *name,
                                 size_t *n)
{
    char err[TACH__ERR_MAX];
    tach__profile *b = tool_profile_from_doc(base, name, err);
    const char *side = "base";
    tach__profile *c = NULL;
    if (b) {
        side = "new";
        c = tool_profile_from_doc(cur, name, err);
    }
    if (!c && err[0])
        fprintf(stderr, "%s: warning: the %s run: %s: the functions that grew are not shown\n",
                cli_prog(), side, err);
    tool_prof_change *d = NULL;
    *n = 0;
    if (b && c) {
        d = tool_profile_diff(b, c, RESAMPLES, TACH__DEFAULT_SEED, n);
        /* the names point into the profiles: copy them out before they go */
        for (size_t i = 0; d && i < *n; i++) d[i].func = tach__strdup(d[i].func);
    }
    tach__profile_free(b);
    tach__profile_free(c);
    return d;
}

static void diff_free(tool_prof_change *d, size_t n)
{
    for (size_t i = 0; d && i < n; i++) tach__free((char *)d[i].func);
    tach__free(d);
}

/* How many of the diff's functions to show: those that grew (largest growth first),
 * at most GROWTH_ROWS.  0: nothing grew, and the benchmark gets neither a heading nor
 * an entry (docs/profiling.md: profile_growth is {} when nothing grew). */
static size_t grown(const tool_prof_change *d, size_t n)
{
    size_t k = 0;
    while (d && k < n && k < GROWTH_ROWS && d[k].change > 0) k++;
    return k;
}

void cli_prof_compare_print(FILE *f, const tach__doc *base, const tach__doc *cur,
                            const tool_comparison *c)
{
    if (!tool_profile_count(base) || !tool_profile_count(cur)) return;
    for (size_t i = 0; i < c->nrows; i++) {
        if (c->rows[i].verdict != TOOL_REGRESSED) continue;
        size_t n = 0;
        tool_prof_change *d = diff_of(base, cur, c->rows[i].name, &n);
        size_t m = grown(d, n);
        if (!m) {
            diff_free(d, n);
            continue;
        }
        fprintf(f, "%s: the functions that grew most (share of samples, before -> after):\n",
                c->rows[i].name);
        for (size_t k = 0; k < m; k++)
            fprintf(f, "  %-32s %5.1f%% -> %5.1f%%  %+.1f points [95%% CI %+.1f, %+.1f]\n", d[k].func,
                    100 * d[k].before, 100 * d[k].after, 100 * d[k].change, 100 * d[k].lo,
                    100 * d[k].hi);
        diff_free(d, n);
    }
}

json_t *cli_prof_compare_json(const tach__doc *base, const tach__doc *cur, const tool_comparison *c)
{
    json_t *all = json_object();
    if (!all || !tool_profile_count(base) || !tool_profile_count(cur)) return all;
    for (size_t i = 0; i < c->nrows; i++) {
        if (c->rows[i].verdict != TOOL_REGRESSED) continue;
        size_t n = 0;
        tool_prof_change *d = diff_of(base, cur, c->rows[i].name, &n);
        size_t m = grown(d, n);
        if (!m) {
            diff_free(d, n);
            continue;
        }
        json_t *rows = json_array();
        for (size_t k = 0; k < m; k++)
            json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:f, s:f, s:f}", "function",
                                                  d[k].func, "before", d[k].before, "after",
                                                  d[k].after, "change", d[k].change, "ci_low",
                                                  d[k].lo, "ci_high", d[k].hi));
        json_object_set_new(all, c->rows[i].name, rows);
        diff_free(d, n);
    }
    return all;
}

void cli_prof_say_damaged(const tach__doc *doc, const char *label, const char *what)
{
    const char *name;
    json_t *e;
    json_object_foreach(json_object_get(doc->context, "profiles"), name, e) {
        char err[TACH__ERR_MAX];
        tach__profile *p = tool_profile_from_doc(doc, name, err);
        if (!p && err[0])
            fprintf(stderr, "%s: warning: %s: %s: %s\n", cli_prog(), cli_term(label), err, what);
        tach__profile_free(p);
    }
}

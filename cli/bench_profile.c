/*
 * bench_profile.c - `tach bench --profile`: which frames grew between the baseline's
 * profile of a benchmark and this run's.
 *
 * A benchmark binary run with --profile writes each benchmark's folded stacks
 * (NAME.folded: "root;caller;leaf COUNT" per line, FlameGraph's format) into its
 * --profile-dir; tach bench gives every run a folder of its own and records it in the
 * run's tags (profile_dir=...), so the baseline's is found again.  A frame's share is its
 * self time: the samples whose innermost frame it is, over all samples.  The frames whose
 * share grew most are the regression's suspects.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "profile.h"

typedef struct frame_share {
    char *name;
    double count;
} frame_share;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const frame_share *)a)->name, ((const frame_share *)b)->name);
}

static void shares_free(frame_share *v, size_t n)
{
    for (size_t i = 0; i < n; i++) tach__free(v[i].name);
    tach__free(v);
}

/* The self samples of each function of a folded file (the frames it is the leaf of),
 * sorted by name, read by the one parser of folded stacks (tach__profile_from_folded,
 * as tach profile --diff reads them): a bad line is refused, not passed over, and so is
 * a file with no sample.  0, or -1 with err ("PATH:LINE: ..." for a bad line). */
static int folded_read(const char *path, frame_share **out, size_t *n, double *total, char *err)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    char *text = tach__read_file(path, NULL, err);
    if (!text) return -1;
    tach__profile *p = tach__profile_from_folded(text, path, err);
    tach__free(text);
    size_t line = 0;
    int at = 0;
    char msg[TACH__ERR_MAX];
    if (!p) { /* "folded stacks, line L: WHAT" said as PATH:L: WHAT */
        if (sscanf(err, "folded stacks, line %zu: %n", &line, &at) == 1 && at > 0 &&
            snprintf(msg, sizeof msg, "%s:%zu: %s", path, line, err + at) > 0)
            snprintf(err, TACH__ERR_MAX, "%s", msg);
        return -1;
    }
    if (!p->samples) {
        tach__err(err, "%s has no samples (no 'frame;frame;... COUNT' line)", path);
        tach__profile_free(p);
        return -1;
    }
    frame_share *v = tach__calloc(p->nframes ? p->nframes : 1, sizeof *v);
    size_t nv = 0;
    for (size_t i = 0; v && i < p->nframes; i++) {
        if (!p->frames[i].self) continue;
        if (!(v[nv].name = tach__strdup(p->frames[i].func))) {
            shares_free(v, nv);
            v = NULL;
            break;
        }
        v[nv++].count = (double)p->frames[i].self;
    }
    *total = (double)p->samples;
    tach__profile_free(p);
    if (!v) return tach__err(err, "out of memory");
    if (nv) qsort(v, nv, sizeof *v, by_name);
    *out = v;
    *n = nv;
    return 0;
}

typedef struct growth {
    const char *name;
    double before, after; /* shares, 0..1 */
} growth;

static int by_growth(const void *a, const void *b)
{
    const growth *x = a, *y = b;
    double gx = x->after - x->before, gy = y->after - y->before;
    if (gx != gy) return gx < gy ? 1 : -1;
    return strcmp(x->name, y->name);
}

char *cli_profile_grown(const char *base_folded, const char *new_folded, size_t top, char *err)
{
    frame_share *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    double ta = 0, tb = 0;
    if (folded_read(base_folded, &a, &na, &ta, err) || folded_read(new_folded, &b, &nb, &tb, err)) {
        shares_free(a, na);
        shares_free(b, nb);
        return NULL;
    }
    growth *g = tach__calloc(nb ? nb : 1, sizeof *g);
    size_t ng = 0;
    for (size_t i = 0; g && i < nb; i++) {
        frame_share key = {.name = b[i].name};
        const frame_share *o = na ? bsearch(&key, a, na, sizeof *a, by_name) : NULL;
        double before = o ? o->count / ta : 0, after = b[i].count / tb;
        if (after > before) g[ng++] = (growth){b[i].name, before, after};
    }
    char *out = NULL;
    if (g) {
        qsort(g, ng, sizeof *g, by_growth);
        /* each name whole, however long (a C++ symbol of hundreds of bytes was cut at 120,
         * silently): it is the name tach profile --diff shows and the folded file holds */
        tach__buf text = {0};
        for (size_t i = 0; i < ng && i < top; i++)
            tach__buf_printf(&text, "%s: self %.1f%% -> %.1f%% (+%.1f points)\n", g[i].name, g[i].before * 100,
                             g[i].after * 100, (g[i].after - g[i].before) * 100);
        out = tach__buf_take(&text);
    }
    if (!out) tach__err(err, "out of memory");
    tach__free(g);
    shares_free(a, na);
    shares_free(b, nb);
    return out;
}

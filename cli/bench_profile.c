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

typedef struct frame_share {
    char *name;
    double count;
} frame_share;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const frame_share *)a)->name, ((const frame_share *)b)->name);
}

/* The self samples of each leaf frame of a folded file, sorted by name, summed. */
static int folded_read(const char *path, frame_share **out, size_t *n, double *total)
{
    char err[TACH__ERR_MAX];
    char *text = tach__read_file(path, NULL, err);
    *out = NULL;
    *n = 0;
    *total = 0;
    if (!text) return -1;
    frame_share *v = NULL;
    size_t nv = 0, cap = 0;
    for (char *line = text; *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        char *sp = strrchr(line, ' ');
        if (sp && sp > line) {
            double c = strtod(sp + 1, NULL);
            *sp = 0;
            const char *leaf = strrchr(line, ';');
            leaf = leaf ? leaf + 1 : line;
            if (c > 0 && *leaf) {
                if (nv == cap) {
                    cap = cap ? cap * 2 : 64;
                    frame_share *nv2 = tach__realloc(v, cap * sizeof *v);
                    if (!nv2) break;
                    v = nv2;
                }
                v[nv].name = tach__strdup(leaf);
                v[nv].count = c;
                if (v[nv].name) nv++;
                *total += c;
            }
        }
        if (!nl) break;
        line = nl + 1;
    }
    tach__free(text);
    if (nv) qsort(v, nv, sizeof *v, by_name);
    size_t m = 0;
    for (size_t i = 0; i < nv; i++) {
        if (m && !strcmp(v[m - 1].name, v[i].name)) {
            v[m - 1].count += v[i].count;
            tach__free(v[i].name);
        } else {
            v[m++] = v[i];
        }
    }
    *out = v;
    *n = m;
    return 0;
}

static void shares_free(frame_share *v, size_t n)
{
    for (size_t i = 0; i < n; i++) tach__free(v[i].name);
    tach__free(v);
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

char *cli_profile_grown(const char *base_folded, const char *new_folded, size_t top)
{
    frame_share *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    double ta = 0, tb = 0;
    if (folded_read(base_folded, &a, &na, &ta) || folded_read(new_folded, &b, &nb, &tb) ||
        !(ta > 0) || !(tb > 0)) {
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
    size_t len = 0;
    if (g) {
        qsort(g, ng, sizeof *g, by_growth);
        size_t cap = 1 + (ng < top ? ng : top) * 200;
        out = tach__malloc(cap);
        if (out) out[0] = 0;
        for (size_t i = 0; out && i < ng && i < top; i++)
            len += (size_t)snprintf(out + len, cap - len, "%.*s: self %.1f%% -> %.1f%% (+%.1f points)\n",
                                    tach__utf8_prec(g[i].name, 120), g[i].name, g[i].before * 100, g[i].after * 100,
                                    (g[i].after - g[i].before) * 100);
    }
    tach__free(g);
    shares_free(a, na);
    shares_free(b, nb);
    return out;
}

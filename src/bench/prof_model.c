/* prof_model.c - the symbolized profile: frames (one per function and file) with
 * their self and total samples and hottest line, the distinct paths root to leaf,
 * and the text outputs: folded stacks and the bottleneck table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile.h"

typedef struct line_count { int line; uint64_t n; } line_count;

typedef struct frame_index {
    size_t *slots;            /* frame frame_index + 1 */
    size_t cap;
    line_count **lines;       /* per frame: self samples by line */
    size_t *nlines, *lines_cap;
} frame_index;

static uint64_t hash_str(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ull;
    for (const char *p = a; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0x1f) * 1099511628211ull;
    for (const char *p = b ? b : ""; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static int index_grow(tach__profile *p, frame_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : 256;
    size_t *s = tach__calloc(cap, sizeof *s);
    if (!s) return -1;
    for (size_t i = 0; i < p->nframes; i++) {
        size_t h = (size_t)hash_str(p->frames[i].func, p->frames[i].file) & (cap - 1);
        while (s[h]) h = (h + 1) & (cap - 1);
        s[h] = i + 1;
    }
    tach__free(ix->slots);
    ix->slots = s;
    ix->cap = cap;
    return 0;
}

/* The frame for (func, file), added when new; SIZE_MAX on no memory. */
static size_t frame_of(tach__profile *p, const char *func, const char *file, const char *module,
                       int decl_line, bool known, bool has_debug)
{
    frame_index *ix = p->priv;
    if ((p->nframes + 1) * 2 > ix->cap && index_grow(p, ix) != 0) return SIZE_MAX;
    size_t h = (size_t)hash_str(func, file) & (ix->cap - 1);
    while (ix->slots[h]) {
        size_t f = ix->slots[h] - 1;
        if (!strcmp(p->frames[f].func, func) && same(p->frames[f].file, file)) return f;
        h = (h + 1) & (ix->cap - 1);
    }
    size_t old = p->frames_cap;
    if (TACH__GROW(&p->frames, &p->frames_cap, p->nframes + 1, 64) != 0) return SIZE_MAX;
    if (p->frames_cap != old) {
        size_t c1 = old, c2 = old;
        if (TACH__GROW(&ix->lines, &c1, p->frames_cap, 64) != 0 ||
            TACH__GROW(&ix->nlines, &c2, p->frames_cap, 64) != 0)
            return SIZE_MAX;
        size_t c3 = old;
        if (TACH__GROW(&ix->lines_cap, &c3, p->frames_cap, 64) != 0) return SIZE_MAX;
        for (size_t k = old; k < p->frames_cap; k++) {
            ix->lines[k] = NULL;
            ix->nlines[k] = ix->lines_cap[k] = 0;
        }
    }
    tach__prof_frame *f = &p->frames[p->nframes];
    memset(f, 0, sizeof *f);
    f->func = tach__strdup(func);
    f->file = file ? tach__strdup(file) : NULL;
    f->module = module ? tach__strdup(module) : NULL;
    if (!f->func) return SIZE_MAX;
    f->decl_line = decl_line;
    f->known = known;
    f->has_debug = has_debug;
    ix->slots[h] = ++p->nframes;
    return p->nframes - 1;
}

static int count_line(frame_index *ix, size_t f, int line, uint64_t n)
{
    if (line <= 0) return 0;
    for (size_t k = 0; k < ix->nlines[f]; k++)
        if (ix->lines[f][k].line == line) {
            ix->lines[f][k].n += n;
            return 0;
        }
    if (TACH__GROW(&ix->lines[f], &ix->lines_cap[f], ix->nlines[f] + 1, 8) != 0) return -1;
    ix->lines[f][ix->nlines[f]++] = (line_count){line, n};
    return 0;
}

static tach__profile *profile_new(const char *name)
{
    tach__profile *p = tach__calloc(1, sizeof *p);
    frame_index *ix = tach__calloc(1, sizeof *ix);
    if (!p || !ix) {
        tach__free(p);
        tach__free(ix);
        return NULL;
    }
    p->priv = ix;
    p->name = tach__strdup(name ? name : "profile");
    return p;
}

static void index_free(tach__profile *p)
{
    frame_index *ix = p->priv;
    if (!ix) return;
    for (size_t k = 0; k < p->frames_cap && ix->lines; k++) tach__free(ix->lines[k]);
    tach__free(ix->lines);
    tach__free(ix->nlines);
    tach__free(ix->lines_cap);
    tach__free(ix->slots);
    tach__free(ix);
    p->priv = NULL;
}

void tach__profile_free(tach__profile *p)
{
    if (!p) return;
    index_free(p);
    for (size_t i = 0; i < p->nframes; i++) {
        tach__free(p->frames[i].func);
        tach__free(p->frames[i].file);
        tach__free(p->frames[i].module);
    }
    for (size_t i = 0; i < p->npaths; i++) tach__free(p->paths[i].frames);
    tach__free(p->frames);
    tach__free(p->paths);
    tach__free(p->name);
    tach__free(p);
}

/* Adds a path (frame indices root first) of count samples, the leaf at leaf_line. */
static int add_path(tach__profile *p, const size_t *fr, size_t depth, uint64_t count, int leaf_line)
{
    frame_index *ix = p->priv;
    if (TACH__GROW(&p->paths, &p->paths_cap, p->npaths + 1, 64) != 0) return -1;
    size_t *copy = tach__malloc((depth ? depth : 1) * sizeof *copy);
    if (!copy) return -1;
    memcpy(copy, fr, depth * sizeof *copy);
    p->paths[p->npaths++] = (tach__prof_path){copy, depth, count, leaf_line};
    p->samples += count;
    for (size_t k = 0; k < depth; k++) {
        bool seen = false; /* recursion counts once in total */
        for (size_t j = 0; j < k && !seen; j++) seen = fr[j] == fr[k];
        if (!seen) p->frames[fr[k]].total += count;
    }
    if (depth) {
        p->frames[fr[depth - 1]].self += count;
        if (count_line(ix, fr[depth - 1], leaf_line, count) != 0) return -1;
    }
    return 0;
}

static void finish_lines(tach__profile *p)
{
    frame_index *ix = p->priv;
    for (size_t f = 0; f < p->nframes; f++) {
        for (size_t k = 0; k < ix->nlines[f]; k++)
            if (ix->lines[f][k].n > p->frames[f].hot_line_samples) {
                p->frames[f].hot_line = ix->lines[f][k].line;
                p->frames[f].hot_line_samples = ix->lines[f][k].n;
            }
        if (p->frames[f].total && p->frames[f].has_debug && p->frames[f].file) p->any_debug = true;
    }
}

static bool runner_frame(const char *f)
{
    return (!strncmp(f, "tach_", 5) && strncmp(f, "tach__fn_", 9)) || !strcmp(f, "main") || !strncmp(f, "__libc_start", 12) ||
           !strcmp(f, "_start");
}

/* A clock read: the vDSO's, or libc's entry to it. */
static bool clock_frame(const tach__sym *y)
{
    static const char *const names[] = {"clock_gettime", "__clock_gettime", "__clock_gettime64",
                                        "__GI___clock_gettime", "gettimeofday", "__gettimeofday",
                                        /* a sanitizer's interceptors (ASan builds) */
                                        "__interceptor_clock_gettime", "___interceptor_clock_gettime",
                                        "__interceptor_gettimeofday", "___interceptor_gettimeofday"};
    const char *f = y->func, *m = y->module ? y->module : "";
    if (!strncmp(f, "__vdso_", 7) || !strncmp(m, "[vdso", 5) || !strncmp(m, "linux-vdso", 10)) return true;
    size_t len = strcspn(f, "@"); /* a versioned name: clock_gettime@@GLIBC_2.17 */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == len && !strncmp(f, names[i], len)) return true;
    return false;
}

/* A sample of the runner's own work inside the sampled window (the window is opened
 * just before a measured sample's first clock read and closed just after its last):
 * what is left of its chain once the runner's frames are cut (chain[0..top)) is a
 * clock read or the runner itself, nothing of the benchmark's. */
static bool edge_sample(const tach__sym *const *chain, size_t top)
{
    for (size_t k = 0; k < top; k++)
        if (!clock_frame(chain[k]) &&
            !(!strncmp(chain[k]->func, "tach_", 5) && strncmp(chain[k]->func, "tach__fn_", 9)))
            return false;
    return true;
}

tach__profile *tach__profile_build(const tach__prof_raw *raw, tach__symtab *t, const char *name,
                                   int hz, char *err)
{
    tach__profile *p = profile_new(name);
    if (!p) {
        tach__err(err, "out of memory");
        return NULL;
    }
    p->hz = hz;
    p->lost = raw->lost;
    p->other = raw->other;
    snprintf(p->method, sizeof p->method, "%s", raw->method);
    snprintf(p->unwind, sizeof p->unwind, "%s",
             raw->dwarf == 0 ? "frame pointers"
                             : raw->dwarf >= raw->samples ? "dwarf" : "dwarf + frame pointers");
    enum { MAXF = 4 * TACH__PROF_MAX_DEPTH };
    const tach__sym *chain[MAXF];
    size_t fr[MAXF];
    for (size_t i = 0; i < raw->nstacks; i++) {
        const tach__prof_stack *s = &raw->stacks[i];
        size_t n = 0;
        for (uint32_t k = 0; k < s->depth && n < MAXF; k++) {
            size_t m;
            const tach__sym *sy = tach__symtab_lookup(t, s->pcs[k], &m);
            for (size_t j = 0; j < m && n < MAXF; j++) chain[n++] = &sy[j];
        }
        if (!n) continue;
        /* chain is leaf first: cut the runner's frames from the root end, up to the
         * one nearest the leaf, when the benchmark's own frames remain */
        size_t top = n; /* chain[0..top) kept */
        for (size_t k = 1; k < n; k++)
            if (!strncmp(chain[k]->func, "tach_", 5) && strncmp(chain[k]->func, "tach__fn_", 9)) {
                top = k;
                break;
            }
        if (top == n) {
            while (top > 1 && runner_frame(chain[top - 1]->func) && strcmp(chain[top - 1]->func, "main"))
                top--;
        } else if (strcmp(chain[top]->func, "tach__percall_next") && edge_sample(chain, top)) {
            /* (in per-call mode the clock read after each call is part of the measured
             * time: kept) */
            p->edge += s->count;
            continue;
        }
        if (!chain[0]->known) p->unknown += s->count;
        size_t d = 0;
        for (size_t k = top; k-- > 0;) {
            const tach__sym *y = chain[k];
            size_t f = frame_of(p, y->func, y->file, y->module, y->decl_line, y->known, y->has_debug);
            if (f == SIZE_MAX) goto oom;
            fr[d++] = f;
        }
        if (add_path(p, fr, d, s->count, chain[0]->line) != 0) goto oom;
    }
    finish_lines(p);
    return p;
oom:
    tach__profile_free(p);
    tach__err(err, "out of memory");
    return NULL;
}

/* ---- folded stacks -------------------------------------------------------- */

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A frame name safe in a folded line (no ';', no newline, never empty: the reader
 * refuses a frame with no name). */
static void put_name(tach__buf *b, const char *s)
{
    if (!*s) s = "[unknown]";
    for (; *s; s++) tach__buf_put(b, *s == ';' || *s == '\n' || *s == '\r' ? "_" : s, 1);
}

char *tach__profile_folded(const tach__profile *p)
{
    char **lines = tach__calloc(p->npaths ? p->npaths : 1, sizeof *lines);
    if (!lines) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < p->npaths; i++) {
        tach__buf b = {0};
        for (size_t k = 0; k < p->paths[i].depth; k++) {
            if (k) tach__buf_put(&b, ";", 1);
            put_name(&b, p->frames[p->paths[i].frames[k]].func);
        }
        tach__buf_printf(&b, "\t%llu", (unsigned long long)p->paths[i].count);
        if (!(lines[n] = tach__buf_take(&b))) goto oom;
        n++;
    }
    qsort(lines, n, sizeof *lines, by_text);
    tach__buf out = {0};
    for (size_t i = 0; i < n;) {
        /* equal stacks (different leaf lines) are merged */
        char *tab = strrchr(lines[i], '\t');
        size_t klen = (size_t)(tab - lines[i]);
        unsigned long long c = strtoull(tab + 1, NULL, 10);
        size_t j = i + 1;
        for (; j < n; j++) {
            char *t2 = strrchr(lines[j], '\t');
            if ((size_t)(t2 - lines[j]) != klen || memcmp(lines[i], lines[j], klen)) break;
            c += strtoull(t2 + 1, NULL, 10);
        }
        tach__buf_put(&out, lines[i], klen);
        tach__buf_printf(&out, " %llu\n", c);
        i = j;
    }
    for (size_t i = 0; i < n; i++) tach__free(lines[i]);
    tach__free(lines);
    return tach__buf_take(&out);
oom:
    for (size_t i = 0; i < n; i++) tach__free(lines[i]);
    tach__free(lines);
    return NULL;
}

tach__profile *tach__profile_from_folded(const char *text, const char *name, char *err)
{
    tach__profile *p = profile_new(name);
    if (!p) {
        tach__err(err, "out of memory");
        return NULL;
    }
    size_t *fr = NULL, cap = 0, lineno = 0;
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        lineno++;
        if (len && s[len - 1] == '\r') len--;
        if (len) {
            const char *sp = NULL;
            for (size_t k = len; k-- > 0;)
                if (s[k] == ' ') { sp = s + k; break; }
            if (!sp || sp == s || sp + 1 == s + len) {
                tach__err(err, "folded stacks, line %zu: not 'frame;frame;... COUNT'", lineno);
                goto fail;
            }
            /* the count: a plain positive decimal (strtoull would take "-3" as 2^64-3) */
            uint64_t c = 0;
            bool bad = false;
            for (const char *q = sp + 1; q < s + len && !bad; q++) {
                if (*q < '0' || *q > '9') bad = true;
                else if (c > (TACH__PROF_MAX_COUNT - (uint64_t)(*q - '0')) / 10) bad = true;
                else c = c * 10 + (uint64_t)(*q - '0');
            }
            if (!bad && c == 0) bad = true;
            if (!bad && p->samples > TACH__PROF_MAX_COUNT - c) {
                tach__err(err, "folded stacks, line %zu: the total of the counts passes %llu", lineno,
                          (unsigned long long)TACH__PROF_MAX_COUNT);
                goto fail;
            }
            if (bad) {
                int vl = (int)(s + len - (sp + 1));
                tach__err(err, "folded stacks, line %zu: the count '%.*s' is not a positive whole "
                               "number up to %llu", lineno, vl > 40 ? 40 : vl, sp + 1,
                          (unsigned long long)TACH__PROF_MAX_COUNT);
                goto fail;
            }
            size_t d = 0;
            const char *f = s;
            while (f < sp) {
                const char *semi = memchr(f, ';', (size_t)(sp - f));
                const char *fe = semi ? semi : sp;
                if (fe == f || (semi && semi + 1 == sp)) {
                    /* "a;;b", ";b", "a; 4": a function with no name, a blank row */
                    tach__err(err, "folded stacks, line %zu: a frame with no name (an empty field "
                                   "in 'frame;frame;...')", lineno);
                    goto fail;
                }
                /* its whole name (a C++ template's may pass 1 KiB: it was cut at 1023 bytes,
                 * two such names sharing one frame, and the table's rows found no change) */
                size_t fl = (size_t)(fe - f);
                char *nm = tach__malloc(fl + 1);
                if (!nm || TACH__GROW(&fr, &cap, d + 1, 64) != 0) {
                    tach__free(nm);
                    goto oom;
                }
                memcpy(nm, f, fl);
                nm[fl] = '\0';
                size_t id = frame_of(p, nm, NULL, NULL, 0, nm[0] != '[', false);
                tach__free(nm);
                if (id == SIZE_MAX) goto oom;
                fr[d++] = id;
                f = fe + 1;
            }
            if (add_path(p, fr, d, c, 0) != 0) goto oom;
        }
        s += nl ? (size_t)(nl - s) + 1 : strlen(s);
    }
    tach__free(fr);
    finish_lines(p);
    return p;
oom:
    tach__err(err, "out of memory");
fail:
    tach__free(fr);
    tach__profile_free(p);
    return NULL;
}

/* ---- the bottleneck table ---------------------------------------------------- */

static const tach__profile *rank_base;

static int by_self(const void *a, const void *b)
{
    const tach__prof_frame *x = &rank_base->frames[*(const size_t *)a];
    const tach__prof_frame *y = &rank_base->frames[*(const size_t *)b];
    if (x->self != y->self) return x->self < y->self ? 1 : -1;
    if (x->total != y->total) return x->total < y->total ? 1 : -1;
    return strcmp(x->func, y->func);
}

size_t *tach__profile_rank(const tach__profile *p)
{
    size_t *r = tach__malloc((p->nframes ? p->nframes : 1) * sizeof *r);
    if (!r) return NULL;
    for (size_t i = 0; i < p->nframes; i++) r[i] = i;
    rank_base = p;
    qsort(r, p->nframes, sizeof *r, by_self);
    rank_base = NULL;
    return r;
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void where(const tach__prof_frame *f, char *out, size_t n)
{
    int line = f->hot_line ? f->hot_line : f->decl_line;
    if (f->file && line) snprintf(out, n, "%s:%d", f->file, line);
    else if (f->file) snprintf(out, n, "%s", f->file);
    else snprintf(out, n, "%s", f->module ? f->module : "?");
}

void tach__profile_edge_note(tach__buf *b, uint64_t samples, uint64_t edge)
{
    if (edge)
        tach__buf_printf(b, ", %llu more on the runner's clock reads around the measured samples (left out)",
                         (unsigned long long)edge);
    tach__buf_puts(b, "\n");
    if (edge && (double)edge >= TACH__PROF_EDGE_WARN * (double)(samples + edge))
        tach__buf_printf(b,
                         "warning: %.0f%% of the samples fell on the clock reads that bracket each measured "
                         "sample, not in the benchmark: the timer's interrupts reached this process mostly at "
                         "those reads (seen on virtual machines where reading the clock exits to the "
                         "hypervisor); this profile rests on %llu samples: profile again\n",
                         100.0 * (double)edge / (double)(samples + edge), (unsigned long long)samples);
}

char *tach__profile_top_text(const tach__profile *p, size_t n)
{
    size_t *r = tach__profile_rank(p);
    if (!r) return NULL;
    const tach__prof_frame *nodebug = NULL; /* the first row shown without file:line */
    tach__buf b = {0};
    tach__buf_printf(&b, "Top %zu of %s (self time):\n", n, p->name);
    /* the function and file:line columns as wide as their widest row (an absolute path
     * is rarely under 40), so that the shares stay under their headings */
    int fw = 32, ww = 40;
    for (size_t i = 0; i < n && i < p->nframes && p->frames[r[i]].self; i++) {
        char w[512];
        where(&p->frames[r[i]], w, sizeof w);
        int l = (int)strlen(p->frames[r[i]].func), lw = (int)strlen(w);
        if (l > fw) fw = l;
        if (lw > ww) ww = lw;
    }
    tach__buf_printf(&b, "%4s  %-*s  %-*s  %7s  %7s  %8s\n", "rank", fw, "function", ww, "file:line",
                     "self %", "total %", "samples");
    for (size_t i = 0; i < n && i < p->nframes; i++) {
        const tach__prof_frame *f = &p->frames[r[i]];
        if (!f->self) break;
        char w[512];
        where(f, w, sizeof w);
        if (!f->file && f->known && !nodebug) nodebug = f;
        tach__buf_printf(&b, "%4zu  %-*s  %-*s  %6.1f%%  %6.1f%%  %8llu\n", i + 1, fw, f->func, ww, w,
                         pct(f->self, p->samples), pct(f->total, p->samples),
                         (unsigned long long)f->self);
    }
    if (!strncmp(p->method, "setitimer", 9)) /* the kernel's tick bounds its rate */
        tach__buf_printf(&b, "%llu samples (%s, at most the kernel's tick rate CONFIG_HZ per "
                             "second of CPU, %d Hz asked; %s), %.1f%% without a symbol",
                         (unsigned long long)p->samples, p->method, p->hz, p->unwind,
                         pct(p->unknown, p->samples));
    else
        tach__buf_printf(&b, "%llu samples (%s at %d Hz, %s), %.1f%% without a symbol",
                         (unsigned long long)p->samples, p->method, p->hz, p->unwind,
                         pct(p->unknown, p->samples));
    if (p->lost) tach__buf_printf(&b, ", %llu lost", (unsigned long long)p->lost);
    if (p->other)
        tach__buf_printf(&b, ", %llu more in child processes that ran other programs (not shown)",
                         (unsigned long long)p->other);
    tach__profile_edge_note(&b, p->samples, p->edge);
    if (nodebug)
        tach__buf_printf(&b, "note: no file:line for %s: %s has no debug information; build it with -g\n",
                         nodebug->func, nodebug->module ? nodebug->module : "its code");
    else if (!p->any_debug && p->samples)
        tach__buf_puts(&b, "note: no file:line: the code has no debug information; build it with -g\n");
    tach__free(r);
    return tach__buf_take(&b);
}

json_t *tach__profile_top_json(const tach__profile *p, size_t n)
{
    size_t *r = tach__profile_rank(p);
    json_t *j = json_object(), *top = json_array();
    if (!r || !j || !top) {
        tach__free(r);
        json_decref(j);
        json_decref(top);
        return NULL;
    }
    json_object_set_new(j, "samples", json_integer((json_int_t)p->samples));
    json_object_set_new(j, "lost", json_integer((json_int_t)p->lost));
    json_object_set_new(j, "edge", json_integer((json_int_t)p->edge));
    json_object_set_new(j, "other", json_integer((json_int_t)p->other));
    json_object_set_new(j, "unknown_share", json_real(p->samples ? (double)p->unknown / (double)p->samples : 0));
    json_object_set_new(j, "method", json_string(p->method));
    json_object_set_new(j, "unwind", json_string(p->unwind));
    json_object_set_new(j, "hz", json_integer(p->hz));
    json_object_set_new(j, "debug_info", json_boolean(p->any_debug));
    for (size_t i = 0; i < n && i < p->nframes; i++) {
        const tach__prof_frame *f = &p->frames[r[i]];
        if (!f->self) break;
        json_t *row = json_object();
        json_object_set_new(row, "rank", json_integer((json_int_t)i + 1));
        json_object_set_new(row, "function", json_string(f->func));
        json_object_set_new(row, "file", f->file ? json_string(f->file) : json_null());
        int line = f->hot_line ? f->hot_line : f->decl_line;
        json_object_set_new(row, "line", line ? json_integer(line) : json_null());
        /* the table's file:line column without a file: the binary (or library) instead */
        json_object_set_new(row, "module", f->module ? json_string(f->module) : json_null());
        json_object_set_new(row, "self_pct", json_real(pct(f->self, p->samples)));
        json_object_set_new(row, "total_pct", json_real(pct(f->total, p->samples)));
        json_object_set_new(row, "samples", json_integer((json_int_t)f->self));
        json_array_append_new(top, row);
    }
    json_object_set_new(j, "top", top);
    tach__free(r);
    return j;
}

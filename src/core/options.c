/* options.c - the table-driven option parser and --help generator (see options.h). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options.h"

/* ---- values ------------------------------------------------------------------ */

int tach__opt_parse_count(const char *s, long *out)
{
    /* "-1", "-99999999999999999999": a whole number, only below 0 (-3, said as too small,
     * as a negative --rate is); "-0" and "-" are not */
    if (s[0] == '-' && s[1] && strspn(s + 1, "0123456789") == strlen(s + 1) &&
        s[1 + strspn(s + 1, "0")])
        return -3;
    if (!isdigit((unsigned char)*s)) return -1; /* refuses "", "+1", " 1" */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end) return -1;
    if (errno == ERANGE || v > (unsigned long long)LONG_MAX) return -2; /* digits, too many */
    if (errno) return -1;
    *out = (long)v;
    return 0;
}

int tach__opt_parse_seed(const char *s, uint64_t *out)
{
    if (!isdigit((unsigned char)*s)) return -1;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (hex && !isxdigit((unsigned char)s[2])) return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, hex ? 16 : 10); /* "010" is ten, not eight */
    if (*end) return -1;
    if (errno == ERANGE) return -2; /* digits, too many: 2^64 or more */
    if (errno) return -1;
    *out = (uint64_t)v;
    return 0;
}

int tach__opt_size_unit(const char *unit, size_t len, uint64_t *bytes)
{
    /* any case.  A letter alone, or with i or iB, is a power of 1024, as dd, fio and GNU's
     * tools read a block or file size (4k, 1M); with B alone, a power of 1000, the SI's
     * (1MB is 10^6 bytes, as dd and df --si read it) */
    static const char letters[] = "kmgt";
    if (len == 0 || (len == 1 && tolower((unsigned char)unit[0]) == 'b')) {
        *bytes = 1;
        return 0;
    }
    const char *at = unit[0] ? strchr(letters, tolower((unsigned char)unit[0])) : NULL;
    if (!at || len > 3) return -1;
    char a = len > 1 ? (char)tolower((unsigned char)unit[1]) : 0;
    char b = len > 2 ? (char)tolower((unsigned char)unit[2]) : 0;
    unsigned base;
    if (len == 1 || (len == 2 && a == 'i') || (len == 3 && a == 'i' && b == 'b')) base = 1024;
    else if (len == 2 && a == 'b') base = 1000;
    else return -1;
    uint64_t m = 1;
    for (const char *p = letters; p <= at; p++) m *= base;
    *bytes = m;
    return 0;
}

int tach__opt_parse_size(const char *s, uint64_t *out)
{
    if (!s || !isdigit((unsigned char)*s)) return -1; /* refuses "", "-1", "+1", " 1", "k" */
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno && errno != ERANGE) return -1;
    uint64_t unit;
    if (tach__opt_size_unit(end, strlen(end), &unit) != 0) return -1;
    /* a size as written, only beyond 64 bits ("99999999999999999999", "20000000T") */
    if (errno == ERANGE || v > UINT64_MAX / unit) return -2;
    *out = (uint64_t)v * unit;
    return 0;
}

int tach__opt_parse_real(const char *s, double *out, char **endp)
{
    if (!*s || isspace((unsigned char)*s)) return -1;
    errno = 0;
    double v = strtod(s, endp);
    int range = errno == ERANGE;
    if (*endp == s || (errno && !range)) return -1;
    /* refuse strtod's words and hex forms: "inf", "nan", "0x10" */
    for (const char *p = s; p < *endp; p++)
        if (isalpha((unsigned char)*p) && *p != 'e' && *p != 'E') return -1;
    /* a number beyond a double ("1e400"): too large, not "not a number"; one not 0 as
     * written but too close to 0 for a double ("1e-400", "1e-310"): 0, said apart (-3),
     * so a caller needing a number above 0 calls it too small and none takes it as 0
     * unasked */
    if (range && isinf(v)) {
        *out = v;
        return -2;
    }
    if (range) {
        *out = 0;
        return -3;
    }
    if (!isfinite(v)) return -1;
    *out = v == 0 ? 0 : v; /* "-0" is 0: printed back, it read "-0 s" */
    return 0;
}

int tach__opt_parse_duration(const char *s, double *out)
{
    static const struct { const char *unit; double scale; } units[] = {
        {"", 1}, {"s", 1}, {"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"ms", 1e-3},
        {"m", 60}, {"min", 60}, {"h", 3600}};
    char *end;
    double v;
    int pr = tach__opt_parse_real(s, &v, &end);
    if (pr != 0 && pr != -2 && pr != -3) return -1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (!strcmp(end, units[i].unit)) {
            *out = v * units[i].scale;
            if (!isfinite(*out)) return -2; /* "1e400s", "1e300h": a duration, too long to hold */
            /* "1e-300ns": above 0 as written, too close to 0 in seconds */
            if (pr == -3 || (v != 0 && !isnormal(*out))) {
                *out = 0;
                return -3;
            }
            return 0;
        }
    return -1;
}

/* ---- matching names -------------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    /* Levenshtein with a swap of two neighbours as one edit (optimal string alignment:
     * "rnus" is one edit from "runs") */
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return (size_t)-1;
    size_t prev2[65], prev[65], row[65];
    for (size_t j = 0; j <= lb; j++) prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best) best = prev[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            row[j] = best;
        }
        memcpy(prev2, prev, sizeof prev);
        memcpy(prev, row, sizeof row);
    }
    return prev[lb];
}

const char *tach__opt_suggest(const char *word, const char *const *cands, size_t ncands)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, wl = strlen(word);
    for (size_t i = 0; i < ncands; i++) {
        if (!cands[i]) continue;
        size_t d = edit_distance(word, cands[i]);
        /* a prefix of a longer name counts as close ("--run" for "--runs") */
        if (wl >= 3 && !strncmp(cands[i], word, wl) && d > 1) d = 1;
        if (d < best_d) best_d = d, best = cands[i];
    }
    size_t limit = wl <= 4 ? 1 : wl <= 8 ? 2 : 3;
    return best_d <= limit ? best : NULL;
}

/* The row whose long name is name (len bytes), or NULL. */
static const tach__opt *find_long(const tach__opt *t, size_t n, const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == TACH__OPT_SECTION) continue;
        if (strlen(t[i].name) == len && !strncmp(t[i].name, name, len)) return &t[i];
    }
    return NULL;
}

static const tach__opt *find_short(const tach__opt *t, size_t n, char c)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].kind != TACH__OPT_SECTION && t[i].short_name == c) return &t[i];
    return NULL;
}

static void unknown(const tach__opt *t, size_t n, const char *arg, size_t len, char *err)
{
    const char **names = tach__calloc(n + 1, sizeof *names);
    char word[80];
    snprintf(word, sizeof word, "%.*s", (int)(len < 70 ? len : 70), arg);
    const char *best = NULL;
    if (names) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (t[i].kind != TACH__OPT_SECTION) names[k++] = t[i].name;
        char bare[80];
        const char *w = word;
        while (*w == '-') w++;
        snprintf(bare, sizeof bare, "%.*s", (int)strcspn(w, "="), w);
        best = tach__opt_suggest(bare, names, k);
    }
    if (best)
        snprintf(err, TACH__ERR_MAX, "unknown option '%s' (did you mean --%s?)", word, best);
    else
        snprintf(err, TACH__ERR_MAX, "unknown option '%s' (see --help)", word);
    tach__free(names);
}

/* ---- one value ---------------------------------------------------------------------- */

static void fmt_num(char *buf, size_t size, double v)
{
    if (v >= 1e15) snprintf(buf, size, "%.3g", v);
    else snprintf(buf, size, "%.15g", v);
}

/* "at least 1", "from 1 to 64", "above 0", "between 0 and 100" for the row's bounds. */
static void bounds_text(const tach__opt *o, const char *unit, char *buf, size_t size)
{
    char lo[32], hi[32];
    fmt_num(lo, sizeof lo, o->lo);
    fmt_num(hi, sizeof hi, o->hi);
    bool has_hi = isfinite(o->hi) && o->hi < 1e15;
    const char *lw = o->flags & TACH__OPT_LO_OPEN ? "above" : "at least";
    if (!has_hi) snprintf(buf, size, "%s %s%s", lw, lo, unit);
    else if (o->flags & (TACH__OPT_LO_OPEN | TACH__OPT_HI_OPEN))
        snprintf(buf, size, "above %s%s and %s %s%s", lo, unit,
                 o->flags & TACH__OPT_HI_OPEN ? "below" : "at most", hi, unit);
    else snprintf(buf, size, "from %s%s to %s%s", lo, unit, hi, unit);
}

static bool in_bounds(const tach__opt *o, double v)
{
    if (o->flags & TACH__OPT_LO_OPEN ? v <= o->lo : v < o->lo) return false;
    if (o->flags & TACH__OPT_HI_OPEN ? v >= o->hi : v > o->hi) return false;
    return true;
}

static int bad_value(const char *opt, const char *v, const char *what, const char *expected,
                     char *err)
{
    snprintf(err, TACH__ERR_MAX, "%s: '%s' is not %s, expected %s", opt, v, what, expected);
    return -1;
}

/* A value that reads as the right kind but lies outside the row's bounds: say which side,
 * so "0" for a rate is not called "not a number". */
static int out_of_range(const tach__opt *o, const char *opt, const char *v, double d,
                        const char *expected, char *err)
{
    bool low = o->flags & TACH__OPT_LO_OPEN ? d <= o->lo : d < o->lo;
    snprintf(err, TACH__ERR_MAX, "%s: '%s' is too %s, expected %s", opt, v,
             low ? "small" : "large", expected);
    return -1;
}

/* Checks v for row o (written as opt) and stores it; then calls the row's fn. */
static int apply(const tach__opt *o, const char *opt, const char *v, void *base, char *err)
{
    void *dst = (char *)base + o->offset;
    bool store = !(o->flags & TACH__OPT_NO_STORE);
    char b[160];
    switch (o->kind) {
    case TACH__OPT_SECTION:
        break;
    case TACH__OPT_FLAG:
        if (store) *(bool *)dst = true;
        break;
    case TACH__OPT_STRING:
        if (v && !*v && o->lo >= 0)
            return bad_value(opt, v, "a value", o->metavar ? "a non-empty one" : "text", err);
        if (store) *(const char **)dst = v;
        break;
    case TACH__OPT_COUNT: {
        long c;
        char r[120];
        bounds_text(o, "", r, sizeof r);
        snprintf(b, sizeof b, "a whole number %s", r);
        int pc = tach__opt_parse_count(v, &c);
        if (pc == -2) return out_of_range(o, opt, v, INFINITY, b, err); /* digits, too many */
        if (pc == -3) return out_of_range(o, opt, v, -INFINITY, b, err); /* below 0 */
        if (pc != 0)
            /* a PID is a whole number, but no count of anything */
            return bad_value(opt, v, o->metavar && !strcmp(o->metavar, "PID") ? "a process id"
                                                                              : "a count", b, err);
        if (!in_bounds(o, (double)c)) return out_of_range(o, opt, v, (double)c, b, err);
        if (store) *(long *)dst = c;
        break;
    }
    case TACH__OPT_REAL: {
        double d;
        char *end;
        char r[120];
        bounds_text(o, "", r, sizeof r);
        snprintf(b, sizeof b, "a number %s", r);
        int pr = tach__opt_parse_real(v, &d, &end);
        if (pr == -2 && !*end) return out_of_range(o, opt, v, d, b, err); /* beyond a double */
        if ((pr != 0 && pr != -3) || *end) /* -3: 0, as close to it as a double holds */
            return bad_value(opt, v, "a number", b, err);
        if (!in_bounds(o, d)) return out_of_range(o, opt, v, d, b, err);
        if (store) *(double *)dst = d;
        break;
    }
    case TACH__OPT_PERCENT: {
        double d;
        char *end;
        char r[120];
        bounds_text(o, "%", r, sizeof r);
        snprintf(b, sizeof b, "a percentage %s (e.g. 1 or 0.5%%)", r);
        int pr = tach__opt_parse_real(v, &d, &end);
        if (pr == -2 && (!*end || !strcmp(end, "%"))) return out_of_range(o, opt, v, d, b, err);
        if ((pr != 0 && pr != -3) || (*end && strcmp(end, "%")))
            return bad_value(opt, v, "a percentage", b, err);
        if (!in_bounds(o, d)) return out_of_range(o, opt, v, d, b, err);
        if (store) *(double *)dst = d / 100.0;
        break;
    }
    case TACH__OPT_DURATION: {
        double d;
        char r[120];
        tach__opt row = *o; /* seconds turned into integer nanoseconds must not overflow */
        if (!(row.hi <= TACH__OPT_DURATION_MAX))
            row.hi = TACH__OPT_DURATION_MAX, row.flags &= ~(unsigned)TACH__OPT_HI_OPEN;
        bounds_text(&row, " s", r, sizeof r);
        snprintf(b, sizeof b, "seconds %s (e.g. 2, 500ms, 1.5s, 1m)", r);
        int pd = tach__opt_parse_duration(v, &d); /* -3: 0, as for a number */
        /* "1e300h", "-1e400ms": a duration, only one too long to hold (d its sign's infinity) */
        if (pd == -2) return out_of_range(&row, opt, v, d, b, err);
        if (pd != 0 && pd != -3) return bad_value(opt, v, "a duration", b, err);
        if (!in_bounds(&row, d)) return out_of_range(&row, opt, v, d, b, err);
        if (store) *(double *)dst = d;
        break;
    }
    case TACH__OPT_SEED: {
        uint64_t s;
        int ps = tach__opt_parse_seed(v, &s);
        if (ps == -2) { /* 2^64 or more: a seed, only one too large to hold */
            snprintf(err, TACH__ERR_MAX,
                     "%s: '%s' is too large, expected a whole number below 2^64, decimal or 0x hex",
                     opt, v);
            return -1;
        }
        if (ps != 0)
            return bad_value(opt, v, "a seed", "a whole number, decimal or 0x hex", err);
        if (store) *(uint64_t *)dst = s;
        break;
    }
    case TACH__OPT_ENUM: {
        int k = 0;
        while (o->choices[k] && strcmp(o->choices[k], v)) k++;
        if (!o->choices[k]) {
            tach__buf e = {0};
            for (int i = 0; o->choices[i]; i++)
                tach__buf_printf(&e, "%s%s", i ? (o->choices[i + 1] ? ", " : " or ") : "",
                                 o->choices[i]);
            char *list = tach__buf_take(&e);
            const char *best = tach__opt_suggest(v, o->choices, (size_t)(k));
            if (best) snprintf(b, sizeof b, "%s (did you mean %s?)", list ? list : "", best);
            else snprintf(b, sizeof b, "%s", list ? list : "");
            tach__free(list);
            return bad_value(opt, v, "one of the choices", b, err);
        }
        if (store) *(int *)dst = k;
        break;
    }
    }
    if (o->fn) {
        err[0] = 0;
        if (o->fn(base, o, opt, v, err) != 0) {
            if (!err[0]) snprintf(err, TACH__ERR_MAX, "%s: '%s' is not valid", opt, v ? v : "");
            return -1;
        }
    }
    return 0;
}

/* ---- the parser -------------------------------------------------------------------- */

void tach__opt_result_free(tach__opt_result *res)
{
    if (!res) return;
    tach__free(res->pos);
    tach__free(res->seen);
    res->pos = NULL;
    res->seen = NULL;
    res->npos = 0;
}

static void mark(const tach__opt *t, const tach__opt *o, tach__opt_result *res)
{
    size_t i = (size_t)(o - t);
    if (res->seen[i] < 255) res->seen[i]++;
}

int tach__opt_parse(const tach__opt *table, size_t n, void *base, int argc, char **argv,
                    int first, tach__opt_result *res, char *err)
{
    memset(res, 0, sizeof *res);
    res->rest = argc;
    res->pos = tach__calloc((size_t)(argc > 0 ? argc : 1), sizeof *res->pos);
    res->seen = tach__calloc(n ? n : 1, 1);
    if (!res->pos || !res->seen) {
        snprintf(err, TACH__ERR_MAX, "out of memory");
        return -1;
    }
    for (int i = first; i < argc; i++) {
        char *a = argv[i];
        if (!strcmp(a, "--")) {
            res->dashdash = true;
            res->rest = i + 1;
            return 0;
        }
        if (a[0] != '-' || !a[1]) {
            res->pos[res->npos++] = a;
            continue;
        }
        const tach__opt *o;
        char opt[80];
        const char *v = NULL;
        bool inline_val = false;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            if (!(o = find_long(table, n, name, len))) {
                unknown(table, n, a, strlen(a), err);
                return -1;
            }
            snprintf(opt, sizeof opt, "--%.*s", (int)(len < 70 ? len : 70), name);
            if (eq) v = eq + 1, inline_val = true;
        } else {
            if (!(o = find_short(table, n, a[1]))) {
                unknown(table, n, a, strlen(a), err);
                return -1;
            }
            snprintf(opt, sizeof opt, "-%c", a[1]);
            if (a[2]) v = a[2] == '=' ? a + 3 : a + 2, inline_val = true;
        }
        if (o->kind == TACH__OPT_FLAG) {
            if (inline_val) {
                snprintf(err, TACH__ERR_MAX, "%s: takes no value (got '%s')", opt, a);
                return -1;
            }
        } else if (!inline_val) {
            if (o->flags & TACH__OPT_OPTIONAL) {
                v = o->implied;
            } else if (i + 1 < argc && !strncmp(argv[i + 1], "--", 2)) {
                /* the next word is an option (or --), not this one's value: --export-csv --
                 * wrote a file named "--"; the = form takes such a value on purpose */
                snprintf(err, TACH__ERR_MAX, "%s needs a value%s%s (got the option '%.*s'; "
                         "%s=VALUE takes a value that starts with --)", opt,
                         o->metavar ? " " : "", o->metavar ? o->metavar : "",
                         tach__utf8_prec(argv[i + 1], 60), argv[i + 1], opt);
                return -1;
            } else if (i + 1 < argc) {
                v = argv[++i];
            } else {
                snprintf(err, TACH__ERR_MAX, "%s needs a value%s%s", opt,
                         o->metavar ? " " : "", o->metavar ? o->metavar : "");
                return -1;
            }
        }
        mark(table, o, res);
        if (o->kind != TACH__OPT_FLAG && !v && (o->flags & TACH__OPT_OPTIONAL)) {
            /* given bare: only the fn learns of it */
            if (o->fn && o->fn(base, o, opt, NULL, err) != 0) return -1;
            continue;
        }
        if (apply(o, opt, v, base, err) != 0) return -1;
    }
    return 0;
}

int tach__opt_given(const tach__opt *table, size_t n, const tach__opt_result *res,
                    const char *name)
{
    if (!res->seen) return 0;
    for (size_t i = 0; i < n; i++)
        if (table[i].kind != TACH__OPT_SECTION && !strcmp(table[i].name, name))
            return res->seen[i];
    return 0;
}

const tach__opt *tach__opt_optional_before(const tach__opt *table, size_t n, int argc,
                                           char **argv, int first, const char *arg)
{
    int i = first;
    while (i < argc && argv[i] != arg) i++;
    if (i <= first || i >= argc) return NULL;
    const char *prev = argv[i - 1];
    bool is_long = prev[0] == '-' && prev[1] == '-' && prev[2] && !strchr(prev, '=');
    bool is_short = prev[0] == '-' && prev[1] && prev[1] != '-' && !prev[2];
    for (size_t k = 0; (is_long || is_short) && k < n; k++) {
        const tach__opt *o = &table[k];
        if (o->kind == TACH__OPT_SECTION || !(o->flags & TACH__OPT_OPTIONAL)) continue;
        if (is_long ? !strcmp(o->name, prev + 2) : o->short_name == prev[1]) return o;
    }
    return NULL;
}

/* ---- --help --------------------------------------------------------------------------- */

#define HELP_COLUMN 26

void tach__opt_help(const tach__opt *table, size_t n, tach__buf *out)
{
    bool any_alias = false;
    for (size_t i = 0; i < n; i++) {
        const tach__opt *o = &table[i];
        if (o->kind == TACH__OPT_SECTION) {
            tach__buf_printf(out, "%s\n", o->name);
            continue;
        }
        if (!o->help) {
            any_alias = any_alias || o->alias_of;
            continue;
        }
        char left[96];
        int len;
        const char *val = o->metavar ? o->metavar : "";
        bool opt_val = o->flags & TACH__OPT_OPTIONAL;
        if (o->short_name)
            len = snprintf(left, sizeof left, "  -%c, --%s%s%s%s", o->short_name, o->name,
                           opt_val ? "[=" : *val ? " " : "", val, opt_val ? "]" : "");
        else
            len = snprintf(left, sizeof left, "  --%s%s%s%s", o->name,
                           opt_val ? "[=" : *val ? " " : "", val, opt_val ? "]" : "");
        tach__buf_puts(out, left);
        const char *h = o->help;
        if (len >= HELP_COLUMN - 1) tach__buf_printf(out, "\n%*s", HELP_COLUMN, "");
        else tach__buf_printf(out, "%*s", HELP_COLUMN - len, "");
        for (const char *p = h; *p;) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p) : strlen(p);
            tach__buf_put(out, p, l);
            tach__buf_puts(out, "\n");
            if (!nl) break;
            p = nl + 1;
            if (*p) tach__buf_printf(out, "%*s", HELP_COLUMN, "");
        }
        if (o->alias_of) any_alias = true;
    }
    if (!any_alias) return;
    tach__buf_puts(out, "old spellings, still accepted:\n");
    for (size_t i = 0; i < n; i++) {
        const tach__opt *o = &table[i];
        if (o->kind == TACH__OPT_SECTION || !o->alias_of) continue;
        char left[96];
        int len = snprintf(left, sizeof left, "  --%s%s%s", o->name, o->metavar ? " " : "",
                           o->metavar ? o->metavar : "");
        tach__buf_printf(out, "%s%*s= --%s\n", left, len < HELP_COLUMN ? HELP_COLUMN - len : 1,
                         "", o->alias_of);
    }
}

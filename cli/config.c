/*
 * config.c - .tach/config: per-benchmark thresholds and targets (read with inih).
 *
 * Git-config style:
 *
 *     [compare]                 ; defaults for compare and gate
 *     noise = 2                 ; percent
 *     critical = 10             ; percent
 *     alpha = 0.05
 *     percentiles = 50,99:5     ; latency percentiles judged (P[:PCT]; docs/latency.md)
 *
 *     [bench "codec/zstd*"]     ; a glob on the full benchmark name
 *     noise = 5
 *     critical = 20
 *     max_mean_ns = 1500
 *     min_bytes_per_sec = 400e6
 *
 * Several sections may match one benchmark; each value is taken from the last one
 * that sets it.  Unknown sections, keys and malformed values are errors, reported
 * with the file and line, and so is a key given twice in one section (a module's
 * bench, command and load are lists).
 */
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "slo.h"
#include "complexity.h"
#include "compare.h"
#include "latency_cli.h"
#include "options.h"
#include "config_suite.h"
#include "store.h"

typedef struct parse_state {
    cli_config *cfg;
    const char *path;
    char *section;      /* the last section seen (owned) */
    int rule;           /* index of the rule being filled, or -1; -2 in [suite], [module] */
    char err[TACH__ERR_MAX];
    const char *text;   /* the reader's position in the file's text */
    int line;           /* the line last read (1-based) */
    int err_line;       /* a line the reader found at fault, or 0 */
    struct seen_key {   /* each section's keys so far, to refuse one given twice */
        char *section, *key;
        int line;
    } *seen;
    size_t nseen, seen_cap;
} parse_state;

static int section_check(const char *section, char *err, size_t size);

/* inih's line reader over the text, which strips each line's leading blanks (so
 * git-config style indented keys are keys, not continuation lines), counts lines for
 * the messages, registers [module "NAME"] headers as it passes them, and refuses an
 * unknown section header (inih calls the handler only for keys: an empty [bogus]
 * section would pass unseen). */
static char *read_line(char *buf, int size, void *user)
{
    parse_state *st = user;
    if (!*st->text || st->err_line) return NULL;
    while (*st->text == ' ' || *st->text == '\t') st->text++;
    size_t n = strcspn(st->text, "\n");
    size_t take = n < (size_t)size - 2 ? n : (size_t)size - 2;
    memcpy(buf, st->text, take);
    buf[take] = '\n';
    buf[take + 1] = 0;
    st->text += n + (st->text[n] == '\n');
    st->line++;
    if (st->err[0]) return buf; /* an earlier line's error stands: inih reports its line */
    if (n > take) { /* inih's buffer would cut it: a command or load line run cut short */
        snprintf(st->err, sizeof st->err, "line longer than %d characters (%zu), the most "
                 "the config reader takes", size - 2, n);
        st->err_line = st->line;
        return buf;
    }
    if (cli_config_suite_header(st->cfg, buf, st->line, st->err, sizeof st->err))
        st->err_line = st->line;
    const char *end = *buf == '[' ? strchr(buf, ']') : NULL; /* inih's section: to the first ] */
    if (!st->err_line && *buf == '[' && !end) {
        buf[strcspn(buf, "\r\n")] = 0;
        snprintf(st->err, sizeof st->err, "section header %s without its closing ']'", buf);
        st->err_line = st->line;
        return buf;
    }
    const char *first = buf + strspn(buf, " \t\r\n");
    if (!st->err_line && *first && *first != '[' && *first != ';' && *first != '#' &&
        !strpbrk(buf, "=:")) { /* inih's "syntax error", said with the line's text */
        buf[strcspn(buf, "\r\n")] = 0;
        snprintf(st->err, sizeof st->err, "'%s' is not KEY = VALUE, a [SECTION] or a ; comment",
                 buf);
        st->err_line = st->line;
        return buf;
    }
    if (!st->err_line && end) {
        char section[512];
        size_t len = (size_t)(end - buf - 1);
        if (len >= sizeof section) len = sizeof section - 1;
        memcpy(section, buf + 1, len);
        section[len] = 0;
        if (section_check(section, st->err, sizeof st->err) != 0) st->err_line = st->line;
    }
    /* inih drops what follows a header's ']': "[suite] report = x.md" set nothing */
    const char *after = end ? end + 1 + strspn(end + 1, " \t\r\n") : NULL;
    if (!st->err_line && after && *after && *after != ';' && *after != '#') {
        buf[strcspn(buf, "\r\n")] = 0;
        snprintf(st->err, sizeof st->err, "'%s': text after the section header's ']' (a key "
                 "goes on a line of its own; a comment starts with ;)", buf);
        st->err_line = st->line;
        return buf;
    }
    return buf;
}

/* A decimal number, as on the command line (tach__opt_parse_real: no hex float such as
 * 0x1p3, no inf or nan); blanks after it. */
static int parse_number(const char *s, double *out)
{
    char *end;
    double v;
    int pr = tach__opt_parse_real(s, &v, &end);
    if (pr != 0 && pr != -3) return -1; /* -3: 0, as on the command line */
    while (*end == ' ' || *end == '\t') end++;
    if (*end) return -1;
    *out = v;
    return 0;
}

/* A size in bytes: "1000000", "512KiB", "100MB", "1.5 GiB": a decimal number, then a unit
 * read as the command line's sizes read theirs (tach__opt_size_unit: 1MB is 10^6 bytes,
 * 1M and 1MiB 2^20), blanks around it. */
static int parse_bytes(const char *s, double *out)
{
    char *end;
    double v;
    int pr = tach__opt_parse_real(s, &v, &end); /* decimal: "0x10MB" is no size */
    if (pr != 0 && pr != -3) return -1;         /* -3: 0, as on the command line */
    while (*end == ' ' || *end == '\t') end++;
    size_t n = strcspn(end, " \t");
    for (const char *t = end + n; *t; t++)
        if (*t != ' ' && *t != '\t') return -1;
    uint64_t unit;
    if (tach__opt_size_unit(end, n, &unit) != 0) return -1;
    *out = v * (double)unit;
    return isfinite(*out) ? 0 : -1; /* 1e308T */
}

/* A percentage: "5", "5%", "0.5 %". */
static int parse_percent(const char *s, double *out)
{
    char buf[64];
    size_t n = strlen(s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n + 1);
    while (n && (buf[n - 1] == ' ' || buf[n - 1] == '\t')) buf[--n] = 0;
    if (n && buf[n - 1] == '%') buf[--n] = 0;
    return parse_number(buf, out);
}

/* The glob inside `bench "GLOB"`, or NULL when section is not a bench section. */
static char *bench_pattern(const char *section)
{
    if (strncmp(section, "bench", 5) != 0) return NULL;
    const char *p = section + 5;
    while (*p == ' ' || *p == '\t') p++;
    size_t n = strlen(p);
    if (n < 2 || p[0] != '"' || p[n - 1] != '"') return NULL;
    char *g = tach__malloc(n - 1);
    if (!g) return NULL;
    memcpy(g, p + 1, n - 2);
    g[n - 2] = 0;
    return g;
}

/* 0 when section is one the config knows, else -1 with err naming it. */
static int section_check(const char *section, char *err, size_t size)
{
    if (!strncmp(section, "bench", 5) && strchr(" \t\"", section[5])) {
        char *g = bench_pattern(section);
        if (!g) {
            snprintf(err, size, "bad section [%s] (expected [bench \"GLOB\"])", section);
            return -1;
        }
        tach__free(g);
        return 0;
    }
    if (cli_config_is_suite_section(section) || !strcmp(section, "load") ||
        !strcmp(section, "compare") || !strcmp(section, "gate"))
        return 0;
    snprintf(err, size,
             "unknown section [%s] (known: [compare], [bench \"GLOB\"], [suite], "
             "[module \"NAME\"], [load])", section);
    return -1;
}

static int new_rule(cli_config *c, char *pattern)
{
    tool_rule *nr = tach__realloc(c->rules, (c->nrules + 1) * sizeof *nr);
    if (!nr) return -1;
    c->rules = nr;
    tool_rule *r = &c->rules[c->nrules++];
    memset(r, 0, sizeof *r);
    r->pattern = pattern;
    r->noise = r->critical = NAN;
    return 0;
}

/* A key may be given once per section, however many times the section's header comes
 * (a second value was silently taken over the first); only a module's bench, command and
 * load keys are lists (docs/bench.md).  0, or -1 with st->err naming the key. */
static int check_repeat(parse_state *st, const char *section, const char *name)
{
    if (!strncmp(section, "module", 6) &&
        (!strcmp(name, "bench") || !strcmp(name, "command") || !strcmp(name, "load")))
        return 0;
    for (size_t i = 0; i < st->nseen; i++)
        if (!strcmp(st->seen[i].section, section) && !strcmp(st->seen[i].key, name)) {
            snprintf(st->err, sizeof st->err, "key '%s' given twice in [%s] (first at line %d)", name,
                     section, st->seen[i].line);
            return -1;
        }
    if (TACH__GROW(&st->seen, &st->seen_cap, st->nseen + 1, 16) != 0) goto oom;
    struct seen_key *k = &st->seen[st->nseen];
    k->section = tach__strdup(section);
    k->key = tach__strdup(name);
    k->line = st->line;
    if (!k->section || !k->key) {
        tach__free(k->section);
        tach__free(k->key);
        goto oom;
    }
    st->nseen++;
    return 0;
oom:
    snprintf(st->err, sizeof st->err, "out of memory");
    return -1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse_state *st = user;
    cli_config *c = st->cfg;
    if (st->err[0]) return 0; /* the first error is the one reported, with its line */
    if (!*section) {
        snprintf(st->err, sizeof st->err, "key '%s' before any [SECTION]", name);
        return 0;
    }
    if (!st->section || strcmp(st->section, section) != 0) {
        tach__free(st->section);
        st->section = tach__strdup(section);
        st->rule = -1;
        if (!st->section) return 0;
        if (section_check(section, st->err, sizeof st->err) != 0) return 0;
        if (!strncmp(section, "bench", 5) && strchr(" \t\"", section[5])) {
            char *g = bench_pattern(section);
            if (!g) {
                snprintf(st->err, sizeof st->err, "out of memory");
                return 0;
            }
            if (new_rule(c, g)) {
                tach__free(g);
                return 0;
            }
            st->rule = (int)c->nrules - 1;
        } else if (cli_config_is_suite_section(section)) {
            st->rule = -2;
        } else if (!strcmp(section, "load")) { /* tach load's objectives (docs/load.md) */
            st->rule = -3;
        } /* else [compare] or [gate] (section_check) */
    }
    if (check_repeat(st, section, name) != 0) return 0;
    if (st->rule == -3) {
        tool_slo_list l = {0};
        char serr[TACH__ERR_MAX];
        if (strcmp(name, "slo") != 0) {
            snprintf(st->err, sizeof st->err, "unknown key '%s' in [load] (known: slo)", name);
            return 0;
        }
        int ok = tool_slo_parse(value, &l, serr) == 0;
        tool_slo_list_free(&l);
        if (!ok) {
            snprintf(st->err, sizeof st->err, "[load] slo: %.*s", tach__utf8_prec(serr, 400), serr);
            return 0;
        }
        char *v = tach__strdup(value);
        if (!v) return 0;
        tach__free(c->load_slo);
        c->load_slo = v;
        return 1;
    }
    if (st->rule == -2)
        return cli_config_suite_key(c, section, name, value, st->line, st->err,
                                    sizeof st->err) == 0;
    double v;
    if (st->rule < 0) { /* [compare] or [gate] */
        if (!strcmp(name, "noise") || !strcmp(name, "critical")) {
            if (parse_percent(value, &v) || v < 0) goto bad_value;
            if (!strcmp(name, "noise")) c->noise = v / 100.0;
            else c->critical = v / 100.0;
        } else if (!strcmp(name, "alpha")) {
            if (parse_number(value, &v) || !(v > 0 && v < 1)) goto bad_value;
            c->alpha = v;
        } else if (!strcmp(name, "percentiles")) {
            tool_pct_ask ask[CLI_MAX_PCTS];
            size_t n;
            char why[160];
            if (!*value) goto bad_value; /* empty would read as the default (50,99) */
            if (cli_pct_list_parse(value, ask, &n, why, sizeof why) != 0) {
                snprintf(st->err, sizeof st->err, "bad value for percentiles in [%s]: %s", section, why);
                return 0;
            }
            tach__free(c->percentiles);
            if (!(c->percentiles = tach__strdup(value))) goto bad_value;
        } else {
            snprintf(st->err, sizeof st->err,
                     "unknown key '%s' in [%s] (known: noise, critical, alpha, percentiles)", name, section);
            return 0;
        }
        return 1;
    }
    tool_rule *r = &c->rules[st->rule];
    if (!strcmp(name, "noise") || !strcmp(name, "critical")) {
        if (parse_percent(value, &v) || v < 0) goto bad_value;
        if (!strcmp(name, "noise")) r->noise = v / 100.0;
        else r->critical = v / 100.0;
        return 1;
    }
    if (!strcmp(name, "max_regression_pct")) {
        if (parse_percent(value, &v) || !(v > 0)) goto bad_value;
        r->max_regression_pct = v;
        return 1;
    }
    /* memory targets: sizes may carry a unit ("100MB", "512KiB") */
    static const char *const mem_keys[] = {"max_bytes_per_iter", "max_peak_bytes", "max_rss"};
    double *mem_fields[] = {&r->max_bytes_per_iter, &r->max_peak_bytes, &r->max_rss_bytes};
    for (size_t i = 0; i < sizeof mem_keys / sizeof mem_keys[0]; i++) {
        if (strcmp(name, mem_keys[i]) != 0) continue;
        /* 0 is a target too ("nothing"), kept as TACH_ZERO (tach.h); not for max_rss */
        if (parse_bytes(value, &v) || !(v > 0 || (v == 0 && i < 2))) goto bad_value;
        *mem_fields[i] = v == 0 ? TACH_ZERO : v;
        return 1;
    }
    if (!strcmp(name, "max_allocs_per_iter")) {
        if (parse_number(value, &v) || !(v >= 0)) goto bad_value;
        r->max_allocs_per_iter = v == 0 ? TACH_ZERO : v; /* 0: "allocates nothing" */
        return 1;
    }
    if (!strcmp(name, "complexity")) {
        if (tach__cx_parse(value, &r->complexity) != 0) goto bad_value;
        return 1;
    }
    if (!strcmp(name, "complexity_noise")) {
        if (parse_percent(value, &v) || !(v > 0)) goto bad_value;
        r->complexity_noise = v / 100.0;
        return 1;
    }
    if (!strcmp(name, "min_efficiency")) {
        if (parse_number(value, &v) || !(v > 0 && v <= 1)) goto bad_value;
        r->min_efficiency = v;
        return 1;
    }
    if (!strcmp(name, "max_alpha")) {
        if (parse_number(value, &v) || !(v > 0)) goto bad_value;
        r->max_alpha = v;
        return 1;
    }
    static const char *const keys[] = {"max_mean_ns", "max_median_ns", "max_p99_ns",
                                       "min_bytes_per_sec", "min_items_per_sec"};
    double *fields[] = {&r->max_mean_ns, &r->max_median_ns, &r->max_p99_ns,
                        &r->min_bytes_per_sec, &r->min_items_per_sec};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        if (strcmp(name, keys[i]) != 0) continue;
        if (parse_number(value, &v) || !(v > 0)) goto bad_value;
        *fields[i] = v;
        return 1;
    }
    snprintf(st->err, sizeof st->err,
             "unknown key '%s' in [%s] (known: noise, critical, max_mean_ns, max_median_ns, "
             "max_p99_ns, min_bytes_per_sec, min_items_per_sec, max_regression_pct, complexity, "
             "complexity_noise, min_efficiency, max_alpha, max_allocs_per_iter, max_bytes_per_iter, "
             "max_peak_bytes, max_rss)",
             name, section);
    return 0;
bad_value:
    snprintf(st->err, sizeof st->err, "bad value '%s' for %s in [%s]", value, name, section);
    return 0;
}

/* .tach/config beside the default store: the nearest ancestor holding .tach/. */
char *cli_config_default_path(void)
{
    char err[TACH__ERR_MAX];
    char *db = tool_store_default_path(NULL, err);
    if (!db) return NULL;
    char *slash = strrchr(db, '/');
    const char *leaf = "config";
    size_t dir = slash ? (size_t)(slash - db + 1) : 0;
    char *p = tach__malloc(dir + strlen(leaf) + 1);
    if (p) {
        memcpy(p, db, dir);
        strcpy(p + dir, leaf);
    }
    tach__free(db);
    return p;
}

int cli_config_load(const char *cmd, const char *path, cli_config *out)
{
    memset(out, 0, sizeof *out);
    out->noise = out->critical = out->alpha = NAN;
    out->suite.noise = out->suite.critical = NAN;
    bool explicit_path = path != NULL;
    char *p = explicit_path ? tach__strdup(path) : cli_config_default_path();
    if (!p) return explicit_path ? cli_cmd_error(CLI_FAIL, cmd, "out of memory") : CLI_OK;
    struct stat sb;
    if (stat(p, &sb) != 0) {
        int e = errno;
        if (!explicit_path && e == ENOENT) {
            tach__free(p);
            return CLI_OK; /* no config: defaults */
        }
        cli_cmd_error(CLI_USAGE, cmd, "cannot read config %s: %s", p, strerror(e));
        tach__free(p);
        return CLI_USAGE;
    }
    /* Read by tach's one file reader: a regular file within the input limit (a FIFO
     * or a device named as the config is refused, not read for ever). */
    char rerr[TACH__ERR_MAX];
    char *text = tach__read_file(p, NULL, rerr);
    if (!text) {
        cli_cmd_error(CLI_USAGE, cmd, "cannot read config: %s", rerr);
        tach__free(p);
        return CLI_USAGE;
    }
    parse_state st = {.cfg = out, .path = p, .rule = -1, .text = text};
    int rc = ini_parse_stream(read_line, &st, handler, &st);
    if (rc == 0 && st.err_line) rc = st.err_line;
    if (rc == 0 && cli_config_suite_finish(out, &rc, st.err, sizeof st.err) == 0) rc = 0;
    tach__free(text);
    tach__free(st.section);
    for (size_t i = 0; i < st.nseen; i++) {
        tach__free(st.seen[i].section);
        tach__free(st.seen[i].key);
    }
    tach__free(st.seen);
    if (rc != 0) {
        if (rc < 0) cli_cmd_error(CLI_USAGE, cmd, "cannot read config %s", p);
        else cli_cmd_error(CLI_USAGE, cmd, "%s:%d: %s", p, rc, st.err[0] ? st.err : "syntax error");
        tach__free(p);
        cli_config_free(out);
        return CLI_USAGE;
    }
    out->path = p;
    return CLI_OK;
}

void cli_config_free(cli_config *c)
{
    if (!c) return;
    for (size_t i = 0; i < c->nrules; i++) tach__free(c->rules[i].pattern);
    tach__free(c->rules);
    tach__free(c->path);
    tach__free(c->load_slo);
    tach__free(c->percentiles);
    cli_config_suite_free(c);
    memset(c, 0, sizeof *c);
    c->noise = c->critical = c->alpha = NAN;
    c->suite.noise = c->suite.critical = NAN;
}

/*
 * config_suite.c - the sections of .tach/config that declare a suite for `tach bench`:
 *
 *     [module "crypto"]
 *     bench = build/bench/crypto        ; a libtach benchmark binary (repeatable)
 *     command = ./tool --selftest       ; a command timed like tach run (repeatable)
 *     load = ./build/bench/server api:70 admin:30 --rate 500/s --duration 30s
 *     criteria = throughput latency memory
 *     [suite]
 *     baseline = main
 *     noise = 5
 *     critical = 10
 *     report = PERFORMANCE_REPORT.md
 *
 * Only the shape is checked here (every command reads the config); that the paths
 * exist, and that bench items are libtach binaries, is checked by `tach bench` before
 * it runs anything (cli/bench_plan.c).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_suite.h"
#include "options.h"
#include "tach_internal.h"

static const char *const crit_names[] = {"throughput", "latency", "memory", "cpu",
                                         "scalability"};

unsigned cli_criterion_bit(const char *name)
{
    for (size_t i = 0; i < sizeof crit_names / sizeof *crit_names; i++)
        if (!strcmp(name, crit_names[i])) return 1u << i;
    return 0;
}

const char *cli_criterion_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof crit_names / sizeof *crit_names; i++)
        if (bit == 1u << i) return crit_names[i];
    return "?";
}

int cli_criteria_parse(const char *list, unsigned *bits, char *err, size_t size)
{
    unsigned b = 0;
    const char *p = list;
    bool after_comma = false; /* an item is due: "a,,b", ",a" and "a," have an empty one */
    for (;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (*p == ',' || (!*p && after_comma)) {
            snprintf(err, size, "an empty item in the list (give criteria like throughput,latency)");
            return -1;
        }
        if (!*p) break;
        size_t n = strcspn(p, " \t,");
        char word[32];
        if (n >= sizeof word) n = sizeof word - 1;
        memcpy(word, p, n);
        word[n] = 0;
        unsigned bit = cli_criterion_bit(word);
        if (!bit) {
            snprintf(err, size, "unknown criterion '%s' (known: throughput, latency, memory, "
                                "cpu, scalability)", word);
            return -1;
        }
        if (b & bit) { /* said, as --counters says a counter twice, not dropped */
            snprintf(err, size, "criterion '%s' is given twice", word);
            return -1;
        }
        b |= bit;
        p += strcspn(p, " \t,");
        while (*p == ' ' || *p == '\t') p++;
        after_comma = *p == ',';
        if (after_comma) p++;
    }
    if (!b) {
        snprintf(err, size, "no criterion given (throughput, latency, memory, cpu, scalability)");
        return -1;
    }
    *bits = b;
    return 0;
}

int cli_config_is_suite_section(const char *section)
{
    if (!strcmp(section, "suite")) return 1;
    return !strncmp(section, "module", 6) && strchr(" \t\"", section[6]) && section[6];
}

/* The NAME of `module "NAME"` (malloc'd), or NULL when it is not that shape. */
static char *module_name(const char *s, size_t len)
{
    if (len < 6 || strncmp(s, "module", 6) != 0) return NULL;
    size_t i = 6;
    while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    if (len - i < 3 || s[i] != '"' || s[len - 1] != '"') return NULL;
    size_t n = len - i - 2;
    for (size_t k = 0; k < n; k++) {
        char ch = s[i + 1 + k];
        if (!(ch == '-' || ch == '_' || ch == '.' || (ch >= '0' && ch <= '9') ||
              (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')))
            return NULL;
    }
    char *name = tach__malloc(n + 1);
    if (!name) return NULL;
    memcpy(name, s + i + 1, n);
    name[n] = 0;
    return name;
}

static cli_module *find_module(cli_config *c, const char *name)
{
    for (size_t i = 0; i < c->nmodules; i++)
        if (!strcmp(c->modules[i].name, name)) return &c->modules[i];
    return NULL;
}

int cli_config_suite_header(cli_config *c, const char *line, int lineno, char *err, size_t size)
{
    if (*line != '[') return 0;
    const char *end = strchr(line, ']');
    if (!end) return 0; /* inih reports it */
    const char *s = line + 1;
    size_t len = (size_t)(end - s);
    if (len < 6 || strncmp(s, "module", 6) != 0 || !strchr(" \t\"", s[6])) return 0;
    char *name = module_name(s, len);
    if (!name) {
        snprintf(err, size, "bad section [%.*s] (expected [module \"NAME\"], NAME of letters, "
                            "digits, '-', '_' and '.')", (int)len, s);
        return -1;
    }
    if (find_module(c, name)) {
        snprintf(err, size, "module \"%s\" declared twice", name);
        tach__free(name);
        return -1;
    }
    cli_module *nm = tach__realloc(c->modules, (c->nmodules + 1) * sizeof *nm);
    if (!nm) {
        tach__free(name);
        snprintf(err, size, "out of memory");
        return -1;
    }
    c->modules = nm;
    cli_module *m = &c->modules[c->nmodules++];
    memset(m, 0, sizeof *m);
    m->name = name;
    m->line = lineno;
    return 0;
}

static int add_item(cli_config_item **v, size_t *n, const char *text, int lineno)
{
    cli_config_item *nv = tach__realloc(*v, (*n + 1) * sizeof **v);
    if (!nv) return -1;
    *v = nv;
    char *t = tach__strdup(text), *shown = tach__redact_arg(NULL, text);
    if (!t || !shown) {
        tach__free(t);
        tach__free(shown);
        return -1;
    }
    nv[*n].text = t;
    nv[*n].shown = shown;
    nv[*n].line = lineno;
    (*n)++;
    return 0;
}

static int parse_pct(const char *s, double *out)
{
    char *end;
    double v;
    int pr = tach__opt_parse_real(s, &v, &end); /* decimal, as on the command line */
    if (pr != 0 && pr != -3) return -1;         /* -3: 0, as there */
    while (*end == ' ' || *end == '\t') end++;
    if (*end == '%') end++;
    while (*end == ' ' || *end == '\t') end++;
    if (*end || v < 0) return -1;
    *out = v / 100.0;
    return 0;
}

static int suite_key(cli_config *c, const char *name, const char *value, char *err, size_t size)
{
    cli_suite *su = &c->suite;
    if (!strcmp(name, "noise") || !strcmp(name, "critical")) {
        double v;
        /* the range --noise and --critical take: 0% (every change a regression) and
         * beyond 1000% are refused there */
        if (parse_pct(value, &v) || !(v > 0) || v > 10) {
            snprintf(err, size, "bad value '%s' for %s in [suite] (a percentage above 0%% and "
                                "at most 1000%%, as --%s)", value, name, name);
            return -1;
        }
        if (!strcmp(name, "noise")) su->noise = v;
        else su->critical = v;
        return 0;
    }
    char **slot = !strcmp(name, "baseline") ? &su->baseline
                  : !strcmp(name, "report") ? &su->report : NULL;
    if (!slot) {
        snprintf(err, size, "unknown key '%s' in [suite] (known: baseline, noise, critical, "
                            "report)", name);
        return -1;
    }
    if (!*value) {
        snprintf(err, size, "empty value for %s in [suite]", name);
        return -1;
    }
    char *v = tach__strdup(value);
    if (!v) return -1;
    tach__free(*slot);
    *slot = v;
    return 0;
}

int cli_config_suite_key(cli_config *c, const char *section, const char *name,
                         const char *value, int lineno, char *err, size_t size)
{
    if (!strcmp(section, "suite")) return suite_key(c, name, value, err, size);
    char *mname = module_name(section, strlen(section));
    cli_module *m = mname ? find_module(c, mname) : NULL;
    tach__free(mname);
    if (!m) {
        snprintf(err, size, "bad section [%s] (expected [module \"NAME\"])", section);
        return -1;
    }
    if (strcmp(name, "bench") && strcmp(name, "command") && strcmp(name, "load") &&
        strcmp(name, "criteria")) {
        snprintf(err, size, "unknown key '%s' in [%s] (known: bench, command, load, criteria)",
                 name, section);
        return -1;
    }
    if (!*value) {
        snprintf(err, size, "empty value for %s in [%s]", name, section);
        return -1;
    }
    int rc = 0;
    if (!strcmp(name, "bench")) rc = add_item(&m->bench, &m->nbench, value, lineno);
    else if (!strcmp(name, "command")) rc = add_item(&m->command, &m->ncommand, value, lineno);
    else if (!strcmp(name, "load")) rc = add_item(&m->load, &m->nload, value, lineno);
    else {
        char e[200];
        if (cli_criteria_parse(value, &m->criteria, e, sizeof e)) {
            snprintf(err, size, "%s in [%s]", e, section);
            return -1;
        }
        m->criteria_line = lineno;
    }
    if (rc) snprintf(err, size, "out of memory");
    return rc;
}

int cli_config_suite_finish(const cli_config *c, int *line, char *err, size_t size)
{
    for (size_t i = 0; i < c->nmodules; i++) {
        const cli_module *m = &c->modules[i];
        if (m->nbench + m->ncommand + m->nload == 0) {
            *line = m->line;
            snprintf(err, size, "module \"%s\" has nothing to run (give it a bench, command "
                                "or load key)", m->name);
            return -1;
        }
    }
    return 0;
}

static void items_free(cli_config_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tach__free(v[i].text);
        tach__free(v[i].shown);
    }
    tach__free(v);
}

void cli_config_suite_free(cli_config *c)
{
    for (size_t i = 0; i < c->nmodules; i++) {
        cli_module *m = &c->modules[i];
        tach__free(m->name);
        items_free(m->bench, m->nbench);
        items_free(m->command, m->ncommand);
        items_free(m->load, m->nload);
    }
    tach__free(c->modules);
    tach__free(c->suite.baseline);
    tach__free(c->suite.report);
    c->modules = NULL;
    c->nmodules = 0;
    memset(&c->suite, 0, sizeof c->suite);
    c->suite.noise = c->suite.critical = NAN;
}

/*
 * run_command.c - from the command line to argv vectors for `tach run`: word
 * splitting without a shell, {NAME} parameter substitution, --param scans, PATH lookup.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "run.h"

static bool valid_name(const char *s, size_t n)
{
    if (n == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 1; i < n; i++) {
        char c = s[i];
        if (!(c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
              (c >= 'a' && c <= 'z')))
            return false;
    }
    return true;
}

/* A scan's numbers stay within the integers a double holds exactly (2^53): beyond, 2^53
 * and 2^53 + 1 were one value, and a number past a long long was run as its minimum. */
#define CLI_PARAM_MAX_ABS ((double)TACH__EXACT_INT_MAX)

/* Parses a whole string as a finite decimal number (as written: no hex, blank, inf or nan,
 * which strtod would take); *decimals gets the digits after '.', and *integer whether it
 * has neither '.' nor an exponent. */
static bool parse_number(const char *s, double *v, int *decimals, bool *integer)
{
    if (!*s || s[strspn(s, "0123456789+-.eE")]) return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (*end || errno || !isfinite(*v)) return false;
    const char *dot = strchr(s, '.');
    *integer = !dot && !strpbrk(s, "eE");
    *decimals = 0;
    if (dot) {
        for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++) (*decimals)++;
    }
    return true;
}

/* Whether a bound is within +-2^53 as written: past it, a double rounds it (2^53 + 1 was
 * read as 2^53, so the scan 2^53:2^53+1 lost its last value without a word). */
static bool within_max_abs(const char *s, double v)
{
    if (fabs(v) < CLI_PARAM_MAX_ABS) return true;
    if (fabs(v) > CLI_PARAM_MAX_ABS) return false;
    /* exactly 2^53 as a double: only the integer 2^53 itself (any other text rounded to it) */
    const char *d = s + (*s == '+' || *s == '-');
    while (*d == '0' && d[1]) d++;
    return !strcmp(d, "9007199254740992");
}

static int cmp_value(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 0 when the axis has no value twice (each would be a second result of one command,
 * named "#2"), else -1 with err naming the value. */
static int values_unique(const cli_param_axis *a, const char *spec, bool scan, char *err)
{
    if (a->nvalues < 2) return 0;
    char **v = tach__malloc(a->nvalues * sizeof *v);
    if (!v) return tach__err(err, "out of memory");
    memcpy(v, a->values, a->nvalues * sizeof *v);
    qsort(v, a->nvalues, sizeof *v, cmp_value);
    int rc = 0;
    for (size_t i = 1; i < a->nvalues && rc == 0; i++)
        if (!strcmp(v[i - 1], v[i]))
            rc = tach__err(err, "--param '%s': the value '%s' is given twice%s", spec, v[i],
                           scan ? " (write the step with as many decimals as the values need)" : "");
    tach__free(v);
    return rc;
}

static int add_value(cli_param_axis *a, const char *s, size_t n)
{
    char **v = tach__realloc(a->values, (a->nvalues + 1) * sizeof *v);
    if (!v) return -1;
    a->values = v;
    v[a->nvalues] = tach__malloc(n + 1);
    if (!v[a->nvalues]) return -1;
    memcpy(v[a->nvalues], s, n);
    v[a->nvalues][n] = '\0';
    a->nvalues++;
    return 0;
}

int cli_param_parse(const char *spec, cli_param_axis *out, char *err)
{
    return cli_param_parse_as(spec, false, out, err);
}

int cli_param_parse_as(const char *spec, bool list_only, cli_param_axis *out, char *err)
{
    memset(out, 0, sizeof *out);
    const char *eq = strchr(spec, '=');
    if (!eq || !valid_name(spec, (size_t)(eq - spec)))
        return tach__err(err, "--param '%s': expected NAME=a,b,c or NAME=lo:hi[:step]", spec);
    out->name = strndup(spec, (size_t)(eq - spec));
    const char *vals = eq + 1;
    if (!*vals) {
        cli_param_free(out);
        return tach__err(err, "--param '%s': the list of values is empty", spec);
    }
    if (!list_only && strchr(vals, ':') && !strchr(vals, ',')) {
        char parts[3][64];
        int np = 0;
        const char *p = vals;
        while (np < 3) {
            const char *c = strchr(p, ':');
            size_t n = c ? (size_t)(c - p) : strlen(p);
            if (n >= sizeof parts[0]) { /* cut short, it would be another number */
                cli_param_free(out);
                return tach__err(err, "--param '%s': '%s' is not a range of numbers lo:hi[:step]", spec, vals);
            }
            memcpy(parts[np], p, n);
            parts[np][n] = '\0';
            np++;
            if (!c) break;
            p = c + 1;
            if (np == 3) {
                cli_param_free(out);
                return tach__err(err, "--param '%s': expected lo:hi or lo:hi:step", spec);
            }
        }
        double lo, hi, step = 1;
        int dlo, dhi, dstep = 0;
        bool ilo, ihi, istep = true;
        if (np < 2 || !parse_number(parts[0], &lo, &dlo, &ilo) ||
            !parse_number(parts[1], &hi, &dhi, &ihi) ||
            (np == 3 && !parse_number(parts[2], &step, &dstep, &istep))) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': '%s' is not a range of numbers lo:hi[:step]", spec, vals);
        }
        if (np == 2 && !(ilo && ihi)) {
            /* the default step 1 would turn 0.01:0.03 into one value without a word */
            cli_param_free(out);
            return tach__err(err, "--param '%s': a range of decimals needs a step (lo:hi:step, "
                             "e.g. %s:%s:0.01)", spec, parts[0], parts[1]);
        }
        if (!(step > 0)) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': the step must be positive", spec);
        }
        if (lo > hi) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': the range is empty (%s > %s)", spec, parts[0], parts[1]);
        }
        if (!within_max_abs(parts[0], lo) || !within_max_abs(parts[1], hi) ||
            (np == 3 && !within_max_abs(parts[2], step))) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': a scan's numbers must be within +-%.0f (2^53); "
                             "list large values instead (NAME=a,b,c)", spec, CLI_PARAM_MAX_ABS);
        }
        double count = floor((hi - lo) / step + 1e-9) + 1;
        if (count > CLI_PARAM_MAX_VALUES) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': the range has %.0f values (at most %d)", spec,
                             count, CLI_PARAM_MAX_VALUES);
        }
        int decimals = dlo > dstep ? dlo : dstep;
        bool integer = ilo && ihi && istep;
        for (size_t k = 0; k < (size_t)count; k++) {
            char buf[128]; /* 2^53 with 62 decimals fits */
            double v = lo + (double)k * step;
            if (integer)
                snprintf(buf, sizeof buf, "%lld", (long long)llround(v));
            else
                snprintf(buf, sizeof buf, "%.*f", decimals, v);
            if (add_value(out, buf, strlen(buf)) != 0) {
                cli_param_free(out);
                return tach__err(err, "out of memory");
            }
        }
        if (values_unique(out, spec, true, err) != 0) {
            cli_param_free(out);
            return -1;
        }
        return 0;
    }
    const char *p = vals;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if (n == 0) {
            cli_param_free(out);
            return tach__err(err, "--param '%s': an empty value in the list", spec);
        }
        if (add_value(out, p, n) != 0) {
            cli_param_free(out);
            return tach__err(err, "out of memory");
        }
        if (!c) break;
        p = c + 1;
    }
    if (values_unique(out, spec, false, err) != 0) {
        cli_param_free(out);
        return -1;
    }
    return 0;
}

void cli_param_free(cli_param_axis *a)
{
    if (!a) return;
    for (size_t i = 0; i < a->nvalues; i++) tach__free(a->values[i]);
    tach__free(a->values);
    tach__free(a->name);
    memset(a, 0, sizeof *a);
}

/* Whether a value can stand in a shell command as it is (one word, nothing expanded). */
static bool shell_plain(const char *v)
{
    if (!*v) return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("_./:=+,%@-", *p)) return false;
    return true;
}

/* v as one shell word: as it is when plain, else in single quotes ('\'' for a '). */
static void put_shell_word(tach__buf *b, const char *v)
{
    if (shell_plain(v)) {
        tach__buf_puts(b, v);
        return;
    }
    tach__buf_put(b, "'", 1);
    for (const char *p = v; *p; p++) {
        if (*p == '\'') tach__buf_puts(b, "'\\''");
        else tach__buf_put(b, p, 1);
    }
    tach__buf_put(b, "'", 1);
}

static char *substitute(const char *text, const cli_param_axis *axes, size_t naxes,
                        const size_t *idx, bool for_shell);

char *cli_param_substitute(const char *text, const cli_param_axis *axes, size_t naxes,
                           const size_t *idx)
{
    return substitute(text, axes, naxes, idx, false);
}

char *cli_param_substitute_sh(const char *text, const cli_param_axis *axes, size_t naxes,
                              const size_t *idx)
{
    return substitute(text, axes, naxes, idx, true);
}

static char *substitute(const char *text, const cli_param_axis *axes, size_t naxes,
                        const size_t *idx, bool for_shell)
{
    tach__buf b = {0};
    const char *p = text;
    while (*p) {
        if (*p == '{') {
            const char *close = strchr(p + 1, '}');
            if (close) {
                size_t n = (size_t)(close - p - 1);
                size_t i;
                for (i = 0; i < naxes; i++)
                    if (strlen(axes[i].name) == n && !memcmp(axes[i].name, p + 1, n)) break;
                if (i < naxes) {
                    if (for_shell) put_shell_word(&b, axes[i].values[idx[i]]);
                    else tach__buf_puts(&b, axes[i].values[idx[i]]);
                    p = close + 1;
                    continue;
                }
            }
        }
        tach__buf_put(&b, p, 1);
        p++;
    }
    return tach__buf_take(&b);
}

void cli_words_free(char **argv)
{
    if (!argv) return;
    for (char **a = argv; *a; a++) tach__free(*a);
    tach__free(argv);
}

static int push_word(char ***argv, size_t *argc, tach__buf *w)
{
    char **v = tach__realloc(*argv, (*argc + 2) * sizeof *v);
    if (!v) return -1;
    *argv = v;
    v[*argc] = tach__buf_take(w);
    if (!v[*argc]) return -1;
    v[++*argc] = NULL;
    return 0;
}

/* cli_words_split's error: "command 'CMD'..." with CMD's passwords hidden (tach__redact),
 * as a command's words are everywhere they are shown. */
static int words_err(char *err, const char *cmd, const char *fmt, char c)
{
    char *shown = tach__redact(cmd);
    if (!shown) return tach__err(err, "out of memory");
    int rc = tach__err(err, fmt, shown, c);
    tach__free(shown);
    return rc;
}

/* Whether a ']' follows in the word that p is in (up to a blank or the end). */
static bool bracket_closes(const char *p)
{
    for (; *p && *p != ' ' && *p != '\t' && *p != '\n'; p++)
        if (*p == ']') return true;
    return false;
}

/* The word being split: its text, and the same text as a glob(3) pattern in which
 * only the unquoted '*', '?' and '[' are special (quoted ones escaped). */
typedef struct split_word {
    tach__buf text, pat;
    bool in;      /* a word is open */
    char globbed; /* its first unquoted glob character, or 0 */
} split_word;

static void word_lit(split_word *w, const char *s, size_t n)
{
    tach__buf_put(&w->text, s, n);
    for (size_t i = 0; i < n; i++) {
        if (strchr("*?[\\", s[i])) tach__buf_put(&w->pat, "\\", 1);
        tach__buf_put(&w->pat, s + i, 1);
    }
    if (!w->text.p) tach__buf_put(&w->text, "", 0); /* '' is a word */
    w->in = true;
}

static void word_free(split_word *w)
{
    tach__buf_free(&w->text);
    tach__buf_free(&w->pat);
}

/* Whether the word's pattern names files: a shell would give their names, not the word. */
static bool word_expands(split_word *w)
{
    if (!w->globbed) return false;
    char *pat = tach__buf_take(&w->pat);
    if (!pat) return false;
    glob_t g;
    memset(&g, 0, sizeof g);
    bool hit = glob(pat, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
    globfree(&g);
    tach__free(pat);
    return hit;
}

int cli_words_split(const char *cmd, char ***argv_out, size_t *argc_out, char *err)
{
    char **argv = NULL;
    size_t argc = 0;
    split_word w;
    memset(&w, 0, sizeof w);
    const char *p = cmd;
    for (;;) {
        char c = *p;
        if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
            if (w.in) {
                /* '*', '?' and a bracket a shell expands when they name files (a word
                 * matching none is passed as it is, as a shell does: a URL's '?') */
                if (word_expands(&w)) {
                    word_free(&w);
                    cli_words_free(argv);
                    return words_err(err, cmd, "command '%s' uses a file name pattern that names files "
                                               "('%c'): run it through a shell (sh -c '...'; tach run: "
                                               "--shell), or quote it", w.globbed);
                }
                if (push_word(&argv, &argc, &w.text) != 0) goto oom;
                tach__buf_free(&w.pat);
                w.in = false;
                w.globbed = 0;
            }
            if (!c) break;
            p++;
            continue;
        }
        if (c == '\'') {
            const char *e = strchr(p + 1, '\'');
            if (!e) {
                word_free(&w);
                cli_words_free(argv);
                return words_err(err, cmd, "command '%s': unterminated %c quote", '\'');
            }
            word_lit(&w, p + 1, (size_t)(e - p - 1));
            p = e + 1;
            continue;
        }
        if (c == '"') {
            p++;
            word_lit(&w, "", 0);
            while (*p && *p != '"') {
                if (*p == '\\' && (p[1] == '"' || p[1] == '\\' || p[1] == '$' || p[1] == '`')) p++;
                word_lit(&w, p, 1);
                p++;
            }
            if (*p != '"') {
                word_free(&w);
                cli_words_free(argv);
                return words_err(err, cmd, "command '%s': unterminated %c quote", '"');
            }
            p++;
            continue;
        }
        if (c == '\\' && p[1]) {
            word_lit(&w, p + 1, 1);
            p += 2;
            continue;
        }
        if (strchr("|&;<>`$", c) || (c == '~' && !w.in)) {
            word_free(&w);
            cli_words_free(argv);
            return words_err(err, cmd, "command '%s' uses shell syntax ('%c'): run it through a shell "
                                       "(sh -c '...'; tach run: --shell), or quote it", c);
        }
        if (c == '*' || c == '?' || (c == '[' && bracket_closes(p + 1))) {
            /* unquoted: special in the pattern; the first one is the one named */
            tach__buf_put(&w.text, p, 1);
            tach__buf_put(&w.pat, p, 1);
            if (!w.globbed) w.globbed = c;
            w.in = true;
            p++;
            continue;
        }
        word_lit(&w, p, 1);
        p++;
    }
    if (w.text.oom || w.pat.oom) goto oom;
    word_free(&w);
    if (argc == 0) {
        cli_words_free(argv);
        return tach__err(err, "the command '%s' is empty", cmd); /* blanks: nothing to hide */
    }
    *argv_out = argv;
    if (argc_out) *argc_out = argc;
    return 0;
oom:
    word_free(&w);
    cli_words_free(argv);
    return tach__err(err, "out of memory");
}

char *cli_words_join(char *const argv[])
{
    tach__buf b = {0};
    for (size_t i = 0; argv[i]; i++) {
        const char *a = argv[i];
        if (i) tach__buf_put(&b, " ", 1);
        bool plain = *a != '\0';
        for (const char *q = a; *q; q++)
            if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+./=:,@%^", *q))
                plain = false;
        if (plain) {
            tach__buf_puts(&b, a);
            continue;
        }
        tach__buf_put(&b, "'", 1);
        for (const char *q = a; *q; q++) {
            if (*q == '\'')
                tach__buf_puts(&b, "'\\''");
            else
                tach__buf_put(&b, q, 1);
        }
        tach__buf_put(&b, "'", 1);
    }
    return tach__buf_take(&b);
}

char *cli_words_shown(char *const argv[])
{
    size_t n = 0;
    while (argv[n]) n++;
    char **red = tach__calloc(n + 1, sizeof *red);
    if (!red) return NULL;
    char *joined = NULL;
    size_t i;
    for (i = 0; i < n; i++)
        if (!(red[i] = tach__redact_arg(i ? argv[i - 1] : NULL, argv[i]))) break;
    if (i == n) joined = cli_words_join(red);
    cli_words_free(red);
    return joined;
}

/* err = "command 'WORD'" then what: WORD, the program as the user gave it, shown as a
 * command's words are everywhere (tach__redact_arg: a URL's password hidden) and made
 * safe for a terminal (tach__terminal_safe: an ESC or a newline in a name).  -1. */
static int command_err(char *err, const char *word, const char *what)
{
    char *shown = tach__redact_arg(NULL, word);
    if (!shown) return tach__err(err, "out of memory");
    tach__terminal_safe(shown, false);
    int rc = tach__err(err, "command '%s'%s", shown, what);
    tach__free(shown);
    return rc;
}

static int check_file(const char *path, char *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT) return command_err(err, path, " not found");
        char why[128];
        snprintf(why, sizeof why, ": %s", strerror(errno));
        return command_err(err, path, why);
    }
    if (S_ISDIR(st.st_mode)) return command_err(err, path, " is a directory, not a program");
    if (access(path, X_OK) != 0) return command_err(err, path, " is not executable");
    return 0;
}

char *cli_find_executable(const char *argv0, char *err)
{
    if (!*argv0) {
        tach__err(err, "the command is empty");
        return NULL;
    }
    if (strchr(argv0, '/')) {
        if (check_file(argv0, err) != 0) return NULL;
        return tach__strdup(argv0);
    }
    const char *path = getenv("PATH");
    if (!path || !*path) path = "/usr/local/bin:/usr/bin:/bin";
    bool seen_not_exec = false;
    const char *p = path;
    for (;;) {
        const char *c = strchr(p, ':');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        char *cand;
        if (n == 0)
            cand = tach__strdup(argv0);
        else if (asprintf(&cand, "%.*s/%s", (int)n, p, argv0) < 0)
            cand = NULL;
        if (cand) {
            struct stat st;
            if (stat(cand, &st) == 0 && !S_ISDIR(st.st_mode)) {
                if (access(cand, X_OK) == 0) return cand;
                seen_not_exec = true;
            }
            tach__free(cand);
        }
        if (!c) break;
        p = c + 1;
    }
    command_err(err, argv0, seen_not_exec ? " is not executable" : " not found (searched $PATH)");
    return NULL;
}

/* cli_util.c - what every subcommand shares: the one-line messages, option values,
 * colour.  (Apart from main.c so that the unit tests, which link libtach_cli.a, have
 * them too.) */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

/* Prints "tach[ CMD]: " + the message + newline to stderr.  A message may quote a
 * benchmark's name, a file's contents or a server's answer: its control characters are
 * made harmless (tach__terminal_safe) before they reach a terminal. */
static void say(const char *cmd, const char *fmt, va_list ap)
{
    tach__buf b = {0};
    tach__buf_vprintf(&b, fmt, ap);
    char *msg = tach__buf_take(&b);
    tach__terminal_safe(msg, true);
    if (cmd)
        fprintf(stderr, "tach %s: %s\n", cmd, msg ? msg : "out of memory");
    else
        fprintf(stderr, "tach: %s\n", msg ? msg : "out of memory");
    tach__free(msg);
}

const char *cli_term(const char *s)
{
    static char *ring[8];
    static unsigned next;
    if (!s) return s;
    char *copy = tach__strdup(s);
    if (!copy) return "?";
    tach__terminal_safe(copy, false);
    if (!strcmp(copy, s)) {
        tach__free(copy);
        return s;
    }
    unsigned k = next++ % 8;
    tach__free(ring[k]);
    ring[k] = copy;
    return copy;
}

int cli_check_link_url(const char *opt, const char *v)
{
    if (!strncasecmp(v, "http://", 7) || !strncasecmp(v, "https://", 8)) {
        bool ok = true; /* no space or control inside: it is written into an attribute */
        for (const unsigned char *p = (const unsigned char *)v; *p; p++)
            if (*p <= ' ' || *p == 0x7f || *p == '"' || *p == '<' || *p == '>') ok = false;
        if (ok) return CLI_OK;
    }
    return cli_usage_error("invalid value '%s' for %s: expected an http:// or https:// URL", v, opt);
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(cmd, fmt, ap);
    va_end(ap);
    return CLI_USAGE;
}

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(NULL, fmt, ap);
    va_end(ap);
    return code;
}

int cli_option_value(int argc, char **argv, int *i, const char *const *known, size_t nknown,
                     const char *cmd, char *flag, size_t size, const char **val)
{
    const char *arg = argv[*i], *eq = strchr(arg, '=');
    *val = NULL;
    if (eq && (size_t)(eq - arg) < size) {
        memcpy(flag, arg, (size_t)(eq - arg));
        flag[eq - arg] = 0;
        *val = eq + 1;
    } else {
        snprintf(flag, size, "%s", arg);
    }
    bool ok = false;
    for (size_t k = 0; k < nknown && !ok; k++) ok = !strcmp(flag, known[k]);
    if (!ok) {
        const char *best = tach__opt_suggest(flag, (const char *const *)known, nknown);
        if (best) return cli_usage_error("unknown option '%s' (did you mean %s?)", arg, best);
        return cli_usage_error("unknown option '%s' (see 'tach %s --help')", arg, cmd);
    }
    if (!*val) {
        if (*i + 1 >= argc) return cli_usage_error("%s needs a value", flag);
        *val = argv[++*i];
    }
    return CLI_OK;
}

int cli_parse_real(const char *s, unsigned flags, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    double scale = 1;
    if (end != s && (flags & CLI_NUM_PERCENT) && *end == '%') {
        end++;
    } else if (end != s && (flags & CLI_NUM_SECONDS)) {
        if (!strcmp(end, "s")) end += 1;
        else if (!strcmp(end, "ms")) scale = 1e-3, end += 2;
        else if (!strcmp(end, "us")) scale = 1e-6, end += 2;
    }
    v *= scale;
    if (end == s || *end || errno || !isfinite(v) || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

int cli_parse_count(const char *s, unsigned long long lo, unsigned long long hi,
                    unsigned long long *out)
{
    if (!isdigit((unsigned char)*s)) return -1; /* also refuses "", "-1", " 1" */
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

bool cli_use_color(FILE *f)
{
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    return isatty(fileno(f));
}

int cli_opt_parse(const char *cmd, const tach__opt *table, size_t n, void *base, int argc,
                  char **argv, tach__opt_result *res)
{
    char err[TACH__ERR_MAX];
    if (tach__opt_parse(table, n, base, argc, argv, 1, res, err) == 0) return CLI_OK;
    tach__opt_result_free(res);
    size_t len = strlen(err);
    static const char tail[] = "(see --help)";
    if (len >= sizeof tail - 1 && !strcmp(err + len - (sizeof tail - 1), tail))
        return cli_cmd_usage_error(cmd, "%.*s(see 'tach %s --help')",
                                   (int)(len - (sizeof tail - 1)), err, cmd);
    return cli_cmd_usage_error(cmd, "%s", err);
}

void cli_opt_help(FILE *f, const tach__opt *table, size_t n)
{
    tach__buf b = {0};
    tach__opt_help(table, n, &b);
    char *text = tach__buf_take(&b);
    if (text) fputs(text, f);
    tach__free(text);
}

char **cli_argv_split_eq(int argc, char **argv, int *nargc)
{
    size_t extra = 0, bytes = 0;
    bool opts = true;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) opts = false;
        if (opts && i > 0 && !strncmp(argv[i], "--", 2) && strchr(argv[i], '=')) {
            extra++;
            bytes += strlen(argv[i]) + 1;
        }
    }
    /* one block: the pointers, then the split names and values */
    char **v = tach__malloc(((size_t)argc + extra + 1) * sizeof *v + bytes);
    if (!v) return NULL;
    char *text = (char *)(v + argc + extra + 1);
    int n = 0;
    opts = true;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--")) opts = false;
        const char *eq = strchr(argv[i], '=');
        if (opts && i > 0 && !strncmp(argv[i], "--", 2) && eq) {
            size_t len = strlen(argv[i]);
            memcpy(text, argv[i], len + 1);
            text[eq - argv[i]] = '\0';
            v[n++] = text;
            v[n++] = text + (eq - argv[i]) + 1;
            text += len + 1;
        } else {
            v[n++] = argv[i];
        }
    }
    v[n] = NULL;
    *nargc = n;
    return v;
}

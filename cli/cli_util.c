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
#include <unistd.h>

#include "cli.h"
#include "options.h"

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tach: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_USAGE;
}

int cli_cmd_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tach %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return CLI_USAGE;
}

int cli_error(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("tach: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return code;
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

int cli_opt_read(const char *cmd, const tach__opt *table, size_t n, void *base, int argc,
                 char **argv, tach__opt_result *res, const bool *help, cli_usage_fn usage)
{
    int rc = cli_opt_parse(cmd, table, n, base, argc, argv, res);
    if (rc != CLI_OK) return rc;
    if (help && *help) {
        tach__opt_result_free(res);
        usage(stdout);
        return -1;
    }
    return CLI_OK;
}

void cli_opt_usage(FILE *f, const char *head, const tach__opt *table, size_t n,
                   const char *tail)
{
    fputs(head, f);
    fputs("options (--opt VALUE or --opt=VALUE):\n", f);
    cli_opt_help(f, table, n);
    if (tail) {
        fputc('\n', f);
        fputs(tail, f);
    }
}

/* main.c - the tach tool: dispatches to one subcommand per file (cli/cmd_*.c). */
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
#include "tach.h"
#include "tach_internal.h"

typedef struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_command;

static const cli_command commands[] = {
#define TACH_CMD(name, summary) {#name, cli_cmd_##name, summary},
#include "commands.def"
#undef TACH_CMD
    {NULL, NULL, NULL}};

/* Where the guide is: the installed docs (make install puts them in share/doc/tach), or
 * the source tree's before an install. */
static const char *docdir(void)
{
#if defined(TACH_DOCDIR) && defined(TACH_SOURCE_DOCDIR)
    return access(TACH_DOCDIR "/guide.md", R_OK) == 0 ? TACH_DOCDIR : TACH_SOURCE_DOCDIR;
#else
    return "docs";
#endif
}

static void usage(FILE *f)
{
    fprintf(f, "usage: tach COMMAND [OPTIONS] [ARGS]\n\n"
               "tach measures code and commands, keeps their history and judges changes.\n\n"
               "commands:\n");
    for (const cli_command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "  %-10s %s\n", "version", "print tach's version");
    fprintf(f, "\n'tach help COMMAND' or 'tach COMMAND --help' describes a command; -V,\n"
               "--version prints tach's version.  Docs: %s/guide.md\n", docdir());
}

/* The command named name, or NULL. */
static const cli_command *find_command(const char *name)
{
    for (const cli_command *c = commands; c->name; c++)
        if (!strcmp(c->name, name)) return c;
    return NULL;
}

static int unknown_command(const char *name)
{
    const char *names[sizeof commands / sizeof *commands + 1];
    size_t n = 0;
    for (const cli_command *c = commands; c->name; c++) names[n++] = c->name;
    names[n++] = "version";
    names[n++] = "help";
    const char *best = tach__opt_suggest(name, names, n);
    if (best) return cli_usage_error("unknown command '%s' (did you mean '%s'?)", name, best);
    return cli_usage_error("unknown command '%s' (see 'tach --help')", name);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "help") && argc > 2) {
        /* tach help CMD: the command's own help */
        const cli_command *c = find_command(argv[2]);
        if (!c) return unknown_command(argv[2]);
        char *hargv[] = {argv[2], "--help", NULL};
        return c->fn(2, hargv);
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V") || !strcmp(name, "version")) {
        printf("tach %s\n", tach_version());
        return CLI_OK;
    }
    const cli_command *c = find_command(name);
    if (c && (!strcmp(name, "certify") || !strcmp(name, "push") || !strcmp(name, "site"))) {
        /* their parsers read "--opt value" only: give them "--opt=value" split */
        int n;
        char **v = cli_argv_split_eq(argc - 1, argv + 1, &n);
        if (!v) return cli_error(CLI_FAIL, "out of memory");
        int rc = c->fn(n, v);
        tach__free(v);
        return rc;
    }
    if (c) return c->fn(argc - 1, argv + 1);
    if (name[0] == '-') return cli_usage_error("unknown option '%s' (see 'tach --help')", name);
    return unknown_command(name);
}

/* main.c - the tach tool: dispatches to one subcommand per file (cli/cmd_*.c). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void usage(FILE *f)
{
    fprintf(f, "usage: tach COMMAND [OPTIONS] [ARGS]\n\n"
               "tach measures code and commands, keeps their history and judges changes.\n\n"
               "commands:\n");
    for (const cli_command *c = commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "  %-10s %s\n", "version", "print tach's version");
    fprintf(f, "\n'tach help COMMAND' or 'tach COMMAND --help' describes a command; -V,\n"
               "--version prints tach's version.  Docs: %s/guide.md\n"
               "\nEvery command reads regular files only, up to 1 GiB each; --max-input-size\n"
               "SIZE (64M, 2G), given anywhere before a --, changes the limit.\n", cli_docdir());
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

/* Takes the tool-wide option --max-input-size SIZE (or =SIZE) out of argv, wherever it
 * stands before a "--" (what follows "--" belongs to a measured command), and sets the
 * file reader's limit.  Returns 0, or CLI_USAGE after a message. */
static int take_max_input_size(int *argc, char **argv)
{
    static const char opt[] = "--max-input-size";
    int j = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--")) {
            while (i < *argc) argv[j++] = argv[i++];
            break;
        }
        const char *val = NULL;
        if (!strcmp(a, opt)) {
            if (i + 1 >= *argc) return cli_usage_error("%s needs a value (a size: 64M, 2G)", opt);
            val = argv[++i];
        } else if (!strncmp(a, opt, sizeof opt - 1) && a[sizeof opt - 1] == '=') {
            val = a + sizeof opt;
        } else {
            argv[j++] = argv[i];
            continue;
        }
        uint64_t bytes;
        int ps = tach__opt_parse_size(val, &bytes);
        if (ps == -2)
            return cli_usage_error("invalid value '%s' for %s: too large, expected a size below 2^64 "
                                   "bytes (512, 64K, 100M, 2G)",
                                   val, opt);
        if (ps != 0 || bytes == 0)
            return cli_usage_error("invalid value '%s' for %s: expected a size above 0 (512, 64K, "
                                   "100M, 2G)",
                                   val, opt);
        tach__set_read_limit(bytes);
    }
    argv[j] = NULL;
    *argc = j;
    return 0;
}

/* The exit code, once stdout is known to hold everything written to it: a full disk
 * or a closed pipe turns a success into a failure with a message. */
static int finish(int rc)
{
    char err[TACH__ERR_MAX] = "";
    if (tach__flush_stdout(err) != 0 || fclose(stdout) != 0) {
        if (!err[0]) snprintf(err, sizeof err, "cannot write to standard output: %s", strerror(errno));
        fprintf(stderr, "%s: %s\n", cli_prog(), err);
        return rc == CLI_OK ? CLI_FAIL : rc;
    }
    return rc;
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
    /* Standard output closed early (`| head`, a pager quit) is a write error, said once
     * at the end (finish), exit 1, the work done and recorded: SIGPIPE killed tach, exit
     * 141 and no word, a measured run lost.  Every child tach starts gets the default
     * back (cli_child_fork, the spawner, the brokers). */
    signal(SIGPIPE, SIG_IGN);
    /* SIGCHLD ignored by whoever started tach (a daemon's SIG_IGN is kept across exec):
     * the kernel then reaps tach's children itself and sends no SIGCHLD, so a wait on the
     * signalfd never ended (tach run hung on its first command) and no exit status could
     * be read; tach waits for every child it starts, with the default. */
    signal(SIGCHLD, SIG_DFL);
    int rc = take_max_input_size(&argc, argv);
    if (rc != 0) return rc;
    return finish(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *name = argv[1];
    static const char version_help[] = "usage: tach version\n\nPrints tach's version (also: tach --version, tach -V).\n"
                                       "\nExit status: 0; 2 bad usage.\n";
    if (!strcmp(name, "help") && argc > 3)
        return cli_usage_error("help takes one command (got '%s' after '%s')", argv[3], argv[2]);
    if (!strcmp(name, "help") && argc > 2 && !strcmp(argv[2], "version")) {
        fputs(version_help, stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "help") && argc > 2 &&
        (!strcmp(argv[2], "help") || !strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
        usage(stdout); /* tach help help: what help does is in the overview */
        return CLI_OK;
    }
    if (!strcmp(name, "help") && argc > 2) {
        /* tach help CMD: the command's own help */
        const cli_command *c = find_command(argv[2]);
        if (!c) return unknown_command(argv[2]);
        char *hargv[] = {argv[2], "--help", NULL};
        cli_set_command(c->name);
        return c->fn(2, hargv);
    }
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(name, "--version") || !strcmp(name, "-V") || !strcmp(name, "version")) {
        if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
            fputs(version_help, stdout);
            return CLI_OK;
        }
        if (argc > 2)
            return cli_usage_error("%s takes no %s '%s'", name, argv[2][0] == '-' ? "option" : "argument",
                                   argv[2]);
        printf("tach %s\n", tach_version());
        return CLI_OK;
    }
    const cli_command *c = find_command(name);
    if (c) {
        cli_set_command(c->name);
        return c->fn(argc - 1, argv + 1);
    }
    if (name[0] == '-') return cli_usage_error("unknown option '%s' (see 'tach --help')", name);
    return unknown_command(name);
}

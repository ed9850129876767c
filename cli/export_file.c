/*
 * export_file.c - where a command's output goes: a file, written whole or not at all
 * (tach__write_text_file: a temporary file in the same directory, fsync, rename), or
 * standard output ("-", or a name of it: /dev/stdout, the file stdout is redirected to).  The formats themselves are src/format/ (format.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "run.h"
#include "store_cli.h"

bool cli_path_is_stdout(const char *path)
{
    if (!path) return false;
    if (!strcmp(path, "-") || !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/fd/1") ||
        !strcmp(path, "/proc/self/fd/1"))
        return true;
    /* the file stdout is redirected to, under its own name; not a device such as /dev/null
     * (writes to it do not mix, and `--export-json /dev/null >/dev/null` stays quiet) */
    struct stat sp, so;
    return fstat(STDOUT_FILENO, &so) == 0 && stat(path, &sp) == 0 && sp.st_dev == so.st_dev &&
           sp.st_ino == so.st_ino && !S_ISCHR(sp.st_mode) && !S_ISBLK(sp.st_mode);
}

/* A write of an export to standard output failed (and was said): the next ones to it are
 * not tried, their failure being the same one. */
static bool stdout_lost;

int cli_export_write(const tach__doc *doc, const char *format, const char *path, char *err)
{
    bool to_stdout = cli_path_is_stdout(path);
    if (to_stdout && stdout_lost) {
        err[0] = 0;
        return 1;
    }
    size_t len = 0;
    char *text = tach__format_write(doc, format, &len, err);
    if (!text) return -1;
    int rc = 0;
    if (to_stdout) {
        errno = 0;
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            rc = tach__err(err, "cannot write to standard output: %s", errno ? strerror(errno) : "write error");
            cli_stdout_drop(); /* the caller reports it: once */
            stdout_lost = true;
        }
    } else {
        rc = tach__write_text_file(text, len, path, err);
    }
    tach__free(text);
    return rc;
}

/* path with its directory made absolute (the file itself need not exist); NULL when
 * the directory cannot be resolved.  Caller frees. */
static char *canonical(const char *path)
{
    char *copy = tach__strdup(path), *copy2 = tach__strdup(path);
    char *dir = copy ? realpath(dirname(copy), NULL) : NULL;
    const char *base = copy2 ? basename(copy2) : NULL;
    char *out = NULL;
    if (dir && base) {
        size_t n = strlen(dir) + strlen(base) + 2;
        if ((out = tach__malloc(n))) snprintf(out, n, "%s/%s", dir, base);
    }
    free(dir); /* realpath's */
    tach__free(copy);
    tach__free(copy2);
    return out;
}

bool cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    char *ca = canonical(a), *cb = canonical(b);
    bool same = ca && cb && !strcmp(ca, cb);
    tach__free(ca);
    tach__free(cb);
    return same;
}

int cli_output_clash(const char *flag, const char *out, const char *other, const char *what)
{
    if (!out || !other || !strcmp(out, "-") || !strcmp(other, "-") || !cli_same_file(out, other))
        return CLI_OK;
    return cli_usage_error("%s: '%s' is %s: the output would replace it; name another file", flag,
                           out, what);
}

int cli_output_not_config(const char *flag, const char *out, const char *config_path)
{
    char *cfg = config_path ? tach__strdup(config_path) : cli_config_default_path();
    int rc = cli_output_clash(flag, out, cfg, "the config file");
    tach__free(cfg);
    return rc;
}

int cli_output_not_store(const char *flag, const char *out, const char *store_opt)
{
    const char *spec = cli_store_spec(store_opt);
    if (!out || (spec && (!*spec || tool_store_spec_is_postgres(spec)))) return CLI_OK;
    char err[TACH__ERR_MAX];
    char *path = spec ? tach__strdup(spec) : tool_store_default_path(NULL, err);
    int rc = path && cli_same_output_file(out, path) ? cli_output_clash(flag, out, path, "the store")
                                                     : CLI_OK;
    tach__free(path);
    return rc;
}

/* "-", standard output under another name (cli_path_is_stdout) or a file that is not a
 * regular one (a FIFO): a stream, written in turn, never replaced */
static bool is_stream(const char *path)
{
    struct stat st;
    return cli_path_is_stdout(path) || (stat(path, &st) == 0 && !S_ISREG(st.st_mode));
}

bool cli_same_output_file(const char *a, const char *b)
{
    return !is_stream(a) && !is_stream(b) && cli_same_file(a, b);
}

int cli_export_check_path(const char *path, char *err)
{
    if (!strcmp(path, "-")) return 0;
    if (!*path) return tach__err(err, "the file name is empty");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return tach__err_named(err, "'", path, "' is a directory");
    /* "nodir/": dirname() is the folder holding nodir, which exists; the write failed
     * later, "cannot create a temporary file beside it" */
    if (path[strlen(path) - 1] == '/')
        return tach__err_named(err, "'", path, "' names a directory (it ends in /): give a file's name");
    char *copy = tach__strdup(path);
    if (!copy) return tach__err(err, "out of memory");
    const char *dir = dirname(copy);
    int rc = 0;
    char shown[TACH__ERR_NAMED_MAX / 3]; /* a directory as long as path would leave it no room */
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        rc = tach__err_named(err, "cannot write '", path, "': directory '%s' does not exist",
                             tach__elide(dir, sizeof shown - 1, shown, sizeof shown));
    else if (access(dir, W_OK) != 0)
        rc = tach__err_named(err, "cannot write '", path, "': directory '%s' is not writable",
                             tach__elide(dir, sizeof shown - 1, shown, sizeof shown));
    else
        rc = tach__check_writable(path, err); /* what the write will do: make a temp file there */
    tach__free(copy);
    return rc;
}

/* suite_storage.c - `tach suite storage`: the directory (--dir, or a new temporary one,
 * removed after), the file size (--file-size: refused when the disk cannot hold it, at
 * most the quick size under --quick, adapted to the free space), --jobs, then the suite
 * (src/suite/storage.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "storage.h"
#include "options.h"
#include "suite_cli.h"

/* The file a --quick run uses, and the most it uses of a larger --file-size. */
#define QUICK_FILE ((uint64_t)16 << 20)

int cli_suite_storage(const cli_suite_opts *o, tach__doc *doc, int *failed)
{
    tool_storage_opts s;
    memset(&s, 0, sizeof s);
    s.seed = o->seed;
    s.job_time_s = o->time_s > 0 ? o->time_s : o->quick ? 0.25 : 2.0;
    char err[TOOL_STORAGE_MSG_MAX]; /* a message naming --dir, whole */
    uint64_t want = o->quick ? QUICK_FILE : (uint64_t)256 << 20;
    int pf = o->file_size ? tach__opt_parse_size(o->file_size, &want) : 0;
    if (pf == -2)
        return cli_cmd_usage_error("suite", "--file-size: '%s' is too large, expected a size below 2^64 "
                                   "bytes, e.g. 64MiB", o->file_size);
    if (pf != 0)
        return cli_cmd_usage_error("suite", "--file-size: '%s' is not a size: expected %s, e.g. 64MiB",
                                   o->file_size, CLI_SUITE_SIZE_RULE);
    if (o->file_size && want < TOOL_STORAGE_FLOOR)
        return cli_cmd_usage_error("suite", "--file-size: '%s' is not a size of 4MiB or more, expected "
                                   "e.g. 64MiB, 1GiB", o->file_size);
    if (o->jobs) {
        if (tool_suite_words(o->jobs, &s.jobs, &s.njobs, err) != 0)
            return cli_cmd_usage_error("suite", "--jobs: %s", err);
        if (cli_suite_canon("--jobs", s.jobs, s.njobs, tool_storage_jobs()) != CLI_OK) {
            tool_suite_words_free(s.jobs, s.njobs);
            return CLI_USAGE;
        }
        for (size_t i = 0; i < s.njobs; i++) {
            bool known = false;
            for (const char *const *j = tool_storage_jobs(); *j; j++) known = known || !strcmp(*j, s.jobs[i]);
            if (!known) {
                int rc = cli_cmd_usage_error("suite", "--jobs: '%s' is not a job, expected names such as "
                                             "read-1m, randread-4k-qd32-uring (see docs/suites.md)", s.jobs[i]);
                tool_suite_words_free(s.jobs, s.njobs);
                return rc;
            }
        }
    }
    const char *hook = tool_suite_test_hook("enospc-after");
    if (hook) s.enospc_after = strtoull(hook, NULL, 10);
    if ((hook = tool_suite_test_hook("sigint-after"))) s.sigint_after = strtoull(hook, NULL, 10);
    s.sigint_again = tool_suite_test_hook("sigint-again") != NULL;
    char tmpdir[4096] = "";
    const char *where = o->dir; /* the directory whose free space is said */
    int rc = CLI_OK;
    if (o->dir) {
        struct stat st;
        int e = stat(o->dir, &st) != 0 ? errno : 0;
        if (e && e != ENOENT && e != ENOTDIR) { /* a path too long, or not searchable: said so */
            rc = cli_cmd_usage_error("suite", "--dir: cannot examine '%s': %s", o->dir, strerror(e));
            goto out;
        }
        if (e || !S_ISDIR(st.st_mode)) {
            rc = cli_cmd_usage_error("suite", "--dir: '%s' is not a directory", o->dir);
            goto out;
        }
        if (access(o->dir, W_OK) != 0) {
            rc = cli_cmd_usage_error("suite", "--dir: '%s' is not writable", o->dir);
            goto out;
        }
        s.dir = o->dir;
    } else {
        /* /var/tmp: on a disk where /tmp may be memory (tmpfs) */
        const char *base = getenv("TMPDIR");
        if (!base || !*base) base = access("/var/tmp", W_OK) == 0 ? "/var/tmp" : "/tmp";
        /* cut to fit, the template lost its XXXXXX: mkdtemp's "Invalid argument", exit 1 */
        if ((rc = cli_tmpdir_fits("suite", base, sizeof tmpdir, "/tach-storage-XXXXXX", "directory",
                                  "; set TMPDIR or give --dir")) != CLI_OK)
            goto out;
        snprintf(tmpdir, sizeof tmpdir, "%s/tach-storage-XXXXXX", base);
        if (!mkdtemp(tmpdir)) {
            int e = errno; /* a TMPDIR that is not a writable directory is the caller's to fix */
            if (e == ENOENT || e == ENOTDIR || e == EACCES || e == EROFS)
                rc = cli_cmd_usage_error("suite", "cannot make a temporary directory in '%s' (TMPDIR): "
                                         "%s; set TMPDIR or give --dir", base, strerror(e));
            else
                rc = cli_error(CLI_FAIL, "cannot make a temporary directory in '%s': %s", base, strerror(e));
            *tmpdir = '\0';
            goto out;
        }
        s.dir = tmpdir;
        s.remove_dir = true;
        where = base; /* the same disk, and a name that stays after a refusal */
    }
    int planned = tool_storage_plan(where, want, o->file_size != NULL, &s.file_size, err);
    if (planned != 0) {
        if (planned == -2) rc = cli_cmd_usage_error("suite", "--file-size: '%s': %s", o->file_size, err);
        else rc = cli_cmd_usage_error("suite", "%s", err);
        goto out;
    }
    /* --quick promises a smoke run in under a minute, but laid out all of a larger
     * --file-size first (50 GiB: minutes of writing): as compression --quick compresses
     * at most its quick corpus's size, the file is at most the quick one's, said on
     * stderr and in a note, the size asked kept as file_size_asked (a size the disk
     * cannot hold was refused above all the same: so would the full run be) */
    if (o->quick && want > QUICK_FILE) {
        char note[200];
        snprintf(note, sizeof note, "--quick: a file of %llu MiB, not the %llu bytes of --file-size "
                 "(leave out --quick for all of it)", (unsigned long long)(QUICK_FILE >> 20),
                 (unsigned long long)want);
        fprintf(stderr, "tach suite: note: %s\n", note);
        tool_suite_note(doc, "%s", note);
        json_object_set_new(tool_suite_ctx(doc), "file_size_asked", json_integer((json_int_t)want));
        want = QUICK_FILE;
        if (s.file_size > want) s.file_size = want;
    }
    /* the file is laid out in whole MiB: a size between is rounded down, which is said
     * as such (it was blamed on the free space, "4 MiB, not 4 MiB") */
    uint64_t whole = want & ~(uint64_t)((1 << 20) - 1);
    if (s.file_size < whole)
        tool_suite_note(doc, "file size %llu MiB, not %llu%s: at most half the free space is used",
                        (unsigned long long)(s.file_size >> 20),
                        (unsigned long long)(want == whole ? want >> 20 : want), want == whole ? " MiB" : " bytes");
    else if (s.file_size < want)
        tool_suite_note(doc, "file size %llu MiB (%llu bytes), not the %llu bytes asked: rounded down to "
                        "whole MiB (the file is laid out in 1 MiB blocks)",
                        (unsigned long long)(s.file_size >> 20), (unsigned long long)s.file_size,
                        (unsigned long long)want);
    int f = tool_storage_run(&s, doc, err);
    if (f < 0) rc = cli_error(CLI_FAIL, "%s", err);
    else *failed = f;
    if (doc->partial) {
        const char *why = json_string_value(json_object_get(json_object_get(doc->context, "suite"), "stopped"));
        if (why) fprintf(stderr, "tach suite: %s\n", cli_term(why));
    }
out:
    if (*tmpdir) rmdir(tmpdir);
    tool_suite_words_free(s.jobs, s.njobs);
    return rc;
}

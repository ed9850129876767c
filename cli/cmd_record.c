/* cmd_record.c - `tach record FILE.json`: store a results document made elsewhere. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "format.h"
#include "soak_cli.h"
#include "store_cli.h"

typedef struct rec_opts {
    const char *store;
    cli_list tags; /* --tag, repeatable */
    bool quiet, help;
} rec_opts;

#define OFF(f) offsetof(rec_opts, f)
static const tach__opt rec_table[] = {
    CLI_ROW_STORE(rec_opts, store),
    {.kind = TACH__OPT_STRING, .name = "tag", .metavar = "K=V", .offset = OFF(tags),
     .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append,
     .help = "a tag on the run (repeatable; not quick, the mark of a quick\ntach suite run)"},
    {.kind = TACH__OPT_FLAG, .name = "quiet", .short_name = 'q', .offset = OFF(quiet),
     .help = "print only the run id(s)"},
    CLI_ROW_HELP(rec_opts),
};

CLI_OPTIONS(record, rec_table,
    "usage: tach record [OPTIONS] FILE.json...\n\n"
    "Records results documents made elsewhere in the history store, one run each:\n"
    "a tach results document, Google Benchmark JSON or hyperfine JSON, or the series\n"
    "file of a tach soak whose own record failed (recorded as tach soak records it).\n"
    "The run gets the current git commit, branch, dirty flag and subject (a document's\n"
    "own context.git_commit instead, without the rest unless it is HEAD), and the tags a\n"
    "file kept for a later record carries (tach's .tach/unrecorded/) with --tag's.\n\n",
    "Every file is read and checked before anything is written.  A file tach kept for a\n"
    "later record (.tach/unrecorded/) is removed once its run is recorded.  A run already in\n"
    "the store (its document's run_uid: a kept file whose record was made after all, a\n"
    "recorded run's --export-json) is not recorded again: said, exit 0, a kept file removed.\n"
    "exit: 0 recorded (or recorded already); 1 the store failed to record it (the store\n"
    "named); 2 bad usage, unreadable file or bad store\n")

/* The tags a results document kept for a later record carries beside it (tach bench's
 * .tach/unrecorded/ files, docs/results-format.md: a top-level "tags" object of strings,
 * the tags the failed record would have given the run), into *out as "KEY=VALUE" strings
 * (tach__free each, and the array).  Only a tach document's; none when it has no "tags".
 * CLI_USAGE, the file and the tag named, for a "tags" that is not such an object, a key
 * that is empty or holds '=', or a key --tag (opt) gives too: one value per key. */
static int kept_tags(const char *path, const json_t *top, char *const *opt, size_t nopt,
                     char ***out, size_t *nout)
{
    *out = NULL;
    *nout = 0;
    const char *format = json_string_value(json_object_get(top, "format"));
    const json_t *t = json_object_get(top, "tags");
    if (!t || !format || strcmp(format, "tach-results") != 0) return CLI_OK;
    if (!json_is_object(t))
        return cli_usage_error("%s: tags: expected an object, got %s", cli_term(path),
                               tach__json_type_name(t));
    char **v = json_object_size(t) ? tach__calloc(json_object_size(t), sizeof *v) : NULL;
    if (json_object_size(t) && !v) return cli_error(CLI_FAIL, "out of memory");
    size_t n = 0;
    int rc = CLI_OK;
    const char *key;
    const json_t *val;
    json_object_foreach((json_t *)t, key, val) {
        size_t klen = strlen(key);
        if (!klen || strchr(key, '='))
            rc = cli_usage_error("%s: tags: a tag's key is empty or holds '=' (\"%s\"): a tag is "
                                 "KEY=VALUE", cli_term(path), cli_term(key));
        else if (!json_is_string(val))
            rc = cli_usage_error("%s: tags.%s: expected a string, got %s", cli_term(path),
                                 cli_term(key), tach__json_type_name(val));
        for (size_t i = 0; rc == CLI_OK && i < nopt; i++)
            if (!strncmp(opt[i], key, klen) && opt[i][klen] == '=')
                rc = cli_usage_error("%s: tags.%s: the key is given by --tag too ('%s'); a run "
                                     "has one value per key", cli_term(path), cli_term(key),
                                     cli_term(opt[i]));
        if (rc != CLI_OK) break;
        const char *s = json_string_value(val);
        size_t need = klen + strlen(s) + 2;
        if (!(v[n] = tach__malloc(need))) {
            rc = cli_error(CLI_FAIL, "out of memory");
            break;
        }
        snprintf(v[n++], need, "%s=%s", key, s);
    }
    if (rc != CLI_OK) {
        for (size_t i = 0; i < n; i++) tach__free(v[i]);
        tach__free(v);
        return rc;
    }
    *out = v;
    *nout = n;
    return CLI_OK;
}

/* The tags of one run: --tag's, then its file's (kept_tags); a new array whose strings
 * are borrowed (tach__free the array only), NULL when out of memory. */
static char **run_tags(char *const *opt, size_t nopt, char *const *file, size_t nfile)
{
    char **all = tach__calloc(nopt + nfile + 1, sizeof *all);
    if (!all) return NULL;
    for (size_t i = 0; i < nopt; i++) all[i] = opt[i];
    for (size_t i = 0; i < nfile; i++) all[nopt + i] = file[i];
    return all;
}

/* Whether path is a file tach kept for a later record (tach bench's, when its run could
 * not be recorded), which tach record removes once the run is in the store: a tach
 * results document carrying the "tags" beside it that only such a file has (top; tagged
 * says so), and a regular file -- not a link to one elsewhere -- in a directory
 * .tach/unrecorded, where tach keeps them.  Never a file of the user's own: an export,
 * a Google Benchmark or hyperfine file, a kept file copied elsewhere. */
static bool kept_file(const char *path, bool tagged)
{
    struct stat st;
    if (!tagged || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
    const char *slash = strrchr(path, '/');
    char *dir = slash ? tach__strdup(path) : tach__strdup(".");
    if (!dir) return false;
    if (slash) dir[slash - path ? slash - path : 1] = '\0'; /* "/x.json": "/" */
    char *real = realpath(dir, NULL);
    tach__free(dir);
    static const char tail[] = "/.tach/unrecorded";
    size_t n = real ? strlen(real) : 0;
    bool kept = n >= sizeof tail - 1 && !strcmp(real + n - (sizeof tail - 1), tail);
    free(real);
    return kept;
}

/* Removes path, a kept file whose run is in the store now, and its folder when nothing
 * else is in it, then .tach when that held only the folder (as tach bench does once it
 * records the run): "" when done, else why
 * into why (size bytes).  A file gone already (the same file named twice) is done. */
static void drop_kept(const char *path, char *why, size_t size)
{
    *why = '\0';
    if (unlink(path) != 0 && errno != ENOENT) {
        snprintf(why, size, "%s", strerror(errno));
        return;
    }
    /* the folder by its real path: "x.json" run inside it, a .tach/unrecorded/.. path */
    const char *slash = strrchr(path, '/');
    char *dir = slash ? tach__strdup(path) : tach__strdup(".");
    if (dir && slash) dir[slash - path ? slash - path : 1] = '\0';
    char *real = dir ? realpath(dir, NULL) : NULL;
    if (real) (void)cli_unrecorded_rmdir(real); /* and .tach, when it held only that */
    free(real);
    tach__free(dir);
}

/* Says path's run is in s already, as run id ("not recorded again"), and removes path
 * when it is a kept file (kept). */
static void say_recorded(tool_store *s, const char *path, bool kept, int64_t id)
{
    char gone[TACH__ERR_MAX + 64] = "not recorded again";
    if (kept) {
        char why[TACH__ERR_MAX];
        drop_kept(path, why, sizeof why);
        if (*why) snprintf(gone, sizeof gone, "the kept file could not be removed: %s", why);
        else snprintf(gone, sizeof gone, "removing the kept file");
    }
    fprintf(stderr, "%s: %s: its run is already recorded, as run %lld in %s; %s\n", cli_prog(),
            cli_term(path), (long long)id, tool_store_name(s), gone);
}

/* Whether the run of path's document (doc) is in the store s already, by the unique id
 * its context carries (tool_store_find_run_uid: a kept file whose record was made, and
 * tach killed before the file went; a recorded run's --export-json): 1 said so, a kept
 * file (kept) removed, with *id; 0 not; -1 a read of the store failed (said, exit
 * status 2). */
static int recorded_already(tool_store *s, const char *path, const tach__doc *doc, bool kept,
                            const cli_soak_file *soak, int64_t *id)
{
    char err[TACH__ERR_MAX] = "";
    int rc = tool_store_find_run_uid(s, doc, id, err);
    if (rc < 0) {
        (void)cli_store_read_failed(s, err);
        return -1;
    }
    if (rc != 0) return 0;
    /* a soak's record of an earlier stop, which the file has outgrown: replaced */
    if (soak && cli_soak_file_outgrown(s, soak, *id)) return 0;
    say_recorded(s, path, kept, *id);
    return 1;
}

/* Records path's document (doc, with tags), then removes it when it is a kept file
 * (kept): one line "recorded run N in STORE; removed the kept file PATH" (none with
 * quiet), or, when it cannot be removed, "...; the kept file PATH could not be removed:
 * WHY" (with quiet too: the run is recorded, the file would invite a second record,
 * which its run_uid refuses). */
static int record_file(tool_store *s, const char *path, const tach__doc *doc, char **tags,
                       size_t ntags, bool kept, bool quiet, int64_t *id)
{
    /* once: a record of the same file at once, which came between the check
     * (recorded_already) and this record, has stored the run */
    bool already = false;
    int rc = cli_store_record_doc_once(s, doc, tags, ntags, quiet || kept, NULL, id, &already);
    if (rc == CLI_OK && already) {
        say_recorded(s, path, kept, *id);
        return CLI_OK;
    }
    if (rc != CLI_OK || !kept) return rc;
    char why[TACH__ERR_MAX];
    drop_kept(path, why, sizeof why);
    if (*why)
        fprintf(stderr, "%s: recorded run %lld in %s; the kept file %s could not be removed: %s\n",
                cli_prog(), (long long)*id, tool_store_name(s), cli_term(path), why);
    else if (!quiet)
        fprintf(stderr, "%s: recorded run %lld in %s; removed the kept file %s\n", cli_prog(),
                (long long)*id, tool_store_name(s), cli_term(path));
    return CLI_OK;
}

int cli_cmd_record(int argc, char **argv)
{
    rec_opts o = {0};
    char **files = NULL;
    size_t nfiles = 0;
    int rc = CLI_OK;
    files = calloc((size_t)argc, sizeof *files);
    if (!files) return cli_error(CLI_FAIL, "out of memory");
    tach__opt_result res;
    rc = cli_opts_read(&record_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) {
        if (rc < 0) rc = CLI_OK;
        goto out;
    }
    for (int i = 0; i < res.npos; i++) files[nfiles++] = res.pos[i];
    tach__opt_result_free(&res);
    const char *store = o.store;
    char **tags = (char **)o.tags.v;
    size_t ntags = o.tags.n;
    if (rc == CLI_OK) rc = cli_check_tags("record", tags, ntags);
    if (rc != CLI_OK) goto out;
    bool quiet = o.quiet;
    if (nfiles == 0) {
        rc = cli_cmd_usage_error("record", "no results file given (tach record FILE.json...; "
                                 "see 'tach record --help')");
        goto out;
    }

    /* Read everything first: a bad file records nothing. */
    tach__doc **docs = calloc(nfiles, sizeof *docs);
    struct file_tags {
        char **v;
        size_t n;
        bool kept, is_soak;
        cli_soak_file soak; /* a soak's series file (is_soak): its own record */
    } *ft = calloc(nfiles, sizeof *ft);
    if (!docs || !ft) {
        free(docs);
        free(ft);
        rc = cli_error(CLI_FAIL, "out of memory");
        goto out;
    }
    for (size_t f = 0; f < nfiles && rc == CLI_OK; f++) {
        char err[TACH__ERR_MAX] = "";
        int sr = cli_soak_file_read(files[f], &ft[f].soak, err);
        if (sr != 0) { /* a soak's series file, whose record failed (docs/soak.md) */
            ft[f].is_soak = sr > 0;
            if (sr < 0) rc = cli_usage_error("%s", err);
            else if (!ft[f].soak.doc)
                rc = cli_usage_error("%s holds no interval of its soak: nothing to record", files[f]);
            continue;
        }
        json_t *top = NULL;
        docs[f] = tach__format_read_file_top(files[f], &top, err);
        if (!docs[f]) rc = cli_usage_error("%s", *err ? err : files[f]);
        else if (docs[f]->nresults == 0) /* a run of nothing would become "latest" */
            rc = cli_usage_error("%s holds no benchmark: nothing to record", files[f]);
        else /* a document kept for this record: the tags it would have had */
            rc = kept_tags(files[f], top, tags, ntags, &ft[f].v, &ft[f].n);
        const char *format = json_string_value(json_object_get(top, "format"));
        ft[f].kept = rc == CLI_OK && kept_file(files[f], json_object_get(top, "tags") && format &&
                                                             !strcmp(format, "tach-results"));
        json_decref(top);
        /* the store keeps the summary figures: the samples', not what the file says */
        if (rc == CLI_OK && tach__doc_resummarize(docs[f], err) != 0)
            rc = cli_usage_error("%s: %s", files[f], err);
    }
    tool_store *s = NULL;
    if (rc == CLI_OK) rc = cli_store_open_to_write(store, true, &s);
    for (size_t f = 0; f < nfiles && rc == CLI_OK; f++) {
        int64_t id = 0;
        const tach__doc *doc = ft[f].is_soak ? ft[f].soak.doc : docs[f];
        int done = recorded_already(s, files[f], doc, ft[f].kept,
                                    ft[f].is_soak ? &ft[f].soak : NULL, &id);
        if (done < 0) rc = CLI_USAGE;
        if (done > 0 && quiet) printf("%lld\n", (long long)id);
        if (done != 0) continue;
        char **all = run_tags(tags, ntags, ft[f].v, ft[f].n);
        rc = !all ? cli_error(CLI_FAIL, "out of memory")
             : ft[f].is_soak ? cli_soak_file_record(s, files[f], &ft[f].soak, all, ntags, quiet, NULL, &id)
                             : record_file(s, files[f], docs[f], all, ntags + ft[f].n, ft[f].kept, quiet, &id);
        tach__free(all);
        if (rc == CLI_OK && quiet) printf("%lld\n", (long long)id);
    }
    tool_store_close(s);
    for (size_t f = 0; f < nfiles; f++) {
        tach__doc_free(docs[f]);
        cli_soak_file_free(&ft[f].soak);
        for (size_t i = 0; i < ft[f].n; i++) tach__free(ft[f].v[i]);
        tach__free(ft[f].v);
    }
    free(docs);
    free(ft);
out:
    free(o.tags.v);
    free(files);
    return rc;
}

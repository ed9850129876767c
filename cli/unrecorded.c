/*
 * unrecorded.c - a run's document kept for a later `tach record` while its own record is
 * tried (tach bench, run, load, suite; see store_cli.h): the project's
 * .tach/unrecorded/KIND-TIME-PID.json, with the tags the record gives the run beside it
 * (docs/results-format.md "tags"), removed once the run is recorded.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "store_cli.h"

/* In a .tach/unrecorded folder: that .tach was made by tach for kept files (no store,
 * no config in it), so the last run out removes it, whichever run made it; a .tach
 * without it is the user's (an empty one marks a project: tool_store_default_path). */
#define MADE_MARK ".tach-made"

/* Whether dir holds nothing but the mark. */
static bool only_mark(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    bool only = true, mark = false;
    struct dirent *e;
    while (only && (e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        if (!strcmp(e->d_name, MADE_MARK)) mark = true;
        else only = false;
    }
    closedir(d);
    return only && mark;
}

/* dir/name, or NULL out of memory (tach__free). */
static char *in_dir(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = tach__malloc(n);
    if (p) snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* The run's document and the tags its record gives it (docs/results-format.md: "tags"
 * beside the document, which tach record gives the run), or NULL out of memory. */
static json_t *kept_json(const tach__doc *doc, char *const *tags, size_t ntags)
{
    json_t *j = tach__doc_to_json(doc), *t = json_object();
    if (!j || !t || json_object_set(j, "tags", t) != 0) {
        json_decref(t);
        json_decref(j);
        return NULL;
    }
    json_decref(t);
    for (size_t i = 0; i < ntags; i++) {
        const char *eq = strchr(tags[i], '=');
        if (!eq) continue; /* (each is KEY=VALUE) */
        size_t kn = (size_t)(eq - tags[i]);
        char *key = tach__malloc(kn + 1); /* the key whole, as the record gives it */
        if (key) {
            memcpy(key, tags[i], kn);
            key[kn] = '\0';
        }
        int rc = key ? tach__json_set_lossy(t, key, tach__json_string_lossy(eq + 1)) : -1;
        tach__free(key);
        if (rc != 0) {
            json_decref(j);
            return NULL;
        }
    }
    return j;
}

int cli_kept_write(cli_kept *k, const char *tach_dir, const char *kind, const tach__doc *doc,
                   char *const *tags, size_t ntags)
{
    memset(k, 0, sizeof *k);
    size_t n = strlen(tach_dir) + strlen(kind) + 96;
    k->tach_dir = tach__strdup(tach_dir);
    char *path = tach__malloc(n), *dir = tach__malloc(n);
    if (!k->tach_dir || !path || !dir) {
        tach__free(path);
        tach__free(dir);
        cli_kept_free(k);
        return tach__err(k->why, "out of memory");
    }
    snprintf(dir, n, "%s/unrecorded", tach_dir);
    snprintf(path, n, "%s/%s-%lld-%ld.json", dir, kind, (long long)time(NULL), (long)getpid());
    json_t *j = kept_json(doc, tags, ntags);
    int wrc = j ? -1 : tach__err(k->why, "out of memory");
    /* A run of the same project recorded meanwhile removes the folders it finds empty
     * (cli_kept_drop): made again, a few times, when they went before the file was in. */
    for (int tries = 0; j && wrc != 0 && tries < 8; tries++) {
        if (mkdir(tach_dir, 0777) == 0) k->made = true;
        (void)mkdir(dir, 0777); /* not made: the save below says why */
        bool marked = !k->made;
        if (k->made) { /* marked so, for whichever run of the project ends last: on each
                        * try, as the folder may have gone and come again since */
            char *mark = in_dir(dir, MADE_MARK);
            int fd = mark ? open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0666) : -1;
            if (fd >= 0) close(fd);
            marked = fd >= 0;
            tach__free(mark);
        }
        /* (unmarked: the file not written, so the folder is made and marked again) */
        wrc = marked ? tach__write_json_file(j, path, k->why)
                     : tach__err(k->why, "cannot mark %s: %s", dir, strerror(errno));
        struct stat st;
        if (wrc != 0 && marked && stat(dir, &st) == 0) break; /* the folder is there: a real failure */
    }
    tach__free(dir);
    json_decref(j);
    if (wrc != 0) {
        tach__free(path);
        cli_kept_drop(k); /* (the folders made for it) */
        return -1;
    }
    k->path = path;
    return 0;
}

void cli_kept_drop(cli_kept *k)
{
    if (k->path) (void)unlink(k->path);
    if (k->tach_dir) {
        size_t n = strlen(k->tach_dir) + 16;
        char *dir = tach__malloc(n);
        if (dir) {
            snprintf(dir, n, "%s/unrecorded", k->tach_dir);
            (void)cli_unrecorded_rmdir(dir);
            tach__free(dir);
        }
        if (k->made) (void)rmdir(k->tach_dir); /* (the folder not made in it) */
    }
    cli_kept_free(k);
}

bool cli_unrecorded_rmdir(const char *dir)
{
    if (rmdir(dir) == 0) return true; /* no mark: the .tach is the user's, left */
    if (!only_mark(dir)) return false; /* (not empty: left) */
    char *mark = in_dir(dir, MADE_MARK), *up = tach__strdup(dir);
    char *slash = up ? strrchr(up, '/') : NULL;
    bool gone = false;
    if (mark && slash && slash != up && unlink(mark) == 0) {
        gone = rmdir(dir) == 0;
        if (gone) {
            *slash = '\0';
            (void)rmdir(up); /* (a store or a config made in it since: left) */
        } else { /* a run's file came in meanwhile: the last one out removes .tach */
            int fd = open(mark, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
            if (fd >= 0) close(fd);
        }
    }
    tach__free(mark);
    tach__free(up);
    return gone;
}

void cli_kept_free(cli_kept *k)
{
    tach__free(k->path);
    tach__free(k->tach_dir);
    k->path = k->tach_dir = NULL;
    k->made = false;
}

char *cli_project_tach_dir(char *err)
{
    char *db = tool_store_default_path(NULL, err); /* DIR/.tach/tach.db */
    char *slash = db ? strrchr(db, '/') : NULL;
    if (slash) *slash = '\0';
    return db;
}

/* prof_run.c - a benchmark's profile, end to end: where its files go, and the three
 * files (folded stacks, speedscope JSON, the SVG flame graph) written together. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile.h"

/* The longest stem: with ".speedscope.json" and the temporary file's ".NAME.tmp.PID.N"
 * around it, a file name stays well under NAME_MAX (255). */
#define STEM_MAX 180

static bool stem_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

static char *stem_of(const char *name, bool hash_replaced)
{
    const char *given = name && name[0] ? name : "profile";
    /* a leading "./" is left out of the stem, but is a change as a replaced character is
     * (./x, the current directory's program, and x, PATH's, are two): the hash, of the
     * whole name given */
    bool dot_slash = name && !strncmp(name, "./", 2) && name[2];
    if (dot_slash) name += 2;
    const char *whole = name && name[0] ? name : "profile";
    size_t len = strlen(whole);
    /* a name already a safe stem is its own; one with a character turned into '_' (a '/'
     * too: a/b and a_b would share a_b) or a leading '.' gets the hash, so that two names
     * that differ only in punctuation keep files of their own */
    bool changed = hash_replaced && (dot_slash || whole[0] == '.');
    for (const char *p = whole; hash_replaced && *p && !changed; p++) changed = !stem_char(*p);
    size_t keep = len > STEM_MAX - 17 ? STEM_MAX - 17 : len; /* when hashed */
    char *s = tach__malloc(STEM_MAX + 1);
    if (!s) return NULL;
    if (len > STEM_MAX || changed) /* its start, then a hash of it all, so that two names
                                    * alike after the cut or the '_' keep files of their own */
        snprintf(s, STEM_MAX + 1, "%.*s-%016llx", (int)keep, whole,
                 (unsigned long long)tach__hash_str(hash_replaced ? given : whole));
    else
        memcpy(s, whole, len + 1);
    for (char *p = s; *p; p++)
        if (!stem_char(*p)) *p = '_';
    if (s[0] == '.') s[0] = '_'; /* never a hidden file, nor "." or ".." */
    return s;
}

char *tach__prof_stem(const char *name)
{
    return stem_of(name, true);
}

char *tach__prof_stem_old(const char *name)
{
    return stem_of(name, false);
}

/* DIR/FILE, or NULL (out of memory).  Caller frees. */
static char *dir_file(const char *dir, const char *file, const char *ext)
{
    size_t n = strlen(dir) + strlen(file) + strlen(ext) + 2;
    char *path = tach__malloc(n);
    if (path) snprintf(path, n, "%s/%s%s", dir, file, ext);
    return path;
}

bool tach__prof_dir_marked(const char *dir)
{
    char *path = dir_file(dir, TACH__PROF_MARKER, "");
    bool marked = path && access(path, F_OK) == 0;
    tach__free(path);
    return marked;
}

char *tach__prof_folded_path(const char *dir, const char *name)
{
    char *now = tach__prof_stem(name), *path = now ? dir_file(dir, now, ".folded") : NULL;
    tach__free(now);
    if (!path || access(path, F_OK) == 0 || tach__prof_dir_marked(dir)) return path;
    /* a folder an older tach wrote (no marker) without today's file: the file under the
     * stem it gave, if there is one */
    char *old = tach__prof_stem_old(name), *old_path = old ? dir_file(dir, old, ".folded") : NULL;
    tach__free(old);
    if (!old_path) {
        tach__free(path);
        return NULL;
    }
    if (access(old_path, F_OK) == 0) {
        tach__free(path);
        return old_path;
    }
    tach__free(old_path);
    return path;
}

int tach__prof_mkdirs(const char *dir, char *err)
{
    char *d = tach__strdup(dir);
    if (!d) return tach__err(err, "out of memory");
    for (char *p = d + 1;; p++) {
        if (*p != '/' && *p != '\0') continue;
        char c = *p;
        *p = '\0';
        if (mkdir(d, 0777) != 0 && errno != EEXIST) {
            tach__err(err, "cannot create %s: %s", d, strerror(errno));
            tach__free(d);
            return -1;
        }
        *p = c;
        if (!c) break;
    }
    struct stat st;
    int rc = stat(d, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : tach__err(err, "%s is not a directory", d);
    tach__free(d);
    return rc;
}

int tach__prof_dir_check(const char *dir, char *err)
{
    if (!dir || !*dir) return tach__err(err, "the directory name is empty");
    size_t n = strlen(dir);
    char *d = tach__malloc(n + 2); /* room for "." */
    if (!d) return tach__err(err, "out of memory");
    memcpy(d, dir, n + 1);
    int rc = 0;
    for (;;) {
        struct stat st;
        if (stat(d, &st) == 0) {
            if (!S_ISDIR(st.st_mode)) rc = tach__err(err, "%s is not a directory", d);
            else if (access(d, W_OK | X_OK) != 0)
                rc = tach__err(err, "cannot write in %s: %s", d, strerror(errno));
            break;
        }
        if (errno != ENOENT) {
            rc = tach__err(err, "cannot make %s: %s", dir, strerror(errno));
            break;
        }
        /* missing: its parent will hold it */
        size_t len = strlen(d);
        while (len > 1 && d[len - 1] == '/') d[--len] = '\0';
        char *slash = strrchr(d, '/');
        if (!slash) strcpy(d, ".");
        else if (slash == d) d[1] = '\0';
        else *slash = '\0';
    }
    tach__free(d);
    return rc;
}

/* Whether DIR holds a profile (a .folded file) already. */
static bool has_profiles(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        found = n > 7 && !strcmp(e->d_name + n - 7, ".folded");
    }
    closedir(d);
    return found;
}

int tach__profile_write_files(const tach__profile *p, const char *dir, char *err)
{
    if (tach__prof_mkdirs(dir, err) != 0) return -1;
    /* the marker goes into a folder that holds no profile yet, before any file under
     * today's stems: one an older tach began stays unmarked, its files (under the stems
     * it gave) still read back, not taken for the names today's stems give them */
    if (!tach__prof_dir_marked(dir) && !has_profiles(dir)) {
        static const char mark[] = "tach profile folder: a NAME that needed a character "
                                   "replaced has its files under STEM-HASH, never under STEM\n";
        char *mpath = dir_file(dir, TACH__PROF_MARKER, "");
        if (!mpath) return tach__err(err, "out of memory");
        int mrc = tach__write_text_file(mark, strlen(mark), mpath, err);
        tach__free(mpath);
        if (mrc != 0) return -1;
    }
    char *stem = tach__prof_stem(p->name);
    char *folded = tach__profile_folded(p);
    char *ss = tach__profile_speedscope(p);
    char *svg = tach__profile_svg(p, NULL, p->name);
    int rc = 0;
    if (!stem || !folded || !ss || !svg) rc = tach__err(err, "out of memory");
    const char *ext[] = {".folded", ".speedscope.json", ".svg"};
    const char *text[] = {folded, ss, svg};
    for (int k = 0; k < 3 && rc == 0; k++) {
        size_t n = strlen(dir) + strlen(stem) + strlen(ext[k]) + 2;
        char *path = tach__malloc(n);
        if (!path) {
            rc = tach__err(err, "out of memory");
            break;
        }
        snprintf(path, n, "%s/%s%s", dir, stem, ext[k]);
        rc = tach__write_text_file(text[k], strlen(text[k]), path, err);
        tach__free(path);
    }
    tach__free(stem);
    tach__free(folded);
    free(ss); /* from json_dumps */
    tach__free(svg);
    return rc;
}

/* Keeps in top (the table's JSON) the "note: " and "warning: " lines of text, the report
 * printed with it (the sampler's note, a function with no debug information...), as
 * "notes": a tool that prints the table from the JSON (tach profile --baseline) says
 * them too.  0, or -1 when out of memory. */
static int keep_notes(json_t *top, const char *text)
{
    json_t *notes = json_array();
    if (!notes || json_object_set_new(top, "notes", notes) != 0) return -1;
    for (const char *l = text; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if ((!strncmp(l, "note: ", 6) || !strncmp(l, "warning: ", 9)) &&
            json_array_append_new(notes, json_stringn(l, len)) != 0)
            return -1;
        l = nl ? nl + 1 : NULL;
    }
    return 0;
}

char *tach__prof_finish(const tach__prof_raw *raw, tach__symtab *t, const char *name, int hz,
                        const char *dir, size_t top, bool table, json_t **top_json,
                        bool *write_failed, char *err)
{
    if (top_json) *top_json = NULL;
    if (write_failed) *write_failed = false;
    tach__profile *p = tach__profile_build(raw, t, name, hz, err);
    if (!p) return NULL;
    if (top_json && p->samples) *top_json = tach__profile_top_json(p, top > 20 ? top : 20);
    tach__buf b = {0};
    if (raw->note[0]) tach__buf_printf(&b, "note: %s\n", raw->note);
    if (!p->samples && p->other) {
        /* all in children that exec'd another program (sh -c 'prog >file'): counted */
        tach__buf_printf(&b, "profile of %s: no samples in the program itself; %llu samples in "
                             "child processes that ran other programs (not shown: their code is "
                             "not symbolized; profile the program directly)\n",
                         name, (unsigned long long)p->other);
    } else if (!p->samples) {
        tach__buf_printf(&b, "profile of %s: no samples (the measured region ran for less than "
                             "one sampling period)\n", name);
    } else {
        char *tt = top && table ? tach__profile_top_text(p, top) : NULL;
        if (tt) tach__buf_puts(&b, tt);
        tach__free(tt);
        if (tach__profile_write_files(p, dir, err) != 0) {
            if (write_failed) { /* the table computed is still shown; err says why no files */
                *write_failed = true;
                tach__profile_free(p);
                char *text = tach__buf_take(&b);
                if (text && top_json && *top_json && keep_notes(*top_json, text) != 0) {
                    tach__free(text);
                    text = NULL;
                }
                if (!text) tach__err(err, "out of memory");
                return text;
            }
            tach__buf_free(&b);
            tach__profile_free(p);
            if (top_json) {
                json_decref(*top_json);
                *top_json = NULL;
            }
            return NULL;
        }
        char *stem = tach__prof_stem(name);
        tach__buf_printf(&b, "profile: %s/%s.{folded,speedscope.json,svg}\n", dir, stem ? stem : "?");
        tach__free(stem);
    }
    tach__profile_free(p);
    char *text = tach__buf_take(&b);
    if (text && top_json && *top_json && keep_notes(*top_json, text) != 0) {
        tach__free(text);
        text = NULL;
    }
    if (!text) tach__err(err, "out of memory");
    return text;
}

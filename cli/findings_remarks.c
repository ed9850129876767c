/* findings_remarks.c - compiler optimization remarks joined to measured hot code
 * (`tach findings --remarks`, docs/profiling.md): each source file the profile's
 * frames with self samples come from is compiled once more by gcc with
 * -fsave-optimization-record (with its compile_commands.json flags when there is
 * one, else --cflags), into a temporary directory; gcc's record
 * (FILE.opt-record.json.gz, read with zlib and jansson) is searched for the "missed"
 * remarks -fopt-info-missed would print (its top-level "failure" records) about
 * vectorization and inlining, and a remark is kept only when the function its line
 * compiles into (the profiled program's line table, as the static findings) has self
 * samples, ranked by that self share. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "cli.h"
#include "prof_cli.h"
#include "run.h"

extern char **environ;

typedef struct remark {
    char *file, *func, *kind, *message;
    int line;
    double share;
} remark;

typedef struct rctx {
    cli_hot_fns hot;
    remark *r;
    size_t nr, r_cap;
} rctx;

/* The words of the compile command compile_commands.json in dir has for file, without
 * the compiler, -c, -o X, the dependency-file options and the source itself; NULL when
 * there is none.  *cwd gets the entry's "directory" (malloc'd; NULL without one): its
 * relative paths (-Iinclude) are relative to it. */
static char **cc_flags(const char *dir, const char *file, size_t *n, char **cwd)
{
    *n = 0;
    *cwd = NULL;
    char path[4200], abs[4096];
    snprintf(path, sizeof path, "%s/compile_commands.json", dir);
    json_t *db = json_load_file(path, 0, NULL);
    if (!realpath(file, abs)) snprintf(abs, sizeof abs, "%s", file);
    char **out = NULL;
    size_t i;
    json_t *e;
    json_array_foreach(db, i, e)
    {
        const char *f = json_string_value(json_object_get(e, "file"));
        const char *d = json_string_value(json_object_get(e, "directory"));
        char full[8400], real[4096];
        if (!f) continue;
        snprintf(full, sizeof full, "%s%s%s", f[0] == '/' || !d ? "" : d, f[0] == '/' || !d ? "" : "/", f);
        if (!realpath(full, real) || strcmp(real, abs)) continue;
        char **words = NULL;
        size_t nw = 0;
        char err[TACH__ERR_MAX];
        json_t *args = json_object_get(e, "arguments");
        if (json_is_array(args)) {
            words = tach__calloc(json_array_size(args) + 1, sizeof *words);
            size_t k;
            json_t *a;
            json_array_foreach(args, k, a)
                if (words && json_is_string(a)) words[nw++] = tach__strdup(json_string_value(a));
        } else if (cli_words_split(json_string_value(json_object_get(e, "command")) ? json_string_value(json_object_get(e, "command")) : "",
                                   &words, &nw, err) != 0) {
            words = NULL;
        }
        if (!words) break;
        out = tach__calloc(nw + 1, sizeof *out);
        for (size_t k = 1; out && k < nw; k++) {
            const char *w = words[k];
            if (!strcmp(w, "-c") || !strcmp(w, "-MD") || !strcmp(w, "-MMD")) continue;
            if (!strcmp(w, "-o") || !strcmp(w, "-MF") || !strcmp(w, "-MT") || !strcmp(w, "-MQ")) {
                k++;
                continue;
            }
            if (!strcmp(w, f) || !strcmp(w, full)) continue;
            out[(*n)++] = tach__strdup(w);
        }
        if (out && d) *cwd = tach__strdup(d);
        for (size_t k = 0; k < nw; k++) tach__free(words[k]);
        tach__free(words);
        break;
    }
    json_decref(db);
    return out;
}

/* The text of a record's "message": its strings, and of each object its first string
 * value (an expression, a statement, a symbol), on one line.  The remark ends at a line
 * end that ends a string or is followed by a blank line: gcc appends its pass's summary
 * ("Unit growth for small function inlining: ...") to the last remark of a pass as
 * further strings of the same message. */
static char *message_text(const json_t *msg)
{
    tach__buf b = {0};
    size_t i;
    const json_t *m;
    bool ended = false;
    json_array_foreach(msg, i, m)
    {
        if (ended) break;
        const char *s = json_string_value(m);
        if (!s && json_is_object(m)) {
            const char *k;
            const json_t *v;
            json_object_foreach((json_t *)m, k, v)
                if ((s = json_string_value(v))) break;
        }
        for (; s && *s; s++) {
            if (*s == '\n' && (!s[1] || s[1] == '\n')) { /* the note after it is not the remark */
                ended = true;
                break;
            }
            tach__buf_put(&b, *s == '\n' || *s == '\t' ? " " : s, 1);
        }
    }
    char *t = tach__buf_take(&b);
    if (!t) return NULL;
    char *a = t; /* trimmed, spaces squeezed */
    while (*a == ' ') a++;
    size_t k = 0;
    for (char *p = a; *p; p++)
        if (!(*p == ' ' && (p[1] == ' ' || !p[1]))) t[k++] = *p;
    t[k] = '\0';
    return t;
}

/* Adds the missed vectorization and inlining remarks of one gcc record file. */
static void read_record(rctx *c, const char *path)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz) return;
    tach__buf b = {0};
    char chunk[65536];
    int got;
    while ((got = gzread(gz, chunk, sizeof chunk)) > 0) tach__buf_put(&b, chunk, (size_t)got);
    gzclose(gz);
    char *text = tach__buf_take(&b);
    json_t *doc = text ? json_loads(text, 0, NULL) : NULL;
    tach__free(text);
    size_t i;
    json_t *r;
    json_array_foreach(json_array_get(doc, 2), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "kind")) ? json_string_value(json_object_get(r, "kind")) : "", "failure"))
            continue;
        json_t *loc = json_object_get(r, "location");
        const char *file = json_string_value(json_object_get(loc, "file"));
        int line = (int)json_integer_value(json_object_get(loc, "line"));
        if (!file || line <= 0) continue;
        char *msg = message_text(json_object_get(r, "message"));
        const char *kind = !msg ? NULL : strstr(msg, "inlin") ? "inlining" : strstr(msg, "vectoriz") ? "vectorization" : NULL;
        bool dup = false;
        for (size_t k = 0; kind && k < c->nr && !dup; k++)
            dup = c->r[k].line == line && !strcmp(c->r[k].file, file) && !strcmp(c->r[k].message, msg);
        if (!kind || dup || TACH__GROW(&c->r, &c->r_cap, c->nr + 1, 16) != 0) {
            tach__free(msg);
            continue;
        }
        const char *fn = json_string_value(json_object_get(r, "function"));
        c->r[c->nr++] = (remark){tach__strdup(file), fn ? tach__strdup(fn) : NULL, (char *)kind, msg, line, 0};
    }
    json_decref(doc);
}

/* Compiles file with gcc and -fsave-optimization-record in a fresh directory under
 * tmp (an absolute path) and reads its record; in cwd when not NULL (file is then
 * made absolute).  false when gcc failed. */
static bool compile_one(rctx *c, cli_spawner *sp, const char *gcc, const char *file, char **flags,
                        size_t nflags, const char *tmp, size_t idx, const char *cwd)
{
    char src[4096];
    if (cwd && file[0] != '/' && realpath(file, src)) file = src;
    char dir[4200], obj[4300];
    snprintf(dir, sizeof dir, "%s/%zu", tmp, idx);
    snprintf(obj, sizeof obj, "%s/remarks.o", dir);
    if (mkdir(dir, 0700) != 0) return false;
    char **argv = tach__calloc(nflags + 16, sizeof *argv);
    if (!argv) return false;
    size_t k = 0;
    argv[k++] = (char *)gcc;
    bool has_o = false;
    for (size_t i = 0; i < nflags; i++) {
        argv[k++] = flags[i];
        has_o |= !strncmp(flags[i], "-O", 2);
    }
    if (!has_o) argv[k++] = "-O2";
    argv[k++] = "-fsave-optimization-record";
    argv[k++] = "-c";
    argv[k++] = (char *)file;
    argv[k++] = "-o";
    argv[k++] = obj;
    argv[k] = NULL;
    int code = 0;
    sp->capture_dir = cwd;
    char *out = cli_spawn_capture(sp, gcc, argv, environ, 1u << 20, 600ull * 1000000000ull, &code);
    sp->capture_dir = NULL;
    tach__free(out);
    tach__free(argv);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char p[4600];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        size_t n = strlen(e->d_name), m = strlen(".opt-record.json.gz");
        if (n > m && !strcmp(e->d_name + n - m, ".opt-record.json.gz")) read_record(c, p);
        if (e->d_name[0] != '.') unlink(p);
    }
    if (d) closedir(d);
    rmdir(dir);
    return code == 0;
}

static int by_share(const void *a, const void *b)
{
    const remark *x = a, *y = b;
    if (x->share != y->share) return x->share < y->share ? 1 : -1;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    return x->line != y->line ? x->line - y->line : strcmp(x->message, y->message);
}

int cli_findings_remarks(const cli_prof_args *a, const cli_prof_run *run, const char *cc_dir)
{
    rctx c;
    memset(&c, 0, sizeof c);
    char err[TACH__ERR_MAX];
    char rerr[TACH__ERR_MAX]; /* written by this run: one that cannot be read adds nothing */
    for (size_t i = 0; i < run->n; i++) (void)cli_hot_fns_read(&c.hot, run->speedscope[i], rerr);
    /* the hot frames' files, a relative DWARF name joined to its compile directory */
    tach__elf_lines *el = run->program ? tach__elf_lines_open(run->program, err) : NULL;
    char **files = tach__calloc(c.hot.n + 1, sizeof *files);
    size_t nfiles = 0;
    for (size_t i = 0; files && i < c.hot.n; i++) {
        if (!c.hot.fn[i].file || !c.hot.fn[i].self) continue;
        char *f = el ? tach__elf_lines_source(el, c.hot.fn[i].file) : tach__strdup(c.hot.fn[i].file);
        bool seen = !f || access(f, R_OK) != 0;
        for (size_t k = 0; k < nfiles && !seen; k++) seen = !strcmp(files[k], f);
        if (!seen) files[nfiles++] = f;
        else tach__free(f);
    }
    printf("\nCompiler remarks in the hot code (gcc -fsave-optimization-record, %zu source file%s):\n",
           nfiles, nfiles == 1 ? "" : "s");
    char *gcc = cli_find_executable("gcc", err);
    char **cf = NULL;
    size_t ncf = 0;
    if (!gcc) printf("note: gcc is not installed (Debian package gcc): no compiler remarks\n");
    if (a->cflags && cli_words_split(a->cflags, &cf, &ncf, err) != 0) ncf = 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s/tach-remarks-XXXXXX", cli_tmp_dir());
    cli_spawner sp;
    bool made = gcc && mkdtemp(tmp);
    char abs_tmp[4096]; /* gcc may run in another directory */
    if (made && !realpath(tmp, abs_tmp)) snprintf(abs_tmp, sizeof abs_tmp, "%s", tmp);
    bool ok = made && cli_spawner_init(&sp, NULL, CLI_OUTPUT_NULL, NULL, err) == 0;
    for (size_t i = 0; ok && i < nfiles; i++) {
        size_t nflags = 0;
        char *cwd = NULL;
        char **flags = cc_dir ? cc_flags(cc_dir, files[i], &nflags, &cwd) : NULL;
        if (!compile_one(&c, &sp, gcc, files[i], flags ? flags : cf, flags ? nflags : ncf, abs_tmp,
                         i, cwd))
            printf("note: gcc could not compile %s (give its flags with -p DIR or --cflags): its remarks "
                   "may be missing\n", files[i]);
        for (size_t k = 0; k < nflags; k++) tach__free(flags[k]);
        tach__free(flags);
        tach__free(cwd);
    }
    if (ok) cli_spawner_close(&sp);
    if (made) rmdir(tmp);
    /* keep the remarks in functions with self samples */
    size_t kept = 0;
    for (size_t i = 0; i < c.nr; i++) {
        remark *r = &c.r[i];
        const char *fn = el ? tach__elf_lines_func(el, r->file, r->line) : NULL;
        char base[512] = "";
        if (!fn && r->func) { /* gcc's name of a clone: hot_work.constprop.0 */
            snprintf(base, sizeof base, "%s", r->func);
            base[strcspn(base, ".")] = '\0';
            fn = base;
        }
        bool hot = false;
        for (size_t k = 0; fn && k < c.hot.n && !hot; k++)
            if (!strcmp(c.hot.fn[k].func, fn) && c.hot.fn[k].self) {
                hot = true;
                r->share = c.hot.samples ? (double)c.hot.fn[k].self / (double)c.hot.samples : 0;
                tach__free(r->func);
                r->func = tach__strdup(fn);
            }
        if (hot) {
            remark t = c.r[kept];
            c.r[kept++] = *r;
            *r = t;
        }
    }
    if (kept > 1) qsort(c.r, kept, sizeof *c.r, by_share);
    if (!kept) printf("no missed vectorization or inlining in code with samples\n");
    else printf("%4s  %6s  %-24s  %-36s  %s\n", "rank", "self %", "function", "file:line", "missed: remark");
    for (size_t i = 0; i < kept; i++)
        printf("%4zu  %5.1f%%  %-24s  %s:%-*d  %s: %s\n", i + 1, 100 * c.r[i].share, c.r[i].func,
               c.r[i].file, 1, c.r[i].line, c.r[i].kind, c.r[i].message);
    if (c.nr > kept) printf("(%zu more in code without samples, left out)\n", c.nr - kept);
    tach__elf_lines_close(el);
    cli_words_free(cf);
    tach__free(gcc);
    for (size_t i = 0; i < nfiles; i++) tach__free(files[i]);
    tach__free(files);
    for (size_t i = 0; i < c.nr; i++) {
        tach__free(c.r[i].file);
        tach__free(c.r[i].func);
        tach__free(c.r[i].message);
    }
    cli_hot_fns_free(&c.hot);
    tach__free(c.r);
    tach__stdout_flush();
    return CLI_OK;
}

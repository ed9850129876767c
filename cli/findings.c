/* findings.c - static findings joined to measured hot code (`tach findings`, `tach
 * profile --static`): clang-tidy (performance-* and
 * clang-analyzer-optin.performance.Padding, the checks that apply to C) and cppcheck
 * (performance, portability, warning) run over the source files that the profile's
 * frames with self samples come from, with compile_commands.json when there is one.
 * A finding is kept only when the function its line compiles into (libdw: the line
 * table of the profiled program) has self samples, and ranked by that self share.
 * The tools are run, not rewritten; a missing one is named with its package. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "prof_cli.h"
#include "run.h"

extern char **environ;

typedef struct finding {
    char *file, *check, *message, *func, *tool;
    int line;
    double share;
} finding;

typedef struct ctx {
    cli_hot_fns hot;
    char **files;
    size_t nfiles, files_cap;
    finding *f;
    size_t nf, f_cap;
    tach__buf unparsed; /* "FILE: ID [MACRO]" of the files cppcheck could not parse */
    char **unparsed_files;  /* those files, one entry each */
    size_t nunparsed, unparsed_cap;
} ctx;

/* cppcheck's own errors: it could not parse or configure the file (not findings) */
static bool cppcheck_own(const char *id)
{
    static const char *const own[] = {"unknownMacro", "syntaxError", "missingInclude",
                                      "missingIncludeSystem", "preprocessorErrorDirective",
                                      "internalAstError", "internalError", "cppcheckError",
                                      "toomanyconfigs", "noValidConfiguration",
                                      "unmatchedSuppression", "instantiationError",
                                      "checkersReport", "unhandledChar", "ConfigurationNotChecked",
                                      "normalCheckLevelMaxBranches"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (!strcmp(id, own[i])) return true;
    return false;
}

/* Notes that cppcheck could not parse file (id, the macro it names when one). */
static void note_unparsed(ctx *c, const char *file, const char *id, const char *msg)
{
    char what[256] = "";
    const char *m = strstr(msg, "If "), *e = m ? strstr(m, " is a macro") : NULL;
    if (!strcmp(id, "unknownMacro") && m && e && e - m - 3 < 128)
        snprintf(what, sizeof what, " %.*s", (int)(e - m - 3), m + 3);
    /* one entry a file, by its whole name (a.h is not sub/a.h, already noted) */
    for (size_t i = 0; i < c->nunparsed; i++)
        if (!strcmp(c->unparsed_files[i], file)) return;
    char *copy = tach__strdup(file);
    if (!copy || TACH__GROW(&c->unparsed_files, &c->unparsed_cap, c->nunparsed + 1, 8) != 0) {
        tach__free(copy);
        return;
    }
    c->unparsed_files[c->nunparsed++] = copy;
    tach__buf_printf(&c->unparsed, "%s%s: %s%s", c->nunparsed > 1 ? ", " : "", file, id, what);
}

int cli_hot_fns_read(cli_hot_fns *h, const char *path, char *err)
{
    json_error_t je;
    json_t *doc = json_load_file(path, 0, &je);
    if (!doc) return tach__err(err, "%s: %s", path, je.text);
    json_t *frames = json_object_get(json_object_get(doc, "shared"), "frames");
    json_t *p = json_array_get(json_object_get(doc, "profiles"), 0);
    json_t *samples = json_object_get(p, "samples"), *weights = json_object_get(p, "weights");
    size_t i;
    json_t *s;
    json_array_foreach(samples, i, s)
    {
        size_t d = json_array_size(s);
        uint64_t w = (uint64_t)json_integer_value(json_array_get(weights, i));
        h->samples += w;
        if (!d) continue;
        json_t *fr = json_array_get(frames, (size_t)json_integer_value(json_array_get(s, d - 1)));
        const char *name = json_string_value(json_object_get(fr, "name"));
        const char *file = json_string_value(json_object_get(fr, "file"));
        if (!name) continue;
        size_t k = 0;
        while (k < h->n && strcmp(h->fn[k].func, name)) k++;
        if (k == h->n) {
            if (TACH__GROW(&h->fn, &h->cap, h->n + 1, 32) != 0) break;
            h->fn[h->n++] = (cli_hot_fn){tach__strdup(name), file ? tach__strdup(file) : NULL, 0};
        }
        h->fn[k].self += w;
    }
    json_decref(doc);
    return 0;
}

void cli_hot_fns_free(cli_hot_fns *h)
{
    for (size_t i = 0; i < h->n; i++) {
        tach__free(h->fn[i].func);
        tach__free(h->fn[i].file);
    }
    tach__free(h->fn);
    *h = (cli_hot_fns){0};
}

/* Adds the source file a hot frame names (relative to its compile directory when
 * the DWARF name is relative); one that cannot be read goes to the missing list. */
static void add_file(ctx *c, tach__elf_lines *el, const char *file, tach__buf *missing, size_t *nmissing)
{
    if (!file) return;
    char *path = el ? tach__elf_lines_source(el, file) : tach__strdup(file);
    if (!path) return;
    bool seen = false;
    for (size_t i = 0; i < c->nfiles && !seen; i++) seen = !strcmp(c->files[i], path);
    if (!seen && access(path, R_OK) != 0) {
        if (*nmissing < 8) tach__buf_printf(missing, "%s%s", *nmissing ? ", " : "", path);
        else if (*nmissing == 8) tach__buf_printf(missing, ", ...");
        ++*nmissing;
        seen = true;
    }
    if (!seen && TACH__GROW(&c->files, &c->files_cap, c->nfiles + 1, 16) == 0) {
        c->files[c->nfiles++] = path;
        path = NULL;
    }
    tach__free(path);
}

/* "FILE:LINE:COL: SEVERITY: MESSAGE [CHECK]" lines (both tools print them so). */
static void parse(ctx *c, const char *text, const char *tool)
{
    for (const char *s = text; s && *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        char *line = tach__malloc(len + 1);
        if (!line) return;
        memcpy(line, s, len);
        line[len] = '\0';
        s = nl ? nl + 1 : NULL;
        char *a = strstr(line, ": ");
        char *br = strrchr(line, '[');
        char *file = line, *colon1 = NULL;
        /* FILE:LINE:COL: first, the file may hold colons only before LINE */
        for (char *q = line; a && q < a; q++)
            if (*q == ':' && isdigit((unsigned char)q[1])) { colon1 = q; break; }
        if (!a || !br || !colon1 || line[len - 1] != ']') {
            tach__free(line);
            continue;
        }
        *colon1 = '\0';
        int ln = atoi(colon1 + 1);
        char *sev = a + 2, *msg = strstr(sev, ": ");
        if (!msg || msg > br) {
            tach__free(line);
            continue;
        }
        *msg = '\0';
        msg += 2;
        br[-1] = '\0';
        char *check = br + 1;
        check[strlen(check) - 1] = '\0';
        bool compile_error = !strncmp(check, "clang-diagnostic-", 17) || !strcmp(sev, "note");
        if (!strcmp(tool, "cppcheck") && cppcheck_own(check)) {
            note_unparsed(c, file, check, msg);
            compile_error = true;
        }
        if (!compile_error && ln > 0 && TACH__GROW(&c->f, &c->f_cap, c->nf + 1, 16) == 0) {
            c->f[c->nf++] = (finding){tach__strdup(file), tach__strdup(check), tach__strdup(msg), NULL,
                                      (char *)tool, ln, 0};
        }
        tach__free(line);
    }
}

char *cli_find_compile_commands(const char *dir)
{
    char buf[4096];
    if (dir) return tach__strdup(dir);
    if (!getcwd(buf, sizeof buf - 64)) return NULL;
    for (;;) {
        size_t n = strlen(buf);
        for (int k = 0; k < 2; k++) {
            snprintf(buf + n, sizeof buf - n, k ? "/build/compile_commands.json" : "/compile_commands.json");
            if (access(buf, R_OK) == 0) {
                buf[n + (k ? strlen("/build") : 0)] = '\0';
                return tach__strdup(buf);
            }
        }
        buf[n] = '\0';
        char *sl = strrchr(buf, '/');
        if (!sl || sl == buf) return NULL;
        *sl = '\0';
    }
}

static int by_share(const void *a, const void *b)
{
    const finding *x = a, *y = b;
    if (x->share != y->share) return x->share < y->share ? 1 : -1;
    int c = strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

static char *run_tool(cli_spawner *sp, const char *path, char **argv)
{
    int code = 0;
    return cli_spawn_capture(sp, path, argv, environ, 16u << 20, 600ull * 1000000000ull, &code);
}

int cli_findings(const cli_prof_args *a, const cli_prof_run *run)
{
    ctx c;
    memset(&c, 0, sizeof c);
    char err[TACH__ERR_MAX];
    int rc = CLI_OK;
    for (size_t i = 0; i < run->n; i++)
        if (cli_hot_fns_read(&c.hot, run->speedscope[i], err) != 0) rc = cli_error(CLI_FAIL, "%s", err);
    tach__elf_lines *el = run->program ? tach__elf_lines_open(run->program, err) : NULL;
    tach__buf missing = {0};
    size_t nmissing = 0;
    for (size_t i = 0; i < c.hot.n; i++)
        if (c.hot.fn[i].self) add_file(&c, el, c.hot.fn[i].file, &missing, &nmissing);
    printf("\nStatic findings in the hot code (%zu source file%s with samples):\n", c.nfiles,
           c.nfiles == 1 ? "" : "s");
    if (!c.nfiles && nmissing)
        printf("note: no source file of the hot code was found (%zu missing: %s)\n", nmissing,
               missing.p ? missing.p : "");
    tach__free(missing.p);
    char *cc = cli_find_compile_commands(a->compile_commands);
    cli_spawner sp;
    bool sp_ok = cli_spawner_init(&sp, NULL, CLI_OUTPUT_NULL, NULL, err) == 0;
    char *tidy = cli_find_executable("clang-tidy", err), *cppcheck = cli_find_executable("cppcheck", err);
    if (!tidy) printf("note: clang-tidy is not installed (Debian package clang-tidy): its checks are skipped\n");
    if (!cppcheck) printf("note: cppcheck is not installed (Debian package cppcheck): its checks are skipped\n");
    char **cf = NULL;
    size_t ncf = 0;
    if (a->cflags && cli_words_split(a->cflags, &cf, &ncf, err) != 0) {
        rc = cli_usage_error("--cflags: %s", err);
        ncf = 0;
    }
    if (sp_ok && c.nfiles && rc == CLI_OK) {
        char **argv = tach__calloc(c.nfiles + ncf + 16, sizeof *argv);
        char **owned = tach__calloc(c.nfiles + 1, sizeof *owned);
        size_t nowned = 0;
        char pflag[4200];
        bool project = cc != NULL; /* cppcheck --project */
        for (int tool = 0; argv && owned && tool < 2; tool++) {
            const char *path = tool ? cppcheck : tidy;
            if (!path) continue;
            size_t k = 0;
            argv[k++] = (char *)path;
            if (!tool) {
                argv[k++] = "--quiet";
                argv[k++] = "-checks=-*,performance-*,clang-analyzer-optin.performance.Padding";
                if (cc) {
                    snprintf(pflag, sizeof pflag, "-p=%s", cc);
                    argv[k++] = pflag;
                }
            } else {
                argv[k++] = "--quiet";
                argv[k++] = "--enable=performance,portability,warning";
                argv[k++] = "--template={file}:{line}:{column}: {severity}: {message} [{id}]";
                /* the program was built by GCC or Clang: their configuration (cppcheck
                 * defines no compiler macro; headers that #error without one are lost) */
                argv[k++] = "-D__GNUC__";
                for (size_t i = 0; i < ncf; i++)
                    if (!strncmp(cf[i], "-I", 2) || !strncmp(cf[i], "-D", 2)) argv[k++] = cf[i];
                if (project) { /* the flags of compile_commands.json, only the hot files */
                    snprintf(pflag, sizeof pflag, "--project=%s/compile_commands.json", cc);
                    argv[k++] = pflag;
                }
            }
            for (size_t i = 0; i < c.nfiles; i++) {
                if (tool && project) {
                    size_t n = strlen(c.files[i]) + 16;
                    char *ff = tach__malloc(n);
                    if (!ff) continue;
                    snprintf(ff, n, "--file-filter=%s", c.files[i]);
                    argv[k++] = ff;
                    owned[nowned++] = ff;
                } else {
                    argv[k++] = c.files[i];
                }
            }
            if (!tool && !cc) {
                argv[k++] = "--";
                for (size_t i = 0; i < ncf; i++) argv[k++] = cf[i];
            }
            argv[k] = NULL;
            char *out = NULL;
            if (tool) { /* cppcheck writes its findings on stderr: through a shell */
                char *cmd = cli_words_join(argv);
                size_t n = cmd ? strlen(cmd) + 16 : 0;
                char *full = cmd ? tach__malloc(n) : NULL;
                if (full) {
                    snprintf(full, n, "%s 2>&1", cmd);
                    char *sh[] = {"/bin/sh", "-c", full, NULL};
                    out = run_tool(&sp, "/bin/sh", sh);
                }
                tach__free(full);
                tach__free(cmd);
            } else {
                out = run_tool(&sp, path, argv);
            }
            while (nowned) tach__free(owned[--nowned]);
            const char *fatal = tool && project && out ? strstr(out, "cppcheck: error: ") : NULL;
            if (fatal) {
                /* the database could not be used (it has none of the hot files, names a
                 * file that is gone...): the files themselves, with --cflags */
                fatal += strlen("cppcheck: error: ");
                int len = (int)strcspn(fatal, "\n");
                while (len > 0 && fatal[len - 1] == '.') len--;
                printf("note: cppcheck could not use compile_commands.json in %s (%.*s): it checks "
                       "the hot files without it\n", cc, len > 200 ? 200 : len, fatal);
                tach__free(out);
                project = false;
                tool--;
                continue;
            }
            parse(&c, out, tool ? "cppcheck" : "clang-tidy");
            tach__free(out);
        }
        tach__free(owned);
        tach__free(argv);
    }
    /* keep the findings in functions with self samples */
    size_t kept = 0;
    for (size_t i = 0; i < c.nf; i++) {
        finding *f = &c.f[i];
        const char *fn = el ? tach__elf_lines_func(el, f->file, f->line) : NULL;
        for (size_t k = 0; fn && k < c.hot.n; k++)
            if (!strcmp(c.hot.fn[k].func, fn) && c.hot.fn[k].self) {
                f->func = tach__strdup(fn);
                f->share = c.hot.samples ? (double)c.hot.fn[k].self / (double)c.hot.samples : 0;
            }
        bool dup = false;
        for (size_t k = 0; k < kept && !dup; k++)
            dup = c.f[k].line == f->line && !strcmp(c.f[k].file, f->file) && !strcmp(c.f[k].check, f->check) &&
                  c.f[k].message && f->message && !strcmp(c.f[k].message, f->message); /* two on one line are two */
        if (f->func && !dup) {
            finding t = c.f[kept];
            c.f[kept] = *f;
            *f = t;
            kept++;
        }
    }
    if (kept > 1) qsort(c.f, kept, sizeof *c.f, by_share);
    if (!kept) printf("no finding in code with samples\n");
    else printf("%4s  %6s  %-24s  %-36s  %s\n", "rank", "self %", "function", "file:line", "check: message");
    for (size_t i = 0; i < kept; i++)
        printf("%4zu  %5.1f%%  %-24s  %s:%-*d  %s: %s (%s)\n", i + 1, 100 * c.f[i].share, c.f[i].func,
               c.f[i].file, 1, c.f[i].line, c.f[i].check, c.f[i].message, c.f[i].tool);
    if (c.nf > kept) printf("(%zu more in code without samples, left out)\n", c.nf - kept);
    if (c.nunparsed)
        printf("note: cppcheck could not parse %s; give --cflags -I... or a compile_commands.json\n",
               c.unparsed.p);
    tach__free(c.unparsed.p);
    for (size_t i = 0; i < c.nunparsed; i++) tach__free(c.unparsed_files[i]);
    tach__free(c.unparsed_files);
    tach__elf_lines_close(el);
    if (sp_ok) cli_spawner_close(&sp);
    cli_words_free(cf);
    tach__free(tidy);
    tach__free(cppcheck);
    tach__free(cc);
    for (size_t i = 0; i < c.nf; i++) {
        tach__free(c.f[i].file);
        tach__free(c.f[i].check);
        tach__free(c.f[i].message);
        tach__free(c.f[i].func);
    }
    cli_hot_fns_free(&c.hot);
    for (size_t i = 0; i < c.nfiles; i++) tach__free(c.files[i]);
    tach__free(c.f);
    tach__free(c.files);
    tach__stdout_flush();
    return rc;
}

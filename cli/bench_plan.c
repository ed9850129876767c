/*
 * bench_plan.c - `tach bench`'s second phase: what will run, for which criteria, and
 * for how long.
 *
 * Every path is checked before anything runs (relative paths are the project's: the
 * folder holding .tach/, where tach bench works), and every binary a bench or load item
 * names answers --tach-probe (a libtach benchmark binary, as tach run recognises one), and
 * a bench line's words are ones its binary takes (asked with --list).  A criterion is measured by passing a
 * benchmark binary the flag its --help lists (latency --latency, memory --memory, cpu
 * --counters, scalability --threads; throughput needs none), so a binary built with an
 * older libtach is run without it and the plan says which criteria it cannot give.
 * Commands give throughput, latency (the spread of their run times), memory (peak RSS)
 * and cpu (user and system time) by themselves, never scalability.  The expected
 * duration is what each module took in the newest earlier run of the same kind (quick
 * or full), read from the tags of the store's runs.  Each item's child command line
 * (cli_bench_child_argv) is made here too: phase 3 runs it, and a load line's options
 * are checked by tach load's own checks (cli_load_check) before anything runs.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "load_cli.h"
#include "report.h"
#include "store_cli.h"

extern char **environ;

const char *cli_bitem_status_name(cli_bitem_status s)
{
    static const char *const names[] = {"pending", "ok", "failed", "timeout", "no results",
                                        "not available", "interrupted"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "?";
}

int cli_bench_vpush(char ***v, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = tool_strv_vpush(v, n, fmt, ap);
    va_end(ap);
    return rc;
}

void cli_bench_vfree(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) tach__free(v[i]);
    tach__free(v);
}

static const char *kind_key(cli_bitem_kind k)
{
    return k == CLI_BITEM_BENCH ? "bench" : k == CLI_BITEM_COMMAND ? "command" : "load";
}

/* "FILE:LINE: KEY = VALUE: what" and CLI_USAGE. */
static int bad_item(const cli_bench *b, const cli_bitem *it, const char *what)
{
    return cli_error(CLI_USAGE, "%s:%d: %s = %s: %s", b->cfg.path, it->src->line,
                     kind_key(it->kind), cli_term(it->src->shown), what);
}

/* Does help list flag, and does it take a value ("--threads LIST", "--threads=N")? */
static bool help_lists(const char *help, const char *flag, bool *takes_value)
{
    size_t n = strlen(flag);
    for (const char *p = help; (p = strstr(p, flag)) != NULL; p += n) {
        if (p > help && p[-1] != ' ' && p[-1] != ',' && p[-1] != '\t' && p[-1] != '\n')
            continue;
        char c = p[n];
        if (c == '=' || c == '[') {
            *takes_value = c == '=';
            return true;
        }
        if (c == ' ' && p[n + 1] >= 'A' && p[n + 1] <= 'Z') {
            *takes_value = true;
            return true;
        }
        if (c == ' ' || c == '\n' || c == ',' || c == '\t' || c == 0) {
            *takes_value = false;
            return true;
        }
    }
    return false;
}

/* "1,2,4,...,ncpu" (powers of two, and the CPU count), for --threads. */
static void thread_counts(char *buf, size_t size)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu < 2) ncpu = 2;
    size_t len = 0;
    for (long t = 1; t < ncpu && len < size; t *= 2)
        len += (size_t)snprintf(buf + len, size - len, "%ld,", t);
    if (len < size) snprintf(buf + len, size - len, "%ld", ncpu);
}

static void add_why(cli_bitem *it, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_why(cli_bitem *it, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t old = it->not_measured ? strlen(it->not_measured) : 0;
    char *n = tach__realloc(it->not_measured, old + strlen(buf) + 3);
    if (!n) return;
    if (old) strcpy(n + old, "; "), old += 2;
    strcpy(n + old, buf);
    it->not_measured = n;
}

/* Which flags the binary takes for the asked criteria, from its --help. */
static void probe_flags(cli_bench *b, cli_bitem *it, unsigned asked)
{
    static const struct { unsigned bit; const char *flag; } map[] = {
        {CLI_CRIT_LATENCY, "--latency"}, {CLI_CRIT_MEMORY, "--memory"},
        {CLI_CRIT_CPU, "--counters"}, {CLI_CRIT_SCALABILITY, "--threads"}};
    char *argv[] = {it->path, "--help", NULL};
    int code = 0;
    char *help = cli_spawn_capture(&b->sp, it->path, argv, environ, 1 << 20, 10000000000ull, &code);
    it->measured = CLI_CRIT_THROUGHPUT & asked;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++) {
        if (!(asked & map[i].bit)) continue;
        bool value = false;
        if (!help || !help_lists(help, map[i].flag, &value)) {
            add_why(it, "%s: its --help lists no %s (built with a libtach without it)",
                    cli_criterion_name(map[i].bit), map[i].flag);
            continue;
        }
        char arg[128];
        if (value && map[i].bit == CLI_CRIT_SCALABILITY) {
            char counts[64];
            thread_counts(counts, sizeof counts);
            snprintf(arg, sizeof arg, "%s=%s", map[i].flag, counts);
        } else if (value) {
            add_why(it, "%s: %s wants a value tach bench does not know",
                    cli_criterion_name(map[i].bit), map[i].flag);
            continue;
        } else {
            snprintf(arg, sizeof arg, "%s", map[i].flag);
        }
        it->flags[it->nflags++] = tach__strdup(arg);
        it->measured |= map[i].bit;
    }
    bool value = false;
    if (b->profile) {
        if (help && help_lists(help, "--profile", &value) && !value)
            it->flags[it->nflags++] = tach__strdup("--profile");
        else
            add_why(it, "--profile: its --help lists no --profile");
    }
    tach__free(help);
}

static int add_items(cli_bench *b, const cli_module *m, cli_bitem_kind kind,
                     const cli_config_item *src, size_t n)
{
    cli_bitem *ni = tach__realloc(b->items, (b->nitems + n) * sizeof *ni);
    if (!ni && n) return cli_error(CLI_FAIL, "out of memory");
    b->items = ni;
    for (size_t i = 0; i < n; i++) {
        cli_bitem *it = &b->items[b->nitems++];
        memset(it, 0, sizeof *it);
        it->mod = m;
        it->kind = kind;
        it->src = &src[i];
        it->expected_s = NAN;
    }
    return CLI_OK;
}

/* Checks one item's words and paths, and resolves its executable. */
/* A Ctrl-C or SIGTERM that ended a --tach-probe: tach stops (130, 143), nothing run. */
static int probe_stopped(const cli_bench *b)
{
    fprintf(stderr, "tach bench: interrupted while checking the plan; nothing was run\n");
    return cli_spawner_stop_status(&b->sp);
}

char **cli_bench_child_argv(const cli_bench *b, const cli_bitem *it, const char *out, bool reduced,
                            char *tbuf, char *bbuf, char *pbuf, size_t psize)
{
    size_t cap = 40 + it->nwords + it->nflags;
    char **v = tach__calloc(cap, sizeof *v);
    if (!v) return NULL;
    size_t n = 0;
    v[n++] = b->self;
    if (it->kind == CLI_BITEM_LOAD) {
        /* quick: a 2 s run; reduced: half the --rate (words[0] is the target) */
        bool dur_seen = false;
        v[n++] = "load";
        for (size_t i = 0; i < it->nwords; i++) {
            const char *w = it->words[i];
            bool is_dur = !strcmp(w, "--duration"), is_rate = !strcmp(w, "--rate");
            v[n++] = it->words[i];
            if (!(is_dur || is_rate) || i + 1 >= it->nwords) continue;
            i++;
            if (is_dur && b->quick) {
                dur_seen = true;
                v[n++] = "2s";
            } else if (is_rate) {
                /* "500/s" (the config's spelling) is tach load's 500; halved on a retry */
                char *end;
                double r = strtod(it->words[i], &end);
                bool per_s = !strcmp(end, "/s");
                snprintf(tbuf, 32, "%.10g%s", reduced ? r / 2 : r, per_s ? "" : end);
                v[n++] = r > 0 && (reduced || per_s) ? tbuf : it->words[i];
            } else {
                v[n++] = it->words[i];
            }
        }
        if (b->quick && !dur_seen) {
            v[n++] = "--duration";
            v[n++] = "2s";
        }
        v[n++] = "--no-store";
        v[n++] = "--quiet";
        v[n++] = "--export-json";
        v[n++] = (char *)out;
        v[n] = NULL;
        (void)bbuf;
        return v;
    }
    v[n++] = "run";
    v[n++] = "--no-store";
    v[n++] = "--style";
    v[n++] = "none";
    v[n++] = "--export-json";
    v[n++] = (char *)out;
    if (b->timeout_s > 0) {
        snprintf(tbuf, 32, "%g", b->timeout_s);
        v[n++] = "--timeout";
        v[n++] = tbuf;
    }
    double budget = b->bench_time_s > 0 ? b->bench_time_s : b->quick ? 0.3 : 0;
    if (it->kind == CLI_BITEM_BENCH) {
        if (budget > 0) {
            snprintf(bbuf, 32, "%g", budget);
            v[n++] = "--bench-time";
            v[n++] = bbuf;
        }
        if (b->quick || reduced) {
            /* one worker process, as promised: no extra round for a benchmark slowed
             * in most of its rounds (it would double the quick budget) */
            v[n++] = "--processes";
            v[n++] = "1";
            v[n++] = "--no-extra-rounds";
        }
        v[n++] = it->path;
        v[n++] = "--";
        for (size_t i = 0; i < it->nflags; i++) {
            if (reduced && !strncmp(it->flags[i], "--threads", 9)) v[n++] = "--threads=1";
            else v[n++] = it->flags[i];
            if (!strcmp(it->flags[i], "--profile") && b->profile_dir) {
                /* each run's profiles in a folder of their own, per module */
                snprintf(pbuf, psize, "--profile-dir=%s/%s", b->profile_dir, it->mod->name);
                v[n++] = pbuf;
            }
        }
        for (size_t i = 1; i < it->nwords; i++) v[n++] = it->words[i];
    } else {
        if (b->quick || reduced) {
            v[n++] = "--runs";
            v[n++] = "3";
        } else if (budget > 0) {
            snprintf(bbuf, 32, "%g", budget);
            v[n++] = "--min-time";
            v[n++] = bbuf;
        }
        v[n++] = "-c";
        v[n++] = it->src->text;
    }
    v[n] = NULL;
    return v;
}

/* The last line of f that is not blank, whole, into buf: one longer than buf is cut at a
 * character with "…" (read in pieces of a fixed size, a long line was its last piece,
 * begun inside a character). */
static void last_line(FILE *f, char *buf, size_t size)
{
    char *l = NULL;
    size_t cap = 0;
    buf[0] = '\0';
    rewind(f);
    while (getline(&l, &cap, f) > 0) {
        l[strcspn(l, "\r\n")] = '\0';
        if (!l[0]) continue;
        if (strlen(l) < size) snprintf(buf, size, "%s", l);
        else snprintf(buf, size, "%.*s\xe2\x80\xa6", tach__utf8_prec(l, size - 4), l);
    }
    free(l);
}

/* A bench line's words are the binary's own options: asked of it with --list, after the
 * criteria's flags as the run passes them, a value it refuses (exit 2) or a --filter that
 * selects none (nothing listed) is refused now with the binary's own line, as a load
 * line's options are, not an item failed when its turn comes. */
static int check_bench_words(cli_bench *b, const cli_bitem *it)
{
    if (it->nwords < 2) return CLI_OK;
    /* tach run, which runs the binary's workers, refuses a word that gives again what it
     * passes each worker itself: the item failed at its turn with its usage error */
    for (size_t i = 1; i < it->nwords; i++) {
        bool output = false;
        const char *own = cli_run_owned_arg(it->words[i], false, b->timeout_s > 0, false, false,
                                            &output);
        if (!own) continue;
        char why[300];
        if (!strcmp(own, "max-time"))
            snprintf(why, sizeof why, "'%s': each benchmark's budget is tach bench's to give "
                                      "(tach bench --bench-time S)", cli_term(it->words[i]));
        else if (!strcmp(own, "timeout"))
            snprintf(why, sizeof why, "'%s': the timeout is tach bench's to give "
                                      "(tach bench --timeout S)", cli_term(it->words[i]));
        else
            snprintf(why, sizeof why, "'%s': tach bench reads the binary's results itself",
                     cli_term(it->words[i]));
        return bad_item(b, it, why);
    }
    char **argv = tach__calloc(it->nflags + it->nwords + 2, sizeof *argv);
    FILE *out = tmpfile(), *err = tmpfile();
    if (!argv || !out || !err) {
        tach__free(argv);
        if (out) fclose(out);
        if (err) fclose(err);
        return cli_error(CLI_FAIL, "out of memory or no temporary file");
    }
    size_t n = 0;
    argv[n++] = it->path;
    for (size_t i = 0; i < it->nflags; i++) argv[n++] = it->flags[i];
    for (size_t i = 1; i < it->nwords; i++) argv[n++] = it->words[i];
    argv[n++] = "--list";
    argv[n] = NULL;
    int code = 0;
    cli_run_outcome oc = cli_spawn_wait(&b->sp, it->path, argv, environ, fileno(out), fileno(err),
                                        10000000000ull, &code);
    tach__free(argv);
    long listed = (fflush(out), fseek(out, 0, SEEK_END), ftell(out));
    char line[2048];
    last_line(err, line, sizeof line);
    fclose(out);
    fclose(err);
    if (cli_spawner_stop_status(&b->sp)) return probe_stopped(b); /* not "no answer" */
    if (oc != CLI_RUN_DONE || (code == 0 && listed > 0)) return CLI_OK; /* the run will say */
    char why[sizeof line + 64];
    snprintf(why, sizeof why, "the binary refuses its words: %s",
             line[0] ? cli_term(line) : code ? "it exits with an error to --list"
                                             : "they select no benchmark (--list lists none)");
    return bad_item(b, it, why);
}

/* A load line, checked as the child tach load will check it before its run (its own
 * option table and checks, on the words as bench passes them; a binary target probed
 * and asked for its operations): what it would refuse is refused now, not a failed item
 * when its turn comes. */
static int check_load_line(cli_bench *b, const cli_bitem *it)
{
    char tbuf[32], bbuf[32], pbuf[8], err[TACH__ERR_MAX] = "";
    /* its export to a file that can be written, as the child's temporary one */
    char **argv = cli_bench_child_argv(b, it, "/dev/null", false, tbuf, bbuf, pbuf, sizeof pbuf);
    if (!argv) return cli_error(CLI_FAIL, "out of memory");
    int argc = 0;
    while (argv[argc]) argc++;
    int rc = cli_load_check(argc - 1, argv + 1, &b->sp, err); /* argv[1] is "load" */
    tach__free(argv);
    if (rc == CLI_OK) return CLI_OK;
    if (cli_spawner_stop_status(&b->sp)) return probe_stopped(b); /* not "no answer" */
    char why[TACH__ERR_MAX + 32];
    snprintf(why, sizeof why, "tach load: %s", err[0] ? err : "refused it (above)");
    return bad_item(b, it, why);
}

static int check_item(cli_bench *b, cli_bitem *it)
{
    char err[TACH__ERR_MAX];
    if (cli_words_split(it->src->text, &it->words, &it->nwords, err) != 0)
        return bad_item(b, it, err);
    if (it->nwords == 0) return bad_item(b, it, "nothing to run");
    const char *w0 = it->words[0];
    bool url = it->kind == CLI_BITEM_LOAD && strstr(w0, "://");
    if (strchr(w0, '/') && !url) {
        struct stat st;
        if (stat(w0, &st) != 0)
            return bad_item(b, it, errno == ENOENT ? "no such file (relative paths are the "
                                                     "project's, beside .tach/)"
                                                   : strerror(errno));
        if (S_ISDIR(st.st_mode)) return bad_item(b, it, "is a directory");
    }
    if (it->kind == CLI_BITEM_LOAD && b->have_load) return check_load_line(b, it);
    if (url) return CLI_OK;
    char *path = cli_find_executable(w0, err);
    if (!path) return bad_item(b, it, err);
    if (it->kind == CLI_BITEM_LOAD) {
        /* tach load BINARY OP...: a libtach binary, recognised as tach load does */
        bool lib = cli_bench_probe(&b->sp, path, environ);
        tach__free(path);
        if (cli_spawner_stop_status(&b->sp)) return probe_stopped(b); /* not "no answer" */
        return lib ? CLI_OK
                   : bad_item(b, it, "not a libtach benchmark binary (it does not answer "
                                     "--tach-probe; tach load runs a binary's TACH_OP "
                                     "operations, or a URL)");
    }
    if (it->kind == CLI_BITEM_BENCH && strpbrk(path, " \t\n'\"\\")) {
        /* tach run takes such a word for a command line: the item would fail when its
         * turn came, with tach run's usage error as its reason */
        tach__free(path);
        return bad_item(b, it, "a benchmark binary's path cannot hold a blank, a quote or a "
                               "backslash (tach run would read it as a command line): move "
                               "the binary, or give a symlink's path");
    }
    it->path = path;
    /* A bench item is run as a libtach binary's workers: a program of another kind is
     * refused now, as tach run would recognise it, not when its turn comes. */
    bool lib = it->kind != CLI_BITEM_BENCH || cli_bench_probe(&b->sp, path, environ);
    if (cli_spawner_stop_status(&b->sp)) return probe_stopped(b); /* not "no answer" */
    if (!lib)
        return bad_item(b, it, "not a libtach benchmark binary (it does not answer "
                               "--tach-probe; time another program with command =)");
    return CLI_OK;
}

/* (A module's name has no '=' to split the tag KEY=VALUE: config_suite.c's module_name
 * takes letters, digits, '-', '_' and '.' only.) */
void cli_bitem_key(const cli_bench *b, size_t i, char *buf, size_t size)
{
    const cli_bitem *it = &b->items[i];
    size_t n = 0;
    for (size_t j = 0; j < i; j++)
        n += b->items[j].mod == it->mod && b->items[j].kind == it->kind;
    snprintf(buf, size, "seconds.%s.%s.%zu", it->mod->name, kind_key(it->kind), n);
}

/* What each module took in the newest earlier run of the same kind (quick or full). */
static void expected_durations(cli_bench *b)
{
    const char *spec = cli_store_spec(b->store_opt);
    char err[TACH__ERR_MAX];
    tool_store *s = tool_store_open(spec, 0, err);
    if (!s) return;
    tool_run_filter f = {.tag = b->quick ? "tach_bench=quick" : "tach_bench=full", .last = 1};
    tool_run_info *runs = NULL;
    size_t n = 0;
    if (tool_store_runs(s, &f, &runs, &n, err) == 0 && n == 1) {
        for (size_t i = 0; i < b->nitems; i++) {
            char key[200];
            cli_bitem_key(b, i, key, sizeof key);
            for (size_t t = 0; t < runs[0].ntags; t++)
                if (!strcmp(runs[0].tags[t].name, key))
                    b->items[i].expected_s = strtod(runs[0].tags[t].value, NULL);
        }
    }
    tool_run_infos_free(runs, n);
    tool_store_close(s);
}

int cli_bench_plan(cli_bench *b)
{
    int rc;
    for (size_t k = 0; k < b->nmods; k++) {
        const cli_module *m = b->mods[k];
        if ((rc = add_items(b, m, CLI_BITEM_BENCH, m->bench, m->nbench)) ||
            (rc = add_items(b, m, CLI_BITEM_COMMAND, m->command, m->ncommand)) ||
            (rc = add_items(b, m, CLI_BITEM_LOAD, m->load, m->nload)))
            return rc;
    }
    for (size_t i = 0; i < b->nitems; i++)
        if ((rc = check_item(b, &b->items[i])) != CLI_OK) return rc;
    for (size_t i = 0; i < b->nitems; i++) {
        cli_bitem *it = &b->items[i];
        unsigned asked = b->criteria ? b->criteria
                         : it->mod->criteria ? it->mod->criteria : CLI_CRIT_THROUGHPUT;
        if (it->kind == CLI_BITEM_BENCH) {
            probe_flags(b, it, asked);
            if ((rc = check_bench_words(b, it)) != CLI_OK) return rc;
        } else if (it->kind == CLI_BITEM_COMMAND) {
            it->measured = asked & ~(unsigned)CLI_CRIT_SCALABILITY;
            if (asked & CLI_CRIT_SCALABILITY)
                add_why(it, "scalability: a command has no thread sweep");
            if (b->profile) add_why(it, "--profile: commands are not profiled");
        } else {
            it->measured = b->have_load ? asked & (CLI_CRIT_THROUGHPUT | CLI_CRIT_LATENCY) : 0;
            if (!b->have_load)
                add_why(it, "tach load is not available in this build");
            else if (asked & ~(unsigned)(CLI_CRIT_THROUGHPUT | CLI_CRIT_LATENCY))
                add_why(it, "a load run gives throughput and latency only");
        }
    }
    expected_durations(b);
    b->expected_s = 0;
    for (size_t i = 0; i < b->nitems; i++)
        if (isfinite(b->items[i].expected_s)) b->expected_s += b->items[i].expected_s;
        else b->expected_s = NAN;
    return CLI_OK;
}

void cli_bench_plan_print(const cli_bench *b, FILE *f)
{
    for (size_t k = 0; k < b->nmods; k++) {
        const cli_module *m = b->mods[k];
        fprintf(f, "  module %s:\n", cli_term(m->name));
        for (size_t i = 0; i < b->nitems; i++) {
            const cli_bitem *it = &b->items[i];
            if (it->mod != m) continue;
            char crit[128] = "";
            size_t len = 0;
            for (unsigned bit = 1; bit <= CLI_CRIT_SCALABILITY; bit <<= 1)
                if (it->measured & bit)
                    len += (size_t)snprintf(crit + len, sizeof crit - len, "%s%s",
                                            len ? " " : "", cli_criterion_name(bit));
            fprintf(f, "    %-7s %s  [%s]", kind_key(it->kind), cli_term(it->src->shown),
                    len ? crit : "nothing measurable");
            for (size_t j = 0; j < it->nflags; j++) fprintf(f, " %s", it->flags[j]);
            if (isfinite(it->expected_s)) fprintf(f, " ~%.0f s", it->expected_s);
            fputc('\n', f);
            if (it->not_measured)
                fprintf(f, "            not measured: %s\n", cli_term(it->not_measured));
        }
    }
    if (isfinite(b->expected_s))
        fprintf(f, "  expected duration: about %.0f s (the last %s run)\n", b->expected_s,
                b->quick ? "quick" : "full");
    else
        fprintf(f, "  expected duration: unknown (no earlier %s run of every item in the store)\n",
                b->quick ? "quick" : "full");
}

void cli_bench_items_free(cli_bench *b)
{
    for (size_t i = 0; i < b->nitems; i++) {
        cli_bitem *it = &b->items[i];
        cli_words_free(it->words);
        tach__free(it->path);
        for (size_t j = 0; j < it->nflags; j++) tach__free(it->flags[j]);
        tach__free(it->not_measured);
        tach__free(it->err_tail);
    }
    tach__free(b->items);
    b->items = NULL;
    b->nitems = 0;
}

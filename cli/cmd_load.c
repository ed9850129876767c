/*
 * cmd_load.c - `tach load`: latency under load, corrected for coordinated omission.
 *
 *   tach load ./bench OP[:WEIGHT]...   operations a libtach binary registers (TACH_OP),
 *                                      run in its load mode (a process of their own)
 *   tach load URL[:WEIGHT]...          HTTP endpoints, through src/load/http.c
 *
 * The order of things: options and their checks (exit 2, nothing run), the target
 * checked (a binary that has the operations, a server that answers), the run (or the
 * --find-max-rate search, load_search.c), the objectives, the summary, the exports,
 * the store.  docs/load.md is the user's side.
 *
 * (About 710 lines: the checks before the run read the option table and the state the
 * run then uses, and tach bench makes them on its load lines through cli_load_check;
 * the run, the search, the objectives and the summary are in load_*.c.)
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "http.h"
#include "http_wire.h"
#include "load_cli.h"
#include "options.h"
#include "run.h"
#include "slo.h"
#include "store_cli.h"

extern char **environ;

#define OFF(f) offsetof(cli_load_opts, f)
static const char *const engines[] = {"auto", "curl", "direct", NULL}; /* TOOL_HTTP_* order */
static const tach__opt load_table[] = {
    {.kind = TACH__OPT_SECTION, .name = "load model"},
    TACH__LOAD_OPT_ROWS(cli_load_opts),
    {.kind = TACH__OPT_SECTION, .name = "HTTP targets"},
    {.kind = TACH__OPT_STRING, .name = "header", .short_name = 'H', .metavar = "'NAME: VALUE'",
     .offset = OFF(headers), .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append,
     .help = "a request header (repeatable)"},
    {.kind = TACH__OPT_STRING, .name = "method", .metavar = "METHOD", .offset = OFF(method),
     .help = "the request method (default GET, or POST with --body)"},
    {.kind = TACH__OPT_STRING, .name = "body", .metavar = "TEXT|@FILE", .offset = OFF(body),
     .flags = 0, .lo = -1, .help = "the request body: the text, or @FILE's contents"},
    {.kind = TACH__OPT_DURATION, .name = "request-timeout", .metavar = "S",
     .offset = OFF(request_timeout_s), .lo = 0.001, .hi = 3600,
     .help = "a request not answered within S is an error \"timeout\"\n"
             "(default 30; at least 1ms, libcurl's unit; at most 1h)"},
    {.kind = TACH__OPT_ENUM, .name = "engine", .metavar = "auto|curl|direct",
     .offset = OFF(engine_i), .choices = engines,
     .help = "how requests are sent: direct (plain sockets, answers read with\n"
             "http-parser, as wrk; http:// on one host and port) or curl\n"
             "(libcurl for each request: https://, several hosts); auto\n"
             "(default) takes direct where it can"},
    {.kind = TACH__OPT_SECTION, .name = "objectives"},
    {.kind = TACH__OPT_STRING, .name = "slo", .metavar = "EXPR", .offset = OFF(slos),
     .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append,
     .help = "objectives, e.g. 'p99<100ms p999<1s max<5s rps>=10000\n"
             "errors<0.1%' or per operation 'get:p99<1ms' (p99.9 and\n"
             "p99.99 are p999 and p9999; repeatable; also [load] slo in\n"
             ".tach/config and TACH_OP's .slo); a miss exits 1"},
    {.kind = TACH__OPT_FLAG, .name = "find-max-rate", .offset = OFF(find_max_rate),
     .help = "step the open model's rate up from --rate (default 100/s,\n"
             "at most 1e9/s), then bisect to the highest rate meeting\n"
             "every --slo; each step lasts --duration"},
    {.kind = TACH__OPT_COUNT, .name = "max-steps", .metavar = "N", .offset = OFF(max_steps),
     .lo = 2, .hi = 100, .help = "--find-max-rate: at most N runs (default 12)"},
    {.kind = TACH__OPT_SECTION, .name = "output"},
    {.kind = TACH__OPT_STRING, .name = "export-json", .metavar = "FILE", .offset = OFF(export_json),
     .help = "write the results document (docs/results-format.md); - for\n"
             "standard output (the summary then goes to stderr)"},
    {.kind = TACH__OPT_STRING, .name = "export-hlog", .metavar = "FILE", .offset = OFF(export_hlog),
     .help = "write the interval histograms as an HdrHistogram log\n"
             "(.hlog 1.2), one tagged line per operation and interval"},
    {.kind = TACH__OPT_STRING, .name = "series", .metavar = "FILE", .offset = OFF(series),
     .help = "write each interval as a JSON line to FILE as soon as it ends\n"
             "(for a benchmark binary with its RSS, heap, descriptors and\n"
             "threads; a load soak reads it)"},
    CLI_ROW_STORE(cli_load_opts, store),
    {.kind = TACH__OPT_FLAG, .name = "no-store", .offset = OFF(no_store),
     .help = "do not record the run in the store"},
    {.kind = TACH__OPT_STRING, .name = "config", .metavar = "FILE", .offset = OFF(config),
     .help = "read [load] slo from FILE (default .tach/config)"},
    {.kind = TACH__OPT_FLAG, .name = "quiet", .short_name = 'q', .offset = OFF(quiet),
     .help = "no summary on stdout"},
    {.kind = TACH__OPT_FLAG, .name = "quiet-interrupt", .offset = OFF(quiet_interrupt),
     .help = "interrupted: no \"interrupted\" line on stderr, only exit 130\n"
             "(for a caller that says it itself, as a load soak does)"},
    CLI_ROW_HELP(cli_load_opts),
};
#undef OFF

CLI_OPTIONS(load, load_table,
    "usage: tach load [OPTIONS] ./BENCH OP[:WEIGHT]...\n"
    "       tach load [OPTIONS] URL[:WEIGHT]...\n\n"
    "Puts operations under load and reports their latency: per operation and overall,\n"
    "p50 to p99.99 and max, each from the request's intended start (corrected for\n"
    "coordinated omission) and from its actual send.  OP names an operation a libtach\n"
    "binary registers with TACH_OP; URL an http:// or https:// endpoint you run.\n"
    "Weights make a mix (safe:70 risky:20 complex:10; default 1 each).\n"
    "Closed model by default (--clients); --rate or --ramp make it open.\n"
    "Durations: seconds or 500ms, 2s, 1m.\n\n",
    "An open run whose generator could not hold the rate is marked invalid (exit 1).\n"
    "exit: 0 done, objectives met; 1 an objective missed, an invalid run, an operation\n"
    "that could not run (its setup failed), an output that could not be written, or a\n"
    "run that could not be recorded (\"the run was NOT recorded\"; its outputs are\n"
    "written); 2 bad usage, a binary without the operations or a target that does not\n"
    "answer (nothing run), or a store damaged, replaced (a directory) or made read-only\n"
    "during the run (NOT recorded, its outputs written); 130 interrupted (what was\n"
    "measured is kept, partial).  Failed requests are counted, not an exit status: give\n"
    "--slo 'errors<1%' to fail on them.  A run NOT recorded says how to record it later:\n"
    "tach record of its --export-json FILE, else of the file its document is kept in\n"
    "(.tach/unrecorded/, removed once recorded)\n")

/* ---- checks before the run ------------------------------------------------------ */

/* The checks below say what is wrong in err (tach load's message, without "tach load: ")
 * and return CLI_USAGE; prepare prints it.  err left empty: the message is out already
 * (the config reader's own), or tach was interrupted (the status says which).  bad() is
 * tach__err, the common formatter (it was a copy of it), with tach load's status. */
#define bad(err, ...) (tach__err((err), __VA_ARGS__), CLI_USAGE)

/* bad() of a message naming one word the user gave, its password hidden (tach__redact_arg). */
static int bad_word(char *err, const char *fmt, const char *word)
{
    char *shown = tach__redact_arg(NULL, word);
    int rc = shown ? bad(err, fmt, shown) : bad(err, "out of memory");
    tach__free(shown);
    return rc;
}

static bool is_url(const char *s)
{
    return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

/* A URL of any scheme (RFC 3986: a letter, then letters, digits, + - ., then "://"), or
 * an http: or https: one with its slashes wrong: not a binary's path. */
static bool looks_like_url(const char *s)
{
    if (!strncasecmp(s, "http:", 5) || !strncasecmp(s, "https:", 6)) return true;
    if (!isalpha((unsigned char)*s)) return false;
    while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.') s++;
    return !strncmp(s, "://", 3);
}

/* The operations the binary registers (its --tach-load --list), or NULL.  A load mode
 * that refuses to run (exit 2: an operation refused at registration, two of one name)
 * says why on stderr, its first line "PROG: " TACH__LOAD_REFUSED "REASON": REASON goes
 * in why.  Any other answer (an older libtach's "unknown option '--tach-load'", exit 2
 * too) leaves why "": the binary has no load mode. */
static char *list_ops(cli_spawner *sp, const char *path, char *why, size_t size)
{
    char *argv[] = {(char *)path, TACH__LOAD_ARG, "--list", NULL};
    int code = -1;
    why[0] = '\0';
    char *out = cli_spawn_capture(sp, path, argv, environ, 1 << 20, 10ull * 1000000000ull, &code);
    if (out && code != 0) {
        tach__free(out);
        FILE *f = code == 2 ? tmpfile() : NULL;
        if (f && cli_spawn_wait(sp, path, argv, environ, -1, fileno(f), 10ull * 1000000000ull,
                                &code) == CLI_RUN_DONE && code == 2) {
            char line[TACH__ERR_MAX] = "";
            rewind(f);
            if (fgets(line, sizeof line, f)) {
                line[strcspn(line, "\n")] = '\0';
                size_t n = strlen(path), m = strlen(TACH__LOAD_REFUSED);
                const char *at = !strncmp(line, path, n) && !strncmp(line + n, ": ", 2) ? line + n + 2 : line;
                if (!strncmp(at, TACH__LOAD_REFUSED, m) && at[m]) snprintf(why, size, "%s", at + m);
            }
        }
        if (f) fclose(f);
        return NULL;
    }
    return out;
}

static bool has_line(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && !strncmp(p, name, n)) return true;
        p = nl ? nl + 1 : NULL;
    }
    return false;
}

static int read_body(cli_load_opts *o, char *err)
{
    if (!o->body) return CLI_OK;
    if (o->body[0] != '@') {
        o->body_len = strlen(o->body);
        return CLI_OK;
    }
    if (!o->body[1]) /* it read as a file named "": "cannot open : No such file" */
        return bad(err, "--body '@': no file after the '@' (--body @FILE reads the body from FILE)");
    char why[TACH__ERR_MAX];
    o->body_text = tach__read_file(o->body + 1, &o->body_len, why);
    if (!o->body_text) return bad(err, "--body: %s", why);
    o->body = o->body_text;
    return CLI_OK;
}

/* An option that would change nothing where it is given is bad usage, never silently
 * dropped: the reader of the command line would believe it acted.  The model is open
 * with --rate, --ramp or --find-max-rate (open_by names the one given), else closed. */
static int check_applies(const cli_load_state *st, const tach__opt_result *res, char *err)
{
    size_t nrows;
    const tach__opt *t = cli_load_options(&nrows);
#define GIVEN(name) (tach__opt_given(t, nrows, res, name) > 0)
    const char *open_by = GIVEN("rate")            ? "--rate"
                          : GIVEN("ramp")          ? "--ramp"
                          : st->o.find_max_rate    ? "--find-max-rate"
                                                   : NULL;
    if (open_by && GIVEN("think"))
        return bad(err, "--think applies only to the closed model, not with %s "
                   "(the open model sends on its schedule)", open_by);
    if (!open_by && GIVEN("arrivals"))
        return bad(err, "--arrivals applies only to the open model (with --rate, "
                   "--ramp or --find-max-rate)");
    if (!open_by && GIVEN("max-late"))
        return bad(err, "--max-late applies only to the open model (with --rate, "
                   "--ramp or --find-max-rate): a closed run has no rate to hold");
    if (open_by && !st->http && GIVEN("clients"))
        return bad(err, "--clients applies with %s only to URL targets (the "
                   "requests in flight); a benchmark binary's open model has no "
                   "clients, give --threads", open_by);
    if (!st->o.find_max_rate && GIVEN("max-steps"))
        return bad(err, "--max-steps applies only with --find-max-rate");
    static const char *const http_only[] = {"header", "method", "body", "request-timeout", "engine"};
    for (size_t i = 0; !st->http && i < sizeof http_only / sizeof *http_only; i++)
        if (GIVEN(http_only[i]))
            return bad(err, "--%s: only for HTTP targets, not a benchmark binary",
                       http_only[i]);
#undef GIVEN
    return CLI_OK;
}

static int check_outputs(const cli_load_opts *o, char *err)
{
    char why[TACH__ERR_MAX];
    if (o->export_json && tach__check_writable(o->export_json, why) != 0)
        return bad(err, "--export-json: %s", why);
    if (o->export_hlog && tach__check_writable(o->export_hlog, why) != 0)
        return bad(err, "--export-hlog: %s", why);
    if (o->series && tach__check_writable(o->series, why) != 0)
        return bad(err, "--series: %s", why);
    if (o->export_json && o->export_hlog && cli_path_is_stdout(o->export_json) &&
        cli_path_is_stdout(o->export_hlog))
        return bad(err, "--export-json and --export-hlog both to standard output: "
                   "they would be one unreadable stream; write one to a file");
    if (o->series && cli_path_is_stdout(o->series))
        return bad(err, "--series '%s': the series is written to a file as the run "
                   "goes; name a file (and --export-json - for the run's document)",
                   o->series);
    if (o->series && o->find_max_rate)
        return bad(err, "--series and --find-max-rate: choose one");
    if (o->series && o->export_hlog) /* the intervals' histograms go to the series, not the run */
        return bad(err, "--series and --export-hlog: choose one (--series keeps "
                   "each interval's histogram in its lines)");
    /* two outputs naming one file would keep only the last writer's; one that is the
     * --body file would overwrite the user's request body */
    const char *name[] = {"--export-json", "--export-hlog", "--series"};
    const char *path[] = {o->export_json, o->export_hlog, o->series};
    const char *body = o->body && o->body[0] == '@' ? o->body + 1 : NULL;
    for (size_t i = 0; i < sizeof path / sizeof *path; i++) {
        if (!path[i]) continue;
        int rc = o->no_store ? CLI_OK : cli_output_not_store(name[i], path[i], o->store);
        if (rc != CLI_OK) return rc; /* the store the run is to be recorded in, made yet or not */
        if (body && cli_same_output_file(path[i], body))
            return bad(err, "%s '%s' is the --body file: writing it would destroy "
                       "the request body", name[i], path[i]);
        for (size_t j = 0; j < i; j++)
            if (path[j] && cli_same_output_file(path[j], path[i]))
                return bad(err, "%s '%s' and %s '%s' are the same file: one would "
                           "overwrite the other", name[j], path[j], name[i], path[i]);
    }
    return CLI_OK;
}

/* ---- objectives ----------------------------------------------------------------- */

/* The objectives of the command line, the config's [load] slo, and the operations'
 * own (TACH_OP .slo, carried in the document): the last ones are only known after a
 * run, so they are added then. */
static void add_op_slos(tool_slo_list *slos, const tach__doc *d)
{
    for (size_t i = 0; i < d->nresults; i++) {
        const json_t *L = d->results[i].load;
        const char *expr = json_string_value(json_object_get(L, "slo"));
        if (!expr) continue;
        tool_slo_list mine = {0};
        char err[TACH__ERR_MAX];
        if (tool_slo_parse(expr, &mine, err) == 0)
            for (size_t k = 0; k < mine.n; k++) {
                if (!mine.v[k].op[0])
                    snprintf(mine.v[k].op, sizeof mine.v[k].op, "%s", d->results[i].name);
                if (TACH__GROW(&slos->v, &slos->cap, slos->n + 1, 8) == 0) slos->v[slos->n++] = mine.v[k];
            }
        tool_slo_list_free(&mine);
    }
}

/* ---- the exports ------------------------------------------------------------------ */

int cli_load_write_hlog(const tach__doc *d, const char *path, char *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s", path);
    FILE *f = NULL;
    char *text = NULL;
    size_t len = 0;
    f = open_memstream(&text, &len);
    if (!f) return tach__err(err, "out of memory");
    double start = 0;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && !strcmp(d->results[i].name, "overall"))
            start = json_number_value(json_object_get(d->results[i].load, "start_epoch_s"));
    tach__hlog_write_header(f, start, "tach load: latency from the intended start, ns; one tag per operation");
    /* in time order, interval by interval and each operation's line within it, as
     * HdrHistogram's writers log: its readers stop at the first line past the end of a
     * range asked (HistogramLogProcessor -end), so an operation whose lines came after
     * another's last interval was read as having none in it.  Every operation's
     * intervals are on the same grid (start k x --interval). */
    size_t nk = 0;
    for (size_t i = 0; i < d->nresults; i++) {
        size_t n = d->results[i].load ? json_array_size(json_object_get(d->results[i].load, "intervals")) : 0;
        if (n > nk) nk = n;
    }
    for (size_t k = 0; k < nk; k++)
        for (size_t i = 0; i < d->nresults; i++) {
            const tach__result *r = &d->results[i];
            if (!r->load || !strcmp(r->name, "overall")) continue;
            const json_t *iv = json_array_get(json_object_get(r->load, "intervals"), k);
            const char *b64 = json_string_value(json_object_get(iv, "hdr"));
            if (!b64) continue;
            char *herr = NULL;
            tach__hist *h = tach__hist_decode_b64(b64, &herr);
            free(herr);
            if (!h) continue;
            tach__hlog_write_interval(f, r->name, json_number_value(json_object_get(iv, "start_s")),
                                      json_number_value(json_object_get(iv, "length_s")), h, 1e6);
            tach__hist_free(h);
        }
    if (fclose(f) != 0) {
        free(text);
        return tach__err(err, "out of memory");
    }
    int rc = 0;
    if (cli_path_is_stdout(path)) { /* "-", /dev/stdout: the summary went to stderr */
        errno = 0;
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            rc = tach__err(err, "cannot write to standard output: %s", errno ? strerror(errno) : "write error");
            cli_stdout_drop(); /* the caller reports it: once */
        }
    } else {
        rc = tach__write_text_file(text, len, tmp, err);
    }
    free(text);
    return rc;
}

/* ---- the command ------------------------------------------------------------------ */

static int load_config_slos(const cli_load_opts *o, tool_slo_list *slos, char *err)
{
    /* [load] slo = EXPR in .tach/config (or --config), read by the one config reader */
    cli_config cfg;
    int rc = cli_config_load("load", o->config, &cfg);
    if (rc != CLI_OK) return rc;
    char why[TACH__ERR_MAX];
    if (cfg.load_slo && tool_slo_parse(cfg.load_slo, slos, why) != 0)
        rc = bad(err, "%s: [load] slo: %s", cfg.path ? cfg.path : "config", why);
    cli_config_free(&cfg);
    return rc;
}

/* Everything about the command line that needs neither the target nor the store: the
 * targets' forms, the options together, the objectives, the request's parts, the
 * outputs, --body's file, the HTTP engine. */
static int check_line(cli_load_state *st, const tach__opt_result *res, char *err)
{
    cli_load_opts *o = &st->o;
    if (res->npos < 1)
        return bad(err, "give a benchmark binary and operations, or URLs (see 'tach load --help')");
    st->http = is_url(res->pos[0]);
    if (!st->http && looks_like_url(res->pos[0]))
        return bad_word(err, "'%s': only http:// and https:// URLs are loaded", res->pos[0]);
    int first = st->http ? 0 : 1;
    if (!st->http && res->npos < 2)
        return bad(err, "'%s': name the operations to load after the binary (OP[:WEIGHT]...)",
                   res->pos[0]);
    char why[TACH__ERR_MAX];
    for (int i = first; i < res->npos; i++) {
        if (st->http && !is_url(res->pos[i]))
            return bad_word(err, "'%s' is not an http:// or https:// URL; give URLs or one binary "
                                 "with operations", res->pos[i]);
        if (tach__load_add_target(&o->cfg, res->pos[i], st->http, why) != 0)
            return bad(err, "%s", why);
        /* parsed as the transports will: a bad URL is said so, not taken for a server
         * that does not answer or for a matter of --engine */
        tool_wire_origin origin;
        const char *name = o->cfg.targets[o->cfg.ntargets - 1].name;
        if (st->http && tool_wire_origin_of(name, &origin, why) != 0) {
            size_t l = strlen(name); /* why: "URL: why" */
            const char *w = !strncmp(why, name, l) && why[l] == ':' ? why + l + 1 : why;
            char *url = tach__redact_url(name), *shown = tach__redact(w);
            int rc = url && shown ? bad(err, "'%s' is not a URL to load:%s%s", url, w == why ? " " : "", shown)
                                  : bad(err, "out of memory");
            tach__free(url);
            tach__free(shown);
            return rc;
        }
    }
    int rc = check_applies(st, res, err);
    if (rc != CLI_OK) return rc;
    size_t nrows;
    const tach__opt *t = cli_load_options(&nrows);
    bool rate_given = tach__opt_given(t, nrows, res, "rate") > 0;
    if (o->find_max_rate && !rate_given && tach__opt_given(t, nrows, res, "ramp") == 0) {
        o->cfg.rate = 100;
        tach__load_opt_rate(o, NULL, NULL, NULL, why);
        rate_given = true;
    }
    if (tach__load_cfg_finish(&o->cfg, tach__opt_given(t, nrows, res, "duration") > 0, rate_given,
                              tach__opt_given(t, nrows, res, "ramp") > 0, why) != 0)
        return bad(err, "%s", why);
    if (st->http && !tach__opt_given(t, nrows, res, "threads"))
        o->cfg.threads = 1; /* HTTP: one event loop unless --threads asks for more */
    for (size_t i = 0; i < o->slos.n; i++)
        if (tool_slo_parse(o->slos.v[i], &st->slos, why) != 0)
            return bad(err, "--slo: %s", why);
    size_t ncli = st->slos.n;
    if ((rc = load_config_slos(o, &st->slos, err)) != CLI_OK) return rc;
    if ((rc = cli_load_check_slo_ops(st, ncli, err)) != CLI_OK) return rc;
    if (o->find_max_rate && st->slos.n == 0)
        return bad(err, "--find-max-rate: give the objectives to meet with --slo");
    if (o->find_max_rate && tach__opt_given(t, nrows, res, "ramp") > 0)
        return bad(err, "--find-max-rate: start from --rate, not --ramp");
    /* A request is built from these as given: a line break in one would write a header
     * of its own into every request, a header without a colon or a method with a space a
     * malformed request (RFC 9110: a method is a token, a field NAME: VALUE) */
    for (size_t i = 0; i < o->headers.n; i++) {
        const char *h = o->headers.v[i], *colon = strchr(h, ':');
        if (strpbrk(h, "\r\n")) return bad(err, "--header '%s': a line break inside a header", h);
        if (!colon || colon == h || strcspn(h, " \t") < (size_t)(colon - h))
            return bad(err, "--header '%s': expected 'NAME: VALUE' (a name without spaces, then "
                       "a colon)", h);
    }
    if (o->method) {
        if (!*o->method || strspn(o->method, "!#$%&'*+-.^_`|~0123456789"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != strlen(o->method))
            return bad(err, "--method '%s': not a method (letters, digits and !#$%%&'*+-.^_`|~, "
                       "no spaces)", o->method);
    }
    if ((rc = check_outputs(o, err)) != CLI_OK) return rc; /* before --body @FILE is read */
    if ((rc = read_body(o, err)) != CLI_OK) return rc;
    if (!st->http) return CLI_OK;
    st->http_opts.method = o->method;
    st->http_opts.headers = o->headers.v;
    st->http_opts.nheaders = o->headers.n;
    st->http_opts.body = o->body;
    st->http_opts.body_len = o->body_len;
    st->http_opts.timeout_s = o->request_timeout_s;
    st->http_opts.max_in_flight = o->cfg.clients;
    st->http_opts.engine = o->engine_i;
    if (tool_http_engine(&o->cfg, &st->http_opts, why) < 0)
        return bad(err, "--engine %s: %s", engines[o->engine_i], why);
    return CLI_OK;
}

/* The binary given (pos0): found, a libtach binary, registering every operation named.
 * Sets st->binary.  A Ctrl-C that ended the probe (or the listing) stops tach: its
 * status, err empty, no "does not answer". */
static int check_binary(cli_load_state *st, cli_spawner *sp, const char *pos0, char *err)
{
    char why[TACH__ERR_MAX];
    /* found first: a file that is not there (or cannot be run) is said so, not taken
     * for a program that does not answer the probe */
    st->binary = cli_find_executable(pos0, why);
    if (!st->binary) /* "command 'X' not found", "... is not executable", "... a directory" */
        return bad(err, "%s: give a libtach benchmark binary or URLs",
                   strncmp(why, "command ", 8) ? why : why + 8);
    bool lib = cli_bench_recognise(sp, st->binary, environ, 0, NULL, NULL);
    if (sp->interrupted) return cli_spawner_stop_status(sp);
    if (!lib)
        return bad(err, "'%s' is not a libtach benchmark binary (it does not answer --tach-probe)",
                   pos0);
    char *ops = list_ops(sp, st->binary, why, sizeof why);
    if (sp->interrupted) {
        tach__free(ops);
        return cli_spawner_stop_status(sp);
    }
    if (!ops && why[0]) return bad(err, "'%s' refuses its load mode: %s", pos0, why);
    if (!ops) return bad(err, "'%s' has no load mode (built against an older libtach?)", pos0);
    int rc = CLI_OK;
    const tach__load_cfg *c = &st->o.cfg;
    for (size_t i = 0; i < c->ntargets && rc == CLI_OK; i++)
        if (!has_line(ops, c->targets[i].name)) {
            /* one a line: listed with ", " between, as the objectives' check lists what a
             * run loads (it was "safe,risky,complex") */
            size_t l = strlen(ops), n = 0;
            char *list = tach__malloc(2 * l + 1);
            for (size_t k = 0; list && k < l; k++) {
                if (ops[k] != '\n') {
                    list[n++] = ops[k];
                } else if (k + 1 < l) {
                    list[n++] = ',';
                    list[n++] = ' ';
                }
            }
            if (list) list[n] = '\0';
            rc = !list ? bad(err, "out of memory")
                       : bad(err, "'%s' has no operation '%s' (it has: %s)", pos0, c->targets[i].name,
                             list[0] ? list : "none");
            tach__free(list);
        }
    tach__free(ops);
    return rc;
}

/* A check's status as tach load's: its message printed (when not out already). */
static int said(int rc, const char *err)
{
    if (rc != CLI_OK && err[0]) cli_cmd_error(rc, "load", "%s", err);
    return rc;
}

static int prepare(cli_load_state *st, tach__opt_result *res)
{
    cli_load_opts *o = &st->o;
    char err[TACH__ERR_MAX] = "";
    int rc = check_line(st, res, err);
    if (rc != CLI_OK) return said(rc, err);
    if (!o->no_store && (rc = cli_store_precheck(o->store)) != CLI_OK) return rc;

    if (st->http) { /* no spawner: it would block SIGINT, which stops the sending here */
        /* the run's own check, made here so that a limit too low refuses it before any
         * request (the run's would fail it with exit 1 after the probe) */
        if (tool_http_fd_room(&o->cfg, &st->http_opts, err) != 0)
            return cli_cmd_usage_error("load", "%s: lower --clients or --threads, or raise the "
                                       "limit", err);
        for (size_t i = 0; i < o->cfg.ntargets; i++) {
            bool seen = false;
            for (size_t k = 0; k < i; k++) seen |= !strcmp(o->cfg.targets[k].name, o->cfg.targets[i].name);
            if (!seen && tool_http_probe(o->cfg.targets[i].name, &st->http_opts, err) != 0) {
                char *url = tach__redact_arg(NULL, o->cfg.targets[i].name), *why = tach__redact(err);
                rc = cli_cmd_usage_error("load", "%s does not answer: %s", url ? url : "the URL",
                                         why ? why : err);
                tach__free(url);
                tach__free(why);
                return rc;
            }
        }
        return CLI_OK;
    }
    if (cli_spawner_init(&st->sp, NULL, CLI_OUTPUT_NULL, NULL, err) != 0)
        return cli_cmd_error(CLI_FAIL, "load", "%s", err);
    st->sp_ready = true;
    if ((rc = check_binary(st, &st->sp, res->pos[0], err)) != CLI_OK) return said(rc, err);
    /* A $TMPDIR within 20 bytes of a path was cut to fit (exit 1, "Invalid argument"),
     * and one within about 50 made the binary refuse its --out (the temporary file it
     * writes beside it, tach__write_text_file): the longest path in it is counted, one
     * longer refused naming it (exit 2), before anything runs */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    if ((rc = cli_tmpdir_fits("load", tmp, sizeof st->out_path, "/.tach-load-XXXXXX" CLI_TMP_SUFFIX, "file",
                              NULL)) != CLI_OK)
        return rc;
    snprintf(st->out_path, sizeof st->out_path, "%s/tach-load-XXXXXX", tmp);
    int fd = mkstemp(st->out_path);
    if (fd < 0) return cli_cmd_error(CLI_FAIL, "load", "cannot make a temporary file: %s", strerror(errno));
    close(fd);
    return CLI_OK;
}

static void state_free(cli_load_state *st)
{
    if (st->out_path[0]) unlink(st->out_path);
    if (st->sp_ready) cli_spawner_close(&st->sp);
    tach__free(st->binary);
    tach__free(st->o.body_text);
    tool_slo_list_free(&st->slos);
    free(st->o.slos.v);
    free(st->o.headers.v);
    tach__load_cfg_clear(&st->o.cfg);
}

int cli_load_check(int argc, char **argv, cli_spawner *sp, char *err)
{
    cli_load_state st;
    memset(&st, 0, sizeof st);
    tach__load_cfg_default(&st.o.cfg);
    st.o.max_steps = 12;
    err[0] = '\0';
    size_t nrows;
    const tach__opt *t = cli_load_options(&nrows);
    tach__opt_result res;
    int rc = CLI_OK;
    if (tach__opt_parse(t, nrows, &st.o, argc, argv, 1, &res, err) != 0) {
        rc = CLI_USAGE;
    } else if (tach__opt_given(t, nrows, &res, "store") && tach__opt_given(t, nrows, &res, "no-store")) {
        rc = bad(err, "--store and --no-store: choose one"); /* as cli_opt_parse says */
    } else {
        for (int i = res.rest; i < argc; i++) res.pos[res.npos++] = argv[i]; /* as cli_opts_read */
        rc = check_line(&st, &res, err);
        if (rc == CLI_OK && sp && !st.http) rc = check_binary(&st, sp, res.pos[0], err);
    }
    tach__opt_result_free(&res);
    state_free(&st);
    return rc;
}

static void add_context(tach__doc *d, int argc, char **argv, const cli_load_state *st)
{
    if (!d->context) return;
    json_object_set_new(d->context, "tool", json_string("tach load"));
    cli_set_run_uid(d->context); /* the export's and the record's: tach record knows it */
    json_t *cl = cli_command_line(argc, argv);
    if (cl) json_object_set_new(d->context, "command_line", cl);
    if (st->binary) json_object_set_new(d->context, "executable", json_string(st->binary));
    if (!json_object_get(d->context, "date")) {
        char date[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
        json_object_set_new(d->context, "date", json_string(date));
    }
}

int cli_cmd_load(int argc, char **argv)
{
    cli_load_state st;
    memset(&st, 0, sizeof st);
    tach__load_cfg_default(&st.o.cfg);
    st.o.max_steps = 12;
    tach__opt_result res;
    int rc = cli_opts_read(&load_options, &st.o, argc, argv, &res, &st.o.help);
    if (rc != CLI_OK) {
        tach__load_cfg_clear(&st.o.cfg);
        free(st.o.slos.v);
        free(st.o.headers.v);
        return rc < 0 ? CLI_OK : rc;
    }
    tach__doc *d = NULL;
    rc = prepare(&st, &res);
    if (rc != CLI_OK) goto out;

    if (st.o.find_max_rate)
        rc = cli_load_find_max_rate(&st, &d);
    else
        rc = cli_load_run_once(&st, &st.o.cfg, &d);
    if (!d) goto out;
    add_context(d, argc, argv, &st);
    add_op_slos(&st.slos, d);
    FILE *sum = cli_load_text_stream(&st.o);
    if (!st.o.quiet) cli_load_print_summary(sum, d, cli_use_color(sum));
    int missed = cli_load_check_slos(&st.slos, d, st.o.quiet, sum);
    bool invalid = false, failed = false;
    const char *why_invalid = NULL, *why_failed = NULL;
    for (size_t i = 0; i < d->nresults; i++) {
        const json_t *L = d->results[i].load;
        if (json_is_true(json_object_get(L, "invalid"))) {
            invalid = true;
            if (!why_invalid) why_invalid = json_string_value(json_object_get(L, "invalid_reason"));
        }
        if (d->results[i].status != TACH__OK && !failed) why_failed = d->results[i].message;
        failed |= d->results[i].status != TACH__OK;
    }
    char err[TACH__ERR_MAX];
    const char *json_file = NULL; /* the document, for a tach record later */
    if (st.o.export_json && (cli_path_is_stdout(st.o.export_json) ? cli_export_write(d, "json", st.o.export_json, err)
                                                                   : tach__doc_save(d, st.o.export_json, err)) != 0)
        rc = rc == CLI_OK ? cli_cmd_error(CLI_FAIL, "load", "--export-json: %s", err) : rc;
    else if (st.o.export_json && !cli_path_is_stdout(st.o.export_json))
        json_file = st.o.export_json;
    if (st.o.export_hlog && cli_load_write_hlog(d, st.o.export_hlog, err) != 0)
        rc = rc == CLI_OK ? cli_cmd_error(CLI_FAIL, "load", "--export-hlog: %s", err) : rc;
    int src = cli_run_record(d, "load", st.o.store, st.o.no_store, NULL, 0, json_file);
    if (rc == CLI_OK && src != CLI_OK) rc = src;
    if (rc == CLI_INTERRUPTED) {
        if (!st.o.quiet_interrupt) /* the caller says it (tach soak --load) */
            fprintf(stderr, "tach load: interrupted; the results are partial\n");
    } else if (rc == CLI_OK && (invalid || failed || missed)) {
        /* --quiet printed no summary: the reason itself, not "see above" */
        if (invalid && st.o.quiet)
            fprintf(stderr, "tach load: the run is invalid, its latencies are not the target's: %s\n",
                    why_invalid ? why_invalid : "the generator fell behind");
        else if (invalid)
            fprintf(stderr, "tach load: the run is invalid (see above): its latencies are not the target's\n");
        if (failed && st.o.quiet && why_failed) /* no table above: the reason itself */
            fprintf(stderr, "tach load: an operation failed: %s\n", why_failed);
        else if (failed)
            fprintf(stderr, "tach load: an operation failed%s\n", st.o.quiet ? "" : " (see above)");
        if (missed) fprintf(stderr, "tach load: %d objective%s not met\n", missed, missed == 1 ? "" : "s");
        rc = CLI_FAIL;
    }
out:
    tach__opt_result_free(&res);
    tach__doc_free(d);
    state_free(&st);
    return rc;
}

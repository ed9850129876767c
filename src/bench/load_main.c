/* load_main.c - a benchmark binary's load mode: `BIN --tach-load [options]
 * OP[:WEIGHT]...` runs the operations registered with TACH_OP under the load the
 * options describe and writes the results document (JSON) on stdout or --out.
 * `tach load` starts it and reads the document; people use `tach load`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "load.h"
#include "signals.h"
#include "slo_syntax.h"

typedef struct load_main_opts {
    tach__load_cfg cfg; /* first: the --rate and --ramp rows write into it */
    const char *out, *series;
    bool list, help;
} load_main_opts;

#define OFF(f) offsetof(load_main_opts, f)
static const tach__opt load_table[] = {
    TACH__LOAD_OPT_ROWS(load_main_opts),
    {.kind = TACH__OPT_STRING, .name = "out", .metavar = "FILE", .offset = OFF(out),
     .help = "write the results document to FILE, not stdout"},
    {.kind = TACH__OPT_STRING, .name = "series", .metavar = "FILE", .offset = OFF(series),
     .help = "write each interval as a JSON line to FILE as soon as it ends,\n"
             "with this process's RSS, heap, descriptors and threads"},
    {.kind = TACH__OPT_FLAG, .name = "list", .offset = OFF(list),
     .help = "print the registered operations' names and exit"},
    {.kind = TACH__OPT_FLAG, .name = "help", .short_name = 'h', .offset = OFF(help),
     .help = "print this help and exit"},
};
#undef OFF

static int usage(const char *prog, const char *msg)
{
    fprintf(stderr, "%s: %s\n", prog, msg);
    return 2;
}

/* The --series sink: one line per interval, this process's figures with it.  The first
 * line that cannot be written (a full disk) ends the series; the run goes on, its
 * document is still written, and the exit status is 2 (an output not written). */
typedef struct series_out {
    FILE *f;
    const tach__load_cfg *cfg;
    bool failed;
    int err_no; /* errno of the failed write, 0 when unknown */
} series_out;

static void series_line(void *ctx, size_t k, const tach__hist *h, int64_t count, int64_t errors,
                        int64_t sent)
{
    series_out *so = ctx;
    if (so->failed) return;
    errno = 0;
    if (tach__load_series_line(so->f, so->cfg, k, h, count, errors, sent, true) != 0) {
        so->failed = true;
        so->err_no = errno;
    }
}

/* Closes the --series file; true when every line reached it. */
static bool series_close(series_out *so)
{
    errno = 0;
    if (fclose(so->f) != 0 && !so->failed) {
        so->failed = true;
        so->err_no = errno;
    }
    so->f = NULL;
    return !so->failed;
}

/* Flushes what --help or --list printed: 0, or 2 with one line when it could not be
 * written. */
static int flush_or_2(const char *prog)
{
    char err[TACH__ERR_MAX];
    if (tach__flush_stdout(err) == 0) return 0;
    fprintf(stderr, "%s: %s\n", prog, err);
    return 2;
}

static json_t *context(int argc, char **argv)
{
    json_t *c = tach__env_capture();
    if (!c) c = json_object();
    if (!c) return NULL;
    json_object_set_new(c, "tool", json_string("libtach"));
    json_object_set_new(c, "mode", json_string("load"));
    if (!json_object_get(c, "tach_version"))
        json_object_set_new(c, "tach_version", json_string(tach_version()));
    json_t *cl = json_array();
    for (int i = 0; cl && i < argc; i++) {
        char *a = tach__redact_arg(i ? argv[i - 1] : NULL, argv[i]);
        if (a) json_array_append_new(cl, tach__json_string_lossy(a));
        tach__free(a);
    }
    if (cl) json_object_set_new(c, "command_line", cl);
    return c;
}

int tach__load_main(int argc, char **argv)
{
    const char *prog = argc > 0 && argv[0] ? argv[0] : "tach";
    load_main_opts o;
    memset(&o, 0, sizeof o);
    tach__load_cfg_default(&o.cfg);
    char err[TACH__ERR_MAX] = "";
    tach__opt_result res;
    size_t nrows = sizeof load_table / sizeof *load_table;
    if (tach__opt_parse(load_table, nrows, &o, argc, argv, 2, &res, err) != 0) {
        tach__opt_result_free(&res);
        return usage(prog, err);
    }
    int rc = 0;
    tach__load_stats st;
    memset(&st, 0, sizeof st);
    tach__doc *d = NULL;
    if (o.help) {
        tach__buf b = {0};
        tach__opt_help(load_table, nrows, &b);
        char *text = tach__buf_take(&b);
        printf("usage: %s --tach-load [options] OP[:WEIGHT]...\n"
               "Runs the operations registered with TACH_OP under load and writes the\n"
               "results document; `tach load` drives this mode (docs/load.md).\n\n%s",
               prog, text ? text : "");
        tach__free(text);
        rc = flush_or_2(prog);
        goto done;
    }
    if (tach__op_refused()) {
        fprintf(stderr, "%s: " TACH__LOAD_REFUSED "%s\n", prog, tach__op_refused());
        rc = 2;
        goto done;
    }
    if (o.list) {
        for (size_t i = 0; i < tach__op_count(); i++) printf("%s\n", tach__op_get(i)->name);
        rc = flush_or_2(prog);
        goto done;
    }
    for (int i = 0; i < res.npos + (argc - res.rest); i++) {
        const char *arg = i < res.npos ? res.pos[i] : argv[res.rest + (i - res.npos)];
        if (tach__load_add_target(&o.cfg, arg, false, err) != 0) {
            rc = usage(prog, err);
            goto done;
        }
        const tach_op_def *def = tach__op_find(o.cfg.targets[o.cfg.ntargets - 1].name);
        if (!def) {
            snprintf(err, sizeof err, "no operation '%s' in this binary (--list names them)",
                     o.cfg.targets[o.cfg.ntargets - 1].name);
            rc = usage(prog, err);
            goto done;
        }
        /* its own objectives (.slo) that do not parse are a bad definition, as a
         * benchmark's: refused, not dropped unsaid (tach load judges the run by them) */
        tach__slo_list slos = {0};
        char why[TACH__ERR_MAX];
        int bad = def->slo ? tach__slo_parse(def->slo, &slos, why) : 0;
        tach__slo_list_free(&slos);
        if (bad != 0) {
            fprintf(stderr, "%s: operation %s: .slo: %s\n", prog, def->name, why);
            rc = 2;
            goto done;
        }
    }
    if (tach__load_cfg_finish(&o.cfg, tach__opt_given(load_table, nrows, &res, "duration") > 0,
                              tach__opt_given(load_table, nrows, &res, "rate") > 0,
                              tach__opt_given(load_table, nrows, &res, "ramp") > 0, err) != 0) {
        rc = usage(prog, err);
        goto done;
    }

    series_out so = {.cfg = &o.cfg};
    tach__load_sink sink = {series_line, &so};
    if (o.series && !(so.f = fopen(o.series, "w"))) {
        snprintf(err, sizeof err, "--series: cannot write %s: %s", o.series, strerror(errno));
        rc = usage(prog, err);
        goto done;
    }
    tach__signals_install();
    int run = tach__load_run_ops_series(&o.cfg, tach__interrupt_flag(), so.f ? &sink : NULL, &st, err);
    tach__signals_restore();
    bool series_lost = so.f && !series_close(&so);
    if (series_lost)
        fprintf(stderr, "%s: --series: cannot write %s: %s\n", prog, o.series,
                so.err_no ? strerror(so.err_no) : "write error");
    if (run != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        rc = 1;
        goto done;
    }
    d = tach__doc_new();
    json_t *ctx = d ? context(argc, argv) : NULL;
    if (!ctx) {
        fprintf(stderr, "%s: out of memory\n", prog);
        rc = 1;
        goto done;
    }
    json_decref(d->context);
    d->context = ctx;
    if (tach__load_to_doc(&st, d, err) != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        rc = 1;
        goto done;
    }
    if (o.out) {
        if (tach__doc_save(d, o.out, err) != 0) {
            fprintf(stderr, "%s: --out: %s\n", prog, err);
            rc = 2;
            goto done;
        }
    } else {
        json_t *j = tach__doc_to_json(d);
        char *text = j ? tach__json_text(j) : NULL;
        json_decref(j);
        if (!text) {
            fprintf(stderr, "%s: out of memory\n", prog);
            rc = 1;
            goto done;
        }
        fputs(text, stdout);
        tach__free(text);
        if (tach__flush_stdout(err) != 0) {
            fprintf(stderr, "%s: %s\n", prog, err);
            rc = 2;
            goto done;
        }
    }
    if (series_lost) rc = 2; /* the document is written; the series is not whole */
    else if (st.fail) rc = 1;
    else if (st.partial) rc = 130;
done:
    tach__opt_result_free(&res);
    tach__load_stats_clear(&st);
    tach__load_cfg_clear(&o.cfg);
    tach__doc_free(d);
    return rc;
}

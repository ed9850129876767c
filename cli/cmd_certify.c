/* cmd_certify.c - `tach certify`: a performance certificate for a run, and
 * `tach certify --verify FILE`, which recomputes the SHA-256 of each results
 * document the certificate names. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_cli.h"

/* "markdown" is md's long name, as in tach report */
static const char *const formats[] = {"md", "html", "markdown", NULL};

typedef struct cert_opts {
    const char *verify; /* --verify FILE: check a certificate instead of writing one */
    cli_report_src src;
    int format_i;
    const char *out, *title;
    long top;
    bool help;
} cert_opts;

#define OFF(f) offsetof(cert_opts, f)
static const tach__opt cert_table[] = {
    {.kind = TACH__OPT_STRING, .name = "verify", .metavar = "FILE", .offset = OFF(verify),
     .help = "recompute the evidence of certificate FILE"},
    {.kind = TACH__OPT_ENUM, .name = "format", .metavar = "md|html", .offset = OFF(format_i),
     .choices = formats, .help = "md: Markdown (default; markdown is the same), or html:\n"
                                 "one self-contained HTML file"},
    CLI_REPORT_ROW_OUTPUT(cert_opts),
    CLI_REPORT_ROW_BASELINE(cert_opts),
    /* a certificate has no history: --since is only what it compares against */
    CLI_REPORT_ROW_SINCE_HELP(cert_opts, "certify against REF, a run of the store (as --baseline\n"
                                         "REF: a certificate has no history to start)"),
    CLI_REPORT_ROW_NO_COMPARE(cert_opts),
    {.kind = TACH__OPT_STRING, .name = "title", .metavar = "TEXT", .offset = OFF(title),
     .help = "the certificate's title"},
    {.kind = TACH__OPT_COUNT, .name = "top", .metavar = "N", .offset = OFF(top), .lo = 1, .hi = 10000,
     .help = "rows of each profile's bottleneck table (default 10)"},
    CLI_REPORT_ROWS_END(cert_opts),
};

CLI_OPTIONS(certify, cert_table,
    "usage: tach certify [RUN | FILE.json] [options] -o CERTIFICATE\n"
    "       tach certify --verify CERTIFICATE [--store SPEC]\n\n"
    "Writes a performance certificate of a run (default: the run `tach compare` takes\n"
    "as NEW, against its BASE; with --baseline, --since or --no-compare, the latest;\n"
    "a FILE.json is compared only with --baseline):\n"
    "scope, what was run and how, findings (targets, regressions, failures,\n"
    "unstable benchmarks, environment warnings), a score per area and a verdict:\n"
    "APPROVED, CONDITIONALLY APPROVED (conditions listed) or REJECTED.  Its\n"
    "evidence names the run ids and the SHA-256 of each results document used.\n"
    "A run that counted instructions is judged by its counts (docs/reports.md).\n\n",
    "Exit status: 0 written (APPROVED or CONDITIONALLY APPROVED), 1 written and\n"
    "REJECTED, or not written (a full disk, a closed pipe; no verdict line), 2 bad\n"
    "input or a store that cannot be opened or read (nothing written); --verify: 0\n"
    "every document matches, 1 a mismatch or a document not found, 2 bad input or a\n"
    "store that cannot be opened or is damaged (the evidence could not be checked).\n")

static int verify(const char *cert_path, const char *store_opt)
{
    char err[TACH__ERR_MAX] = "";
    /* names from outside (the certificate's, the files it names) on one line each: a
     * newline or an escape sequence in a file name never reaches the terminal raw */
    char shown[4096]; /* kept: cli_term's copies last 8 calls */
    snprintf(shown, sizeof shown, "%s", cli_term(cert_path));
    char *text = tach__read_file(cert_path, NULL, err);
    if (!text) return cli_usage_error("%s", cli_term(err));
    tool_cert_evidence *ev = NULL;
    size_t nev = 0;
    if (tool_cert_parse_evidence(text, &ev, &nev, err)) {
        tach__free(text);
        return cli_usage_error("%s: %s", shown, err);
    }
    /* The certificate itself first: its verdict and findings must be the ones made. */
    char terr[TACH__ERR_MAX] = "";
    int text_rc = tool_cert_check_text(text, terr);
    tach__free(text);
    size_t bad = 0, missing = 0;
    if (text_rc == 0) {
        printf("ok       the certificate's text\n");
    } else if (text_rc > 0) {
        printf("MISMATCH the certificate's text: %s\n", terr);
        bad++;
    } else {
        /* an older certificate: its documents can still be checked */
        printf("UNCHECKED the certificate's text: %s\n", terr);
    }
    /* Relative file paths are tried as given, then beside the certificate. */
    char dir[4096] = ".";
    const char *slash = strrchr(cert_path, '/');
    if (slash) snprintf(dir, sizeof dir, "%.*s", (int)(slash - cert_path), cert_path);
    tool_store *st = NULL;
    bool store_tried = false;
    char store_why[TACH__ERR_MAX] = "";
    for (size_t i = 0; i < nev; i++) {
        const char *src = ev[i].source, *src_shown = cli_term(src);
        char *doc = NULL;
        size_t len = 0;
        char why[TACH__ERR_MAX] = "";
        if (!strncmp(src, "store:", 6)) {
            if (!store_tried) {
                store_tried = true;
                /* quietly: why it cannot be opened is said once, in the last line */
                st = cli_store_open_quiet(store_opt, store_why);
            }
            char *end;
            long long id = strtoll(src + 6, &end, 10);
            if (!st) snprintf(why, sizeof why, "the store cannot be opened");
            else if (*end || id <= 0) snprintf(why, sizeof why, "not a run id");
            else if (tool_store_load_json(st, id, &doc, &len, why) != 0) doc = NULL;
        } else {
            doc = tach__read_file(src, &len, why);
            if (!doc && src[0] != '/') {
                char alt[8192];
                snprintf(alt, sizeof alt, "%s/%s", dir, src);
                char why2[TACH__ERR_MAX];
                doc = tach__read_file(alt, &len, why2);
            }
        }
        if (!doc) {
            printf("MISSING  %s: %s\n", src_shown, *why ? cli_term(why) : "cannot be read");
            bad++;
            missing++;
            continue;
        }
        char sha[65];
        if (tool_sha256_hex(doc, len, sha, err)) {
            tach__free(doc);
            tool_cert_evidence_free(ev, nev);
            tool_store_close(st);
            return cli_error(CLI_FAIL, "%s", err);
        }
        tach__free(doc);
        if (strcmp(sha, ev[i].sha256)) {
            printf("MISMATCH %s: the certificate says %s, the document hashes to %s\n", src_shown,
                   ev[i].sha256, sha);
            bad++;
        } else {
            printf("ok       %s %s\n", src_shown, sha);
        }
    }
    tool_cert_evidence_free(ev, nev);
    /* a store that cannot be read: the evidence was not checked, which is not a mismatch */
    bool store_bad = store_tried && (!st || tool_store_is_corrupt(st));
    tool_store_close(st);
    if (bad) {
        /* say what is wrong: a changed text, documents that differ, documents missing */
        size_t differ = bad - (text_rc > 0) - missing;
        char what[256] = "", a[48];
        if (text_rc > 0) snprintf(what, sizeof what, "its text was changed");
        if (differ)
            snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s %s the certificate",
                     *what ? "; " : "", tach__plural((double)differ, "document", NULL, a, sizeof a),
                     differ == 1 ? "does not match" : "do not match");
        if (missing)
            snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s missing",
                     *what ? "; " : "", tach__plural((double)missing, "document", NULL, a, sizeof a));
        /* the store that could not be opened: said here, on the one line */
        if (*store_why)
            fprintf(stderr, "%s: %s: %s; the store cannot be opened: %s\n", cli_prog(), shown, what,
                    cli_term(store_why));
        else
            fprintf(stderr, "%s: %s: %s\n", cli_prog(), shown, what);
        return store_bad ? CLI_USAGE : CLI_FAIL;
    }
    if (nev == 1) /* not "all 1 documents match" */
        fprintf(stderr, "%s: %s: %s document %s the certificate\n", cli_prog(), shown,
                text_rc == 0 ? "its text and its one" : "its one", text_rc == 0 ? "match" : "matches");
    else
        fprintf(stderr, "%s: %s: %s %zu documents match the certificate\n", cli_prog(), shown,
                text_rc == 0 ? "its text and all" : "all", nev);
    return CLI_OK;
}

int cli_cmd_certify(int argc, char **argv)
{
    cert_opts o;
    memset(&o, 0, sizeof o);
    o.format_i = -1; /* given or not: --verify refuses it */
    int rc = cli_report_read_args(&certify_options, &o, &o.src, &o.help, argc, argv, NULL);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    bool format_given = o.format_i >= 0;
    if (!format_given) o.format_i = 0;
    cli_report_src src = o.src;
    const char *out = o.out, *title = o.title;
    if (o.verify && src.run) /* --verify checks one certificate: a run beside it is a mistake */
        return cli_cmd_usage_error("certify", "--verify %s: unexpected argument '%s' (tach certify "
                                   "--verify CERTIFICATE [--store SPEC])", o.verify, src.run);
    /* the options of writing a certificate: with --verify they would change nothing */
    const char *writes = o.out ? "-o" : o.title ? "--title" : src.baseline ? "--baseline"
                       : src.since ? "--since" : src.no_compare ? "--no-compare"
                       : format_given ? "--format" : o.top ? "--top" : src.config_path ? "--config"
                       : NULL;
    if (o.verify && writes)
        return cli_cmd_usage_error("certify", "--verify %s checks a certificate, and %s is for "
                                   "writing one: give one or the other", o.verify, writes);
    if (o.verify) return verify(o.verify, src.store_opt);
    /* --since is the baseline here (no history): beside --baseline or --no-compare it
     * would change nothing */
    if (src.since && (src.baseline || src.no_compare))
        return cli_cmd_usage_error("certify", "--since %s and %s: choose one (a certificate has "
                                   "no history, so --since is only what it compares against)",
                                   cli_term(src.since), src.baseline ? "--baseline" : "--no-compare");
    bool html = !strcmp(formats[o.format_i], "html");
    src.want_json_text = true;
    src.no_history = true;
    /* in the metric the run was recorded in: a run that counted instructions is judged
     * by its counts (compared with the baseline's, one value per side), not by times it
     * does not have */
    src.by_metric = true;
    if ((rc = cli_report_check_output(&src, out)) != CLI_OK) return rc;
    if ((rc = cli_report_gather(&src)) != CLI_OK) {
        cli_report_src_free(&src);
        return rc;
    }
    tool_report_in in;
    cli_report_input(&src, &in);
    in.title = title;
    in.top = (size_t)o.top;
    char now[40];
    in.generated = cli_report_now(now, sizeof now);
    char *command = cli_command_string(argc, argv);
    in.command = command;
    char err[TACH__ERR_MAX] = "";
    tool_cert c;
    if (tool_cert_judge(&in, &c, err)) {
        tach__free(command);
        cli_report_src_free(&src);
        return cli_error(CLI_FAIL, "%s", err);
    }
    tool_cert_evidence ev[2];
    for (size_t i = 0; i < src.nevidence; i++) {
        ev[i].run_id = src.evidence[i].run_id;
        ev[i].source = src.evidence[i].source;
        memcpy(ev[i].sha256, src.evidence[i].sha256, 65);
    }
    char *text = tool_cert_render(&in, &c, ev, src.nevidence, html, err);
    if (!text) {
        rc = cli_error(CLI_FAIL, "%s", err);
    } else {
        rc = cli_write_output(text, strlen(text), out);
        if (rc == CLI_OK) {
            /* the paths as the user gave them, on one line (cli_term); -o - is standard
             * output, said as without -o (not a file named "-"); a results file is a
             * file, not a run of the store */
            bool to_file = out && strcmp(out, "-");
            fprintf(stderr, "%s: %s: %s %s %s\n", cli_prog(), to_file ? cli_term(out) : "certificate",
                    src.run_id ? "run" : "file", cli_term(src.run_label),
                    tool_cert_verdict_name(c.verdict));
            if (c.verdict == TOOL_REJECTED) rc = CLI_FAIL;
        }
    }
    tach__free(text);
    tach__free(command);
    tool_cert_free(&c);
    cli_report_src_free(&src);
    return rc;
}

/* cmd_push.c - `tach push URL`: the latest run's metrics to a Prometheus
 * Pushgateway (libcurl, PUT to URL/metrics/job/JOB{/LABEL/VALUE}). */
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: tach push URL [RUN | FILE.json] [options]\n\n"
            "Pushes a run's metrics (default: the latest run in the store) to the Prometheus\n"
            "Pushgateway at URL, replacing the group's previous metrics (HTTP PUT to\n"
            "URL/metrics/job/JOB/LABEL/VALUE...).  The metrics are those of\n"
            "'tach report --format openmetrics', in the Prometheus text format.\n\n"
            "  --job NAME       the job label (default: tach)\n"
            "  --label K=V      a grouping label (repeatable), e.g. --label branch=main\n"
            "  --timeout S      give up after S seconds (default 10)\n"
            "  --baseline REF   also push the change against REF (see tach report)\n"
            "  --store SPEC     the store (path or postgresql:// URL; default .tach/tach.db)\n\n"
            "Exit status: 0 pushed; 2 bad input, or the gateway is down or answered an error.\n");
}

static bool label_name_ok(const char *s, size_t n)
{
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
    return !(n == 3 && !strncmp(s, "job", 3)) && strncmp(s, "__", 2);
}

/* Base64url without padding (the Pushgateway's "label@base64" form, for values
 * that hold '/' or are empty). */
static void b64url(tool_sb *b, const char *s)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    if (!n) {
        tool_sb_put(b, "=");
        return;
    }
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char out[4] = {t[v >> 18 & 63], t[v >> 12 & 63], t[v >> 6 & 63], t[v & 63]};
        tool_sb_putn(b, out, i + 2 < n ? 4 : i + 1 < n ? 3 : 2);
    }
}

static void path_part(tool_sb *b, CURL *c, const char *name, const char *value)
{
    tool_sb_put(b, "/");
    tool_sb_put(b, name);
    if (!*value || strchr(value, '/')) {
        tool_sb_put(b, "@base64/");
        b64url(b, value);
        return;
    }
    char *e = curl_easy_escape(c, value, 0);
    tool_sb_put(b, "/");
    tool_sb_put(b, e ? e : "");
    curl_free(e);
}

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    tool_sb_putn(user, data, size * n);
    return size * n;
}

int cli_cmd_push(int argc, char **argv)
{
    cli_report_src src;
    memset(&src, 0, sizeof src);
    const char *url = NULL, *job = "tach";
    const char *labels[32];
    size_t nlabels = 0;
    long timeout = 10;
    int rc = CLI_OK;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int used = cli_report_option(argc, argv, &i, &src, &rc);
        if (used < 0) return rc;
        if (used) continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return CLI_OK;
        }
        if (!strcmp(a, "--job") || !strcmp(a, "--label") || !strcmp(a, "--timeout")) {
            if (i + 1 >= argc) return cli_usage_error("%s needs a value", a);
            const char *v = argv[++i];
            if (!strcmp(a, "--job")) {
                if (!*v) return cli_usage_error("--job: the job name is empty");
                job = v;
            } else if (!strcmp(a, "--timeout")) {
                unsigned long long t;
                if (cli_parse_count(v, 1, 3600, &t) != 0)
                    return cli_usage_error("--timeout: '%s' is not a number of seconds (1 to 3600)", v);
                timeout = (long)t;
            } else {
                const char *eq = strchr(v, '=');
                if (!eq || !label_name_ok(v, (size_t)(eq - v)))
                    return cli_usage_error("--label: '%s' is not NAME=VALUE with a Prometheus label "
                                           "name (not job, not starting with __)", v);
                if (nlabels == 32) return cli_usage_error("--label: at most 32 labels");
                labels[nlabels++] = v;
            }
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("push: unknown option '%s' (see 'tach push --help')", a);
        } else if (!url) {
            url = a;
        } else if (!src.run) {
            src.run = a;
        } else {
            return cli_usage_error("push: unexpected argument '%s'", a);
        }
    }
    if (!url) return cli_usage_error("push: which Pushgateway? (tach push URL)");
    if (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
        return cli_usage_error("push: '%s' is not an http:// or https:// URL", url);
    src.no_history = true;
    if (!src.baseline) src.no_compare = true;
    if ((rc = cli_report_gather(&src)) != CLI_OK) {
        cli_report_src_free(&src);
        return rc;
    }
    tool_report_in in;
    cli_report_input(&src, &in);
    char err[TACH__ERR_MAX] = "";
    char *body = tool_report_openmetrics(&in, false, err);
    if (!body) {
        cli_report_src_free(&src);
        return cli_error(CLI_FAIL, "%s", err);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *c = curl_easy_init();
    tool_sb target, reply;
    tool_sb_init(&target);
    tool_sb_init(&reply);
    if (!c) {
        rc = cli_error(CLI_FAIL, "push: cannot start libcurl");
        goto done;
    }
    size_t ulen = strlen(url);
    tool_sb_putn(&target, url, ulen && url[ulen - 1] == '/' ? ulen - 1 : ulen);
    tool_sb_put(&target, "/metrics");
    path_part(&target, c, "job", job);
    for (size_t k = 0; k < nlabels; k++) {
        const char *eq = strchr(labels[k], '=');
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(eq - labels[k]), labels[k]);
        path_part(&target, c, name, eq + 1);
    }
    if (target.oom) {
        rc = cli_error(CLI_FAIL, "out of memory");
        goto done;
    }
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: text/plain; version=0.0.4");
    char curl_err[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, target.p);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    if (cc != CURLE_OK) {
        rc = cli_usage_error("push: cannot reach the Pushgateway at %s: %s", url,
                             *curl_err ? curl_err : curl_easy_strerror(cc));
    } else if (status < 200 || status >= 300) {
        /* The gateway's reason, on one line. */
        char why[200] = "";
        if (reply.p) {
            snprintf(why, sizeof why, "%s", reply.p);
            for (char *p = why; *p; p++)
                if (*p == '\n' || *p == '\r') *p = ' ';
        }
        rc = cli_usage_error("push: the Pushgateway at %s answered HTTP %ld%s%s", url, status,
                             *why ? ": " : "", why);
    } else {
        size_t n = 0;
        for (const char *p = body; *p;) {
            if (*p != '#') n++;
            const char *nl = strchr(p, '\n');
            if (!nl) break;
            p = nl + 1;
        }
        char ns[48];
        fprintf(stderr, "tach: pushed %s of run %s to %s (job %s)\n",
                tach__plural((double)n, "sample", NULL, ns, sizeof ns), src.run_label, target.p, job);
    }
done:
    tool_sb_free(&target);
    tool_sb_free(&reply);
    if (c) curl_easy_cleanup(c);
    curl_global_cleanup();
    tach__free(body);
    cli_report_src_free(&src);
    return rc;
}

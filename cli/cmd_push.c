/* cmd_push.c - `tach push URL`: the latest run's metrics to a Prometheus
 * Pushgateway (libcurl, PUT to URL/metrics/job/JOB{/LABEL/VALUE}). */
#include <ctype.h>
#include <curl/curl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_cli.h"

static bool label_name_ok(const char *s, size_t n)
{
    if (!n || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return false;
    return !(n == 3 && !strncmp(s, "job", 3)) && strncmp(s, "__", 2);
}

/* The labels tool_report_openmetrics puts on every sample: a grouping label of the
 * same name would replace them in the gateway (status) or clash with them. */
static bool metric_label(const char *s, size_t n)
{
    static const char *const own[] = {"benchmark", "group", "status"};
    for (size_t i = 0; i < sizeof own / sizeof *own; i++)
        if (strlen(own[i]) == n && !strncmp(s, own[i], n)) return true;
    return false;
}

/* A Pushgateway's base URL, checked before the store is read or anything is sent:
 * scheme http or https (any case), a host (cli_url_host; libcurl reads "http:///x" as
 * host x), no query or fragment (/metrics/job/... goes after the path), and what
 * libcurl's parser takes (a port 0..65535, not empty, no space).  shown is url with any password
 * redacted.  CLI_OK, or the usage error printed. */
static int check_url(const char *url, const char *shown)
{
    size_t hlen, scheme = cli_url_host(url, &hlen);
    if (!scheme) return cli_usage_error("'%s' is not an http:// or https:// URL", shown);
    if (strpbrk(url, "?#"))
        return cli_usage_error("'%s' has a query or a fragment: give the Pushgateway's base "
                               "URL (its path, if any, but no ? or #)", shown);
    if (!hlen) /* an IPv6 [::1] is checked by libcurl below */
        return cli_usage_error("'%s' has no host: expected %.*sHOST[:PORT][/PATH]", shown,
                               (int)scheme, url);
    /* an empty port ("http://host:/"): libcurl takes it as the scheme's default (80),
     * which is not what was written */
    size_t alen = strcspn(url + scheme, "/?#");
    if (alen && url[scheme + alen - 1] == ':')
        return cli_usage_error("'%s' has an empty port: expected %.*sHOST[:PORT][/PATH]", shown,
                               (int)scheme, url);
    CURLU *u = curl_url();
    if (!u) return cli_error(CLI_FAIL, "out of memory");
    CURLUcode uc = curl_url_set(u, CURLUPART_URL, url, 0);
    curl_url_cleanup(u);
    if (uc != CURLUE_OK)
#if LIBCURL_VERSION_NUM >= 0x075000 /* curl_url_strerror: libcurl 7.80 */
        return cli_usage_error("'%s' is not a valid URL: %s", shown, curl_url_strerror(uc));
#else
        return cli_usage_error("'%s' is not a valid URL (libcurl cannot parse it)", shown);
#endif
    return CLI_OK;
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

typedef struct push_args {
    cli_report_src src;
    const char *job;
    cli_list labels; /* --label, repeatable */
    double timeout_s;
    bool help;
} push_args;

#define OFF(f) offsetof(push_args, f)
static const tach__opt push_table[] = {
    {.kind = TACH__OPT_STRING, .name = "job", .metavar = "NAME", .offset = OFF(job),
     .help = "the job label (default: tach)"},
    {.kind = TACH__OPT_STRING, .name = "label", .metavar = "K=V", .offset = OFF(labels),
     .flags = TACH__OPT_NO_STORE, .fn = cli_opt_append, .help = "a grouping label (repeatable), e.g. --label branch=main"},
    {.kind = TACH__OPT_DURATION, .name = "timeout", .metavar = "S", .offset = OFF(timeout_s),
     .lo = 0.001, .hi = 3600, .help = "give up after S (default 10; 500ms, 2s, 1m)"},
    CLI_REPORT_ROW_BASELINE(push_args),
    CLI_REPORT_ROWS_END(push_args),
};

CLI_OPTIONS(push, push_table,
    "usage: tach push URL [RUN | FILE.json] [options]\n\n"
    "Pushes a run's metrics (default: the latest run in the store) to the Prometheus\n"
    "Pushgateway at URL, replacing the group's previous metrics (HTTP PUT to\n"
    "URL/metrics/job/JOB/LABEL/VALUE...).  The metrics are those of\n"
    "'tach report --format openmetrics', in the Prometheus text format.  URL is the\n"
    "gateway's base URL: http:// or https://, a host, an optional port and path (no\n"
    "query or fragment).\n\n",
    "Exit status: 0 pushed; 2 bad input, or the gateway is down or answered an error.\n")

static size_t collect(char *data, size_t size, size_t n, void *user)
{
    tool_sb_putn(user, data, size * n);
    return size * n;
}

int cli_cmd_push(int argc, char **argv)
{
    push_args o;
    memset(&o, 0, sizeof o);
    o.job = "tach";
    o.timeout_s = 10;
    const char *url = NULL;
    int rc = cli_report_read_args(&push_options, &o, &o.src, &o.help, argc, argv, &url);
    if (rc != CLI_OK) {
        free(o.labels.v);
        return rc < 0 ? CLI_OK : rc;
    }
    cli_report_src src = o.src;
    const char *job = o.job;
    const char *labels[32];
    size_t nlabels = o.labels.n;
    for (size_t k = 0; k < o.labels.n && rc == CLI_OK; k++) {
        const char *v = o.labels.v[k], *eq = strchr(v, '=');
        if (!eq || !label_name_ok(v, (size_t)(eq - v)))
            rc = cli_cmd_usage_error("push", "--label: '%s' is not a label, expected NAME=VALUE "
                                     "with a Prometheus label name (not job, not starting with "
                                     "__)", v);
        else if (k == 32)
            rc = cli_cmd_usage_error("push", "--label: '%s' is one too many, expected at most "
                                     "32 labels", v);
        else if (metric_label(v, (size_t)(eq - v)))
            rc = cli_cmd_usage_error("push", "--label: '%s' names a label every metric of tach "
                                     "carries itself (benchmark, group, status): the gateway would "
                                     "overwrite the metrics' own or refuse them; choose another name", v);
        else {
            for (size_t j = 0; j < k && rc == CLI_OK; j++)
                if (!strncmp(labels[j], v, (size_t)(eq - v) + 1))
                    rc = cli_cmd_usage_error("push", "--label: '%s' and '%s' give the label '%.*s' "
                                             "twice", labels[j], v, (int)(eq - v), v);
            labels[k] = v;
        }
    }
    free(o.labels.v);
    long timeout_ms = (long)(o.timeout_s * 1000 + 0.5);
    if (rc != CLI_OK) return rc;
    if (!url) return cli_usage_error("which Pushgateway? (tach push URL)");
    /* The URL as shown: a user:password@ in it never reaches a message. */
    char *shown = tach__redact_url(url);
    if (!shown) return cli_error(CLI_FAIL, "out of memory");
    if ((rc = check_url(url, shown)) != CLI_OK) {
        tach__free(shown);
        return rc;
    }
    src.no_history = true;
    if (!src.baseline) src.no_compare = true;
    if ((rc = cli_report_gather(&src)) != CLI_OK) {
        cli_report_src_free(&src);
        tach__free(shown);
        return rc;
    }
    tool_report_in in;
    cli_report_input(&src, &in);
    char err[TACH__ERR_MAX] = "";
    char *body = tool_report_openmetrics(&in, false, err);
    if (!body) {
        cli_report_src_free(&src);
        tach__free(shown);
        return cli_error(CLI_FAIL, "%s", err);
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *c = curl_easy_init();
    tool_sb target, reply;
    tool_sb_init(&target);
    tool_sb_init(&reply);
    if (!c) {
        rc = cli_error(CLI_FAIL, "cannot start libcurl");
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
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply);
    CURLcode cc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    if (cc != CURLE_OK) {
        char *why = tach__redact(*curl_err ? curl_err : curl_easy_strerror(cc));
        rc = cli_usage_error("cannot reach the Pushgateway at %s: %s", shown, why ? why : "");
        tach__free(why);
    } else if (status < 200 || status >= 300) {
        /* The gateway's reason, on one line. */
        char why[200] = "";
        if (reply.p) {
            snprintf(why, sizeof why, "%s", reply.p);
            tach__terminal_safe(why, false); /* one line, nothing raw reaches the terminal */
        }
        char *safe = tach__redact(why);
        rc = cli_usage_error("the Pushgateway at %s answered HTTP %ld%s%s", shown, status,
                             *why ? ": " : "", safe ? safe : "");
        tach__free(safe);
    } else {
        size_t n = 0;
        for (const char *p = body; *p;) {
            if (*p != '#') n++;
            const char *nl = strchr(p, '\n');
            if (!nl) break;
            p = nl + 1;
        }
        char *safe = tach__redact_url(target.p); /* one URL: its blanks its own */
        tach__terminal_safe(safe, false);
        char ns[48];
        fprintf(stderr, "%s: pushed %s of %s %s to %s (job %s)\n", cli_prog(),
                tach__plural((double)n, "sample", NULL, ns, sizeof ns),
                src.run_id ? "run" : "file", cli_term(src.run_label),
                safe ? safe : "", cli_term(job));
        tach__free(safe);
    }
done:
    tool_sb_free(&target);
    tool_sb_free(&reply);
    if (c) curl_easy_cleanup(c);
    curl_global_cleanup();
    tach__free(body);
    tach__free(shown);
    cli_report_src_free(&src);
    return rc;
}

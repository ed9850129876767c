/* suite_bus.c - `tach suite bus`: --broker / --url / --transports, --patterns, --sizes,
 * --rate, --slo, --messages, then the suite (src/suite/bus.c). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bus.h"
#include "options.h"
#include "suite_cli.h"

/* Whether the n bytes at p are an IPv6 address (inet_pton's reading). */
static bool is_v6(const char *p, size_t n)
{
    char a[INET6_ADDRSTRLEN + 1];
    struct in6_addr a6;
    if (n >= sizeof a) return false;
    memcpy(a, p, n);
    a[n] = '\0';
    return inet_pton(AF_INET6, a, &a6) == 1;
}

static int check_list(const char *opt, char **w, size_t n, const char *const *known, const char *expect)
{
    int rc = cli_suite_canon(opt, w, n, known);
    for (size_t i = 0; i < n && rc == CLI_OK; i++) {
        bool ok = false;
        for (const char *const *k = known; *k; k++) ok = ok || !strcmp(*k, w[i]);
        if (!ok) return cli_cmd_usage_error("suite", "%s: '%s' is not one, expected %s", opt, w[i], expect);
    }
    return rc;
}

int cli_suite_bus(const cli_suite_opts *o, tach__doc *doc, int *failed)
{
    static const char *const patterns[] = {"1to1", "fanout", "reqrep", NULL};
    static const char *const brokers[] = {"nats", "mqtt", "redis", NULL};
    static const char *const locals[] = {"pipe", "unix", "queue", NULL};
    tool_bus_opts b;
    memset(&b, 0, sizeof b);
    b.seed = o->seed;
    b.messages = o->messages ? (uint64_t)o->messages : o->quick ? 2000 : 20000;
    b.slo_steps = o->quick ? 3 : 6;
    char err[TACH__ERR_MAX];
    uint64_t *sizes = NULL;
    char *broker_list = NULL;
    int rc = cli_suite_sizes(o, o->quick ? "16,1k" : "16,1k,64k", 16, 64 << 10, "16,1k,64KiB", &sizes,
                             &b.nsizes);
    if (rc != CLI_OK) return rc;
    b.sizes = sizes;
    if (o->patterns) {
        if (tool_suite_words(o->patterns, &b.patterns, &b.npatterns, err) != 0)
            rc = cli_cmd_usage_error("suite", "--patterns: %s", err);
        else rc = check_list("--patterns", b.patterns, b.npatterns, patterns, "1to1, fanout or reqrep");
    }
    if (rc == CLI_OK && o->rate) {
        char *end;
        /* decimal, as every number tach reads (strtod took 0x100 for 256 and " 100") */
        int pr = tach__opt_parse_real(o->rate, &b.rate, &end);
        /* a number out of range is too large or too small, not "not a rate" ("0", "1e400") */
        const char *why = (pr != 0 && pr != -2 && pr != -3) || *end ? "is not a rate"
                          : pr == -2 || b.rate > 1e8                 ? "is too large"
                          : pr == -3 || !(b.rate >= 1)               ? "is too small"
                                                                     : NULL;
        if (why)
            rc = cli_cmd_usage_error("suite", "--rate: '%s' %s, expected messages per second "
                                     "from 1 to 1e8", o->rate, why);
    }
    int slo_rc = rc == CLI_OK && o->slo ? tool_bus_parse_slo(o->slo, &b.slo_p, &b.slo_ns) : 0;
    if (slo_rc == -2)
        rc = cli_cmd_usage_error("suite", "--slo: '%s': the bound has no unit, which would be seconds: "
                                 "write it with one, as '%sms' (or us, s)", o->slo, o->slo);
    else if (slo_rc == -3)
        rc = cli_cmd_usage_error("suite", "--slo: '%s': the bound is too small, closer to 0 than a "
                                 "number holds, expected e.g. 'p99<1ms'", o->slo);
    else if (slo_rc == -4) /* the words of tach load's --slo (slo_syntax.c) */
        rc = cli_cmd_usage_error("suite", "--slo: '%s': the bound is too large, expected a duration of "
                                 "at most %.0f s, e.g. 'p99<1ms'", o->slo, TACH__OPT_DURATION_MAX);
    else if (slo_rc == -5)
        rc = cli_cmd_usage_error("suite", "--slo: '%s': nothing measures below 0, so no rate could meet "
                                 "it, expected a bound above 0, e.g. 'p99<1ms'", o->slo);
    else if (slo_rc == -6)
        rc = cli_cmd_usage_error("suite", "--slo: '%s': the percentile is not in (0, 100], expected "
                                 "e.g. 'p99<1ms' or 'p99.9<500us'", o->slo);
    else if (slo_rc != 0)
        rc = cli_cmd_usage_error("suite", "--slo: '%s' is not an SLO, expected e.g. 'p99<1ms'", o->slo);
    /* request-reply alone has no open-loop row: a --rate or --slo given with it ran nothing
     * at a rate, exit 0, the option unused (as --time was on the bus) */
    bool open_rows = !o->patterns;
    for (size_t k = 0; rc == CLI_OK && k < b.npatterns; k++) open_rows = open_rows || strcmp(b.patterns[k], "reqrep");
    for (int k = 0; rc == CLI_OK && !open_rows && k < 2; k++) {
        const char *opt = k ? "slo" : "rate", *val = k ? o->slo : o->rate;
        if (val)
            rc = cli_cmd_usage_error("suite", "--%s '%s': --patterns reqrep has no open-loop row to run %s "
                                     "(one request is outstanding at a time, a closed loop): add 1to1 "
                                     "or fanout to --patterns, or leave --%s out", opt, val,
                                     k ? "at rates for it" : "at it", opt);
    }
    if (rc == CLI_OK && o->broker && o->url)
        rc = cli_cmd_usage_error("suite", "--broker and --url: one broker at a time");
    const char *which = o->broker, *not_built;
    /* a broker named in any case (NATS, Redis) is the one in lower case: its rows and
     * context.suite.broker say nats whatever was typed, so runs group together */
    for (const char *const *k = brokers; which && *k; k++)
        if (!strcasecmp(which, *k)) which = *k;
    char scheme[16] = "";
    if (rc == CLI_OK && o->url) {
        /* its password never shown; whole (a 512-byte buffer cut a user of 1023 bytes) */
        char *shown = tool_bus_url_shown_dup(o->url);
        int crc = tool_bus_check_url(o->url, scheme, sizeof scheme);
        if (crc == -2)
            rc = cli_cmd_usage_error("suite", "--url: '%s' has a path, and the bus suite uses none (a "
                                     "Redis database is not pub/sub's): give nats://, mqtt:// or "
                                     "redis://[USER:PASSWORD@]HOST:PORT",
                                     shown ? shown : "?");
        else if (crc == -3) /* hidden whole: a userinfo without ':' may be a token */
            rc = cli_cmd_usage_error("suite", "--url: '%s' gives a user without a password: write "
                                     "USER:PASSWORD@ (or :PASSWORD@ for Redis's requirepass)",
                                     shown ? shown : "?");
        else if (crc == -5)
            rc = cli_cmd_usage_error("suite", "--url: '%s': its host is longer than a host name can be "
                                     "(253 bytes)", shown ? shown : "?");
        else if (crc == -6) /* RFC 6874: the '%' before a zone is itself percent-encoded */
            rc = cli_cmd_usage_error("suite", "--url: '%s': an IPv6 address's zone follows '%%25' in a "
                                     "URL, the '%%' percent-encoded (RFC 6874): write [ADDRESS%%25ZONE], "
                                     "e.g. [fe80::1%%25eth0]", shown ? shown : "?");
        else if (crc == -7)
            rc = cli_cmd_usage_error("suite", "--url: '%s': the zone after '%%25' is not one: expected an "
                                     "interface's name or index, of letters, digits, '-', '.', '_', '~' "
                                     "or %%XX (RFC 6874), e.g. [fe80::1%%25eth0]", shown ? shown : "?");
        else if (crc == -8)
            rc = cli_cmd_usage_error("suite", "--url: '%s': no network interface here has its zone's name "
                                     "or index (see 'ip link')", shown ? shown : "?");
        else if (crc == -9 && shown) { /* nats://::1:4222: which ':' ends the address is a guess */
            /* the URL as it is to be written: its host (after "://" and any userinfo, up to a
             * '/') bracketed, with the port the parser wants (its last ':' a port's, or the
             * whole host the address: nats://::1 has no port; ::1:4222 reads either way) */
            const char *h = strstr(shown, "://") + 3, *at = strrchr(h, '@');
            if (at) h = at + 1;
            int pre = (int)(h - shown), hn = (int)strcspn(h, "/");
            const char *c = h + hn;
            while (c > h && *c != ':') c--;
            bool all = is_v6(h, (size_t)hn), head = *c == ':' && is_v6(h, (size_t)(c - h));
            if (all && head)
                rc = cli_cmd_usage_error("suite", "--url: '%s': an IPv6 address is written in brackets in a "
                                         "URL (RFC 3986): write %.*s[%.*s]%s for port %.*s of %.*s, or "
                                         "%.*s[%.*s]:PORT if all of it is the address", shown, pre, shown,
                                         (int)(c - h), h, c, (int)(h + hn - c - 1), c + 1, (int)(c - h), h,
                                         pre, shown, hn, h);
            else if (all)
                rc = cli_cmd_usage_error("suite", "--url: '%s': an IPv6 address is written in brackets in a "
                                         "URL (RFC 3986), with its port: write %.*s[%.*s]:PORT%s", shown, pre,
                                         shown, hn, h, h + hn);
            else
                rc = cli_cmd_usage_error("suite", "--url: '%s': an IPv6 address is written in brackets in a "
                                         "URL (RFC 3986): write %.*s[%.*s]%s", shown, pre, shown,
                                         (int)(c - h), h, c);
        } else if (crc == -9)
            rc = cli_cmd_usage_error("suite", "--url: an IPv6 address is written in brackets in a URL "
                                     "(RFC 3986)");
        else if (crc == -4)
            rc = cli_cmd_usage_error("suite", "--url: '%s' gives a password without a user: %s asks "
                                     "for USER:PASSWORD@ (only Redis takes :PASSWORD@)",
                                     shown ? shown : "?", scheme);
        else if (crc != 0)
            rc = cli_cmd_usage_error("suite", "--url: '%s' is not a broker URL, expected nats://, mqtt:// "
                                     "or redis://[USER:PASSWORD@]HOST:PORT (USER and PASSWORD percent-encoded: "
                                     "%%XX, two hex digits, not %%00)",
                                     shown ? shown : "?");
        else if (tool_bus_reach_url(o->url, err) != 0) /* bad input, not rows that failed */
            rc = cli_cmd_usage_error("suite", "--url: %s", err);
        else if (tool_bus_known(scheme, &not_built) && tool_bus_probe_url(o->url, err) != 0)
            rc = cli_cmd_usage_error("suite", "--url: %s", err); /* another service's port */
        tach__free(shown);
        which = scheme;
        b.url = o->url;
    }
    if (rc == CLI_OK && which) {
        const char *why = NULL;
        if (check_list("--broker", (char **)&which, 1, brokers, "nats, mqtt or redis") != CLI_OK) rc = CLI_USAGE;
        else if (!tool_bus_known(which, &why))
            rc = cli_cmd_usage_error("suite", "--broker: '%s' is not built in this tach (%s)", which, why);
        else if (o->broker && tool_bus_broker_installed(which, err) != 0) /* before any row runs */
            rc = cli_cmd_usage_error("suite", "--broker %s: %s", which, err);
        else if (o->broker && tool_bus_broker_tmpdir_check(err) != 0) /* the caller's to fix */
            rc = cli_cmd_usage_error("suite", "--broker %s: %s; set TMPDIR", which, err);
    }
    if (rc == CLI_OK && o->transports) {
        if (tool_suite_words(o->transports, &b.transports, &b.ntransports, err) != 0)
            rc = cli_cmd_usage_error("suite", "--transports: %s", err);
        else rc = check_list("--transports", b.transports, b.ntransports, locals, "pipe, unix or queue");
    }
    if (rc == CLI_OK && which) {
        /* the broker, after the baselines asked for (none unless --transports) */
        size_t n = b.ntransports;
        char **t = realloc(b.transports, (n + 1) * sizeof *t);
        if (!t || !(broker_list = tach__strdup(which))) {
            free(t ? t : b.transports);
            b.transports = NULL, b.ntransports = 0;
            rc = cli_error(CLI_FAIL, "out of memory");
        } else {
            t[n] = broker_list;
            b.transports = t, b.ntransports = n + 1;
            broker_list = NULL;
        }
    }
    const char *hook = tool_suite_test_hook("broker-kill-after");
    if (hook) b.kill_after = strtoull(hook, NULL, 10);
    if ((hook = tool_suite_test_hook("slo-invalid-runs"))) b.slo_invalid_runs = strtoull(hook, NULL, 10);
    if (rc == CLI_OK) {
        int f = tool_bus_run(&b, doc, err);
        if (f < 0) rc = cli_error(CLI_FAIL, "%s", err);
        else *failed = f;
        const char *why = json_string_value(json_object_get(json_object_get(doc->context, "suite"), "stopped"));
        if (why) fprintf(stderr, "tach suite: %s; the results so far are kept\n", cli_term(why));
    }
    tool_suite_words_free(b.transports, b.ntransports);
    tool_suite_words_free(b.patterns, b.npatterns);
    free(sizes);
    return rc;
}

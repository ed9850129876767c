/* latency_cli.c - `tach compare --percentile` / `tach gate --percentile`: which
 * latency percentiles to judge and with which thresholds, and their table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "latency_cli.h"
#include "options.h"

int cli_pct_list_parse(const char *text, tool_pct_ask *ask, size_t *n, char *why, size_t size)
{
    *n = 0;
    if (!text || !*text) {
        ask[(*n)++] = (tool_pct_ask){50, NAN};
        ask[(*n)++] = (tool_pct_ask){99, NAN};
        return 0;
    }
    const char *p = text;
    for (;;) {
        size_t len = strcspn(p, ",");
        char item[64];
        if (len == 0 || len >= sizeof item) {
            snprintf(why, size, "'%s': an empty or overlong item (expected P[:PCT],...)", text);
            return -1;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (*n == CLI_MAX_PCTS) {
            snprintf(why, size, "'%s': more than %d percentiles", text, CLI_MAX_PCTS);
            return -1;
        }
        char *end = NULL;
        const char *pt = item[0] == 'p' ? item + 1 : item; /* "p99" too */
        double pv = NAN; /* decimal, never a hex float ("0x32") */
        if (tach__opt_parse_real(pt, &pv, &end) != 0 || !(pv > 0 && pv <= 100) ||
            (*end && *end != ':')) {
            snprintf(why, size, "'%s': expected a percentile in (0, 100], optionally :PCT (e.g. 99:5)", item);
            return -1;
        }
        for (size_t k = 0; k < *n; k++)
            if (ask[k].p == pv) { /* "50,50" judged twice; "50:5,50:10" has no one threshold */
                snprintf(why, size, "'%s': percentile %.10g is asked twice (ask each once, with "
                                    "one threshold)", item, pv);
                return -1;
            }
        double noise = NAN;
        if (*end == ':') {
            char *e2 = NULL;
            double nv = NAN;
            int pr = tach__opt_parse_real(end + 1, &nv, &e2);
            int bad = pr != 0 && pr != -3; /* -3: 0, as close to it as a double holds */
            if (!bad && *e2 == '%') e2++;
            if (bad || *e2 || !(nv >= 0)) {
                snprintf(why, size, "'%s': the threshold after ':' must be a percentage >= 0 (e.g. 99:5)", item);
                return -1;
            }
            noise = nv / 100.0;
        }
        ask[(*n)++] = (tool_pct_ask){pv, noise};
        if (!p[len]) break;
        p += len + 1;
    }
    return 0;
}

int cli_parse_percentiles(const char *cmd, const char *text, tool_pct_ask *ask, size_t *n)
{
    char why[160];
    if (cli_pct_list_parse(text, ask, n, why, sizeof why) != 0)
        return cli_cmd_usage_error(cmd, "--percentile: %s", why);
    return CLI_OK;
}

static const char *pct(double v, char *buf, size_t size)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else snprintf(buf, size, "%+.2f%%", v * 100.0);
    return buf;
}

void cli_print_percentiles(const tool_pct_change *pc, size_t n, bool color)
{
    if (!n) return;
    size_t w = strlen("benchmark");
    for (size_t i = 0; i < n; i++)
        if (tach__display_width(pc[i].name) > w) w = tach__display_width(pc[i].name);
    if (w > 60) w = 60;
    char h0[128];
    printf("\nlatency percentiles (per-call histograms; 95%% CI by a bootstrap over the calls):\n");
    printf("%s  %-7s  %10s  %10s  %9s  %-21s  %s\n", tach__pad("benchmark", -(int)w, h0, sizeof h0),
           "pct", "base", "new", "change", "95% CI", "verdict");
    for (size_t i = 0; i < n; i++) {
        const tool_pct_change *x = &pc[i];
        char c0[512], pn[24], b[32], nw[32], ch[32], lo[32], hi[32], ci[80], verdict[160];
        snprintf(pn, sizeof pn, "p%.10g", x->p); /* 99.99999 is not "p100" */
        tach__fmt_time(x->base_ns, b, sizeof b);
        tach__fmt_time(x->new_ns, nw, sizeof nw);
        if (isnan(x->change.lo)) snprintf(ci, sizeof ci, "-");
        else snprintf(ci, sizeof ci, "[%s, %s]", pct(x->change.lo, lo, sizeof lo), pct(x->change.hi, hi, sizeof hi));
        if (x->verdict == TOOL_REGRESSED || x->verdict == TOOL_IMPROVED)
            snprintf(verdict, sizeof verdict, "%s (%s)", tool_verdict_name(x->verdict),
                     tool_severity_name(x->severity));
        else if (x->verdict == TOOL_UNSTABLE)
            snprintf(verdict, sizeof verdict, "unstable: %s", x->why ? x->why : "too noisy");
        else if (x->verdict == TOOL_UNTESTABLE)
            snprintf(verdict, sizeof verdict, "not testable: %s (%lld / %lld calls above)",
                     x->why ? x->why : "?", (long long)x->base_samples, (long long)x->new_samples);
        else snprintf(verdict, sizeof verdict, "%s", tool_verdict_name(x->verdict));
        const char *col = !color ? "" : x->verdict == TOOL_REGRESSED ? "\033[31m"
                                      : x->verdict == TOOL_IMPROVED  ? "\033[32m"
                                      : x->verdict == TOOL_UNTESTABLE || x->verdict == TOOL_UNSTABLE ? "\033[33m" : "";
        char c1[48], c2[48];
        printf("%s  %-7s  %s  %s  %9s  %-21s  %s%s%s\n",
               tach__pad(cli_term(x->name), -(int)w, c0, sizeof c0), pn,
               tach__pad(b, 10, c1, sizeof c1), tach__pad(nw, 10, c2, sizeof c2),
               pct(x->change.value, ch, sizeof ch), ci, col, verdict, *col ? "\033[0m" : "");
    }
}

/* load_slo.c - `tach load`'s objectives: before the run, that each one about an
 * operation or URL names one the run loads (else exit 2, nothing sent); after it, each
 * checked against the document (met, missed or unknown), printed and kept in it. */
#include <stdio.h>
#include <string.h>

#include "load_cli.h"

/* s with its passwords hidden into out: a target (a URL, an operation's name) as the
 * results name it (tach__redact_arg, as tach__load_stats_init), else text.  -1 on no
 * memory. */
static int hide(const char *s, char *out, size_t size, bool target)
{
    char *shown = target ? tach__redact_arg(NULL, s) : tach__redact(s);
    if (!shown) return -1;
    snprintf(out, size, "%s", shown);
    tach__free(shown);
    return 0;
}

/* An objective about an operation (or URL) the run does not load could only be UNKNOWN
 * after the whole run: refused before it.  A URL's password is hidden first: the results
 * name the URL so (tach__load_stats_init), so 'http://u:pw@h/a:p99<1s' was UNKNOWN after
 * the run, and its password printed and kept in slo_verdicts.  The first ncli objectives
 * are --slo's, the rest the config's. */
int cli_load_check_slo_ops(cli_load_state *st, size_t ncli, char *err)
{
    const tach__load_cfg *c = &st->o.cfg;
    char (*names)[256] = tach__calloc(c->ntargets ? c->ntargets : 1, sizeof *names);
    int rc = names ? CLI_OK : CLI_FAIL;
    for (size_t k = 0; rc == CLI_OK && k < c->ntargets; k++)
        if (hide(c->targets[k].name, names[k], sizeof names[k], true) != 0) rc = CLI_FAIL;
    for (size_t i = 0; rc == CLI_OK && i < st->slos.n; i++) {
        tool_slo *s = &st->slos.v[i];
        if (hide(s->op, s->op, sizeof s->op, true) != 0 || hide(s->text, s->text, sizeof s->text, false) != 0) {
            rc = CLI_FAIL;
            break;
        }
        if (!s->op[0] || !strcmp(s->op, "overall")) continue;
        bool found = false;
        for (size_t k = 0; k < c->ntargets && !found; k++) found = !strcmp(names[k], s->op);
        if (found) continue;
        char have[1024] = "";
        size_t len = 0;
        for (size_t k = 0; k < c->ntargets && len < sizeof have; k++)
            len += (size_t)snprintf(have + len, sizeof have - len, "%s%s", k ? ", " : "", names[k]);
        tach__err(err, "%s '%s': the run has no %s '%s' (it loads: %s)",
                  i < ncli ? "--slo" : "[load] slo", s->text, st->http ? "URL" : "operation",
                  s->op, have);
        rc = CLI_USAGE;
    }
    if (rc == CLI_FAIL) tach__err(err, "out of memory");
    tach__free(names);
    return rc;
}

/* Checks every objective, prints one line each to out (unless quiet) and keeps the
 * verdicts in the overall result's load block ("slo": [...]).  Returns the number missed. */
int cli_load_check_slos(const tool_slo_list *slos, tach__doc *d, bool quiet, FILE *out)
{
    int missed = 0;
    json_t *arr = json_array();
    tach__result *overall = NULL;
    for (size_t i = 0; i < d->nresults; i++)
        if (d->results[i].load && !strcmp(d->results[i].name, "overall")) overall = &d->results[i];
    for (size_t i = 0; i < slos->n; i++) {
        const tool_slo *s = &slos->v[i];
        double v;
        char why[200], vb[48];
        int ok = tool_slo_check(s, d, &v, why, sizeof why);
        if (ok != 1) missed++;
        const char *verdict = ok == 1 ? "met" : ok == 0 ? "MISSED" : "UNKNOWN";
        if (!quiet)
            fprintf(out, "  slo %-24s %-7s measured %s%s%s\n", s->text, verdict,
                   tool_slo_format(s, v, vb, sizeof vb), why[0] ? ": " : "", why);
        if (arr)
            json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "objective", s->text, "verdict",
                                                 ok == 1 ? "met" : ok == 0 ? "missed" : "unknown",
                                                 "measured", tach__json_num(v)));
    }
    if (overall && overall->load && arr) json_object_set(overall->load, "slo_verdicts", arr);
    json_decref(arr);
    return missed;
}

/*
 * ab_lost.c - a benchmark `tach ab` could not judge because a side lost it: the
 * binary's worker reported it failed, crashed or timed out.  Its row, its JSON and the
 * verdict line's count say so in the same words whether the pairs were timed
 * (cmd_ab.c) or counted once (ab_instr.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ab.h"
#include "cli.h"
#include "run.h"

static const char *side_name(int side) { return side ? "NEW" : "OLD"; }

int cli_ab_stop(ab_stop *st, int side, const char *what, int exit_status, int sig,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->message, sizeof st->message, fmt, ap);
    va_end(ap);
    st->side = side;
    st->what = what;
    st->exit_status = exit_status;
    st->signal = sig;
    return cli_error(CLI_FAIL, "%s", st->message);
}

int cli_ab_worker_stop(ab_stop *st, int side, int wo, int code, int sig, const char *why,
                       const char *shown)
{
    bool timeout = wo == CLI_WORKER_TIMEOUT;
    return cli_ab_stop(st, side, timeout ? "timed out" : sig ? "crashed" : "failed",
                       timeout ? -1 : code, sig, "the %s binary %s: %s", side_name(side), why, shown);
}

void cli_ab_stop_json(const ab_stop *st, json_t *root)
{
    json_t *e = json_object();
    json_object_set_new(e, "side", json_string(side_name(st->side)));
    json_object_set_new(e, "what", json_string(st->what));
    json_object_set_new(e, "exit_status", st->exit_status >= 0 ? json_integer(st->exit_status) : json_null());
    const char *sig = st->signal ? tach__signal_lookup(st->signal) : NULL;
    json_object_set_new(e, "signal", sig ? json_string(sig) : json_null());
    json_object_set_new(e, "message", tach__json_string_lossy(st->message));
    json_object_set_new(root, "error", e);
}

/* In the order a row names them: the worst first. */
static const tach__status kinds[] = {TACH__CRASHED, TACH__FAILED, TACH__TIMEOUT};

static const char *kind_word(tach__status k)
{
    return k == TACH__CRASHED ? "crashed" : k == TACH__FAILED ? "failed" : "timed out";
}

static const char *sides_of(const ab_lost *l, tach__status k)
{
    return l->status[0] == k && l->status[1] == k ? "OLD and NEW" : l->status[0] == k ? "OLD" : "NEW";
}

static bool has(const ab_lost *l, tach__status k) { return l->status[0] == k || l->status[1] == k; }

bool cli_ab_lost_status(tach__status s)
{
    return s == TACH__FAILED || s == TACH__CRASHED || s == TACH__TIMEOUT;
}

int cli_ab_lost_note(ab_lost *l, int side, const tach__result *r)
{
    if (!cli_ab_lost_status(r->status)) return 0;
    char sig[64];
    const char *m = r->message ? r->message
                    : r->status == TACH__CRASHED && r->signal ? cli_signal_describe(r->signal, sig, sizeof sig)
                                                              : NULL;
    tach__free(l->message[side]);
    l->message[side] = NULL;
    if (m && !(l->message[side] = tach__strdup(m))) return -1;
    l->status[side] = r->status;
    return 1;
}

void cli_ab_lost_free(ab_lost *l)
{
    for (int side = 0; side < 2; side++) {
        tach__free(l->message[side]);
        l->message[side] = NULL;
    }
}

bool cli_ab_lost_any(const ab_lost *l) { return l->status[0] != TACH__OK || l->status[1] != TACH__OK; }

const char *cli_ab_lost_cell(const ab_lost *l, int side)
{
    return l->status[side] == TACH__OK ? NULL : kind_word(l->status[side]);
}

void cli_ab_lost_verdict(const ab_lost *l, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (!has(l, kinds[i]) || n >= size) continue;
        int w = snprintf(buf + n, size - n, "%s%s (%s)", n ? ", " : "", kind_word(kinds[i]),
                         sides_of(l, kinds[i]));
        if (w > 0) n += (size_t)w;
    }
}

/* The why of kind k: "OLD and NEW timed out after 1 s", "NEW crashed: killed by signal
 * 6 (SIGABRT)", "OLD failed: x; NEW failed: y" (two messages that differ). */
static void why_of(const ab_lost *l, tach__status k, double timeout_s, tach__buf *b)
{
    char text[TACH__ERR_MAX + 64];
    if (k == TACH__TIMEOUT) {
        snprintf(text, sizeof text, "%s timed out after %g s", sides_of(l, k), timeout_s);
        tach__buf_puts(b, text);
        return;
    }
    const char *m0 = l->message[0], *m1 = l->message[1];
    bool one = l->status[0] == k && l->status[1] == k && (m0 && m1 ? !strcmp(m0, m1) : m0 == m1);
    for (int side = 0; side < 2; side++) {
        if (l->status[side] != k || (one && side == 1)) continue;
        const char *m = l->message[side];
        snprintf(text, sizeof text, "%s%s %s%s%s", side == 1 && l->status[0] == k ? "; " : "",
                 one ? "OLD and NEW" : side ? "NEW" : "OLD", kind_word(k), m ? ": " : "", m ? m : "");
        tach__buf_puts(b, text);
    }
}

void cli_ab_lost_json(const ab_lost *l, double timeout_s, json_t *row)
{
    tach__buf why = {0};
    const char *verdict = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        tach__status k = kinds[i];
        if (!has(l, k)) continue;
        if (!verdict) verdict = kind_word(k);
        else tach__buf_puts(&why, "; ");
        why_of(l, k, timeout_s, &why);
    }
    json_object_set_new(row, "verdict", json_string(verdict ? verdict : "not compared"));
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (!has(l, kinds[i])) continue;
        json_t *sides = json_array();
        for (int side = 0; side < 2; side++)
            if (l->status[side] == kinds[i]) json_array_append_new(sides, json_string(side ? "NEW" : "OLD"));
        json_object_set_new(row, kinds[i] == TACH__TIMEOUT ? "timed_out" : kind_word(kinds[i]), sides);
    }
    char *text = tach__buf_take(&why);
    json_object_set_new(row, "why", text ? tach__json_string_lossy(text) : json_null());
    tach__free(text);
}

void cli_ab_lost_count_add(ab_lost_count *c, const ab_lost *l)
{
    if (!cli_ab_lost_any(l)) return;
    c->benchmarks++;
    c->crashed += has(l, TACH__CRASHED);
    c->failed += has(l, TACH__FAILED);
    c->timed_out += has(l, TACH__TIMEOUT);
}

void cli_ab_lost_count_print(const ab_lost_count *c, double timeout_s)
{
    if (!c->benchmarks) return;
    size_t n[] = {c->crashed, c->failed, c->timed_out};
    bool first = true;
    printf(";");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (!n[i]) continue;
        char bn[48];
        if (first) printf(" %s", tach__plural((double)n[i], "benchmark", NULL, bn, sizeof bn));
        else printf(", %zu", n[i]);
        printf(" %s", kind_word(kinds[i]));
        if (kinds[i] == TACH__TIMEOUT) printf(" after %g s", timeout_s);
        first = false;
    }
    printf(", not judged: exit status 1");
}

void cli_ab_lost_count_json(const ab_lost_count *c, json_t *root)
{
    json_object_set_new(root, "crashed", json_integer((json_int_t)c->crashed));
    json_object_set_new(root, "failed", json_integer((json_int_t)c->failed));
    json_object_set_new(root, "timed_out", json_integer((json_int_t)c->timed_out));
}

void cli_ab_skipped_verdict(const char *const skipped[2], char *buf, size_t size)
{
    snprintf(buf, size, "skipped (%s)", skipped[0] && skipped[1] ? "OLD and NEW" : skipped[0] ? "OLD" : "NEW");
}

void cli_ab_skipped_json(const char *const skipped[2], json_t *row)
{
    json_t *sides = json_array();
    for (int side = 0; side < 2; side++)
        if (skipped[side]) json_array_append_new(sides, json_string(side ? "NEW" : "OLD"));
    json_object_set_new(row, "verdict", json_string("skipped"));
    json_object_set_new(row, "skipped", sides);
    char why[TACH__ERR_MAX + 32] = "";
    bool same = skipped[0] && skipped[1] && !strcmp(skipped[0], skipped[1]);
    for (int side = 0; side < 2; side++) {
        if (!skipped[side] || (same && side)) continue;
        size_t len = strlen(why);
        snprintf(why + len, sizeof why - len, "%s%s skipped: %s", len ? "; " : "",
                 same ? "OLD and NEW" : side ? "NEW" : "OLD", skipped[side]);
    }
    json_object_set_new(row, "why", tach__json_string_lossy(why));
}

void cli_ab_one_sided_print(size_t added, size_t removed, size_t skipped)
{
    const size_t one[3] = {added, removed, skipped};
    static const char *const one_word[] = {"only in NEW", "only in OLD", "skipped"};
    bool first = true;
    for (int k = 0; k < 3; k++) {
        if (!one[k]) continue;
        char bn[48];
        if (first) printf("; %s %s", tach__plural((double)one[k], "benchmark", NULL, bn, sizeof bn), one_word[k]);
        else printf(", %zu %s", one[k], one_word[k]);
        first = false;
    }
    if (!first) printf(", not judged");
}

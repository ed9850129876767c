/* instr_table.c - the console table of a run in instruction mode: counts per
 * iteration (docs/instructions.md), never shown as times. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "callgrind.h"
#include "format.h"

bool tach__doc_has_instr(const tach__doc *d)
{
    for (size_t i = 0; d && i < d->nresults; i++)
        if (d->results[i].has_instr) return true;
    return false;
}

bool tach__doc_instr_mode(const tach__doc *d)
{
    if (tach__doc_has_instr(d)) return true;
    const json_t *m = d ? json_object_get(json_object_get(d->context, "settings"), "metric") : NULL;
    return json_is_string(m) && !strcmp(json_string_value(m), "instructions");
}

const char *tach__fmt_per_iter(double v, char *buf, size_t size)
{
    if (!isfinite(v)) snprintf(buf, size, "-");
    else if (v == floor(v) && fabs(v) < 1e15) snprintf(buf, size, "%.0f", v);
    else snprintf(buf, size, "%.2f", v);
    return buf;
}

enum { C_NAME, C_INSTR, C_L1, C_LL, C_CYCLES, C_STATUS, NC };
static const char *const heads[NC] = {"benchmark", "instructions", "L1 misses", "LL misses",
                                      "est. cycles", "status"};

char *tach__instr_table(const tach__doc *d, bool color)
{
    size_t n = d ? d->nresults : 0;
    char (*cell)[NC][512] = tach__calloc(n ? n : 1, sizeof *cell);
    if (!cell) return NULL;
    bool cache = false;
    for (size_t i = 0; i < n; i++) cache |= d->results[i].has_instr && d->results[i].instr.cache_sim;
    size_t w[NC];
    for (int c = 0; c < NC; c++) w[c] = tach__display_width(heads[c]);
    for (size_t i = 0; i < n; i++) {
        const tach__result *r = &d->results[i];
        snprintf(cell[i][C_NAME], sizeof cell[i][C_NAME], "%s", r->name ? r->name : "?");
        for (int c = C_INSTR; c < C_STATUS; c++) snprintf(cell[i][c], sizeof cell[i][c], "-");
        if (r->has_instr) {
            tach__fmt_per_iter(r->instr.instructions, cell[i][C_INSTR], sizeof cell[i][C_INSTR]);
            if (r->instr.cache_sim) {
                tach__fmt_per_iter(r->instr.l1_misses, cell[i][C_L1], sizeof cell[i][C_L1]);
                tach__fmt_per_iter(r->instr.ll_misses, cell[i][C_LL], sizeof cell[i][C_LL]);
                tach__fmt_per_iter(r->instr.cycles_est, cell[i][C_CYCLES], sizeof cell[i][C_CYCLES]);
            }
        }
        if (r->message)
            snprintf(cell[i][C_STATUS], sizeof cell[i][C_STATUS], "%s: %s", tach__status_name(r->status),
                     r->message);
        else
            snprintf(cell[i][C_STATUS], sizeof cell[i][C_STATUS], "%s", tach__status_name(r->status));
        for (int c = 0; c < NC; c++) {
            tach__terminal_safe(cell[i][c], false);
            size_t l = tach__display_width(cell[i][c]);
            if (l > w[c]) w[c] = l;
        }
    }
    tach__buf b = {0};
    char pad[256];
    for (int c = 0; c < NC; c++) {
        if (!cache && c >= C_L1 && c <= C_CYCLES) continue;
        if (c) tach__buf_puts(&b, "  ");
        tach__buf_puts(&b, c == C_STATUS ? heads[c] : tach__pad(heads[c], c ? (int)w[c] : -(int)w[c], pad, sizeof pad));
    }
    tach__buf_puts(&b, "\n");
    for (size_t i = 0; i < n; i++) {
        const tach__result *r = &d->results[i];
        for (int c = 0; c < NC; c++) {
            if (!cache && c >= C_L1 && c <= C_CYCLES) continue;
            if (c) tach__buf_puts(&b, "  ");
            if (c == C_STATUS) {
                bool paint = color;
                if (paint) tach__buf_puts(&b, r->status == TACH__OK ? "\033[32m"
                                              : r->status == TACH__SKIPPED ? "\033[33m" : "\033[31m");
                tach__buf_puts(&b, cell[i][c]);
                if (paint) tach__buf_puts(&b, "\033[0m");
            } else {
                tach__buf_puts(&b, tach__pad(cell[i][c], c ? (int)w[c] : -(int)w[c], pad, sizeof pad));
            }
        }
        tach__buf_puts(&b, "\n");
    }
    tach__table_fits(d, &b); /* a family's fit on its counts (complexity.h) */
    bool commands = false;
    for (size_t i = 0; i < n; i++) commands |= d->results[i].command != NULL;
    tach__buf_puts(&b, commands ? "\nCounts per run (the whole process and its children) under Valgrind's callgrind:"
                                : "\nCounts per iteration under Valgrind's callgrind (the loop's own "
                                  "cost subtracted):");
    tach__buf_puts(&b, "\nthe same binary gives the same counts, so one run per side compares "
                       "(docs/instructions.md).\n");
    tach__free(cell);
    return tach__buf_take(&b);
}

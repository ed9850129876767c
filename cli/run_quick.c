/* run_quick.c - which stored runs were `tach suite ... --quick` smoke runs, for tach
 * history and tach site: context.suite.quick, the mark tach report, compare and certify
 * read (tool_rep_suite_quick), not the run's tag (a document recorded with tach record
 * has none).  Each run's document is read once; only one whose text holds "quick" is
 * parsed. */
#include <string.h>

#include "report.h"
#include "store_cli.h"

void cli_quick_runs_free(cli_quick_runs *c)
{
    if (!c) return;
    tach__free(c->ids);
    tach__free(c->quick);
    memset(c, 0, sizeof *c);
}

/* Whether the document text says context.suite.quick = true. */
static bool text_quick(const char *text)
{
    if (!strstr(text, "\"quick\"")) return false; /* most runs: not parsed */
    json_t *root = json_loads(text, 0, NULL);
    bool q = json_is_true(json_object_get(json_object_get(json_object_get(root, "context"), "suite"),
                                          "quick"));
    json_decref(root);
    return q;
}

int cli_run_quick(cli_quick_runs *c, int64_t id, bool *quick, char *err)
{
    /* ids kept sorted: a history asks for the same runs once per benchmark */
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->ids[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    if (lo < c->n && c->ids[lo] == id) {
        *quick = c->quick[lo];
        return 0;
    }
    char *text = NULL;
    if (tool_store_load_json(c->st, id, &text, NULL, err) != 0) return -1;
    bool q = text_quick(text);
    tach__free(text);
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        int64_t *ids = tach__realloc(c->ids, cap * sizeof *ids);
        if (ids) c->ids = ids;
        bool *qs = ids ? tach__realloc(c->quick, cap * sizeof *qs) : NULL;
        if (!qs) return tach__err(err, "out of memory");
        c->quick = qs;
        c->cap = cap;
    }
    memmove(c->ids + lo + 1, c->ids + lo, (c->n - lo) * sizeof *c->ids);
    memmove(c->quick + lo + 1, c->quick + lo, (c->n - lo) * sizeof *c->quick);
    c->ids[lo] = id;
    c->quick[lo] = q;
    c->n++;
    *quick = q;
    return 0;
}

void cli_quick_note(FILE *f, const int64_t *ids, size_t n)
{
    if (!n) return;
    fprintf(f, "note: run%s ", n == 1 ? "" : "s");
    size_t shown = n > 10 ? 10 : n;
    for (size_t i = 0; i < shown; i++)
        fprintf(f, "%s%lld", i ? (i + 1 == n ? " and " : ", ") : "", (long long)ids[i]);
    if (shown < n) fprintf(f, " and %zu more", n - shown);
    fprintf(f, " %s tach suite --quick run%s: %s, not figures to publish\n", n == 1 ? "was a" : "were",
            n == 1 ? "" : "s", n == 1 ? "a smoke test" : "smoke tests");
}

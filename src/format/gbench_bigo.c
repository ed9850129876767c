/* gbench_bigo.c - the complexity fits as Google Benchmark writes them: a "_BigO" row
 * (the coefficient and the class) and an "_RMS" row per family (complexity.h), each
 * fitted on the time per iteration, as Google Benchmark fits it, also for a family
 * whose members set items (which tach's own outputs fit per item). */
#include <stdio.h>
#include <string.h>

#include "complexity.h"
#include "format.h"

/* The family's name as Google Benchmark's run_name: the first member's name without
 * its "/axis=value" segment ("scan/n=64/kind=a" -> "scan/kind=a"); NULL when out of
 * memory.  Whole, however long: a cut name would lose the row's suffix. */
static char *run_name(const tach__doc *d, const tach__cx_family *f)
{
    const tach__result *r = &d->results[f->members[0]];
    const char *v = NULL;
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, f->axis)) v = r->params[i].value;
    tach__buf out = {0};
    if (!v) v = "";
    const char *at = tach__name_param(r->name, f->axis, v); /* "/n=1" is not in "/n=10" */
    if (at && at > r->name && at[-1] == '/')
        tach__buf_printf(&out, "%.*s%s", (int)(at - 1 - r->name), r->name,
                         at + strlen(f->axis) + 1 + strlen(v));
    else
        tach__buf_puts(&out, r->name);
    return tach__buf_take(&out);
}

int tach__gbench_bigo_rows(const tach__doc *d, const size_t *family_index, json_t *rows)
{
    tach__cx_family *fam = NULL;
    int n = tach__cx_families_per_iteration(d, TACH__DEFAULT_SEED, 0, &fam);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        const tach__cx_family *f = &fam[i];
        /* Google Benchmark's coefficients are times: a fit of counts has none to give */
        if (!f->fitted || f->counted) continue;
        char *base = run_name(d, f);
        if (!base) {
            tach__cx_families_free(fam, (size_t)n);
            return -1;
        }
        for (int k = 0; k < 2; k++) {
            json_t *o = json_object();
            if (!o) break;
            tach__buf name = {0};
            tach__buf_printf(&name, "%s_%s", base, k == 0 ? "BigO" : "RMS");
            char *text = tach__buf_take(&name);
            json_object_set_new(o, "name", tach__json_string_bytes(text ? text : ""));
            tach__free(text);
            json_object_set_new(o, "family_index", json_integer((json_int_t)family_index[f->members[0]]));
            json_object_set_new(o, "per_family_instance_index", json_integer(0));
            json_object_set_new(o, "run_name", tach__json_string_bytes(base));
            json_object_set_new(o, "run_type", json_string("aggregate"));
            json_object_set_new(o, "repetitions", json_integer(0));
            json_object_set_new(o, "threads", json_integer(1));
            json_object_set_new(o, "aggregate_name", json_string(k == 0 ? "BigO" : "RMS"));
            if (k == 0) {
                json_object_set_new(o, "aggregate_unit", json_string("time"));
                json_object_set_new(o, "cpu_coefficient", tach__json_num(f->fit.coef.value));
                json_object_set_new(o, "real_coefficient", tach__json_num(f->fit.coef.value));
                json_object_set_new(o, "big_o", json_string(tach__cx_gbench(f->fit.cls)));
                json_object_set_new(o, "time_unit", json_string("ns"));
            } else {
                json_object_set_new(o, "aggregate_unit", json_string("percentage"));
                json_object_set_new(o, "rms", tach__json_num(f->fit.rms));
            }
            json_array_append_new(rows, o);
        }
        tach__free(base);
    }
    tach__cx_families_free(fam, (size_t)n);
    return 0;
}

/* gbench_bigo.c - the complexity fits as Google Benchmark writes them: a "_BigO" row
 * (the coefficient and the class) and an "_RMS" row per family (complexity.h). */
#include <stdio.h>
#include <string.h>

#include "complexity.h"
#include "format.h"

/* The family's name as Google Benchmark's run_name: the first member's name without
 * its "/axis=value" segment ("scan/n=64/kind=a" -> "scan/kind=a"). */
static void run_name(const tach__doc *d, const tach__cx_family *f, char *buf, size_t size)
{
    const tach__result *r = &d->results[f->members[0]];
    const char *v = NULL;
    for (size_t i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].name, f->axis)) v = r->params[i].value;
    char seg[192];
    snprintf(seg, sizeof seg, "/%s=%s", f->axis, v ? v : "");
    const char *at = strstr(r->name, seg);
    if (at)
        snprintf(buf, size, "%.*s%s", (int)(at - r->name), r->name, at + strlen(seg));
    else
        snprintf(buf, size, "%s", r->name);
}

int tach__gbench_bigo_rows(const tach__doc *d, const size_t *family_index, json_t *rows)
{
    tach__cx_family *fam = NULL;
    int n = tach__cx_families(d, TACH__DEFAULT_SEED, 0, &fam);
    if (n < 0) return -1;
    for (int i = 0; i < n; i++) {
        const tach__cx_family *f = &fam[i];
        if (!f->fitted) continue;
        char base[1024], name[1100];
        run_name(d, f, base, sizeof base);
        for (int k = 0; k < 2; k++) {
            json_t *o = json_object();
            if (!o) break;
            snprintf(name, sizeof name, "%s_%s", base, k == 0 ? "BigO" : "RMS");
            json_object_set_new(o, "name", json_string(name));
            json_object_set_new(o, "family_index", json_integer((json_int_t)family_index[f->members[0]]));
            json_object_set_new(o, "per_family_instance_index", json_integer(0));
            json_object_set_new(o, "run_name", json_string(base));
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
    }
    tach__cx_families_free(fam, (size_t)n);
    return 0;
}

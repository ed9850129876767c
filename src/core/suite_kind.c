/* suite_kind.c - the reference suites by name (suite_kind.h). */
#include <stddef.h>
#include <string.h>

#include "suite_kind.h"

static const struct {
    const char *name;
    bool one_run;
} suites[] = {
    {NULL, false}, /* TACH__SUITE_NONE */
#define TACH__SUITE_ROW(id, name, one_run) {name, one_run},
    TACH__SUITES(TACH__SUITE_ROW)
#undef TACH__SUITE_ROW
};

#define NSUITES (sizeof suites / sizeof *suites)

tach__suite_kind tach__suite_kind_of(const char *name)
{
    if (!name) return TACH__SUITE_NONE;
    for (size_t k = 1; k < NSUITES; k++)
        if (!strcmp(name, suites[k].name)) return (tach__suite_kind)k;
    return TACH__SUITE_NONE;
}

bool tach__suite_known(const char *name)
{
    return tach__suite_kind_of(name) != TACH__SUITE_NONE;
}

const char *tach__suite_name(int k)
{
    return k > 0 && (size_t)k < NSUITES ? suites[k].name : NULL;
}

bool tach__suite_one_run(tach__suite_kind k)
{
    return (int)k > 0 && (size_t)k < NSUITES && suites[k].one_run;
}

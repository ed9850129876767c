/*
 * test_store_json.c - the store's fast JSON writer (src/store/json_text.c) must write
 * exactly what jansson's json_dumps(j, JSON_COMPACT) writes: the reference here is
 * jansson 2.14 itself (and, for single numbers, glibc's printf("%.17g")).
 */
#include <float.h>
#include <stdint.h>

#include "json_text.h"
#include "tach_internal.h"
#include "test.h"

static void assert_same_as_jansson(json_t *j)
{
    char *want = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    size_t len = 0;
    char *got = tool_store_json_text(j, &len);
    ASSERT_TRUE(want && got);
    if (strcmp(want, got) != 0) TEST__FAIL("json_dumps \"%.200s\" but json_text \"%.200s\"", want, got);
    ASSERT_EQ(strlen(want), len);
    free(want);
    free(got);
}

/* %.17g of many doubles: the integer path must agree with glibc digit for digit. */
TEST(reals_match_printf_17g)
{
    tach__rng r;
    tach__rng_seed(&r, 20261123);
    char mine[64], libc[64];
    for (int i = 0; i < 200000; i++) {
        double v;
        switch (i % 5) {
        case 0: v = tach__rng_double(&r) * 1000.0; break;                  /* ns-sized */
        case 1: v = ldexp(tach__rng_double(&r) + 0.5, (int)(i % 140) - 90); break; /* any scale */
        case 2: {                                                             /* any bits */
            uint64_t bits = tach__rng_next(&r);
            memcpy(&v, &bits, 8);
            if (!isfinite(v)) v = 1.5;
            break;
        }
        case 3: v = (double)(tach__rng_below(&r, 100000)) / 1000.0; break;   /* short decimals */
        default: v = -(double)tach__rng_below(&r, 1u << 30) - 0.5; break;     /* ties, negatives */
        }
        tool_store_json_fmt_real(v, mine, sizeof mine);
        snprintf(libc, sizeof libc, "%.17g", v);
        if (strcmp(mine, libc) != 0) TEST__FAIL("%%.17g of %a: printf \"%s\", json_text \"%s\"", v, libc, mine);
    }
    static const double edge[] = {0.0, -0.0, 1.0, 0.1, 0.5, 1e-5, 1e-4, 9.9999999999999995e-5,
                                  1e16, 1e17, 99999999999999999.0, 9007199254740991.0,
                                  9007199254740992.0, 123456789012345678.0, DBL_MAX, DBL_MIN,
                                  5e-324, 0.30000000000000004, 2.5, 1e300, -1e-300};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        tool_store_json_fmt_real(edge[i], mine, sizeof mine);
        snprintf(libc, sizeof libc, "%.17g", edge[i]);
        ASSERT_STREQ(libc, mine);
    }
}

TEST(documents_match_json_dumps)
{
    /* A results document as the store keeps it: every kind of value jansson writes. */
    tach__doc *d = tach__doc_new();
    json_object_set_new(d->context, "host", json_string("h\"o\\s\tt\x01/é"));
    json_object_set_new(d->context, "load_avg", json_pack("[fff]", 0.5, 1e-7, 3e20));
    tach__rng r;
    tach__rng_seed(&r, 7);
    for (int b = 0; b < 50; b++) {
        tach__result *res = tach__doc_add(d);
        char name[64];
        snprintf(name, sizeof name, "grp/b%d/n=%d", b, b * 1000);
        res->name = tach__strdup(name);
        res->status = b % 9 ? TACH__OK : TACH__CRASHED;
        if (res->status != TACH__OK) {
            res->message = tach__strdup("killed by signal 11 (SIGSEGV)\nline two");
            res->signal = 11;
            continue;
        }
        res->nsamples = 30;
        res->sample_ns = tach__malloc(30 * sizeof(double));
        res->sample_iters = tach__malloc(30 * sizeof(uint64_t));
        for (int k = 0; k < 30; k++) {
            res->sample_ns[k] = 10.0 * (b + 1) * (1 + tach__rng_double(&r));
            res->sample_iters[k] = 1u << (k % 20);
        }
        char err[TACH__ERR_MAX];
        ASSERT_EQ(0, tach__result_finish_resamples(res, 1, 200, err));
    }
    json_t *j = tach__doc_to_json(d);
    assert_same_as_jansson(j);
    json_decref(j);
    tach__doc_free(d);

    json_t *odd = json_pack("{s:[], s:{}, s:b, s:b, s:n, s:I, s:I, s:s, s:f, s:f}", "empty",
                            "obj", "t", 1, "f", 0, "nil", "min",
                            (json_int_t)(-9223372036854775807LL - 1), "max",
                            (json_int_t)9223372036854775807LL, "s", "", "whole", 3.0, "neg",
                            -0.25);
    ASSERT_TRUE(odd);
    assert_same_as_jansson(odd);
    json_decref(odd);
}

TEST_MAIN()

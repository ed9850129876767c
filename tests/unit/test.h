/*
 * test.h - a small test runner for tach's unit tests.
 *
 *   TEST(median_of_odd_count) { ASSERT_NEAR(2.0, tach__median(x, 3), 1e-12); }
 *   TEST_MAIN()
 *
 * Each TEST registers itself; TEST_MAIN runs them all (or those named on the
 * command line), prints one line per test and "N passed, N failed", and exits 1 if
 * any failed.  A failed assertion prints the file, line and both values, and ends
 * that test only.
 */
#ifndef TACH_TEST_H
#define TACH_TEST_H

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*test_fn)(void);
typedef struct test_case { const char *name; test_fn fn; } test_case;

static test_case test__cases[512];
static int test__ncases;
static jmp_buf test__jmp;
static int test__failed_now;

static inline void test__register(const char *name, test_fn fn)
{
    if (test__ncases < (int)(sizeof test__cases / sizeof test__cases[0]))
        test__cases[test__ncases++] = (test_case){name, fn};
}

#define TEST(name)                                                            \
    static void test_##name(void);                                            \
    __attribute__((constructor)) static void test__reg_##name(void)           \
    {                                                                         \
        test__register(#name, test_##name);                                   \
    }                                                                         \
    static void test_##name(void)

#define TEST__FAIL(...)                                                       \
    do {                                                                      \
        fprintf(stderr, "  %s:%d: ", __FILE__, __LINE__);                    \
        fprintf(stderr, __VA_ARGS__);                                         \
        fputc('\n', stderr);                                                  \
        test__failed_now = 1;                                                 \
        longjmp(test__jmp, 1);                                                \
    } while (0)

#define ASSERT_TRUE(c)                                                        \
    do {                                                                      \
        if (!(c)) TEST__FAIL("expected true: %s", #c);                        \
    } while (0)
#define ASSERT_EQ(expected, actual)                                           \
    do {                                                                      \
        long long e_ = (long long)(expected), a_ = (long long)(actual);       \
        if (e_ != a_)                                                         \
            TEST__FAIL("%s == %s: expected %lld, got %lld", #expected, #actual, e_, a_); \
    } while (0)
#define ASSERT_NEAR(expected, actual, tol)                                    \
    do {                                                                      \
        double e_ = (expected), a_ = (actual), t_ = (tol);                    \
        if (!(fabs(e_ - a_) <= t_))                                           \
            TEST__FAIL("%s ~ %s: expected %.17g, got %.17g (tol %g)", #expected, #actual, e_, a_, t_); \
    } while (0)
/* Relative tolerance: |e - a| <= rel * |e|. */
#define ASSERT_REL(expected, actual, rel)                                     \
    do {                                                                      \
        double e_ = (expected), a_ = (actual), r_ = (rel);                    \
        if (!(fabs(e_ - a_) <= r_ * fabs(e_)))                                \
            TEST__FAIL("%s ~ %s: expected %.17g, got %.17g (rel %g)", #expected, #actual, e_, a_, r_); \
    } while (0)
#define ASSERT_STREQ(expected, actual)                                        \
    do {                                                                      \
        const char *e_ = (expected), *a_ = (actual);                          \
        if (!e_ || !a_ || strcmp(e_, a_) != 0)                                \
            TEST__FAIL("%s == %s: expected \"%s\", got \"%s\"", #expected, #actual, \
                       e_ ? e_ : "(null)", a_ ? a_ : "(null)");               \
    } while (0)
#define ASSERT_NAN(actual)                                                    \
    do {                                                                      \
        double a_ = (actual);                                                 \
        if (!isnan(a_)) TEST__FAIL("%s: expected NaN, got %.17g", #actual, a_); \
    } while (0)

static inline int test__main(int argc, char **argv)
{
    /* volatile: these live across setjmp/longjmp. */
    volatile int passed = 0, failed = 0;
    for (volatile int i = 0; i < test__ncases; i++) {
        if (argc > 1) {
            int want = 0;
            for (int k = 1; k < argc; k++)
                if (strcmp(argv[k], test__cases[i].name) == 0) want = 1;
            if (!want) continue;
        }
        test__failed_now = 0;
        if (setjmp(test__jmp) == 0) test__cases[i].fn();
        printf("%s %s\n", test__failed_now ? "FAIL" : "ok  ", test__cases[i].name);
        fflush(stdout);
        if (test__failed_now) failed++; else passed++;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define TEST_MAIN()                                                           \
    int main(int argc, char **argv) { return test__main(argc, argv); }

#endif

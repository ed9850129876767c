/* test_complexity.c - the complexity fit (src/core/complexity.c, complexity_family.c).
 *
 * Families are synthetic and seeded: time = a + b*g(N) per size, each sample
 * multiplied by lognormal noise (sigma 5%), 5% of samples made 1.5x slower (outliers),
 * and each size shifted by up to +-3% (a process's luck, the same for all its
 * samples).  No timing: the numbers are the same on every run. */
#include "complexity.h"
#include "tach_internal.h"
#include "test.h"

static double gauss(tach__rng *r)
{
    double u1 = tach__rng_double(r), u2 = tach__rng_double(r);
    return sqrt(-2 * log(1 - u1)) * cos(2 * M_PI * u2);
}

#define NSIZES 8
#define NSAMP 30

/* Fills a family of class cls (a + b*g(N)) over sizes 64, 128, ..., 8192. */
static void family(int cls, double a, double b, uint64_t seed, double *sizes,
                   double samples[NSIZES][NSAMP], tach__cx_point *pts)
{
    tach__rng r;
    tach__rng_seed(&r, seed);
    for (int i = 0; i < NSIZES; i++) {
        sizes[i] = 64.0 * (1 << i);
        double t = a + b * (cls == TACH_O_1 ? 0 : tach__cx_g(cls, sizes[i]));
        double luck = 1 + 0.03 * (2 * tach__rng_double(&r) - 1);
        for (int k = 0; k < NSAMP; k++) {
            double v = t * luck * exp(0.05 * gauss(&r));
            if (tach__rng_double(&r) < 0.05) v *= 1.5;
            samples[i][k] = v;
        }
        pts[i] = (tach__cx_point){sizes[i], samples[i], NSAMP};
    }
}

/* How many of 40 seeded trials find cls. */
static int found(int cls, double a, double b)
{
    int hits = 0;
    for (uint64_t t = 0; t < 40; t++) {
        double sizes[NSIZES], samples[NSIZES][NSAMP];
        tach__cx_point pts[NSIZES];
        family(cls, a, b, 1000 + t, sizes, samples, pts);
        tach__cx_fit f;
        char err[TACH__ERR_MAX];
        ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 100, t, 0, &f, err));
        if (f.cls == cls) hits++;
    }
    printf("  %s: found in %d of 40\n", tach__cx_name(cls), hits);
    return hits;
}

/* >= 95% of 40 trials is >= 38. */
TEST(constant_found_in_38_of_40_trials) { ASSERT_TRUE(found(TACH_O_1, 500, 0) >= 38); }
TEST(linear_found_in_38_of_40_trials) { ASSERT_TRUE(found(TACH_O_N, 200, 2.0) >= 38); }
TEST(n_log_n_found_in_38_of_40_trials) { ASSERT_TRUE(found(TACH_O_N_LOG_N, 200, 0.5) >= 38); }
TEST(quadratic_found_in_38_of_40_trials) { ASSERT_TRUE(found(TACH_O_N2, 1000, 0.01) >= 38); }
TEST(log_n_found_in_38_of_40_trials) { ASSERT_TRUE(found(TACH_O_LOG_N, 20, 10) >= 38); }

/* A binary search whose array leaves the caches: the 10th-percentile times measured by
 * bench/complexity/run.sh on this machine (docs/PERFORMANCE.md, 64 .. 65,536 x4: 10.9,
 * 14.8, 16.9, 23.8, 35.5, 49.8 ns) grow faster than log N, and a + b*N, flat then rising,
 * fitted them about as closely: by the residual sum of squares it won 1 resample in 6
 * at 10% noise per size.  Predicting each size from the others, it does not. */
TEST(binary_search_leaving_the_caches_is_log_n_in_38_of_40_trials)
{
    static const double t[6] = {10.9, 14.8, 16.9, 23.8, 35.5, 49.8};
    int hits = 0;
    for (uint64_t trial = 0; trial < 40; trial++) {
        tach__rng r;
        tach__rng_seed(&r, 5000 + trial);
        double sizes[6], samples[6][NSAMP];
        tach__cx_point pts[6];
        for (int i = 0; i < 6; i++) {
            sizes[i] = 64.0 * (1 << (2 * i));
            double luck = exp(0.10 * gauss(&r)); /* the size's process, all its samples */
            for (int k = 0; k < NSAMP; k++) samples[i][k] = t[i] * luck * exp(0.05 * gauss(&r));
            pts[i] = (tach__cx_point){sizes[i], samples[i], NSAMP};
        }
        tach__cx_fit f;
        ASSERT_EQ(0, tach__cx_fit_points(pts, 6, 100, trial, 0, &f, NULL));
        hits += f.cls == TACH_O_LOG_N;
    }
    printf("  O(log N) leaving the caches: found in %d of 40\n", hits);
    ASSERT_TRUE(hits >= 38);
}

TEST(exact_data_gives_exact_coefficients)
{
    /* y = 100 + 3 N exactly: the least squares fit is exact whatever the weights. */
    double n[] = {10, 100, 1000, 10000}, y[4];
    for (int i = 0; i < 4; i++) y[i] = 100 + 3 * n[i];
    double a, b, ssr;
    ASSERT_EQ(0, tach__cx_fit_class(TACH_O_N, n, y, 4, &a, &b, &ssr));
    ASSERT_NEAR(100, a, 1e-6);
    ASSERT_NEAR(3, b, 1e-9);
    ASSERT_NEAR(0, ssr, 1e-18);
    ASSERT_EQ(TACH_O_N, tach__cx_choose(n, y, 4, 0, &a, &b));
    /* Flat within 10%: O(1), whatever shape the small wiggle has. */
    double flat[] = {100, 104, 102, 108};
    ASSERT_EQ(TACH_O_1, tach__cx_choose(n, flat, 4, 0.10, &a, &b));
    ASSERT_NEAR(103.5, a, 0.5);
}

/* Two sizes: no held-out fit can be made; the class is the one whose growth from
 * the smaller size to the larger is the times' (exact y = 3 g(N); before, O(1)). */
TEST(two_sizes_choose_the_class_of_their_growth)
{
    double n[] = {1000, 8000}, y[2], a, b;
    const int classes[] = {TACH_O_LOG_N, TACH_O_N, TACH_O_N_LOG_N, TACH_O_N2, TACH_O_N3};
    for (size_t c = 0; c < sizeof classes / sizeof classes[0]; c++) {
        for (int i = 0; i < 2; i++) y[i] = 3 * tach__cx_g(classes[c], n[i]);
        ASSERT_EQ(classes[c], tach__cx_choose(n, y, 2, 0.10, &a, &b));
    }
    double flat[] = {100, 105};
    ASSERT_EQ(TACH_O_1, tach__cx_choose(n, flat, 2, 0.10, &a, &b));
}

TEST(fit_reports_ci_runner_up_and_wins)
{
    double sizes[NSIZES], samples[NSIZES][NSAMP];
    tach__cx_point pts[NSIZES];
    family(TACH_O_N, 200, 2.0, 7, sizes, samples, pts);
    tach__cx_fit f;
    ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 200, 1, 0, &f, NULL));
    ASSERT_EQ(TACH_O_N, f.cls);
    /* The fit is of each size's 10th percentile: b * exp(sigma * z_0.10) = 2.0 *
     * exp(0.05 * -1.2816) = 1.876 for the lognormal noise (within the sizes' +-3%). */
    double b10 = 2.0 * exp(0.05 * -1.2815515655446004);
    ASSERT_TRUE(f.coef.lo <= b10 * 1.03 && f.coef.hi >= b10 * 0.97);
    ASSERT_TRUE(f.coef.lo < f.coef.value && f.coef.value < f.coef.hi);
    double sum = 0;
    for (int c = 0; c < TACH__CX_NCLASSES; c++) sum += f.wins[c];
    ASSERT_NEAR(1.0, sum, 1e-12);
    ASSERT_TRUE(f.wins[TACH_O_N] >= 0.5);
    ASSERT_TRUE(f.runner_up != TACH_O_N);
    ASSERT_EQ(200, f.resamples);
    /* Deterministic: the same seed gives the same interval. */
    tach__cx_fit g;
    ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 200, 1, 0, &g, NULL));
    ASSERT_NEAR(f.coef.lo, g.coef.lo, 0);
    ASSERT_NEAR(f.coef.hi, g.coef.hi, 0);
}

TEST(a_class_whose_slope_ci_reaches_zero_does_not_beat_o1)
{
    /* A flat family where the largest size is slowed in most samples but not in all:
     * most resamples see growth past the 10% threshold and pick a growing class, yet the
     * resamples where the clean samples are drawn are flat, so that class's slope b has
     * an interval reaching 0.  No growth is shown: O(1) stands, the class runner-up. */
    double s[3][20];
    tach__cx_point pts[3];
    const double sizes[3] = {100, 1000, 10000};
    tach__rng r;
    tach__rng_seed(&r, 3);
    for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 20; k++) {
            double v = 1.0 * exp(0.01 * gauss(&r));
            /* N = 10000: 2 clean samples of 20, 3% faster (a size's luck, as above) */
            if (i == 2) v *= k >= 2 ? 1.2 : 0.97;
            s[i][k] = v;
        }
        pts[i] = (tach__cx_point){sizes[i], s[i], 20};
    }
    tach__cx_fit f;
    ASSERT_EQ(0, tach__cx_fit_points(pts, 3, 200, 5, 0, &f, NULL));
    printf("  wins O(1) %.2f, class %s, runner-up %s, coef [%g, %g]\n", f.wins[TACH_O_1],
           tach__cx_name(f.cls), tach__cx_name(f.runner_up), f.coef.lo, f.coef.hi);
    ASSERT_TRUE(f.wins[TACH_O_1] < 0.5); /* O(1) did not win most resamples... */
    ASSERT_EQ(TACH_O_1, f.cls);          /* ...but the growing class showed no growth */
    ASSERT_TRUE(f.runner_up != TACH_O_1 && f.runner_up != TACH_O_NONE);
    ASSERT_TRUE(f.coef.lo > 0.9 && f.coef.hi < 1.3); /* O(1)'s a: the time, about 1 */
}

TEST(assertions_o1_and_at_most)
{
    double sizes[NSIZES], samples[NSIZES][NSAMP];
    tach__cx_point pts[NSIZES];
    tach__cx_fit f;
    double limit;
    family(TACH_O_1, 500, 0, 3, sizes, samples, pts);
    ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 200, 1, 0.10, &f, NULL));
    ASSERT_TRUE(tach__cx_assert(&f, TACH_O_1, &limit));
    ASSERT_NEAR(0.10, limit, 0);
    ASSERT_TRUE(tach__cx_assert(&f, TACH_O_N, &limit));
    /* A linear scan: not O(1), not O(log N), at most O(N), at most O(N log N). */
    family(TACH_O_N, 5, 1.0, 3, sizes, samples, pts);
    ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 200, 1, 0.10, &f, NULL));
    ASSERT_TRUE(!tach__cx_assert(&f, TACH_O_1, &limit));
    ASSERT_TRUE(!tach__cx_assert(&f, TACH_O_LOG_N, &limit));
    ASSERT_TRUE(limit > 0.5 && limit < 0.6); /* halfway between log N's 0.16 and N's 1 */
    ASSERT_TRUE(tach__cx_assert(&f, TACH_O_N, &limit));
    ASSERT_TRUE(limit > 1.05 && limit < 1.1); /* halfway to N log N's 1.16 over 64..8192 */
    ASSERT_TRUE(tach__cx_assert(&f, TACH_O_N2, &limit));
    /* Quadratic: not at most O(N log N). */
    family(TACH_O_N2, 5, 1.0, 3, sizes, samples, pts);
    ASSERT_EQ(0, tach__cx_fit_points(pts, NSIZES, 200, 1, 0.10, &f, NULL));
    ASSERT_TRUE(!tach__cx_assert(&f, TACH_O_N_LOG_N, &limit));
    ASSERT_TRUE(tach__cx_assert(&f, TACH_O_N2, &limit));
}

TEST(parse_and_names)
{
    int c = 0;
    const char *ok[] = {"1", "O(1)", "logn", "O(log N)", "lgN", "n", "O(N)", "nlogn",
                        "O(N log N)", "NlgN", "n2", "N^2", "n3", "O(N^3)"};
    int want[] = {TACH_O_1, TACH_O_1, TACH_O_LOG_N, TACH_O_LOG_N, TACH_O_LOG_N, TACH_O_N,
                  TACH_O_N, TACH_O_N_LOG_N, TACH_O_N_LOG_N, TACH_O_N_LOG_N, TACH_O_N2,
                  TACH_O_N2, TACH_O_N3, TACH_O_N3};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ASSERT_EQ(0, tach__cx_parse(ok[i], &c));
        ASSERT_EQ(want[i], c);
    }
    ASSERT_EQ(-1, tach__cx_parse("n4", &c));
    ASSERT_EQ(-1, tach__cx_parse("", &c));
    ASSERT_EQ(-1, tach__cx_parse("fast", &c));
    ASSERT_STREQ("O(N log N)", tach__cx_name(TACH_O_N_LOG_N));
    ASSERT_STREQ("nlogn", tach__cx_key(TACH_O_N_LOG_N));
    ASSERT_STREQ("NlgN", tach__cx_gbench(TACH_O_N_LOG_N));
    ASSERT_STREQ("(1)", tach__cx_gbench(TACH_O_1));
    ASSERT_STREQ("auto", tach__cx_key(TACH_O_AUTO));
    ASSERT_EQ(0, tach__cx_parse("auto", &c));
    ASSERT_EQ(TACH_O_AUTO, c);
    ASSERT_TRUE(tach__cx_key(TACH_O_AUTO + 1) == NULL);
    ASSERT_STREQ("none", tach__cx_name(TACH_O_AUTO));
}

TEST(too_few_sizes_or_bad_samples_fail_with_a_message)
{
    double s[] = {1, 2};
    tach__cx_point pts[3] = {{10, s, 2}, {100, s, 2}, {100, s, 2}};
    tach__cx_fit f;
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(-1, tach__cx_fit_points(pts, 2, 10, 1, 0, &f, err));
    ASSERT_TRUE(strstr(err, "at least 3 sizes") != NULL);
    ASSERT_EQ(-1, tach__cx_fit_points(pts, 3, 10, 1, 0, &f, err));
    ASSERT_TRUE(strstr(err, "distinct") != NULL);
    double neg[] = {-1, 2};
    tach__cx_point p2[3] = {{10, s, 2}, {100, neg, 2}, {1000, s, 2}};
    ASSERT_EQ(-1, tach__cx_fit_points(p2, 3, 10, 1, 0, &f, err));
    ASSERT_TRUE(strstr(err, "> 0") != NULL);
}

/* A document with a family over n (and one unrelated benchmark) gives one fit. */
TEST(document_families_are_found_and_written)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    double sizes[NSIZES], samples[NSIZES][NSAMP];
    tach__cx_point pts[NSIZES];
    family(TACH_O_N, 10, 1.0, 11, sizes, samples, pts);
    for (int i = 0; i < NSIZES; i++) {
        tach__result *r = tach__doc_add(d);
        ASSERT_TRUE(r != NULL);
        char name[64], v[32];
        snprintf(v, sizeof v, "%d", (int)sizes[i]);
        snprintf(name, sizeof name, "scan/n=%s/kind=a", v);
        r->name = tach__strdup(name);
        r->function = tach__strdup("scan");
        ASSERT_EQ(0, tach__result_set_param(r, "n", v));
        ASSERT_EQ(0, tach__result_set_param(r, "kind", "a"));
        r->nsamples = NSAMP;
        r->sample_ns = tach__malloc(NSAMP * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(NSAMP * sizeof *r->sample_iters);
        for (int k = 0; k < NSAMP; k++) {
            r->sample_ns[k] = samples[i][k];
            r->sample_iters[k] = 1;
        }
        r->complexity = TACH_O_1;
    }
    /* The same over "level" with no member asking for a fit: not a family. */
    for (int i = 0; i < 3; i++) {
        tach__result *r = tach__doc_add(d);
        char name[64], v[32];
        snprintf(v, sizeof v, "%d", 1 + 4 * i);
        snprintf(name, sizeof name, "codec/level=%s", v);
        r->name = tach__strdup(name);
        r->function = tach__strdup("codec");
        ASSERT_EQ(0, tach__result_set_param(r, "level", v));
        r->nsamples = 2;
        r->sample_ns = tach__malloc(2 * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(2 * sizeof *r->sample_iters);
        r->sample_ns[0] = r->sample_ns[1] = 10.0 * (i + 1);
        r->sample_iters[0] = r->sample_iters[1] = 1;
    }
    tach__result *o = tach__doc_add(d);
    o->name = tach__strdup("other");
    o->function = tach__strdup("other");
    tach__cx_family *f = NULL;
    ASSERT_EQ(1, tach__cx_families(d, 1, 0, &f));
    ASSERT_STREQ("scan/n=*/kind=a", f[0].name);
    ASSERT_STREQ("n", f[0].axis);
    ASSERT_EQ(NSIZES, f[0].nmembers);
    ASSERT_EQ(TACH_O_N, f[0].fit.cls);
    ASSERT_EQ(TACH_O_1, f[0].asserted);
    ASSERT_TRUE(!f[0].holds);
    json_t *j = tach__cx_family_json(&f[0]);
    ASSERT_STREQ("n", json_string_value(json_object_get(j, "class")));
    ASSERT_STREQ("1", json_string_value(json_object_get(j, "asserted")));
    ASSERT_TRUE(json_is_false(json_object_get(j, "holds")));
    json_decref(j);
    tach__cx_families_free(f, 1);
    /* The document's JSON carries it, and reads back with the asserted class. */
    json_t *dj = tach__doc_to_json(d);
    ASSERT_EQ(1, json_array_size(json_object_get(dj, "complexity")));
    tach__doc *back = tach__doc_from_json(dj, NULL);
    ASSERT_TRUE(back != NULL);
    ASSERT_EQ(TACH_O_1, back->results[0].complexity);
    tach__doc_free(back);
    json_decref(dj);
    tach__doc_free(d);
}

/* An asserted class over fewer than 3 sizes is a family that is not fitted (its
 * assertion seen unchecked), not silently dropped; so is a fit asked for (TACH_O_AUTO)
 * over two sizes (it said nothing at all); one size without an assertion, no family. */
static void add_sized(tach__doc *d, const char *fn, int n, int cls)
{
    tach__result *r = tach__doc_add(d);
    char name[64], v[32];
    snprintf(v, sizeof v, "%d", n);
    snprintf(name, sizeof name, "%s/n=%s", fn, v);
    r->name = tach__strdup(name);
    r->function = tach__strdup(fn);
    (void)tach__result_set_param(r, "n", v);
    r->nsamples = 2;
    r->sample_ns = tach__malloc(2 * sizeof *r->sample_ns);
    r->sample_iters = tach__malloc(2 * sizeof *r->sample_iters);
    r->sample_ns[0] = r->sample_ns[1] = (double)n;
    r->sample_iters[0] = r->sample_iters[1] = 1;
    r->complexity = cls;
}

TEST(an_assertion_over_too_few_sizes_is_not_fitted_not_dropped)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    add_sized(d, "two", 100, TACH_O_1);
    add_sized(d, "two", 400, TACH_O_1);
    add_sized(d, "one", 100, TACH_O_N);
    add_sized(d, "auto", 100, TACH_O_AUTO);
    add_sized(d, "auto", 400, TACH_O_AUTO);
    add_sized(d, "auto1", 100, TACH_O_AUTO);
    tach__cx_family *f = NULL;
    ASSERT_EQ(3, tach__cx_families(d, 1, 0, &f));
    ASSERT_STREQ("two/n=*", f[0].name);
    ASSERT_EQ(2, f[0].nmembers);
    ASSERT_TRUE(!f[0].fitted && f[0].message && strstr(f[0].message, "at least 3 sizes"));
    ASSERT_EQ(TACH_O_1, f[0].asserted);
    ASSERT_STREQ("one/n=*", f[1].name);
    ASSERT_TRUE(!f[1].fitted);
    ASSERT_EQ(TACH_O_N, f[1].asserted);
    ASSERT_STREQ("auto/n=*", f[2].name);
    ASSERT_EQ(2, f[2].nmembers);
    ASSERT_TRUE(!f[2].fitted && f[2].message && strstr(f[2].message, "at least 3 sizes (got 2)"));
    ASSERT_EQ(0, f[2].asserted);
    tach__cx_families_free(f, 3);
    tach__doc_free(d);
}

/* Sizes where no member asks for a fit (a level or mode axis, TACH_O_NONE): no family,
 * and nothing allocated for the caller to free (the array grown for the one dropped was
 * returned with 0, and a caller stopping at 0, the console table's, leaked it). */
TEST(no_family_asking_for_a_fit_allocates_nothing)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    add_sized(d, "level", 1, TACH_O_NONE);
    add_sized(d, "level", 6, TACH_O_NONE);
    add_sized(d, "level", 9, TACH_O_NONE);
    tach__cx_family *f = (tach__cx_family *)&f; /* not NULL: the call must set it */
    ASSERT_EQ(0, tach__cx_families(d, 1, 0, &f));
    ASSERT_TRUE(f == NULL);
    tach__doc_free(d);
}

/* A family's name replaces its whole "n=V": not the "n=400" that ends "nn=400" (matched
 * as a substring, that member was put in a family of its own, "f/nn=* /n=400" without the space). */
TEST(a_family_name_replaces_the_whole_parameter)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    static const int sizes[] = {400, 100, 1600}; /* the family named from its first */
    for (int i = 0; i < 3; i++) {
        tach__result *r = tach__doc_add(d);
        char name[64], v[32];
        snprintf(v, sizeof v, "%d", sizes[i]);
        snprintf(name, sizeof name, "f/nn=400/n=%s", v);
        r->name = tach__strdup(name);
        r->function = tach__strdup("f");
        ASSERT_EQ(0, tach__result_set_param(r, "nn", "400"));
        ASSERT_EQ(0, tach__result_set_param(r, "n", v));
        r->nsamples = 2;
        r->sample_ns = tach__malloc(2 * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(2 * sizeof *r->sample_iters);
        r->sample_ns[0] = r->sample_ns[1] = (double)sizes[i];
        r->sample_iters[0] = r->sample_iters[1] = 1;
        r->complexity = TACH_O_N;
    }
    tach__cx_family *f = NULL;
    ASSERT_EQ(1, tach__cx_families(d, 1, 0, &f));
    ASSERT_STREQ("f/nn=400/n=*", f[0].name);
    ASSERT_STREQ("n", f[0].axis);
    ASSERT_EQ(3, f[0].nmembers);
    tach__cx_families_free(f, 1);
    tach__doc_free(d);
}

/* A family counted in instruction mode has one exact value a size: it is fitted once
 * (every resample would draw the same values), with the same class, a share of 1 and
 * intervals at the point, as 200 resamples gave. */
TEST(a_counted_family_is_fitted_once_on_its_counts)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    static const int sizes[] = {100, 1000, 10000};
    for (int i = 0; i < 3; i++) {
        tach__result *r = tach__doc_add(d);
        ASSERT_TRUE(r != NULL);
        char name[64], v[32];
        snprintf(v, sizeof v, "%d", sizes[i]);
        snprintf(name, sizeof name, "scan/n=%s", v);
        r->name = tach__strdup(name);
        r->function = tach__strdup("scan");
        ASSERT_EQ(0, tach__result_set_param(r, "n", v));
        r->has_instr = true;
        r->instr.instructions = 20 + 3.0 * sizes[i];
        r->instr.iterations = 100;
        r->complexity = TACH_O_AUTO;
    }
    tach__cx_family *f = NULL;
    ASSERT_EQ(1, tach__cx_families(d, 1, 0, &f));
    ASSERT_TRUE(f[0].counted && f[0].fitted);
    ASSERT_EQ(TACH_O_N, f[0].fit.cls);
    ASSERT_EQ(TACH_O_NONE, f[0].fit.runner_up);
    ASSERT_EQ(1, f[0].fit.resamples);
    ASSERT_NEAR(1.0, f[0].fit.wins[TACH_O_N], 0);
    ASSERT_NEAR(3.0, f[0].fit.coef.value, 1e-9);
    ASSERT_TRUE(f[0].fit.coef.lo == f[0].fit.coef.value && f[0].fit.coef.hi == f[0].fit.coef.value);
    ASSERT_TRUE(f[0].fit.growth.lo == f[0].fit.growth.value && f[0].fit.growth.hi == f[0].fit.growth.value);
    json_t *j = tach__cx_family_json(&f[0]);
    ASSERT_STREQ("instructions", json_string_value(json_object_get(j, "unit")));
    ASSERT_EQ(1, json_integer_value(json_object_get(j, "resamples")));
    json_decref(j);
    tach__cx_families_free(f, 1);
    tach__doc_free(d);
}

/* A family over sizes written with a suffix (4k, 8k, ... as a block-size scan names them)
 * is fitted on the sizes they mean, 1024 times k: it was charted in the HTML report but
 * given no fit, its values taken for text.  "1Mi" and "2048KiB" are one size, the first
 * kept; "5m" (milli or minutes?) stays text and out of the family. */
TEST(a_family_over_size_suffixes_is_fitted_on_the_sizes)
{
    tach__doc *d = tach__doc_new();
    ASSERT_TRUE(d != NULL);
    static const char *const vals[] = {"16k", "4k", "1Mi", "64KiB", "8k", "1024KiB", "5m"};
    static const double size[] = {16384, 4096, 1048576, 65536, 8192, 1048576, 0};
    for (int i = 0; i < 7; i++) {
        tach__result *r = tach__doc_add(d);
        ASSERT_TRUE(r != NULL);
        char name[64];
        snprintf(name, sizeof name, "scan/bs=%s", vals[i]);
        r->name = tach__strdup(name);
        r->function = tach__strdup("scan");
        ASSERT_EQ(0, tach__result_set_param(r, "bs", vals[i]));
        r->nsamples = 2;
        r->sample_ns = tach__malloc(2 * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(2 * sizeof *r->sample_iters);
        r->sample_ns[0] = r->sample_ns[1] = 100 + 2.0 * size[i]; /* linear in the size */
        r->sample_iters[0] = r->sample_iters[1] = 1;
        r->complexity = TACH_O_AUTO;
    }
    tach__cx_family *f = NULL;
    ASSERT_EQ(1, tach__cx_families(d, 1, 0, &f));
    ASSERT_STREQ("scan/bs=*", f[0].name);
    ASSERT_STREQ("bs", f[0].axis);
    ASSERT_TRUE(f[0].fitted);
    ASSERT_EQ(5, f[0].nmembers); /* 4k 8k 16k 64KiB 1Mi, in order of size */
    static const size_t order[] = {1, 4, 0, 3, 2};
    for (size_t k = 0; k < 5; k++) ASSERT_EQ(order[k], f[0].members[k]);
    ASSERT_EQ(TACH_O_N, f[0].fit.cls);
    ASSERT_NEAR(2.0, f[0].fit.coef.value, 1e-6);
    tach__cx_families_free(f, 1);
    tach__doc_free(d);
}

/* The one reader of a parameter's number (the complexity fits' and the HTML report's). */
TEST(param_number_reads_plain_numbers_and_size_suffixes)
{
    static const struct { const char *s; double v; } ok[] = {
        {"512", 512},       {"-3", -3},         {"1.5", 1.5},        {"1e3", 1000},
        {"4k", 4096},       {"4K", 4096},       {"64KiB", 65536},    {"512kB", 512000},
        {"1M", 1048576},    {"1Mi", 1048576},   {"2G", 2147483648.0}, {"1TiB", 1099511627776.0},
        {"0.5k", 512},      {"1MB", 1e6},       {"1GB", 1e9}};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        double v = -1;
        ASSERT_EQ(0, tach__param_number(ok[i].s, &v));
        ASSERT_NEAR(ok[i].v, v, 0);
    }
    /* text: a lower-case m, g or t (milli, minutes?), a word after, strtod's other forms */
    static const char *const bad[] = {"", "5m", "1g", "2t", "4kb", "4KiBx", "4iB", "k", "4 k",
                                      " 4", "0x10", "inf", "nan", "1e999", "4k4", "a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double v = 7;
        if (tach__param_number(bad[i], &v) != -1) fprintf(stderr, "  read '%s'\n", bad[i]);
        ASSERT_EQ(-1, tach__param_number(bad[i], &v));
        ASSERT_NEAR(7, v, 0);
    }
    double v;
    ASSERT_EQ(-1, tach__param_number(NULL, &v));
}

TEST_MAIN()

/* test_profile.c - the profile model (src/bench/prof_*.c) and its differential view
 * (src/judge/prof_doc.c) on hand-made stacks, with exact expected values (counted
 * by hand from the inputs below), and the symbolizer on this test's own functions. */
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "prof_doc.h"
#include "profile.h"
#include "runner.h"
#include "test.h"

/* 10 samples: main;a;b x6, main;a x1, main;c x3 (folded, as tach writes it) */
static const char folded[] = "main;a 1\nmain;a;b 6\nmain;c 3\n";

static const tach__prof_frame *frame(const tach__profile *p, const char *name)
{
    for (size_t i = 0; i < p->nframes; i++)
        if (!strcmp(p->frames[i].func, name)) return &p->frames[i];
    return NULL;
}

TEST(folded_stacks_read_back_with_self_and_total_counts)
{
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded(folded, "t", err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(10, (int)p->samples);
    ASSERT_EQ(4, (int)p->nframes);
    ASSERT_EQ(0, (int)frame(p, "main")->self);
    ASSERT_EQ(10, (int)frame(p, "main")->total);
    ASSERT_EQ(1, (int)frame(p, "a")->self);
    ASSERT_EQ(7, (int)frame(p, "a")->total);
    ASSERT_EQ(6, (int)frame(p, "b")->self);
    ASSERT_EQ(3, (int)frame(p, "c")->self);
    /* written back: the same text (sorted, equal stacks merged) */
    char *again = tach__profile_folded(p);
    ASSERT_STREQ(folded, again);
    tach__free(again);
    /* ranked by self: b, c, a, main */
    size_t *r = tach__profile_rank(p);
    ASSERT_STREQ("b", p->frames[r[0]].func);
    ASSERT_STREQ("c", p->frames[r[1]].func);
    ASSERT_STREQ("a", p->frames[r[2]].func);
    tach__free(r);
    json_t *top = tach__profile_top_json(p, 2);
    ASSERT_EQ(2, (int)json_array_size(json_object_get(top, "top")));
    ASSERT_NEAR(60.0, json_real_value(json_object_get(json_array_get(json_object_get(top, "top"), 0), "self_pct")), 1e-9);
    ASSERT_NEAR(30.0, json_real_value(json_object_get(json_array_get(json_object_get(top, "top"), 1), "total_pct")), 1e-9);
    json_decref(top);
    tach__profile_free(p);
}

TEST(recursion_counts_once_in_total)
{
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded("f;f;f 4\n", "t", err);
    ASSERT_EQ(4, (int)frame(p, "f")->total);
    ASSERT_EQ(4, (int)frame(p, "f")->self);
    tach__profile_free(p);
}

/* A name longer than 1 KiB (a C++ template's) is read whole: it was cut at 1023 bytes,
 * and two that differ after that became one frame. */
TEST(long_frame_names_are_read_whole)
{
    char err[TACH__ERR_MAX];
    size_t n = 1500;
    char *a = tach__malloc(n + 1), *text = tach__malloc(2 * n + 64);
    ASSERT_TRUE(a && text);
    memset(a, 'x', n);
    a[n] = '\0';
    snprintf(text, 2 * n + 64, "main;%sA 3\nmain;%sB 5\n", a, a);
    tach__profile *p = tach__profile_from_folded(text, "t", err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(3, (long long)p->nframes); /* main and the two long ones */
    size_t longest = 0;
    for (size_t i = 0; i < p->nframes; i++)
        if (strlen(p->frames[i].func) > longest) longest = strlen(p->frames[i].func);
    ASSERT_EQ((long long)n + 1, (long long)longest);
    tach__profile_free(p);
    tach__free(a);
    tach__free(text);
}

TEST(bad_folded_lines_are_refused_with_the_line)
{
    char err[TACH__ERR_MAX];
    ASSERT_TRUE(tach__profile_from_folded("a;b 1\na;b\n", "t", err) == NULL);
    ASSERT_STREQ("folded stacks, line 2: not 'frame;frame;... COUNT'", err);
    ASSERT_TRUE(tach__profile_from_folded("nocount\n", "t", err) == NULL);
    /* the count: a plain positive decimal (strtoull took "-3" as 2^64-3) */
    ASSERT_TRUE(tach__profile_from_folded("a;b 1\na;b x\n", "t", err) == NULL);
    ASSERT_STREQ("folded stacks, line 2: the count 'x' is not a positive whole number up to "
                 "9007199254740992", err);
    const char *bad[] = {"a;b -3\n", "a;b +3\n", "a;b 0\n", "a;b 3x\n", "a;b 0x10\n",
                         "a;b 18446744073709551613\n", "a;b 9007199254740993\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ASSERT_TRUE(tach__profile_from_folded(bad[i], "t", err) == NULL);
        ASSERT_TRUE(strstr(err, "is not a positive whole number") != NULL);
    }
    /* a frame with no name (it made a function row with a blank name) */
    const char *noname[] = {";; 4\n", ";b 4\n", "a; 4\n", "a;;b 4\n"};
    for (size_t i = 0; i < sizeof noname / sizeof *noname; i++) {
        ASSERT_TRUE(tach__profile_from_folded(noname[i], "t", err) == NULL);
        ASSERT_STREQ("folded stacks, line 1: a frame with no name (an empty field in "
                     "'frame;frame;...')", err);
    }
    /* each count valid, their total over: said as such */
    ASSERT_TRUE(tach__profile_from_folded("a;b 9007199254740992\nc 1\n", "t", err) == NULL);
    ASSERT_STREQ("folded stacks, line 2: the total of the counts passes 9007199254740992", err);
    tach__profile *p = tach__profile_from_folded("a;b 9007199254740992\n", "t", err);
    ASSERT_TRUE(p != NULL);
    tach__profile_free(p);
}

TEST(raw_stacks_merge_and_travel_as_json)
{
    tach__prof_raw *r = tach__prof_raw_new(), *back = tach__prof_raw_new();
    uint64_t s1[] = {0x10, 0x20}, s2[] = {0x30};
    ASSERT_EQ(0, tach__prof_raw_add(r, s1, 2, 3));
    ASSERT_EQ(0, tach__prof_raw_add(r, s2, 1, 1));
    ASSERT_EQ(0, tach__prof_raw_add(r, s1, 2, 2));
    ASSERT_EQ(2, (int)r->nstacks);
    ASSERT_EQ(6, (int)r->samples);
    r->lost = 7;
    json_t *j = tach__prof_raw_to_json(r);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__prof_raw_merge_json(back, j, err));
    ASSERT_EQ(0, tach__prof_raw_merge_json(back, j, err)); /* two rounds */
    ASSERT_EQ(2, (int)back->nstacks);
    ASSERT_EQ(12, (int)back->samples);
    ASSERT_EQ(14, (int)back->lost);
    json_decref(j);
    tach__prof_raw_free(r);
    tach__prof_raw_free(back);
}

TEST(the_diff_gives_each_functions_shares_and_a_seeded_ci)
{
    char err[TACH__ERR_MAX];
    /* base: c has 300 of 1000 samples; new: c has 500 of 1000 */
    tach__profile *b = tach__profile_from_folded("main;a 700\nmain;c 300\n", "b", err);
    tach__profile *n = tach__profile_from_folded("main;a 500\nmain;c 500\n", "n", err);
    size_t k = 0, k2 = 0;
    tool_prof_change *d = tool_profile_diff(b, n, 2000, 42, &k);
    tool_prof_change *d2 = tool_profile_diff(b, n, 2000, 42, &k2);
    ASSERT_EQ(3, (int)k);
    ASSERT_STREQ("c", d[0].func); /* the largest growth first */
    ASSERT_NEAR(0.3, d[0].before, 1e-12);
    ASSERT_NEAR(0.5, d[0].after, 1e-12);
    ASSERT_NEAR(0.2, d[0].change, 1e-12);
    /* the CI of a difference of two proportions: about +-1.96 sqrt(.3*.7/1000 +
     * .5*.5/1000) = +-0.042 around 0.2 */
    ASSERT_NEAR(0.158, d[0].lo, 0.01);
    ASSERT_NEAR(0.242, d[0].hi, 0.01);
    ASSERT_TRUE(d[0].lo == d2[0].lo && d[0].hi == d2[0].hi); /* seeded */
    ASSERT_STREQ("a", d[2].func);
    ASSERT_NEAR(-0.2, d[2].change, 1e-12);
    char *text = tool_profile_diff_text(d, k, 5);
    ASSERT_TRUE(strstr(text, "\nc   ") != NULL);
    ASSERT_TRUE(strstr(text, "   30.0%     50.0%     +20.0   [+") != NULL);
    tach__free(text);
    tach__free(d);
    tach__free(d2);
    tach__profile_free(b);
    tach__profile_free(n);
}

TEST(the_diff_of_large_profiles_draws_its_ci_without_looping_over_samples)
{
    /* 5e7 samples a side (a whole-process profile of a long run): main at p = 1, and
     * x with 30 of 4e7 samples (n p ~ 30: drawn by geometric gaps).  Drawing these by
     * n Bernoulli trials took minutes; the CI of x's change is still right: x has no
     * sample before, and after its count is Binomial(4e7, 7.5e-7) ~ Poisson(30), whose
     * 2.5% and 97.5% quantiles are 20 and 41 (the Poisson CDF: 0.035 at 20, 0.978 at
     * 41): the CI is [20, 41] / 4e7 = [5.0e-7, 1.025e-6], give or take a count. */
    char err[TACH__ERR_MAX];
    tach__profile *b = tach__profile_from_folded("main;work 50000000\n", "b", err);
    tach__profile *n = tach__profile_from_folded("main;work 39999970\nmain;x 30\n", "n", err);
    ASSERT_TRUE(b && n);
    size_t k = 0;
    tool_prof_change *d = tool_profile_diff(b, n, 2000, 42, &k);
    ASSERT_TRUE(d != NULL);
    ASSERT_EQ(3, (int)k);
    ASSERT_STREQ("x", d[0].func);
    ASSERT_NEAR(7.5e-7, d[0].change, 1e-12);
    ASSERT_NEAR(5.0e-7, d[0].lo, 0.3e-7);
    ASSERT_NEAR(1.025e-6, d[0].hi, 0.3e-7);
    for (size_t i = 0; i < k; i++)
        if (!strcmp(d[i].func, "main")) { /* p = 1 on both sides: exactly no change */
            ASSERT_TRUE(d[i].lo == 0 && d[i].hi == 0);
        }
    tach__free(d);
    tach__profile_free(b);
    tach__profile_free(n);
}

TEST(the_setitimer_fallback_does_not_claim_the_rate_asked)
{
    /* ITIMER_PROF expires at the kernel's tick only (CONFIG_HZ, 250 on the VM the
     * docs were measured on), not at --profile-hz */
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded("main;work 40\n", "t", err);
    ASSERT_TRUE(p != NULL);
    p->hz = 997;
    snprintf(p->unwind, sizeof p->unwind, "frame pointers");
    snprintf(p->method, sizeof p->method, "setitimer(ITIMER_PROF)");
    char *t = tach__profile_top_text(p, 5);
    ASSERT_TRUE(strstr(t, "40 samples (setitimer(ITIMER_PROF), at most the kernel's tick rate "
                          "CONFIG_HZ per second of CPU, 997 Hz asked; frame pointers)") != NULL);
    ASSERT_TRUE(strstr(t, "at 997 Hz") == NULL);
    tach__free(t);
    snprintf(p->method, sizeof p->method, "perf_event cpu-clock");
    t = tach__profile_top_text(p, 5);
    ASSERT_TRUE(strstr(t, "40 samples (perf_event cpu-clock at 997 Hz, frame pointers)") != NULL);
    tach__free(t);
    tach__profile_free(p);
}

TEST(the_self_share_change_has_its_own_ci_and_marks_the_table)
{
    char err[TACH__ERR_MAX];
    /* main;a;c puts c in a's total but not its self: a's self goes 70% -> 40%
     * (-30 points), its total 70% -> 50%; c's self 30% -> 60% (+30) */
    tach__profile *b = tach__profile_from_folded("main;a 700\nmain;c 300\n", "b", err);
    tach__profile *n = tach__profile_from_folded("main;a 400\nmain;a;c 100\nmain;c 500\n", "n", err);
    size_t k = 0;
    tool_prof_change *d = tool_profile_diff(b, n, 2000, 42, &k);
    const tool_prof_change *a = tool_prof_change_find(d, k, "a"), *c = tool_prof_change_find(d, k, "c");
    ASSERT_TRUE(a && c && !tool_prof_change_find(d, k, "zz"));
    ASSERT_NEAR(-0.3, a->self_change, 1e-12);
    ASSERT_NEAR(-0.2, a->change, 1e-12);
    ASSERT_NEAR(0.3, c->self_change, 1e-12);
    /* +-1.96 sqrt(.7*.3/1000 + .4*.6/1000) = +-0.042 around -0.3 */
    ASSERT_NEAR(-0.342, a->self_lo, 0.01);
    ASSERT_NEAR(-0.258, a->self_hi, 0.01);
    ASSERT_TRUE(tool_prof_change_significant(a->self_lo, a->self_hi));
    ASSERT_TRUE(!tool_prof_change_significant(-0.01, 0.02));
    json_t *top = tach__profile_top_json(n, 5);
    char *t = tool_profile_top_table(top, "n", 5, d, k, "base.folded");
    ASSERT_TRUE(strstr(t, "  samples   change\n") != NULL);
    ASSERT_TRUE(strstr(t, "       600    +30.0 *\n") != NULL); /* c: 600 self samples */
    ASSERT_TRUE(strstr(t, "       400    -30.0 *\n") != NULL);
    ASSERT_TRUE(strstr(t, "change: the self share against base.folded, in points; *") != NULL);
    char *plain = tool_profile_top_table(top, "n", 5, NULL, 0, NULL);
    ASSERT_TRUE(strstr(plain, "change") == NULL); /* no baseline: no column */
    ASSERT_TRUE(strstr(plain, "  samples\n") != NULL);
    tach__free(plain);
    tach__free(t);
    json_decref(top);
    tach__free(d);
    tach__profile_free(b);
    tach__profile_free(n);
}

/* The summary line of the table read from its JSON (tach profile --baseline) counts the
 * samples in child processes that ran other programs, as the profile's own table does (it
 * had no "other": the count was lost); a table kept without it (an older tach's) says
 * nothing of them. */
TEST(the_table_from_json_counts_the_samples_of_other_programs)
{
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded("main;a 70\nmain;b 30\n", "t", err);
    ASSERT_TRUE(p != NULL);
    p->other = 25;
    const char *more = ", 25 more in child processes that ran other programs (not shown)\n";
    char *t = tach__profile_top_text(p, 5);
    ASSERT_TRUE(strstr(t, more) != NULL);
    tach__free(t);
    json_t *top = tach__profile_top_json(p, 5);
    t = tool_profile_top_table(top, "t", 5, NULL, 0, NULL);
    ASSERT_TRUE(strstr(t, more) != NULL);
    tach__free(t);
    json_object_del(top, "other");
    t = tool_profile_top_table(top, "t", 5, NULL, 0, NULL);
    ASSERT_TRUE(strstr(t, "child processes") == NULL);
    ASSERT_TRUE(strstr(t, "100 samples") != NULL);
    tach__free(t);
    json_decref(top);
    tach__profile_free(p);
}

/* The lines of a table from its "rank" heading up to the samples line have one length
 * each: every row's columns under their headings. */
static bool rows_line_up(const char *t)
{
    const char *l = strstr(t, "rank  ");
    if (!l) return false;
    size_t want = strcspn(l, "\n"), rows = 0;
    for (l += want + 1; strncmp(l, "   ", 3) == 0; l += want + 1, rows++)
        if (strcspn(l, "\n") != want) return false;
    return rows >= 2;
}

/* A function name over 32 characters or a file:line over 40 (an absolute path) widens
 * its column: the shares stay under their headings (they were pushed right of them). */
TEST(the_bottleneck_table_widens_for_long_names_and_paths)
{
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded(
        "main;a_function_whose_name_is_well_over_thirty_two_characters 70\nmain;b 30\n", "t", err);
    ASSERT_TRUE(p != NULL);
    char *t = tach__profile_top_text(p, 5);
    ASSERT_TRUE(rows_line_up(t));
    tach__free(t);
    json_t *top = tach__profile_top_json(p, 5);
    json_t *row = json_array_get(json_object_get(top, "top"), 1);
    json_object_set_new(row, "file", json_string("/home/someone/projects/a/long/path/src/b.c"));
    json_object_set_new(row, "line", json_integer(1234));
    t = tool_profile_top_table(top, "t", 5, NULL, 0, NULL);
    ASSERT_TRUE(strstr(t, "/src/b.c:1234 ") != NULL);
    ASSERT_TRUE(rows_line_up(t));
    tach__free(t);
    json_decref(top);
    tach__profile_free(p);
}

TEST(a_profile_travels_in_the_document_compressed)
{
    char err[TACH__ERR_MAX];
    tach__profile *p = tach__profile_from_folded(folded, "bench/x", err);
    tach__doc *d = tach__doc_new();
    ASSERT_EQ(0, tool_profile_embed(d, "bench/x", p, err));
    ASSERT_EQ(1, (int)tool_profile_count(d));
    tach__profile *back = tool_profile_from_doc(d, "bench/x", err);
    ASSERT_TRUE(back != NULL);
    char *a = tach__profile_folded(back);
    ASSERT_STREQ(folded, a);
    tach__free(a);
    ASSERT_TRUE(tool_profile_from_doc(d, "other", err) == NULL);
    ASSERT_STREQ("", err);
    /* damaged: said so */
    json_object_set_new(json_object_get(json_object_get(d->context, "profiles"), "bench/x"),
                        "folded_zlib_base64", json_string("AAAA"));
    ASSERT_TRUE(tool_profile_from_doc(d, "bench/x", err) == NULL);
    ASSERT_STREQ("the profile of bench/x is damaged", err);
    tach__profile_free(back);
    tach__profile_free(p);
    tach__doc_free(d);
}

static bool ends_with(const char *s, const char *end)
{
    size_t n = strlen(s), m = strlen(end);
    return n >= m && !strcmp(s + n - m, end);
}

TEST(a_folder_tach_wrote_has_no_older_stems)
{
    char dir[] = "/tmp/tach-test-stems-XXXXXX", err[TACH__ERR_MAX], path[256];
    if (!mkdtemp(dir)) TEST__FAIL("mkdtemp failed");
    char *hashed = tach__prof_stem("a/b"), *want = tach__malloc(strlen(hashed) + 16);
    snprintf(want, strlen(hashed) + 16, "/%s.folded", hashed);
    /* a folder an older tach wrote: a/b's profile as a_b.folded, read back for a/b */
    snprintf(path, sizeof path, "%s/a_b.folded", dir);
    ASSERT_EQ(0, tach__write_text_file(folded, strlen(folded), path, err));
    ASSERT_TRUE(!tach__prof_dir_marked(dir));
    char *got = tach__prof_folded_path(dir, "a/b");
    ASSERT_STREQ(path, got);
    tach__free(got);
    /* this tach writes another benchmark's files there: no marker in a folder an older
     * tach began, a_b.folded still a/b's (it was marked, a_b.folded read as a_b's) */
    tach__profile *p = tach__profile_from_folded(folded, "x", err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(0, tach__profile_write_files(p, dir, err));
    tach__profile_free(p);
    ASSERT_TRUE(!tach__prof_dir_marked(dir));
    got = tach__prof_folded_path(dir, "a/b");
    ASSERT_STREQ(path, got);
    tach__free(got);
    /* a folder this tach begins: marked, benchmark a_b's files there; a_b.folded is a_b's,
     * a/b has none (its hashed file, missing) */
    char dir2[] = "/tmp/tach-test-stems-XXXXXX";
    if (!mkdtemp(dir2)) TEST__FAIL("mkdtemp failed");
    p = tach__profile_from_folded(folded, "a_b", err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(0, tach__profile_write_files(p, dir2, err));
    tach__profile_free(p);
    ASSERT_TRUE(tach__prof_dir_marked(dir2));
    got = tach__prof_folded_path(dir2, "a/b");
    ASSERT_TRUE(ends_with(got, want));
    tach__free(got);
    snprintf(path, sizeof path, "%s/a_b.folded", dir2);
    got = tach__prof_folded_path(dir2, "a_b");
    ASSERT_STREQ(path, got);
    tach__free(got);
    char cmd2[128];
    snprintf(cmd2, sizeof cmd2, "rm -rf '%s'", dir2);
    ASSERT_EQ(0, system(cmd2));
    tach__free(hashed);
    tach__free(want);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ASSERT_EQ(0, system(cmd));
}

TEST(file_stems_are_safe_names)
{
    /* a name already a safe stem is its own (the common C name bench_sort too) */
    char *s = tach__prof_stem("bench_sort");
    ASSERT_STREQ("bench_sort", s);
    tach__free(s);
    /* ./seq1 (the current directory's) and seq1 (PATH's) shared seq1: the "./" left out
     * is a change, hashed (the whole name) */
    char *dot = tach__prof_stem("./seq1"), *bare = tach__prof_stem("seq1");
    ASSERT_STREQ("seq1", bare);
    ASSERT_TRUE(strncmp(dot, "seq1-", 5) == 0 && strlen(dot) == 5 + 16);
    tach__free(dot);
    tach__free(bare);
    /* so with arguments: "./seq1 10" and "seq1 10", both hashed, hashed apart */
    dot = tach__prof_stem("./seq1 10");
    bare = tach__prof_stem("seq1 10");
    ASSERT_TRUE(strncmp(dot, "seq1_10-", 8) == 0 && strncmp(bare, "seq1_10-", 8) == 0 && strcmp(dot, bare) != 0);
    tach__free(dot);
    tach__free(bare);
    /* an older tach's stem for ./seq1 (a folder without the marker): seq1 */
    s = tach__prof_stem_old("./seq1");
    ASSERT_STREQ("seq1", s);
    tach__free(s);
    /* a '/' is a replaced character: the hash */
    s = tach__prof_stem("zlib/compress/level6");
    ASSERT_TRUE(strncmp(s, "zlib_compress_level6-", 21) == 0 && strlen(s) == 21 + 16);
    tach__free(s);
    /* names that differ only in punctuation: one profile's files overwrote the other's */
    char *eq = tach__prof_stem("copy/bytes=64"), *us = tach__prof_stem("copy/bytes_64");
    char *sl = tach__prof_stem("copy/bytes/64"), *own = tach__prof_stem("copy_bytes_64");
    ASSERT_STREQ("copy_bytes_64", own);
    ASSERT_TRUE(strncmp(eq, "copy_bytes_64-", 14) == 0 && strlen(eq) == 14 + 16);
    ASSERT_TRUE(strncmp(us, "copy_bytes_64-", 14) == 0 && strlen(us) == 14 + 16);
    ASSERT_TRUE(strncmp(sl, "copy_bytes_64-", 14) == 0 && strlen(sl) == 14 + 16);
    ASSERT_TRUE(strcmp(eq, us) != 0 && strcmp(eq, sl) != 0 && strcmp(us, sl) != 0);
    tach__free(eq);
    tach__free(us);
    tach__free(sl);
    tach__free(own);
    /* a/b and a_b shared a_b */
    char *ab_slash = tach__prof_stem("a/b"), *ab_us = tach__prof_stem("a_b");
    ASSERT_STREQ("a_b", ab_us);
    ASSERT_TRUE(strncmp(ab_slash, "a_b-", 4) == 0 && strlen(ab_slash) == 4 + 16);
    tach__free(ab_slash);
    tach__free(ab_us);
    /* the stem an older tach used: without the hash for a/b, a_b's own for a_b */
    s = tach__prof_stem_old("a/b");
    ASSERT_STREQ("a_b", s);
    tach__free(s);
    s = tach__prof_stem_old("a_b");
    ASSERT_STREQ("a_b", s);
    tach__free(s);
    s = tach__prof_stem("./small arg");
    ASSERT_TRUE(strncmp(s, "small_arg-", 10) == 0 && strlen(s) == 10 + 16);
    tach__free(s);
    s = tach__prof_stem("../x");
    ASSERT_TRUE(strncmp(s, "_._x-", 5) == 0 && strlen(s) == 5 + 16);
    tach__free(s);
    /* a long command line: its file names fit NAME_MAX (a 300-byte one failed "File name
     * too long", and no profile was shown), and two that differ at the end stay apart */
    char a[301], b[301];
    memset(a, 'x', 300);
    a[300] = '\0';
    memcpy(b, a, sizeof b);
    b[299] = 'y';
    char *sa = tach__prof_stem(a), *sb = tach__prof_stem(b);
    ASSERT_EQ(180, (long long)strlen(sa));
    ASSERT_EQ(180, (long long)strlen(sb));
    ASSERT_TRUE(strncmp(sa, a, 163) == 0 && sa[163] == '-');
    ASSERT_TRUE(strcmp(sa, sb) != 0);
    s = tach__prof_stem(a); /* the same name, the same stem */
    ASSERT_STREQ(sa, s);
    tach__free(s);
    tach__free(sa);
    tach__free(sb);
}

/* a function of this test, looked up by its own address */
__attribute__((noinline)) int test_profile_marker(int x);
__attribute__((noinline)) int test_profile_marker(int x)
{
    return x * 3 + 1;
}

TEST(this_process_addresses_are_named)
{
    char err[TACH__ERR_MAX];
    tach__symtab *t = tach__symtab_new(NULL, err);
    ASSERT_TRUE(t != NULL);
    size_t n = 0;
    uint64_t a = (uint64_t)(uintptr_t)&test_profile_marker;
    const tach__sym *s = tach__symtab_lookup(t, a + 1, &n);
    ASSERT_TRUE(n >= 1);
    ASSERT_STREQ("test_profile_marker", s[n - 1].func);
    ASSERT_TRUE(s[n - 1].known);
    const tach__sym *again = tach__symtab_lookup(t, a + 1, &n); /* cached: the same entry */
    ASSERT_TRUE(again == s);
    tach__symtab_free(t);
}

/* lookup's frames stay where they are while later lookups add thousands more (they were
 * kept in one array that moved when it grew: a chain of an earlier frame's pointers read
 * freed memory, caught by ASan in tach profile) */
TEST(looked_up_frames_do_not_move)
{
    char err[TACH__ERR_MAX];
    tach__symtab *t = tach__symtab_new(NULL, err);
    ASSERT_TRUE(t != NULL);
    size_t n = 0, m = 0;
    uint64_t a = (uint64_t)(uintptr_t)&test_profile_marker;
    const tach__sym *s = tach__symtab_lookup(t, a + 1, &n);
    ASSERT_TRUE(n >= 1);
    for (uint64_t k = 0; k < 3000; k++) /* 3000 addresses, each a frame or more of its own */
        (void)tach__symtab_lookup(t, a + 2 + k, &m);
    ASSERT_TRUE(tach__symtab_lookup(t, a + 1, &m) == s);
    ASSERT_STREQ("test_profile_marker", s[n - 1].func);
    tach__symtab_free(t);
}

/* a benchmark body of this test: the frame the runner calls */
__attribute__((noinline)) int test_profile_body(int x);
__attribute__((noinline)) int test_profile_body(int x)
{
    return test_profile_marker(x) + 1;
}

/* Samples whose chain, once the runner's frames are cut, holds only a clock read or
 * the runner itself (the window opens just before a measured sample's first clock
 * read) are counted apart and left out of the stacks; a clock read of the
 * benchmark's own stays.  (A VM that delivered timer interrupts only at the trapped
 * clock reads once gave a profile of 99.6% __vdso_clock_gettime this way.) */
TEST(clock_reads_at_the_edges_are_left_out)
{
    char err[TACH__ERR_MAX];
    tach__symtab *t = tach__symtab_new(NULL, err);
    ASSERT_TRUE(t != NULL);
    uint64_t run = (uint64_t)(uintptr_t)&tach__run_sample + 1;
    uint64_t stem = (uint64_t)(uintptr_t)&tach__prof_stem + 1;
    uint64_t clk = (uint64_t)(uintptr_t)&clock_gettime + 1;
    uint64_t body = (uint64_t)(uintptr_t)&test_profile_body + 1;
    uint64_t hot = (uint64_t)(uintptr_t)&test_profile_marker + 1;
    tach__prof_raw *r = tach__prof_raw_new();
    ASSERT_TRUE(r != NULL);
    const uint64_t in_body[] = {hot, body, run, stem};
    const uint64_t own_clock[] = {clk, body, run, stem}; /* the benchmark reads the clock */
    const uint64_t edge_clock[] = {clk, run, stem};       /* the runner reads the clock */
    const uint64_t edge_runner[] = {run, stem};           /* the runner's own loop */
    ASSERT_EQ(0, tach__prof_raw_add(r, in_body, 4, 7));
    ASSERT_EQ(0, tach__prof_raw_add(r, own_clock, 4, 3));
    ASSERT_EQ(0, tach__prof_raw_add(r, edge_clock, 3, 2));
    ASSERT_EQ(0, tach__prof_raw_add(r, edge_runner, 2, 1));
    tach__profile *p = tach__profile_build(r, t, "edges", 997, err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(10, (long long)p->samples);
    ASSERT_EQ(3, (long long)p->edge);
    const tach__prof_frame *f = frame(p, "test_profile_body");
    ASSERT_TRUE(f != NULL);
    ASSERT_EQ(10, (long long)f->total);
    char *text = tach__profile_top_text(p, 5);
    ASSERT_TRUE(text != NULL);
    ASSERT_TRUE(strstr(text, "10 samples (") != NULL);
    ASSERT_TRUE(strstr(text, ", 3 more on the runner's clock reads around the measured samples (left out)\n") != NULL);
    ASSERT_TRUE(strstr(text, "warning: 23% of the samples fell on the clock reads") != NULL);
    tach__free(text);
    json_t *j = tach__profile_top_json(p, 5);
    ASSERT_TRUE(j != NULL);
    ASSERT_EQ(3, (long long)json_integer_value(json_object_get(j, "edge")));
    json_decref(j);
    tach__profile_free(p);

    /* per-call mode: the clock read after each call is measured time, kept */
    tach__prof_raw_clear(r);
    uint64_t pcn = (uint64_t)(uintptr_t)&tach__percall_next + 1;
    const uint64_t percall_clock[] = {clk, pcn, body, run, stem};
    ASSERT_EQ(0, tach__prof_raw_add(r, percall_clock, 5, 4));
    p = tach__profile_build(r, t, "edges", 997, err);
    ASSERT_TRUE(p != NULL);
    ASSERT_EQ(4, (long long)p->samples);
    ASSERT_EQ(0, (long long)p->edge);
    tach__profile_free(p);

    /* below the warning's share: the count, no warning */
    tach__prof_raw_clear(r);
    ASSERT_EQ(0, tach__prof_raw_add(r, in_body, 4, 95));
    ASSERT_EQ(0, tach__prof_raw_add(r, edge_clock, 3, 5));
    p = tach__profile_build(r, t, "edges", 997, err);
    ASSERT_TRUE(p != NULL);
    text = tach__profile_top_text(p, 5);
    ASSERT_TRUE(text != NULL);
    ASSERT_TRUE(strstr(text, ", 5 more on the runner's clock reads") != NULL);
    ASSERT_TRUE(strstr(text, "warning:") == NULL);
    tach__free(text);
    tach__profile_free(p);
    tach__prof_raw_free(r);
    tach__symtab_free(t);
}

TEST_MAIN()

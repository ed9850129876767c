/* test_report.c - the renderers (src/report/) on two fixed results documents,
 * tests/cli/data/report_base.json and report_new.json (written by
 * tests/cli/data/make_report_docs.py from fixed formulas).
 *
 * Markdown, JUnit and OpenMetrics are compared with golden files in
 * tests/golden/ (run with TACH_UPDATE_GOLDEN=1 to rewrite them after a
 * deliberate change, then read the diff); HTML and the certificate are checked for
 * what they must contain. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "report.h"
#include "soak_report.h"
#include "test.h"

static char path_buf[4096];

static const char *src_path(const char *rel)
{
    const char *src = getenv("TACH_SRC");
    snprintf(path_buf, sizeof path_buf, "%s/%s", src ? src : ".", rel);
    return path_buf;
}

static tach__doc *load(const char *rel)
{
    char err[TACH__ERR_MAX] = "";
    tach__doc *d = tach__doc_load(src_path(rel), err);
    if (!d) fprintf(stderr, "  load %s: %s\n", rel, err);
    return d;
}

typedef struct fixture {
    tach__doc *base, *cur;
    tool_comparison cmp;
    tool_report_in in;
} fixture;

static void fixture_open(fixture *f, bool compare)
{
    memset(f, 0, sizeof *f);
    f->base = load("tests/cli/data/report_base.json");
    f->cur = load("tests/cli/data/report_new.json");
    ASSERT_TRUE(f->base && f->cur);
    f->in.doc = f->cur;
    f->in.title = "Fixture report";
    f->in.run_id = "2";
    f->in.generated = "2026-01-07T00:00:00Z";
    if (compare) {
        tool_cmp_options o;
        tool_cmp_options_default(&o);
        char err[TACH__ERR_MAX] = "";
        ASSERT_EQ(0, tool_compare(f->base, f->cur, &o, &f->cmp, err));
        /* The bootstrap CIs of the changes belong to compare.c's tests; pinned here to
         * value +- 0.3% so that the golden files test the rendering only. */
        for (size_t i = 0; i < f->cmp.nrows; i++)
            if (isfinite(f->cmp.rows[i].change.value)) {
                f->cmp.rows[i].change.lo = f->cmp.rows[i].change.value - 0.003;
                f->cmp.rows[i].change.hi = f->cmp.rows[i].change.value + 0.003;
            }
        f->in.cmp = &f->cmp;
        f->in.base_label = "run 1";
    }
}

static void fixture_close(fixture *f)
{
    tool_comparison_free(&f->cmp);
    tach__doc_free(f->base);
    tach__doc_free(f->cur);
}

/* Compares text with tests/golden/<name>; TACH_UPDATE_GOLDEN=1 rewrites it. */
static void golden(const char *name, const char *text)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/golden/%s", name);
    const char *p = src_path(rel);
    char err[TACH__ERR_MAX] = "";
    const char *upd = getenv("TACH_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        ASSERT_EQ(0, tach__write_text_file(text, strlen(text), p, err));
        return;
    }
    char *want = tach__read_file(p, NULL, err);
    if (!want) TEST__FAIL("golden file %s: %s", p, err);
    if (strcmp(want, text)) {
        /* Show the first differing line. */
        const char *a = want, *b = text;
        int line = 1;
        while (*a && *a == *b) {
            if (*a == '\n') line++;
            a++;
            b++;
        }
        fprintf(stderr, "  %s differs at line %d:\n  want: %.120s\n  got:  %.120s\n", name, line,
                a, b);
        tach__free(want);
        TEST__FAIL("%s differs from the golden file (TACH_UPDATE_GOLDEN=1 to rewrite)", name);
    }
    tach__free(want);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

TEST(sb_escapes)
{
    tool_sb b;
    tool_sb_init(&b);
    tool_sb_esc_xml(&b, "a<b>&\"c'");
    tool_sb_put(&b, "|");
    tool_sb_esc_md(&b, "x|y\nz");
    tool_sb_put(&b, "|");
    tool_sb_esc_label(&b, "q\"\\\n");
    char *s = tool_sb_take(&b, NULL);
    ASSERT_STREQ("a&lt;b&gt;&amp;&quot;c&#39;|x\\|y z|q\\\"\\\\\\n", s);
    tach__free(s);
    /* code spans: a fence longer than any backtick run inside (CommonMark) */
    tool_sb_init(&b);
    tool_sb_code_md(&b, "plain");
    tool_sb_put(&b, " ");
    tool_sb_code_md(&b, "echo `true`");
    tool_sb_put(&b, " ");
    tool_sb_code_md(&b, "a``b|c");
    s = tool_sb_take(&b, NULL);
    ASSERT_STREQ("`plain` `` echo `true` `` ``` a``b\\|c ```", s);
    tach__free(s);
    /* what XML 1.0 forbids even as a reference, as '?': controls, U+FFFE and U+FFFF
     * (U+FFFD, U+3FFE and a cut sequence kept as they are) */
    tool_sb_init(&b);
    tool_sb_esc_xml(&b, "a\x01" "b\xef\xbf\xbe\xef\xbf\xbf" "c\xef\xbf\xbd\xe3\xbf\xbe\n");
    tool_sb_put(&b, "|");
    tool_sb_esc_xml_attr(&b, "\xef\xbf\xbf\n\xef\xbf");
    s = tool_sb_take(&b, NULL);
    ASSERT_STREQ("a?b??" "c\xef\xbf\xbd\xe3\xbf\xbe\n|?&#10;\xef\xbf", s);
    tach__free(s);
}

TEST(sha256_known_vectors)
{
    /* FIPS 180-2, appendix B.1 ("abc") and the empty message. */
    char hex[65], err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_sha256_hex("abc", 3, hex, err));
    ASSERT_STREQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);
    ASSERT_EQ(0, tool_sha256_hex("", 0, hex, err));
    ASSERT_STREQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
}

TEST(view_orders_regressions_first)
{
    fixture f;
    fixture_open(&f, true);
    tool_rep_view v;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_rep_view_build(&f.in, &v, err));
    ASSERT_EQ(f.cur->nresults, v.nitems);
    /* codec is the first group; its regression (decompress, +15%) comes first,
     * then compress level=1 (a missed throughput target). */
    ASSERT_STREQ("codec/decompress", v.items[0].r->name);
    ASSERT_TRUE(v.items[0].regressed);
    ASSERT_STREQ("codec/compress/level=1", v.items[1].r->name);
    ASSERT_EQ(1, v.items[1].missed);
    ASSERT_EQ(1, v.crashed);
    ASSERT_EQ(1, v.timeout);
    ASSERT_EQ(1, v.failed);
    ASSERT_EQ(1, v.skipped);
    ASSERT_EQ(4, v.targets_total); /* level=1, level=6, sha256 x2 */
    ASSERT_EQ(1, v.targets_missed);
    ASSERT_EQ(1, v.unstable);      /* sort/qsort/n=1000 */
    tool_rep_view_free(&v);
    fixture_close(&f);
}

/* The methodology counts every worker a benchmark had: processes x rounds. */
TEST(method_counts_rounds_as_worker_processes)
{
    fixture f;
    fixture_open(&f, false);
    json_t *s = json_object_get(f.cur->context, "settings");
    ASSERT_TRUE(s != NULL);
    json_object_set_new(s, "processes", json_integer(2));
    json_object_set_new(s, "rounds", json_integer(4));
    tool_rep_method_line l[32];
    size_t n = tool_rep_method(&f.in, l, 32);
    const char *procs = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Processes")) procs = l[i].value;
    ASSERT_TRUE(procs != NULL);
    ASSERT_TRUE(strstr(procs, "8 worker processes per benchmark (2 processes x 4 rounds") != NULL);
    json_object_set_new(s, "rounds", json_integer(1));
    n = tool_rep_method(&f.in, l, 32);
    procs = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Processes")) procs = l[i].value;
    ASSERT_TRUE(procs != NULL && strstr(procs, "2 worker processes per benchmark, samples merged") != NULL);
    /* `tach run` documents: the rounds are the binary's, under worker_settings. */
    json_object_del(s, "rounds");
    json_t *ws = json_object();
    json_object_set_new(ws, "rounds", json_integer(3));
    json_object_set_new(f.cur->context, "worker_settings", ws);
    n = tool_rep_method(&f.in, l, 32);
    procs = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Processes")) procs = l[i].value;
    ASSERT_TRUE(procs != NULL && strstr(procs, "6 worker processes per benchmark (2 processes x 3 rounds") != NULL);
    fixture_close(&f);
}

/* The methodology's seed is the exact 64-bit number (8386093279468322817, not
 * ...816 as a double rounds it), and a seed above INT64_MAX kept as a string prints as is. */
TEST(method_prints_the_exact_seed)
{
    fixture f;
    fixture_open(&f, false);
    json_t *s = json_object_get(f.cur->context, "settings");
    ASSERT_TRUE(s != NULL);
    json_object_set_new(s, "seed", json_integer((json_int_t)0x7461636800000001LL));
    tool_rep_method_line l[32];
    size_t n = tool_rep_method(&f.in, l, 32);
    const char *est = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Estimates")) est = l[i].value;
    ASSERT_TRUE(est != NULL && strstr(est, "seed 8386093279468322817)") != NULL);
    json_object_set_new(s, "seed", json_string("18446744073709551615"));
    n = tool_rep_method(&f.in, l, 32);
    est = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Estimates")) est = l[i].value;
    ASSERT_TRUE(est != NULL && strstr(est, "seed 18446744073709551615)") != NULL);
    /* a `tach suite` run's line too (method_suite) */
    json_t *suite = json_object();
    json_object_set_new(suite, "name", json_string("crypto"));
    json_object_set_new(f.cur->context, "suite", suite);
    json_object_set_new(s, "resamples", json_integer(10000));
    n = tool_rep_method(&f.in, l, 32);
    est = NULL;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Estimates")) est = l[i].value;
    ASSERT_TRUE(est != NULL && strstr(est, "(10000 resamples, seed 18446744073709551615)") != NULL);
    fixture_close(&f);
}

/* The methodology names the test the rows took: Welch's t on the rounds' log medians
 * when both sides have several rounds (a benchmark binary's default), else Mann-Whitney
 * U.  It said Mann-Whitney for every comparison. */
static const char *method_comparison(fixture *f)
{
    static tool_rep_method_line l[32];
    size_t n = tool_rep_method(&f->in, l, 32);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(l[i].key, "Comparison")) return l[i].value;
    return "";
}

TEST(method_names_the_test_of_the_rows)
{
    fixture f;
    fixture_open(&f, true);
    const char *c = method_comparison(&f);
    ASSERT_TRUE(strstr(c, "Mann-Whitney") != NULL && strstr(c, "Welch") == NULL);
    for (size_t i = 0; i < f.cmp.nrows; i++) f.cmp.rows[i].by_rounds = true;
    c = method_comparison(&f);
    ASSERT_TRUE(strstr(c, "Welch's t-test on the log medians of the worker rounds") != NULL);
    ASSERT_TRUE(strstr(c, "Mann-Whitney") == NULL);
    f.cmp.rows[0].by_rounds = false;
    f.cmp.rows[0].p = 0.5;
    c = method_comparison(&f);
    ASSERT_TRUE(strstr(c, "where both sides have several rounds, else a two-sided "
                          "Mann-Whitney U test") != NULL);
    fixture_close(&f);
}

/* One p-value format everywhere: never "0" for a tiny p. */
TEST(pvalue_format_is_one)
{
    char b[24];
    ASSERT_TRUE(!strcmp("<0.0001", tool_rep_pvalue(0.0, b, sizeof b)));
    ASSERT_TRUE(!strcmp("<0.0001", tool_rep_pvalue(3e-11, b, sizeof b)));
    ASSERT_TRUE(!strcmp("0.0321", tool_rep_pvalue(0.03214, b, sizeof b)));
    ASSERT_TRUE(!strcmp("-", tool_rep_pvalue(NAN, b, sizeof b)));
    ASSERT_TRUE(!strcmp("q < 0.0001", tool_rep_pvalue_is("q", 0.0, b, sizeof b)));
    ASSERT_TRUE(!strcmp("p = 0.0500", tool_rep_pvalue_is("p", 0.05, b, sizeof b)));
}

TEST(markdown_golden)
{
    fixture f;
    fixture_open(&f, true);
    char err[TACH__ERR_MAX];
    char *md = tool_report_markdown(&f.in, err);
    ASSERT_TRUE(md != NULL);
    /* What the issue asks of the Markdown report, checked before the golden
     * comparison so that a failure says which part went missing. */
    ASSERT_TRUE(strstr(md, "## Summary") && strstr(md, "## Environment") &&
                strstr(md, "## Methodology") && strstr(md, "## Targets"));
    ASSERT_TRUE(strstr(md, "### codec") && strstr(md, "### misc"));
    ASSERT_TRUE(strstr(md, "**CRASHED** (signal 11, SIGSEGV)") != NULL);
    ASSERT_TRUE(strstr(md, "**TIMED OUT**") != NULL);
    ASSERT_TRUE(strstr(md, "**MISSED**") != NULL);
    ASSERT_TRUE(strstr(md, "Suite geometric-mean change") != NULL);
    ASSERT_TRUE(strstr(md, "running in a virtual machine") != NULL);
    ASSERT_TRUE(strstr(md, "tach run --processes 2 ./bench_suite") != NULL);
    /* Regressions first in the codec table. */
    const char *codec = strstr(md, "### codec");
    ASSERT_TRUE(codec && strstr(codec, "codec/decompress") < strstr(codec, "codec/compress/level=6"));
    golden("report_fixture.md", md);
    tach__free(md);
    fixture_close(&f);
}

TEST(markdown_without_comparison)
{
    fixture f;
    fixture_open(&f, false);
    char err[TACH__ERR_MAX];
    char *md = tool_report_markdown(&f.in, err);
    ASSERT_TRUE(md != NULL);
    ASSERT_TRUE(strstr(md, "## Regressions") == NULL);
    ASSERT_TRUE(strstr(md, "change [95% CI]") == NULL);
    ASSERT_TRUE(strstr(md, "misc/crashy") != NULL); /* failures are never dropped */
    tach__free(md);
    fixture_close(&f);
}

TEST(junit_golden)
{
    fixture f;
    fixture_open(&f, true);
    char err[TACH__ERR_MAX];
    char *x = tool_report_junit(&f.in, err);
    ASSERT_TRUE(x != NULL);
    /* 14 benchmarks; failures: the regression, the missed target, misc/broken;
     * errors: crashed and timeout; skipped: misc/optional. */
    /* junit-10.xsd (Jenkins xUnit) allows no "skipped" on <testsuites>: the skipped
     * benchmark is counted on its own <testsuite> */
    ASSERT_TRUE(strstr(x, "<testsuites name=\"Fixture report\" tests=\"14\" failures=\"3\" "
                          "errors=\"2\" time=\"108.253\">") != NULL);
    ASSERT_TRUE(strstr(x, "<testsuite name=\"misc\" tests=\"4\" failures=\"1\" errors=\"2\" skipped=\"1\"") != NULL);
    ASSERT_EQ(14, count(x, "<testcase "));
    ASSERT_EQ(1, count(x, "type=\"regression\""));
    ASSERT_EQ(1, count(x, "type=\"target\""));
    ASSERT_EQ(1, count(x, "<error type=\"crashed\""));
    ASSERT_EQ(1, count(x, "<error type=\"timeout\""));
    /* every failure and error holds its message as text (GitLab shows the text) */
    ASSERT_EQ(3, count(x, "</failure>"));
    ASSERT_EQ(2, count(x, "</error>"));
    /* times with 3 decimals at most (the schema's pattern) */
    for (const char *p = strstr(x, "time=\""); p; p = strstr(p + 1, "time=\"")) {
        const char *dot = strchr(p + 6, '.'), *end = strchr(p + 6, '"');
        ASSERT_TRUE(dot != NULL && end != NULL && dot < end);
        ASSERT_EQ(4, (int)(end - dot));
    }
    golden("report_fixture.junit.xml", x);
    tach__free(x);
    fixture_close(&f);
}

/* No raw newline, carriage return or tab inside a tag: XML attribute-value normalisation
 * reads them as spaces, so an attribute keeps them only as &#10; &#13; &#9;. */
static bool tags_hold_no_raw_whitespace(const char *x)
{
    bool in_tag = false;
    for (const char *p = x; *p; p++) {
        if (*p == '<') in_tag = true;
        else if (*p == '>') in_tag = false;
        else if (in_tag && (*p == '\n' || *p == '\r' || *p == '\t')) return false;
    }
    return true;
}

/* A benchmark name and a failure message holding a newline, a carriage return and a tab:
 * written raw into the attributes, a reader took them for spaces. */
TEST(junit_attributes_escape_whitespace)
{
    fixture f;
    fixture_open(&f, false);
    for (size_t i = 0; i < f.cur->nresults; i++) {
        tach__result *r = &f.cur->results[i];
        if (r->status == TACH__FAILED) {
            tach__free(r->message);
            r->message = tach__strdup("line one\n\tline two\r<&>\"'");
        } else if (r->status == TACH__OK && !strcmp(r->name, "hash/fnv")) {
            tach__free(r->name);
            r->name = tach__strdup("hash/fnv\nsecond\tline");
        }
    }
    char err[TACH__ERR_MAX];
    char *x = tool_report_junit(&f.in, err);
    ASSERT_TRUE(x != NULL);
    ASSERT_TRUE(tags_hold_no_raw_whitespace(x));
    ASSERT_TRUE(strstr(x, "name=\"hash/fnv&#10;second&#9;line\"") != NULL);
    ASSERT_TRUE(strstr(x, "message=\"line one&#10;&#9;line two&#13;&lt;&amp;&gt;&quot;&#39;\"") != NULL);
    tach__free(x);
    fixture_close(&f);
}

/* The soak's JUnit too: its summary's reason in a failure's message attribute. */
TEST(soak_junit_attributes_escape_whitespace)
{
    tool_soak_log l;
    tool_soak_verdict v;
    tool_soak_targets tg;
    memset(&l, 0, sizeof l);
    memset(&v, 0, sizeof v);
    memset(&tg, 0, sizeof tg);
    v.summary = TOOL_SOAK_FAILING;
    snprintf(v.reason, sizeof v.reason, "3 runs failed:\n\texit 1\r");
    char *x = tool_soak_junit(&l, &v, &tg);
    ASSERT_TRUE(x != NULL);
    ASSERT_TRUE(tags_hold_no_raw_whitespace(x));
    ASSERT_TRUE(strstr(x, "message=\"3 runs failed:&#10;&#9;exit 1&#13;\"") != NULL);
    tach__free(x);
}

/* A load soak's load run that failed its checks (invalid, an objective missed): the
 * JUnit report fails a "load_run" case with the reason, the HTML page says it in its
 * heading and beside it, with the Markdown's and the console's words, and its table
 * (no Markdown in a <pre>) escapes each text once; a load run that passed is a passing
 * case and no word. */
TEST(soak_failed_load_run_in_junit_and_html)
{
    tool_soak_log l;
    tool_soak_verdict v;
    tool_soak_targets tg;
    memset(&l, 0, sizeof l);
    memset(&v, 0, sizeof v);
    memset(&tg, 0, sizeof tg);
    v.summary = TOOL_SOAK_STABLE;
    v.latency.tested = v.throughput.tested = v.rss.tested = true;
    snprintf(v.reason, sizeof v.reason, "no drift, no memory growth");
    l.ended = true;
    json_error_t je;
    l.load_runs = json_loads("[{\"exit\": 1, \"invalid\": true, \"invalid_reason\": \"the generator "
                             "could not hold the rate\", \"slo_verdicts\": [{\"objective\": \"p99<1ms\", "
                             "\"verdict\": \"missed\"}]}]", 0, &je);
    ASSERT_TRUE(l.load_runs != NULL);
    char *x = tool_soak_junit(&l, &v, &tg);
    ASSERT_TRUE(x != NULL);
    golden("soak_load_failed.junit.xml", x);
    tach__free(x);
    char *h = tool_soak_html(&l, &v, &tg);
    ASSERT_TRUE(h != NULL);
    ASSERT_TRUE(strstr(h, "<h1>Soak: stable, but its load run failed its checks</h1>") != NULL);
    ASSERT_TRUE(strstr(h, "<p class=\"load-failed\">Load run: <strong>FAILED</strong>: the load run was "
                          "invalid (the generator could not hold the rate); objective p99&lt;1ms "
                          "missed</p>") != NULL);
    /* the table's text escaped once for HTML: p99<1ms reads as written in a browser (the
     * Markdown's &lt; escaped again showed "p99&lt;1ms") */
    ASSERT_TRUE(strstr(h, "<tr><th>Load run</th><td><strong>FAILED</strong>: the load run was "
                          "invalid (the generator could not hold the rate); objective p99&lt;1ms "
                          "missed</td></tr>") != NULL);
    ASSERT_TRUE(strstr(h, "&amp;") == NULL);
    ASSERT_TRUE(strstr(h, "<pre>") == NULL);
    tach__free(h);
    char *m = tool_soak_markdown(&l, &v, &tg); /* ... and once for Markdown */
    ASSERT_TRUE(m != NULL);
    ASSERT_TRUE(strstr(m, "| Load run | **FAILED**: the load run was invalid (the generator could "
                          "not hold the rate); objective p99&lt;1ms missed |\n") != NULL);
    tach__free(m);
    /* its load run passed: a passing case, and nothing said */
    json_object_set_new(json_array_get(l.load_runs, 0), "exit", json_integer(0));
    x = tool_soak_junit(&l, &v, &tg);
    ASSERT_TRUE(x != NULL);
    ASSERT_TRUE(strstr(x, "failures=\"0\"") != NULL);
    ASSERT_TRUE(strstr(x, "<testcase classname=\"soak\" name=\"load_run\"/>") != NULL);
    tach__free(x);
    h = tool_soak_html(&l, &v, &tg);
    ASSERT_TRUE(h != NULL);
    ASSERT_TRUE(strstr(h, "<h1>Soak: stable</h1>") != NULL);
    ASSERT_TRUE(strstr(h, "load-failed") == NULL);
    tach__free(h);
    json_decref(l.load_runs);
}

TEST(openmetrics_golden)
{
    fixture f;
    fixture_open(&f, true);
    char err[TACH__ERR_MAX];
    char *om = tool_report_openmetrics(&f.in, true, err);
    ASSERT_TRUE(om != NULL);
    size_t len = strlen(om);
    ASSERT_TRUE(len > 6 && !strcmp(om + len - 6, "# EOF\n"));
    ASSERT_TRUE(strstr(om, "# UNIT tach_benchmark_median_seconds seconds\n") != NULL);
    /* codec/decompress's median in report_new.json is 114981.26 ns (the fixture's
     * estimates.median.value), in seconds to 9 significant digits. */
    ASSERT_TRUE(strstr(om, "tach_benchmark_median_seconds{benchmark=\"codec/decompress\",group=\"codec\",status=\"ok\"} 0.00011498126\n") != NULL);
    ASSERT_TRUE(strstr(om, "tach_benchmark_ok{benchmark=\"misc/crashy\",group=\"misc\",status=\"crashed\"} 0\n") != NULL);
    golden("report_fixture.om.txt", om);
    char *prom = tool_report_openmetrics(&f.in, false, err);
    ASSERT_TRUE(prom && !strstr(prom, "# EOF") && !strstr(prom, "# UNIT"));
    tach__free(prom);
    tach__free(om);
    fixture_close(&f);
}

TEST(html_self_contained_with_charts)
{
    fixture f;
    fixture_open(&f, true);
    /* A short history for one benchmark, with a change point. */
    tool_hist_point pts[8];
    memset(pts, 0, sizeof pts);
    static const char *ids[] = {"1", "2", "3", "4", "5", "6", "7", "8"};
    for (int i = 0; i < 8; i++) {
        pts[i].run_id = ids[i];
        pts[i].commit = "abcdef0123456789";
        pts[i].value = i < 4 ? 100 : 120;
        pts[i].lo = pts[i].value - 2;
        pts[i].hi = pts[i].value + 2;
    }
    pts[4].change = true;
    tool_hist_series s = {"codec/decompress", "m1", "main", pts, 8, TOOL_METRIC_WALL};
    f.in.series = &s;
    f.in.nseries = 1;
    char err[TACH__ERR_MAX];
    char *h = tool_report_html(&f.in, err);
    ASSERT_TRUE(h != NULL);
    ASSERT_TRUE(!strncmp(h, "<!DOCTYPE html>", 15));
    /* Nothing fetched: no external references of any kind. */
    ASSERT_TRUE(strstr(h, "<link") == NULL && strstr(h, " src=") == NULL &&
                strstr(h, "url(") == NULL && strstr(h, "@import") == NULL);
    ASSERT_EQ(count(h, "http"), count(h, "http://www.w3.org/2000/svg"));
    /* Charts: 10 distributions (the ok benchmarks), the comparison bars, one trend,
     * two log-log families (compress over level, qsort over n). */
    ASSERT_EQ(1, count(h, "class=\"chart bars\""));
    ASSERT_EQ(10, count(h, "class=\"chart dist\""));
    ASSERT_EQ(1, count(h, "class=\"chart trend\""));
    ASSERT_EQ(2, count(h, "class=\"chart loglog\""));
    ASSERT_EQ(1, count(h, "class=\"cp\""));
    ASSERT_TRUE(strstr(h, "<table class=\"sortable\" id=\"results-table\">") != NULL);
    ASSERT_EQ(14, count(h, "<tr><td><a href=\"#b"));
    ASSERT_TRUE(strstr(h, "crashed (SIGSEGV)") != NULL);
    ASSERT_TRUE(strstr(h, "nan") == NULL && strstr(h, "inf\"") == NULL);
    golden("report_fixture.html", h);
    tach__free(h);
    fixture_close(&f);
}

/* A document of one benchmark g/f over parameter p, a result per value vals[i] of
 * median ns[i] (three samples of it). */
static tach__doc *family_doc(const char *const *vals, const double *ns, size_t n)
{
    json_t *bs = json_array();
    for (size_t i = 0; i < n; i++) {
        char name[64];
        snprintf(name, sizeof name, "g/f/p=%s", vals[i]);
        json_t *ci = json_pack("{s:f, s:f, s:f}", "value", ns[i], "ci_low", ns[i], "ci_high", ns[i]);
        json_array_append_new(bs, json_pack("{s:s, s:s, s:s, s:{s:s}, s:s, s:{s:[i,i,i], s:[f,f,f]}, s:{s:O, s:o}}",
                                            "name", name, "group", "g", "function", "f", "params", "p",
                                            vals[i], "status", "ok", "samples", "iters", 1, 1, 1, "ns",
                                            ns[i], ns[i], ns[i], "estimates", "mean", ci, "median", ci));
    }
    json_t *j = json_pack("{s:s, s:i, s:{}, s:o}", "format", "tach-results", "version", 1, "context",
                          "benchmarks", bs);
    char err[TACH__ERR_MAX] = "";
    tach__doc *d = tach__doc_from_json(j, err);
    if (!d) fprintf(stderr, "  family_doc: %s\n", err);
    json_decref(j);
    return d;
}

/* The x of each point (circle) of the HTML report's log-log chart, in order: how many. */
static size_t loglog_xs(const char *h, double *x, size_t max)
{
    const char *c = strstr(h, "class=\"chart loglog\"");
    size_t n = 0;
    for (const char *p = c; p && n < max && (p = strstr(p, "<circle cx=\"")); p++)
        x[n++] = strtod(p + 12, NULL);
    return n;
}

/* A parameter's value with a size suffix (a --param scan of block sizes: 4k, 64KiB, 1Mi)
 * is a number for the log-log chart, k, M, G and T powers of 1024 as tach suite's sizes:
 * the family is charted, its points in order of size at their sizes (it was text, and no
 * chart drawn).  A lower-case m (milli or minutes?) is still text. */
TEST(html_family_over_size_suffixes)
{
    static const char *const vals[] = {"1Mi", "512", "4k", "64KiB"}; /* not in order */
    static const double ns[] = {2048e3, 1e3, 8e3, 128e3};
    tach__doc *d = family_doc(vals, ns, 4);
    ASSERT_TRUE(d != NULL);
    tool_report_in in;
    memset(&in, 0, sizeof in);
    in.doc = d;
    char err[TACH__ERR_MAX];
    char *h = tool_report_html(&in, err);
    ASSERT_TRUE(h != NULL);
    ASSERT_EQ(1, count(h, "class=\"chart loglog\""));
    double x[8];
    ASSERT_EQ(4, loglog_xs(h, x, 8));
    /* 512, 4096, 65536, 1048576: steps of 3, 4 and 4 powers of two */
    ASSERT_TRUE(x[0] < x[1] && x[1] < x[2] && x[2] < x[3]);
    ASSERT_NEAR((x[2] - x[1]) / 4, (x[1] - x[0]) / 3, 0.2);
    ASSERT_NEAR(x[3] - x[2], x[2] - x[1], 0.2);
    ASSERT_EQ(0, count(h, "dashed)"));
    tach__free(h);
    /* asked for a fit, the family is fitted on the same sizes and its fit drawn over the
     * chart (the fit read the values as text: charted, never fitted) */
    for (size_t i = 0; i < d->nresults; i++) d->results[i].complexity = TACH_O_AUTO;
    h = tool_report_html(&in, err);
    ASSERT_TRUE(h != NULL);
    ASSERT_EQ(1, count(h, "g/f/p=*  (fit: O(N), dashed)"));
    tach__free(h);
    tach__doc_free(d);

    static const char *const mins[] = {"1m", "5m", "20m"};
    d = family_doc(mins, ns, 3);
    ASSERT_TRUE(d != NULL);
    in.doc = d;
    h = tool_report_html(&in, err);
    ASSERT_TRUE(h != NULL);
    ASSERT_EQ(0, count(h, "class=\"chart loglog\""));
    tach__free(h);
    tach__doc_free(d);
}

/* A commit is shortened for a page or a chart by display columns, not bytes: 12 columns
 * of 名 (three bytes, two columns) are 6 of them (the byte cut gave 4, 8 columns), of 😀
 * (four bytes, two columns) 6 too (the byte cut gave 3); a character is never split,
 * an accent stays with its letter, and buf's size bounds the bytes. */
TEST(commit_head_cut_by_display_width)
{
    char buf[64];
    ASSERT_STREQ("0123456789ab", tool_width_head("0123456789abcdef", 12, buf, sizeof buf));
    ASSERT_STREQ("\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d",
                 tool_width_head("\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d"
                                 "\xe5\x90\x8d\xe5\x90\x8d\xe5\x90\x8d", 12, buf, sizeof buf));
    char emoji[64] = "";
    for (int i = 0; i < 8; i++) strcat(emoji, "\xf0\x9f\x98\x80"); /* 16 columns, 32 bytes */
    ASSERT_EQ(6u * 4, strlen(tool_width_head(emoji, 12, buf, sizeof buf)));
    ASSERT_EQ(0, memcmp(buf, emoji, 6 * 4));
    ASSERT_STREQ("ab\xe5\x90\x8d", tool_width_head("ab\xe5\x90\x8d\xe5\x90\x8d", 5, buf, sizeof buf));
    ASSERT_STREQ("ae\xcc\x81", tool_width_head("ae\xcc\x81" "b", 2, buf, sizeof buf));
    ASSERT_STREQ("\xe5\x90\x8d", tool_width_head("\xe5\x90\x8d\xe5\x90\x8d", 12, buf, 6));
    ASSERT_STREQ("", tool_width_head(NULL, 12, buf, sizeof buf));
}

/* A name is cut for a label by its display width, not its bytes: 名 (three bytes) is two
 * columns, so 46 columns are 23 of them (the byte cut gave 15); a combining accent goes
 * with its cut letter; a name that fits is left whole. */
TEST(svg_label_cut_by_display_width)
{
    char wide[256] = "", latin[128] = "";
    for (int i = 0; i < 30; i++) strcat(wide, "\xe5\x90\x8d"); /* 60 columns, 90 bytes */
    for (int i = 0; i < 60; i++) strcat(latin, "a");
    ASSERT_EQ(23u * 3, strlen(tool_width_tail(wide, 46, 1000)));
    ASSERT_EQ(46u, strlen(tool_width_tail(latin, 46, 1000)));
    ASSERT_EQ(10u * 3, strlen(tool_width_tail(wide, 46, 31))); /* max bytes, whole ones */
    ASSERT_STREQ("ab", tool_width_tail("ab", 46, 1000));
    ASSERT_STREQ("b", tool_width_tail("ae\xcc\x81" "b", 1, 1000)); /* é cut: its accent too */
    ASSERT_STREQ("\xe5\x90\x8d", tool_width_tail("a\xe5\x90\x8d", 2, 1000));
    ASSERT_STREQ("\xe5\x90\x8d", tool_width_tail("\xe5\x90\x8d\xe5\x90\x8d", 3, 1000));

    /* in the comparison chart: "…" and the last 46 columns, 24 names wide of 48 whole */
    char fits[128] = "";
    for (int i = 0; i < 24; i++) strcat(fits, "\xe5\x90\x8d"); /* 48 columns, 72 bytes */
    tool_cmp_row rows[2];
    memset(rows, 0, sizeof rows);
    rows[0].name = wide;
    rows[0].change = (tach__ci){.value = 0.1, .lo = NAN, .hi = NAN};
    rows[1].name = fits;
    rows[1].change = (tach__ci){.value = -0.1, .lo = NAN, .hi = NAN};
    tool_comparison c;
    memset(&c, 0, sizeof c);
    c.rows = rows;
    c.nrows = 2;
    c.noise = 0.02;
    tool_sb b;
    tool_sb_init(&b);
    tool_svg_compare_bars(&b, &c, 600);
    ASSERT_TRUE(!b.oom && b.p);
    char want[300];
    snprintf(want, sizeof want, ">\xe2\x80\xa6%s<", wide + 7 * 3);
    ASSERT_TRUE(strstr(b.p, want) != NULL);
    snprintf(want, sizeof want, ">%s<", fits);
    ASSERT_TRUE(strstr(b.p, want) != NULL);
    tool_sb_free(&b);
}

/* A histogram is scaled to the bulk with its outliers apart; the parameter chart's
 * last x label is anchored inside the chart (not cut at the edge: "1000("). */
TEST(svg_outliers_apart_and_labels_inside)
{
    double ns[21];
    for (int i = 0; i < 20; i++) ns[i] = 100 + i % 5;
    ns[20] = 10000;
    tach__result r;
    memset(&r, 0, sizeof r);
    r.name = "x";
    r.nsamples = 21;
    r.sample_ns = ns;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tach__result_finish(&r, 1, err));
    tool_sb b;
    tool_sb_init(&b);
    tool_svg_distribution(&b, &r, 300, 100);
    ASSERT_TRUE(!b.oom);
    ASSERT_EQ(1, count(b.p, "class=\"out\""));
    ASSERT_TRUE(strstr(b.p, ">+1</text>") != NULL);
    ASSERT_TRUE(strstr(b.p, "1 outlier above") != NULL);
    ASSERT_TRUE(strstr(b.p, "10.0 \xc2\xb5s") == NULL); /* the axis ends at the bulk */
    tool_sb_free(&b);
    double x[3] = {10, 100, 1000}, y[3] = {50, 500, 5000};
    tool_svg_family fam = {.label = "f", .param = "n", .x = x, .y = y, .n = 3};
    tool_sb_init(&b);
    tool_svg_loglog(&b, &fam, 1, TOOL_METRIC_WALL, 400, 200);
    ASSERT_TRUE(strstr(b.p, "text-anchor=\"end\" class=\"tick\">1000<") != NULL);
    ASSERT_TRUE(strstr(b.p, "text-anchor=\"middle\" class=\"tick\">1000<") == NULL);
    ASSERT_TRUE(strstr(b.p, "<title>Time against n, log-log, 1 family</title>") != NULL);
    ASSERT_TRUE(strstr(b.p, "class=\"tick\">1.00 \xc2\xb5s<") != NULL);
    tool_sb_free(&b);
    /* Counted (instructions): titled and ticked as counts, not times, with its fit */
    fam.fit_class = TACH_O_N;
    fam.fit_b = 5;
    tool_sb_init(&b);
    tool_svg_loglog(&b, &fam, 1, TOOL_METRIC_INSTRUCTIONS, 400, 200);
    ASSERT_TRUE(strstr(b.p, "<title>Instructions against n, log-log, 1 family</title>") != NULL);
    ASSERT_TRUE(strstr(b.p, "text-anchor=\"end\" class=\"tick\">1000<") != NULL); /* y, x */
    ASSERT_TRUE(strstr(b.p, "\xc2\xb5s<") == NULL && strstr(b.p, " ns<") == NULL);
    ASSERT_EQ(1, count(b.p, "class=\"fit\""));
    tool_sb_free(&b);
}

TEST(svg_degenerate_inputs)
{
    /* One constant sample, and a history that is all failures: still valid SVG,
     * no NaN coordinates. */
    tach__result r;
    memset(&r, 0, sizeof r);
    double ns[3] = {5, 5, 5};
    r.name = "x";
    r.nsamples = 3;
    r.sample_ns = ns;
    tool_sb b;
    tool_sb_init(&b);
    tool_svg_distribution(&b, &r, 300, 100);
    tool_hist_point p[2];
    memset(p, 0, sizeof p);
    p[0].value = p[1].value = p[0].lo = p[0].hi = p[1].lo = p[1].hi = NAN;
    p[0].failed = p[1].failed = true;
    tool_hist_series s = {"x", NULL, NULL, p, 2, TOOL_METRIC_WALL};
    tool_svg_trend(&b, &s, 300, 100, NULL);
    tool_svg_sparkline(&b, p, 2, 80, 20);
    char *out = tool_sb_take(&b, NULL);
    ASSERT_EQ(3, count(out, "<svg"));
    ASSERT_EQ(3, count(out, "</svg>"));
    ASSERT_TRUE(strstr(out, "nan") == NULL && strstr(out, "inf") == NULL);
    tach__free(out);
}

TEST(certificate_rejects_the_fixture_and_round_trips_evidence)
{
    fixture f;
    fixture_open(&f, true);
    tool_cert c;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_cert_judge(&f.in, &c, err));
    /* Crashes, a missed target and a critical regression: rejected. */
    ASSERT_EQ(TOOL_REJECTED, c.verdict);
    ASSERT_EQ(3, c.nreasons);
    {
        tool_cert_evidence one = {"2", "store:2", "76a2eafbdb948c073578df8ed654228df3342c0b204a0c528de232c90fdc732a"};
        char *md = tool_cert_render(&f.in, &c, &one, 1, false, err);
        ASSERT_TRUE(md != NULL);
        golden("report_fixture.cert.md", md);
        tach__free(md);
    }
    tool_cert_evidence ev[2] = {{"2", "store:2", ""}, {"", "dir--with/odd%name.json", ""}};
    ASSERT_EQ(0, tool_sha256_hex("one", 3, ev[0].sha256, err));
    ASSERT_EQ(0, tool_sha256_hex("two", 3, ev[1].sha256, err));
    for (int html = 0; html < 2; html++) {
        char *t = tool_cert_render(&f.in, &c, ev, 2, html, err);
        ASSERT_TRUE(t != NULL);
        ASSERT_TRUE(strstr(t, "REJECTED") != NULL);
        ASSERT_TRUE(strstr(t, html ? "<h2>Scores</h2>" : "## Scores") != NULL);
        tool_cert_evidence *back = NULL;
        size_t n = 0;
        ASSERT_EQ(0, tool_cert_parse_evidence(t, &back, &n, err));
        ASSERT_EQ(2, n);
        ASSERT_STREQ("2", back[0].run_id);
        ASSERT_STREQ("store:2", back[0].source);
        ASSERT_STREQ(ev[0].sha256, back[0].sha256);
        ASSERT_STREQ("", back[1].run_id);
        ASSERT_STREQ("dir--with/odd%name.json", back[1].source);
        tool_cert_evidence_free(back, n);
        tach__free(t);
    }
    tool_cert_free(&c);
    fixture_close(&f);
}

TEST(certificate_conditions_and_approval)
{
    /* The base document without its failing parts: the compress targets and the
     * environment warning removed, compared against itself. */
    fixture f;
    fixture_open(&f, false);
    for (size_t i = 0; i < f.base->nresults; i++) {
        f.base->results[i].min_bytes_per_sec = 0;
    }
    json_object_set_new(f.base->context, "warnings", json_array());
    tool_comparison cmp;
    tool_cmp_options o;
    tool_cmp_options_default(&o);
    char err[TACH__ERR_MAX];
    ASSERT_EQ(0, tool_compare(f.base, f.base, &o, &cmp, err));
    f.in.doc = f.base;
    f.in.cmp = &cmp;
    tool_cert c;
    ASSERT_EQ(0, tool_cert_judge(&f.in, &c, err));
    /* Only sort/qsort/n=1000's instability (CV ~ 8.6%) stands in the way. */
    ASSERT_EQ(TOOL_CONDITIONAL, c.verdict);
    ASSERT_EQ(0, c.nreasons);
    ASSERT_TRUE(c.nconditions >= 1 && strstr(c.conditions[0], "unstable") != NULL);
    tool_cert_free(&c);
    /* Remove the unstable one and every benchmark missing precision: approved. */
    for (size_t i = 0; i < f.base->nresults; i++) {
        f.base->results[i].unstable = false;
        f.base->results[i].precision_reached = true;
    }
    ASSERT_EQ(0, tool_cert_judge(&f.in, &c, err));
    ASSERT_EQ(TOOL_APPROVED, c.verdict);
    ASSERT_EQ(0, c.nconditions);
    tool_cert_free(&c);
    tool_comparison_free(&cmp);
    fixture_close(&f);
}

TEST(site_slugs_are_distinct_and_safe)
{
    /* "a/b" and "a_b" sanitise alike; the hash suffix keeps them apart. */
    char *x = tool_site_slug("a/b"), *y = tool_site_slug("a_b"), *z = tool_site_slug("a/b");
    ASSERT_TRUE(x && y && z);
    ASSERT_TRUE(strcmp(x, y) != 0);
    ASSERT_STREQ(x, z);
    ASSERT_TRUE(!strncmp(x, "a_b-", 4) && strlen(x) == strlen("a_b-") + 8 + 5);
    char *w = tool_site_slug("../../etc/passwd <script>");
    ASSERT_TRUE(strchr(w, '/') == NULL && strchr(w, '<') == NULL && strchr(w, ' ') == NULL);
    ASSERT_TRUE(w[0] != '.');
    char *d = tool_site_slug("./w.sh"); /* a command: not a hidden file */
    ASSERT_TRUE(d && !strncmp(d, "__w.sh-", 7));
    tach__free(d);
    tach__free(x);
    tach__free(y);
    tach__free(z);
    tach__free(w);
}

TEST(site_write_small)
{
    char dir[] = "/tmp/tach_site_test.XXXXXX";
    ASSERT_TRUE(mkdtemp(dir) != NULL);
    tool_hist_point p[6];
    memset(p, 0, sizeof p);
    static const char *ids[] = {"1", "2", "3", "4", "5", "6"};
    for (int i = 0; i < 6; i++) {
        p[i].run_id = ids[i];
        p[i].commit = "0123456789abcdef0123456789abcdef01234567";
        p[i].value = i < 3 ? 10 : 13;
        p[i].lo = p[i].hi = NAN;
    }
    p[3].change = true;
    tool_hist_series s = {"g/slow", "m", "main", p, 6, TOOL_METRIC_WALL};
    tool_site_bench b[2] = {{"g/slow", &s, 1, "regressed", 0.3, NULL, NULL, NULL, false, NULL}, {"g/none", NULL, 0, NULL, NAN, NULL, NULL, NULL, false, NULL}};
    tool_site_in in = {"T", b, 2, "https://x.test/c/", NULL, 6, TOOL_METRIC_WALL};
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tool_site_write(&in, dir, err));
    char path[512];
    snprintf(path, sizeof path, "%s/index.html", dir);
    char *idx = tach__read_file(path, NULL, err);
    ASSERT_TRUE(idx != NULL);
    ASSERT_EQ(2, count(idx, "href=\"b/"));
    ASSERT_EQ(1, count(idx, "class=\"tag t-regressed\""));
    char *slug = tool_site_slug("g/slow");
    snprintf(path, sizeof path, "%s/b/%s", dir, slug);
    char *page = tach__read_file(path, NULL, err);
    ASSERT_TRUE(page != NULL);
    /* The change point at run 4: marked, linked, and +30% in the table (10 -> 13). */
    ASSERT_EQ(1, count(page, "class=\"cp\""));
    ASSERT_TRUE(strstr(page, "href=\"https://x.test/c/0123456789abcdef0123456789abcdef01234567\"") != NULL);
    ASSERT_TRUE(strstr(page, "+30.0%") != NULL);
    snprintf(path, sizeof path, "%s/regressions.html", dir);
    char *reg = tach__read_file(path, NULL, err);
    ASSERT_TRUE(reg && strstr(reg, "g/slow") && strstr(reg, "+30.0%"));
    tach__free(idx);
    tach__free(page);
    tach__free(reg);
    /* Clean up: the pages and the directories. */
    snprintf(path, sizeof path, "%s/b/%s", dir, slug);
    remove(path);
    tach__free(slug);
    slug = tool_site_slug("g/none");
    snprintf(path, sizeof path, "%s/b/%s", dir, slug);
    remove(path);
    tach__free(slug);
    snprintf(path, sizeof path, "%s/index.html", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/regressions.html", dir);
    remove(path);
    /* the manifest lists the two pages written, one a line after its header line */
    snprintf(path, sizeof path, "%s/.tach-site", dir);
    char *man = tach__read_file(path, NULL, err);
    ASSERT_TRUE(man != NULL);
    slug = tool_site_slug("g/none");
    ASSERT_TRUE(strstr(man, slug) != NULL);
    tach__free(slug);
    size_t lines = 0;
    for (const char *c = man; *c; c++) lines += *c == '\n';
    ASSERT_EQ(3, lines);
    tach__free(man);
    remove(path);
    snprintf(path, sizeof path, "%s/b", dir);
    ASSERT_EQ(0, rmdir(path));
    ASSERT_EQ(0, rmdir(dir));
}

TEST(evidence_parse_rejects_garbage)
{
    tool_cert_evidence *ev;
    size_t n;
    char err[TACH__ERR_MAX];
    ASSERT_EQ(-1, tool_cert_parse_evidence("# just a file\n", &ev, &n, err));
    ASSERT_TRUE(strstr(err, "no tach evidence block") != NULL);
    ASSERT_EQ(-1, tool_cert_parse_evidence("<!-- tach-evidence v1\nabc 1 x\n-->", &ev, &n, err));
    ASSERT_TRUE(strstr(err, "malformed evidence line 1") != NULL);
    ASSERT_EQ(-1, tool_cert_parse_evidence("<!-- tach-evidence v1\n-->", &ev, &n, err));
}

TEST(metric_values_in_their_unit)
{
    /* --metric in report and site: each value in its metric's unit (view.c) */
    char buf[96];
    ASSERT_STREQ("1003 instructions/iter", tool_rep_fmt_value(TOOL_METRIC_INSTRUCTIONS, 1003, buf, sizeof buf));
    ASSERT_STREQ("12.5 cycles/iter", tool_rep_fmt_value(TOOL_METRIC_CYCLES_EST, 12.5, buf, sizeof buf));
    ASSERT_STREQ("2 allocs/iter", tool_rep_fmt_value(TOOL_METRIC_ALLOCS, 2, buf, sizeof buf));
    ASSERT_STREQ("0 instructions/iter", tool_rep_fmt_value(TOOL_METRIC_INSTRUCTIONS, 0, buf, sizeof buf));
    ASSERT_STREQ("n/a", tool_rep_fmt_value(TOOL_METRIC_INSTRUCTIONS, NAN, buf, sizeof buf));
    /* wall: the time formatter's own text */
    char t[64];
    ASSERT_STREQ(tach__fmt_time(1500, t, sizeof t), tool_rep_fmt_value(TOOL_METRIC_WALL, 1500, buf, sizeof buf));
    /* a deterministic count: no interval; allocs with one: the bounds */
    ASSERT_STREQ("1050 instructions/iter",
                 tool_rep_fmt_range_m(TOOL_METRIC_INSTRUCTIONS, 1050, 1050, 1050, buf, sizeof buf));
    ASSERT_STREQ("3 allocs/iter [2, 4]", tool_rep_fmt_range_m(TOOL_METRIC_ALLOCS, 3, 2, 4, buf, sizeof buf));
    /* a median of 0 ns as the time formatter writes 0 (the mean beside it): it read
     * "0 ns [0, 0]" next to "0.00 ns" */
    ASSERT_STREQ(tach__fmt_time(0, t, sizeof t), tool_rep_fmt_value(TOOL_METRIC_WALL, 0, buf, sizeof buf));
    ASSERT_STREQ("0.00 ns [0.00, 0.00]", tool_rep_fmt_range(0, 0, 0, buf, sizeof buf));
    ASSERT_STREQ("0.00 ns", tool_rep_fmt_range(0, NAN, NAN, buf, sizeof buf));
    ASSERT_STREQ("0.00 ns [0.00, 0.50]", tool_rep_fmt_range(0, 0, 0.5, buf, sizeof buf));
    ASSERT_STREQ("instructions/iter", tool_rep_metric_unit(TOOL_METRIC_INSTRUCTIONS));
    ASSERT_STREQ("bytes", tool_rep_metric_unit(TOOL_METRIC_PEAK_RSS));
}

TEST(soak_drift_levels_carry_their_units)
{
    char buf[32];
    ASSERT_STREQ("230 ns", tool_soak_level(230, true, buf, sizeof buf));
    ASSERT_STREQ("1.20 ms", tool_soak_level(1.2e6, true, buf, sizeof buf));
    ASSERT_STREQ("10460000 ops/s", tool_soak_level(1.046e7, false, buf, sizeof buf));
    ASSERT_STREQ("2.5 ops/s", tool_soak_level(2.5, false, buf, sizeof buf));
}

TEST_MAIN()

/* test_load_charts.c - a load run over time (src/report/svg_series.c) on a hand-written
 * "load" block: three intervals of 0.5 s, the second without a request (null p50/p99,
 * as tach load writes an empty interval, docs/results-format.md "load").  The charts
 * must carry one point per interval (throughput) and one per interval with a request
 * (p50, p99), the latency lines broken at the empty one; the Markdown its summary and
 * table; the site's page of the benchmark both charts.  The numbers are chosen here
 * (count / length = rps), so each expected text follows from them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"
#include "test.h"

static const char *const LOAD_JSON =
    "{\"op\":\"overall\",\"intervals\":["
    "{\"start_s\":0,\"length_s\":0.5,\"count\":500,\"errors\":1,\"rps\":1000,"
    "\"p50_ns\":2000,\"p99_ns\":9000,\"max_ns\":12000},"
    "{\"start_s\":0.5,\"length_s\":0.5,\"count\":0,\"errors\":0,\"rps\":0,"
    "\"p50_ns\":null,\"p99_ns\":null,\"max_ns\":null},"
    "{\"start_s\":1,\"length_s\":0.5,\"count\":250,\"errors\":0,\"rps\":500,"
    "\"p50_ns\":3000,\"p99_ns\":15000,\"max_ns\":20000}]}";

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}

/* A document of one result named "overall" carrying LOAD_JSON (intervals: false
 * drops them). */
static tach__doc *load_doc(bool with_intervals)
{
    tach__doc *d = tach__doc_new();
    tach__result *r = d ? tach__doc_add(d) : NULL;
    if (!r) return d;
    r->name = tach__strdup("overall");
    r->load = json_loads(LOAD_JSON, 0, NULL);
    if (!with_intervals) json_object_del(r->load, "intervals");
    return d;
}

static char *dup_n(const char *s, size_t n)
{
    char *p = tach__malloc(n + 1);
    if (p) memcpy(p, s, n), p[n] = 0;
    return p;
}

/* The text of the first <svg> of class cls in s, as a new string. */
static char *svg_of(const char *s, const char *cls)
{
    char open[64];
    snprintf(open, sizeof open, "class=\"chart %s\"", cls);
    const char *a = strstr(s, open), *z = a ? strstr(a, "</svg>") : NULL;
    if (!z) return NULL;
    return dup_n(a, (size_t)(z - a));
}

/* The d attribute of the line of key in an SVG, as a new string. */
static char *path_d(const char *svg, const char *key)
{
    char open[64];
    snprintf(open, sizeof open, "s-%s\"", key);
    const char *a = strstr(svg, open);
    a = a ? strstr(a, " d=\"") : NULL;
    const char *z = a ? strchr(a + 4, '"') : NULL;
    return z ? dup_n(a + 4, (size_t)(z - a - 4)) : NULL;
}

static size_t nchar(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++) n += *s == c;
    return n;
}

TEST(load_charts_points_per_interval)
{
    tach__doc *d = load_doc(true);
    ASSERT_TRUE(d && d->nresults == 1 && d->results[0].load);
    ASSERT_TRUE(tool_rep_has_load(d));
    tool_sb b;
    tool_sb_init(&b);
    tool_rep_load_html(&b, d);
    char *html = tool_sb_take(&b, NULL);
    ASSERT_TRUE(html != NULL);
    ASSERT_EQ(1, count(html, "<section id=\"load\">"));
    ASSERT_TRUE(strstr(html, "<code>overall</code>: 3 intervals") != NULL);
    char *rate = svg_of(html, "load-rate"), *lat = svg_of(html, "load-latency");
    ASSERT_TRUE(rate && lat);
    /* throughput: every interval, the empty one at 0/s; one unbroken line */
    ASSERT_EQ(3, count(rate, "<circle class=\"iv\""));
    ASSERT_EQ(1, count(rate, "<path class=\"line"));
    char *rd = path_d(rate, "rps");
    ASSERT_TRUE(rd != NULL);
    ASSERT_EQ(1, nchar(rd, 'M'));
    ASSERT_EQ(2, nchar(rd, 'L'));
    tach__free(rd);
    ASSERT_TRUE(strstr(rate, "requests/s at 0.75 s: 0 /s") != NULL);
    ASSERT_TRUE(strstr(rate, "requests/s at 0.25 s: 1.00 k/s") != NULL);
    ASSERT_TRUE(strstr(rate, "class=\"tick\">0 /s</text>") != NULL); /* the axis starts at 0 */
    /* latency: two lines, each with the two intervals that had requests, broken at the
     * empty one (two moves, no line-to) */
    ASSERT_EQ(4, count(lat, "<circle class=\"iv\""));
    ASSERT_EQ(2, count(lat, "<path class=\"line"));
    for (int k = 0; k < 2; k++) {
        char *ld = path_d(lat, k ? "p99_ns" : "p50_ns");
        ASSERT_TRUE(ld != NULL);
        ASSERT_EQ(2, nchar(ld, 'M'));
        ASSERT_EQ(0, nchar(ld, 'L'));
        tach__free(ld);
    }
    ASSERT_TRUE(strstr(lat, "p99 at 1.25 s: 15.0 µs") != NULL || strstr(lat, "p99 at 1.25 s: 15 µs") != NULL);
    tach__free(rate);
    tach__free(lat);
    tach__free(html);
    tach__doc_free(d);
}

TEST(load_charts_nothing_without_intervals)
{
    tach__doc *d = load_doc(false);
    ASSERT_TRUE(d != NULL);
    ASSERT_TRUE(!tool_rep_has_load(d));
    tool_sb b;
    tool_sb_init(&b);
    tool_rep_load_html(&b, d);
    tool_rep_load_md(&b, d);
    tool_svg_load_rate(&b, d->results[0].load, 100, 100);
    tool_svg_load_latency(&b, NULL, 100, 100);
    char *s = tool_sb_take(&b, NULL);
    ASSERT_TRUE(s != NULL);
    ASSERT_STREQ("", s);
    tach__free(s);
    tach__doc_free(d);
}

TEST(load_markdown_summary_and_table)
{
    tach__doc *d = load_doc(true);
    ASSERT_TRUE(d != NULL);
    tool_sb b;
    tool_sb_init(&b);
    tool_rep_load_md(&b, d);
    char *md = tool_sb_take(&b, NULL);
    ASSERT_TRUE(md != NULL);
    ASSERT_TRUE(strstr(md, "\n## Load over time\n") != NULL);
    ASSERT_TRUE(strstr(md, "- `overall`: 3 intervals, 0 /s to 1.00 k/s, worst p99 15.0 µs (interval at 1 s), "
                           "1 without a request\n") != NULL);
    ASSERT_TRUE(strstr(md, "| 0 s | 500 | 1 | 1.00 k/s | 2.00 µs | 9.00 µs |\n") != NULL);
    ASSERT_TRUE(strstr(md, "| 0.5 s | 0 | 0 | 0 /s | \xe2\x80\x94 | \xe2\x80\x94 |\n") != NULL);
    ASSERT_TRUE(strstr(md, "| 1 s | 250 | 0 | 500.0 /s | 3.00 µs | 15.0 µs |\n") != NULL);
    tach__free(md);
    tach__doc_free(d);
}

TEST(load_site_page_has_both_charts)
{
    char dir[] = "/tmp/tach_load_site.XXXXXX";
    ASSERT_TRUE(mkdtemp(dir) != NULL);
    tach__doc *d = load_doc(true);
    ASSERT_TRUE(d != NULL);
    tool_site_bench sb = {"overall", NULL, 0, NULL, NAN, NULL, d->results[0].load, NULL, false, NULL};
    tool_site_in in = {"T", &sb, 1, NULL, NULL, 1, TOOL_METRIC_WALL};
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tool_site_write(&in, dir, err));
    char *slug = tool_site_slug("overall"), path[512];
    snprintf(path, sizeof path, "%s/b/%s", dir, slug);
    char *page = tach__read_file(path, NULL, err);
    ASSERT_TRUE(page != NULL);
    ASSERT_EQ(1, count(page, "class=\"chart load-rate\""));
    ASSERT_EQ(1, count(page, "class=\"chart load-latency\""));
    ASSERT_EQ(7, count(page, "<circle class=\"iv\""));
    tach__free(page);
    remove(path);
    tach__free(slug);
    snprintf(path, sizeof path, "%s/index.html", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/regressions.html", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/.tach-site", dir); /* the site's list of its pages */
    remove(path);
    snprintf(path, sizeof path, "%s/b", dir);
    ASSERT_EQ(0, rmdir(path));
    ASSERT_EQ(0, rmdir(dir));
    tach__doc_free(d);
}

TEST_MAIN()

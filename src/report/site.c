/* site.c - the static dashboard of a whole store (asv's published site is the
 * model): an index with a sparkline and the last verdict of every benchmark, a
 * page per benchmark with its trend per machine and branch (change points marked
 * and linked to their commit), and a regressions page.  Plain files that open
 * from disk. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "html_style.h"
#include "report.h"

char *tool_site_slug(const char *name)
{
    size_t n = strlen(name);
    size_t keep = n > 80 ? 80 : n;
    char *s = tach__malloc(keep + 16);
    if (!s) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < keep; i++) {
        unsigned char c = (unsigned char)name[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '.' || c == '_';
        /* no leading dot: a hidden file that static hosts (and ls) skip */
        if (k == 0 && c == '.') ok = false;
        s[k++] = ok ? (char)c : '_';
    }
    snprintf(s + k, 16, "-%08x.html", (unsigned)(tach__hash_str(name) & 0xffffffffu));
    return s;
}

/* Whole or not there: a temporary file renamed over the target.  No fsync: a
 * site is regenerated from the store at will, and a thousand fsyncs would cost
 * more than the whole rendering. */
static int write_file(const char *dir, const char *name, const char *text, size_t len, char *err)
{
    char path[4096], tmp[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) return tach__err(err, "cannot write %s: %s", path, strerror(errno));
    bool ok = fwrite(text, 1, len, f) == len;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return tach__err(err, "cannot write %s: %s", path, strerror(e));
    }
    return 0;
}

static int make_dir(const char *path, char *err)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST) {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
        return tach__err(err, "%s exists and is not a directory", path);
    }
    return tach__err(err, "cannot create directory %s: %s", path, strerror(errno));
}

/* path and its missing parents (mkdir -p): the help says DIR is created if missing. */
static int make_dirs(const char *path, char *err)
{
    char d[4096];
    snprintf(d, sizeof d, "%s", path);
    for (char *p = d + 1; *p; p++) {
        if (*p != '/' || p[-1] == '/') continue;
        *p = '\0';
        if (mkdir(d, 0777) != 0 && errno != EEXIST)
            return tach__err(err, "cannot create directory %s: %s", d, strerror(errno));
        *p = '/';
    }
    return make_dir(path, err);
}

static void page_head(tool_sb *b, const tool_site_in *in, const char *title, const char *root,
                      const char *active)
{
    tool_html_page_open(b, title);
    tool_sb_put(b, "<header class=\"top\"><h1>");
    tool_sb_esc_xml(b, in->title ? in->title : "tach dashboard");
    tool_sb_printf(b, "</h1><p class=\"meta\">%zu benchmark%s \xc2\xb7 %zu run%s", in->nbenches,
                    in->nbenches == 1 ? "" : "s", in->nruns, in->nruns == 1 ? "" : "s");
    if (in->metric != TOOL_METRIC_WALL)
        tool_sb_printf(b, " \xc2\xb7 metric %s (%s)", tool_metric_name(in->metric),
                        tool_rep_metric_unit(in->metric));
    if (in->generated) {
        tool_sb_put(b, " \xc2\xb7 generated ");
        tool_sb_esc_xml(b, in->generated);
    }
    tool_sb_printf(b, "</p></header>\n<nav class=\"toc\"><a href=\"%sindex.html\"%s>All benchmarks</a>"
                       "<a href=\"%sregressions.html\"%s>Regressions</a></nav>\n<main>\n",
                    root, !strcmp(active, "index") ? " style=\"font-weight:600\"" : "", root,
                    !strcmp(active, "regressions") ? " style=\"font-weight:600\"" : "");
}

/* The series the index's row shows (its sparkline and last value): the newest run's,
 * the machine its last verdict was judged on; without it, the one with the most points. */
static const tool_hist_series *main_series(const tool_site_bench *sb)
{
    if (sb->newest) return sb->newest;
    const tool_hist_series *best = NULL;
    for (size_t i = 0; i < sb->nseries; i++)
        if (!best || sb->series[i].npoints > best->npoints) best = &sb->series[i];
    return best;
}

/* The newest point of s with a value, or NULL. */
static const tool_hist_point *last_point(const tool_hist_series *s)
{
    for (size_t i = s ? s->npoints : 0; i-- > 0;)
        if (isfinite(s->points[i].value)) return &s->points[i];
    return NULL;
}

static double last_value(const tool_hist_series *s)
{
    const tool_hist_point *p = last_point(s);
    return p ? p->value : NAN;
}

static void verdict_tag(tool_sb *b, const char *v)
{
    if (!v) {
        tool_sb_put(b, "<span class=\"muted\">\xe2\x80\x94</span>");
        return;
    }
    tool_sb_put(b, "<span class=\"tag t-");
    tool_sb_esc_xml(b, v);
    tool_sb_put(b, "\">");
    tool_sb_esc_xml(b, v);
    tool_sb_put(b, "</span>");
}

/* The mark of a value from a tach suite --quick run (a smoke test), as the report's
 * Mode card says it. */
#define QUICK_TAG "<span class=\"tag t-quick\" title=\"a tach suite --quick run: a smoke test with few " \
                  "samples, not figures to publish\">quick</span>"
#define QUICK_WHY "a smoke test with few samples, not figures to publish"

/* "Runs 2 and 5 were tach suite --quick runs: ..." under a series, when any was. */
static void quick_note(tool_sb *b, const tool_hist_series *s)
{
    size_t nq = 0, k = 0;
    for (size_t i = 0; i < s->npoints; i++) nq += s->points[i].quick;
    if (!nq) return;
    tool_sb_printf(b, "<p class=\"muted\">" QUICK_TAG " Run%s ", nq == 1 ? "" : "s");
    for (size_t i = 0; i < s->npoints; i++) {
        if (!s->points[i].quick) continue;
        if (k++) tool_sb_put(b, k == nq ? " and " : ", ");
        tool_sb_esc_xml(b, s->points[i].run_id ? s->points[i].run_id : "?");
    }
    tool_sb_printf(b, " %s tach suite --quick run%s: %s.</p>", nq == 1 ? "was a" : "were", nq == 1 ? "" : "s",
                   nq == 1 ? QUICK_WHY : "smoke tests with few samples, not figures to publish");
}

static void series_label(tool_sb *b, const tool_hist_series *s)
{
    tool_sb_put(b, "machine <code>");
    tool_sb_esc_xml(b, s->machine ? s->machine : "unknown");
    tool_sb_put(b, "</code>, branch <code>");
    tool_sb_esc_xml(b, s->branch ? s->branch : "unknown");
    tool_sb_put(b, "</code>");
}

static void commit_link(tool_sb *b, const tool_site_in *in, const char *commit)
{
    if (!commit) {
        tool_sb_put(b, "\xe2\x80\x94");
        return;
    }
    if (in->commit_url) {
        tool_sb_put(b, "<a href=\"");
        tool_sb_href_part(b, in->commit_url, commit);
        tool_sb_put(b, "\">");
    }
    char sc[64]; /* columns, not bytes: 名 is 3 bytes, an emoji 4 */
    tool_sb_put(b, "<code>");
    tool_sb_esc_xml(b, tool_width_head(commit, 10, sc, sizeof sc));
    tool_sb_put(b, "</code>");
    if (in->commit_url) tool_sb_put(b, "</a>");
}

static char *render_bench(const tool_site_in *in, const tool_site_bench *sb)
{
    tool_sb b;
    tool_sb_init(&b);
    page_head(&b, in, sb->name, "../", "bench");
    tool_sb_put(&b, "<section><h2><code>");
    tool_sb_esc_xml(&b, sb->name);
    tool_sb_put(&b, "</code></h2><p>Last verdict: ");
    verdict_tag(&b, sb->last_verdict);
    char pct[32];
    if (isfinite(sb->last_change))
        tool_sb_printf(&b, " (%s against the previous run)", tool_rep_pct(sb->last_change, pct, sizeof pct));
    tool_sb_put(&b, "</p></section>\n");
    for (size_t i = 0; i < sb->nseries; i++) {
        const tool_hist_series *s = &sb->series[i];
        tool_sb_put(&b, "<section><h3>");
        series_label(&b, s);
        tool_sb_printf(&b, " \xc2\xb7 %zu run%s</h3><div class=\"scroll\">", s->npoints,
                        s->npoints == 1 ? "" : "s");
        tool_svg_trend(&b, s, 1000, 260, in->commit_url);
        tool_sb_put(&b, "</div>");
        quick_note(&b, s);
        /* The change points, linked to their commits. */
        size_t ncp = 0;
        for (size_t k = 0; k < s->npoints; k++) ncp += s->points[k].change;
        if (ncp) {
            tool_sb_put(&b, "<h3>Change points</h3><table><thead><tr><th>Run</th><th>Commit</th>"
                             "<th>Date</th><th class=\"n\">Before</th><th class=\"n\">After</th>"
                             "<th class=\"n\">Change</th></tr></thead><tbody>");
            for (size_t k = 0; k < s->npoints; k++) {
                if (!s->points[k].change) continue;
                /* The levels either side, as the change-point search found them (the
                 * segments' means: the figure tach history --changes prints). */
                double before = s->points[k].cp_before, after = s->points[k].cp_after;
                char a[64], z[64];
                tool_sb_put(&b, "<tr><td>");
                tool_sb_esc_xml(&b, s->points[k].run_id ? s->points[k].run_id : "?");
                if (s->points[k].quick) tool_sb_put(&b, " " QUICK_TAG);
                tool_sb_put(&b, "</td><td>");
                commit_link(&b, in, s->points[k].commit);
                tool_sb_put(&b, "</td><td>");
                tool_sb_esc_xml(&b, s->points[k].date ? s->points[k].date : "");
                tool_sb_printf(&b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">",
                                tool_rep_fmt_value(in->metric, before, a, sizeof a),
                                tool_rep_fmt_value(in->metric, after, z, sizeof z));
                double ch = after / before - 1;
                if (isfinite(ch)) {
                    tool_sb_printf(&b, "<span class=\"tag t-%s\">%s</span>",
                                    ch > 0 ? "regressed" : "improved", tool_rep_pct(ch, pct, sizeof pct));
                }
                tool_sb_put(&b, "</td></tr>");
            }
            tool_sb_put(&b, "</tbody></table>");
        } else {
            tool_sb_put(&b, "<p class=\"muted\">No change point: the level held over these runs.</p>");
        }
        tool_sb_put(&b, "</section>\n");
    }
    if (!sb->nseries) tool_sb_put(&b, "<section><p class=\"muted\">No runs.</p></section>");
    if (sb->load) { /* a load run's intervals (docs/load.md) */
        tool_sb_put(&b, "<section id=\"load\"><h3>The newest run over time</h3><div class=\"scroll\">");
        tool_svg_load_rate(&b, sb->load, 1000, 200);
        tool_svg_load_latency(&b, sb->load, 1000, 200);
        tool_sb_put(&b, "</div></section>\n");
    }
    if (sb->soak) { /* a soak's series (docs/soak.md) */
        const json_t *v = json_object_get(sb->soak, "verdict");
        const char *summary = json_string_value(json_object_get(v, "summary"));
        tool_sb_put(&b, "<section id=\"soak\"><h3>The newest soak over time: ");
        tool_sb_esc_xml(&b, summary ? summary : "unknown");
        if (json_is_true(json_object_get(sb->soak, "partial"))) tool_sb_put(&b, " (partial)");
        if (json_is_true(json_object_get(json_object_get(sb->soak, "load"), "failed")))
            tool_sb_put(&b, ", but its load run failed its checks");
        tool_sb_put(&b, "</h3><div class=\"scroll\">");
        tool_svg_soak(&b, sb->soak, 1000, 200);
        tool_sb_put(&b, "</div></section>\n");
    }
    if (sb->flame_svg) { /* kept by tach run --profile (docs/profiling.md) */
        tool_sb_put(&b, "<section id=\"profile\"><h3>Profile of the newest run</h3><div class=\"scroll\">");
        tool_sb_put(&b, sb->flame_svg);
        tool_sb_put(&b, "</div></section>\n");
    }
    tool_sb_put(&b, "</main>\n");
    tool_html_page_close(&b, false);
    return tool_sb_take(&b, NULL);
}

static char *render_index(const tool_site_in *in, char **slugs)
{
    tool_sb b;
    tool_sb_init(&b);
    page_head(&b, in, in->title ? in->title : "tach dashboard", "", "index");
    size_t reg = 0, imp = 0, nquick = 0;
    for (size_t i = 0; i < in->nbenches; i++) {
        const char *v = in->benches[i].last_verdict;
        if (v && !strcmp(v, "regressed")) reg++;
        if (v && !strcmp(v, "improved")) imp++;
    }
    tool_sb_printf(&b, "<section class=\"cards\"><div class=\"card\"><div class=\"k\">Benchmarks</div>"
                        "<div class=\"v\">%zu</div></div><div class=\"card\"><div class=\"k\">Runs</div>"
                        "<div class=\"v\">%zu</div></div><div class=\"card %s\"><div class=\"k\">"
                        "Regressed in the last run</div><div class=\"v\">%zu</div></div>"
                        "<div class=\"card %s\"><div class=\"k\">Improved in the last run</div>"
                        "<div class=\"v\">%zu</div></div></section>\n",
                    in->nbenches, in->nruns, reg ? "bad" : "good", reg, imp ? "good" : "", imp);
    tool_sb_put(&b, "<section><h2>All benchmarks</h2><div class=\"scroll\"><table class=\"sortable\">"
                     "<thead><tr><th>Benchmark</th><th>Trend</th><th class=\"n\">Last</th>"
                     "<th class=\"n\">Runs</th><th class=\"n\">Change</th><th>Last verdict</th>"
                     "</tr></thead><tbody>\n");
    for (size_t i = 0; i < in->nbenches; i++) {
        const tool_site_bench *sb = &in->benches[i];
        const tool_hist_series *s = main_series(sb);
        tool_sb_put(&b, "<tr><td><a href=\"b/");
        tool_sb_esc_xml(&b, slugs[i]);
        tool_sb_put(&b, "\"><code>");
        tool_sb_esc_xml(&b, sb->name);
        tool_sb_put(&b, "</code></a></td><td>");
        /* At most the last 60 points: a sparkline is a glance, not a chart. */
        if (s) {
            size_t from = s->npoints > 60 ? s->npoints - 60 : 0;
            tool_svg_sparkline(&b, s->points + from, s->npoints - from, 120, 24);
        }
        double last = last_value(s);
        bool lq = last_point(s) && last_point(s)->quick; /* the value shown is a smoke test's */
        nquick += lq;
        char t[64], pct[32];
        size_t runs = 0;
        for (size_t k = 0; k < sb->nseries; k++) runs += sb->series[k].npoints;
        tool_sb_printf(&b, "</td><td class=\"n\" data-v=\"%.6g\">%s%s</td><td class=\"n\" data-v=\"%zu\">%zu</td>",
                        isfinite(last) ? last : -1.0,
                        isfinite(last) ? tool_rep_fmt_value(in->metric, last, t, sizeof t) : "\xe2\x80\x94",
                        lq ? " " QUICK_TAG : "", runs, runs);
        tool_sb_printf(&b, "<td class=\"n\" data-v=\"%.6g\">%s</td><td>",
                        isfinite(sb->last_change) ? sb->last_change : -1e300,
                        isfinite(sb->last_change) ? tool_rep_pct(sb->last_change, pct, sizeof pct) : "\xe2\x80\x94");
        verdict_tag(&b, sb->last_verdict);
        tool_sb_put(&b, "</td></tr>\n");
    }
    tool_sb_put(&b, "</tbody></table></div>");
    if (nquick)
        tool_sb_printf(&b, "<p class=\"muted\">" QUICK_TAG " marks a last value from a tach suite "
                            "--quick run: %s.</p>", QUICK_WHY);
    tool_sb_put(&b, "</section>\n</main>\n");
    tool_html_page_close(&b, true);
    return tool_sb_take(&b, NULL);
}

static char *render_regressions(const tool_site_in *in, char **slugs)
{
    tool_sb b;
    tool_sb_init(&b);
    page_head(&b, in, "Regressions", "", "regressions");
    tool_sb_put(&b, "<section><h2>Regressed in the last run</h2>");
    size_t n = 0;
    for (size_t i = 0; i < in->nbenches; i++) {
        const tool_site_bench *sb = &in->benches[i];
        if (!sb->last_verdict || strcmp(sb->last_verdict, "regressed")) continue;
        if (!n++)
            tool_sb_put(&b, "<table><thead><tr><th>Benchmark</th><th class=\"n\">Change</th></tr>"
                             "</thead><tbody>");
        char pct[32];
        tool_sb_put(&b, "<tr><td><a href=\"b/");
        tool_sb_esc_xml(&b, slugs[i]);
        tool_sb_put(&b, "\"><code>");
        tool_sb_esc_xml(&b, sb->name);
        tool_sb_printf(&b, "</code></a>%s</td><td class=\"n\">%s</td></tr>", sb->last_quick ? " " QUICK_TAG : "",
                        tool_rep_pct(sb->last_change, pct, sizeof pct));
    }
    tool_sb_put(&b, n ? "</tbody></table>" : "<p class=\"muted\">None.</p>");
    tool_sb_put(&b, "</section>\n<section><h2>Slowdowns found in the history</h2>"
                     "<p class=\"muted\">Change points where the level rose (the benchmark got "
                     "slower), newest first in each benchmark, with the commit that starts the "
                     "new level.</p>");
    n = 0;
    for (size_t i = 0; i < in->nbenches; i++) {
        const tool_site_bench *sb = &in->benches[i];
        for (size_t k = 0; k < sb->nseries; k++) {
            const tool_hist_series *s = &sb->series[k];
            for (size_t j = 0; j < s->npoints; j++) {
                if (!s->points[j].change) continue;
                /* the change the search found (as on the benchmark's page and in
                 * tach history --changes) */
                double ch = s->points[j].cp_after / s->points[j].cp_before - 1;
                if (!(ch > 0)) continue;
                if (!n++)
                    tool_sb_put(&b, "<table class=\"sortable\"><thead><tr><th>Benchmark</th>"
                                     "<th>Series</th><th>Run</th><th>Commit</th><th>Date</th>"
                                     "<th class=\"n\">Change</th></tr></thead><tbody>");
                char pct[32];
                tool_sb_put(&b, "<tr><td><a href=\"b/");
                tool_sb_esc_xml(&b, slugs[i]);
                tool_sb_put(&b, "\"><code>");
                tool_sb_esc_xml(&b, sb->name);
                tool_sb_put(&b, "</code></a></td><td>");
                series_label(&b, s);
                tool_sb_put(&b, "</td><td>");
                tool_sb_esc_xml(&b, s->points[j].run_id ? s->points[j].run_id : "?");
                if (s->points[j].quick) tool_sb_put(&b, " " QUICK_TAG);
                tool_sb_put(&b, "</td><td>");
                commit_link(&b, in, s->points[j].commit);
                tool_sb_put(&b, "</td><td>");
                tool_sb_esc_xml(&b, s->points[j].date ? s->points[j].date : "");
                tool_sb_printf(&b, "</td><td class=\"n\" data-v=\"%.6g\"><span class=\"tag t-regressed\">%s</span></td></tr>",
                                ch, tool_rep_pct(ch, pct, sizeof pct));
            }
        }
    }
    tool_sb_put(&b, n ? "</tbody></table>" : "<p class=\"muted\">None.</p>");
    tool_sb_put(&b, "</section>\n</main>\n");
    tool_html_page_close(&b, n > 0);
    return tool_sb_take(&b, NULL);
}

/* The site's manifest, DIR/.tach-site: the pages in b/ that tach wrote.  A regeneration
 * removes the ones it lists and no longer writes (a benchmark gone from the store), and
 * never a file it does not list: whatever else is in DIR is left alone. */
#define SITE_MANIFEST ".tach-site"
#define SITE_MANIFEST_HEAD "# tach site: the pages it wrote in b/ (a regeneration removes those it no longer writes)\n"

/* A page name tool_site_slug makes: [A-Za-z0-9._-], no leading dot, "-" and 8 hex
 * digits before ".html".  A manifest line that is not one is never removed. */
static bool is_slug(const char *s, size_t n)
{
    if (n < 15 || n > 200 || s[0] == '.' || memcmp(s + n - 5, ".html", 5) || s[n - 14] != '-')
        return false;
    for (size_t i = 0; i < n - 14; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_'))
            return false;
    }
    for (size_t i = n - 13; i < n - 5; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

/* DIR's manifest as text (NULL: none, or unreadable: then nothing is removed). */
static char *read_manifest(const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/" SITE_MANIFEST, dir);
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    tool_sb b;
    tool_sb_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) tool_sb_putn(&b, chunk, n);
    bool bad = ferror(f) != 0;
    fclose(f);
    char *text = tool_sb_take(&b, NULL);
    if (bad || !text || strncmp(text, SITE_MANIFEST_HEAD, strlen(SITE_MANIFEST_HEAD))) {
        tach__free(text);
        return NULL;
    }
    return text;
}

static bool listed(char **slugs, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (slugs[i] && strlen(slugs[i]) == len && !memcmp(slugs[i], s, len)) return true;
    return false;
}

/* Appends to b each page of the old manifest old (NULL: none) that slugs does not hold;
 * with remove, it is removed from sub first, and appended only when it could not be. */
static void old_pages(tool_sb *b, const char *old, char **slugs, size_t n, const char *sub,
                      bool remove)
{
    for (const char *p = old ? old + strlen(SITE_MANIFEST_HEAD) : NULL; p && *p;) {
        size_t len = strcspn(p, "\n");
        if (is_slug(p, len) && !listed(slugs, n, p, len)) {
            char path[4400];
            snprintf(path, sizeof path, "%s/%.*s", sub, (int)len, p);
            /* kept listed: not removed yet, or could not be; a directory or a link
             * of that name is not a page tach wrote: neither removed nor listed */
            bool keep = !remove;
            struct stat st;
            if (remove && lstat(path, &st) != 0) keep = errno != ENOENT;
            else if (remove && S_ISREG(st.st_mode)) keep = unlink(path) != 0 && errno != ENOENT;
            if (keep) {
                tool_sb_putn(b, p, len);
                tool_sb_put(b, "\n");
            }
        }
        p += len + (p[len] == '\n');
    }
}

/* Writes DIR's manifest: the pages in slugs, and the old manifest's others (removed
 * first when remove). */
static int write_manifest(const char *dir, const char *sub, char **slugs, size_t n,
                          const char *old, bool remove, char *err)
{
    tool_sb b;
    tool_sb_init(&b);
    tool_sb_put(&b, SITE_MANIFEST_HEAD);
    for (size_t i = 0; i < n; i++) {
        tool_sb_put(&b, slugs[i]);
        tool_sb_put(&b, "\n");
    }
    old_pages(&b, old, slugs, n, sub, remove);
    size_t len = 0;
    char *text = tool_sb_take(&b, &len);
    if (!text) return tach__err(err, "out of memory");
    int rc = write_file(dir, SITE_MANIFEST, text, len, err);
    tach__free(text);
    return rc;
}

/* Whether path holds a page tach wrote: TOOL_HTML_GENERATOR in its head, where
 * tool_html_page_open puts it (every version's pages have it, also those of a site
 * written before .tach-site existed). */
static bool tach_page(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    char head[1024];
    size_t n = fread(head, 1, sizeof head - 1, f);
    fclose(f);
    head[n] = '\0';
    return strstr(head, TOOL_HTML_GENERATOR) != NULL;
}

/* A file this write would replace that tach did not write: -1 with err naming it. */
static int check_replace(const char *dir, const char *name, bool page, char *err)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    struct stat st;
    if (lstat(path, &st) != 0) return 0; /* not there: nothing to lose */
    if (S_ISDIR(st.st_mode))
        return tach__err(err, "%s is a directory, not a page tach wrote: nothing written "
                              "(choose another DIR)", path);
    char *manifest = page ? NULL : read_manifest(dir);
    bool ours = page ? tach_page(path) : manifest != NULL;
    tach__free(manifest);
    if (ours) return 0;
    return tach__err(err, "%s is not a %s tach wrote (%s): it would be replaced, so nothing is "
                          "written (move it, or choose another DIR)", path,
                     page ? "page" : "manifest",
                     page ? "no <meta name=\"generator\" content=\"tach\">"
                          : "its first line is not tach's");
}

/* Every file tool_site_write would write over is one tach wrote, checked before it
 * writes anything: a user's own index.html in DIR is never replaced. */
static int check_site(const char *dir, const char *sub, char **slugs, size_t n, char *err)
{
    struct stat st;
    if (stat(sub, &st) == 0 && !S_ISDIR(st.st_mode))
        return tach__err(err, "%s exists and is not a directory: nothing written", sub);
    if (check_replace(dir, "index.html", true, err) || check_replace(dir, "regressions.html", true, err))
        return -1;
    for (size_t i = 0; i < n; i++)
        if (check_replace(sub, slugs[i], true, err)) return -1;
    return check_replace(dir, SITE_MANIFEST, false, err);
}

int tool_site_write(const tool_site_in *in, const char *dir, char *err)
{
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/b", dir);
    char **slugs = tach__calloc(in->nbenches ? in->nbenches : 1, sizeof *slugs);
    if (!slugs) return tach__err(err, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < in->nbenches && !rc; i++)
        if (!(slugs[i] = tool_site_slug(in->benches[i].name))) rc = tach__err(err, "out of memory");
    if (!rc) rc = check_site(dir, sub, slugs, in->nbenches, err);
    if (!rc && (make_dirs(dir, err) || make_dir(sub, err))) rc = -1;
    /* The manifest lists every page before it is written (the old ones too, until they
     * are removed), so a regeneration stopped half-way leaves no page unlisted. */
    char *old = read_manifest(dir);
    if (!rc) rc = write_manifest(dir, sub, slugs, in->nbenches, old, false, err);
    for (size_t i = 0; i < in->nbenches && !rc; i++) {
        char *page = render_bench(in, &in->benches[i]);
        if (!page) rc = tach__err(err, "out of memory");
        else rc = write_file(sub, slugs[i], page, strlen(page), err);
        tach__free(page);
    }
    if (!rc) {
        char *page = render_regressions(in, slugs);
        rc = page ? write_file(dir, "regressions.html", page, strlen(page), err)
                  : tach__err(err, "out of memory");
        tach__free(page);
    }
    /* The index last: a site whose index exists is complete. */
    if (!rc) {
        char *page = render_index(in, slugs);
        rc = page ? write_file(dir, "index.html", page, strlen(page), err)
                  : tach__err(err, "out of memory");
        tach__free(page);
    }
    /* Then the pages of the benchmarks no longer shown go. */
    if (!rc) rc = write_manifest(dir, sub, slugs, in->nbenches, old, true, err);
    tach__free(old);
    for (size_t i = 0; i < in->nbenches; i++) tach__free(slugs[i]);
    tach__free(slugs);
    return rc;
}

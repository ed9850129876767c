/*
 * test_store.c - the history store (src/store/store.h) on either backend.
 *
 * By default every test runs against a fresh SQLite file in a temporary directory.  With
 * TACH_TEST_PG_URL set (tests/cli/store_pg.sh starts a throwaway PostgreSQL server and
 * does this), the backend-neutral tests run against that database instead, its tach_*
 * tables dropped before each test; the SQLite-only tests (file checks) then skip.
 */
#define _GNU_SOURCE /* nftw */
#include <fcntl.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "tach_internal.h"
#include "test.h"

static char tmpdir[256];
static int seq;

static const char *pg_url(void)
{
    const char *u = getenv("TACH_TEST_PG_URL");
    return u && *u ? u : NULL;
}

/* The SQLite-file tests have nothing to check on PostgreSQL: say so rather than pass. */
static bool skip_on_pg(const char *test)
{
    if (!pg_url()) return false;
    fprintf(stderr, "  %s: SQLite files only, skipped on PostgreSQL\n", test);
    return true;
}

static void pg_exec(const char *sql)
{
    PGconn *c = PQconnectdb(pg_url());
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "cannot connect to %s: %s", pg_url(), PQerrorMessage(c));
        exit(1);
    }
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
        exit(1);
    }
    PQclear(r);
    PQfinish(c);
}

static void pg_drop_all(void)
{
    pg_exec("SET client_min_messages = warning;"
            "DROP TABLE IF EXISTS tach_meta, tach_runs, tach_run_tags, tach_run_docs,"
            " tach_benchmarks, tach_names, tach_baselines");
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

/* At exit: tmpdir and every store in it (it was left in /tmp by each run). */
static void remove_tmpdir(void)
{
    if (tmpdir[0]) nftw(tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh store spec: a new SQLite path, or the PostgreSQL URL with its tables dropped. */
static const char *fresh_spec(void)
{
    static char path[512];
    if (pg_url()) {
        pg_drop_all();
        return pg_url();
    }
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/tach_test_store_XXXXXX");
        if (!mkdtemp(tmpdir)) abort();
        atexit(remove_tmpdir); /* the stores made here go with the test, passed or not */
    }
    snprintf(path, sizeof path, "%s/s%d/tach.db", tmpdir, ++seq);
    return path;
}

static void raw_sql(const char *spec, const char *sql)
{
    if (pg_url()) {
        pg_exec(sql);
        return;
    }
    sqlite3 *h = NULL;
    if (sqlite3_open(spec, &h) != SQLITE_OK) abort();
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", sql, msg);
        exit(1);
    }
    sqlite3_close(h);
}

/* Adds a result named name with the given samples (n may be 0: a failed result). */
static tach__result *add(tach__doc *d, const char *name, const double *x, size_t n)
{
    tach__result *r = tach__doc_add(d);
    r->name = tach__strdup(name);
    r->status = n ? TACH__OK : TACH__FAILED;
    if (!n) r->message = tach__strdup("exit code 3");
    r->nsamples = n;
    if (n) {
        r->sample_ns = tach__malloc(n * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(n * sizeof *r->sample_iters);
        for (size_t i = 0; i < n; i++) {
            r->sample_ns[i] = x[i];
            r->sample_iters[i] = 1;
        }
        char err[TACH__ERR_MAX];
        if (tach__result_finish(r, 42, err) != 0) abort();
    }
    return r;
}

/* A document with one benchmark "a" whose samples are level, level+1, level+2. */
static tach__doc *doc_level(double level)
{
    tach__doc *d = tach__doc_new();
    double x[3] = {level, level + 1, level + 2};
    add(d, "a", x, 3);
    return d;
}

static int64_t record(tool_store *s, tach__doc *d, const char *commit, const char *branch,
                      const char *machine)
{
    tool_run_meta m = {.commit = commit, .branch = branch, .dirty = 0, .machine = machine};
    int64_t id = 0;
    char err[TACH__ERR_MAX] = "";
    int rc = tool_store_record(s, d, &m, &id, err);
    if (rc != 0) {
        fprintf(stderr, "record: %s\n", err);
        abort();
    }
    tach__doc_free(d);
    return id;
}

static char *slurp(const char *path, size_t *len)
{
    char err[TACH__ERR_MAX];
    return tach__read_file(path, len, err);
}

#define SHA_A "aaaa1111bbbb2222cccc3333dddd4444eeee5555"
#define SHA_B "bbbb1111bbbb2222cccc3333dddd4444eeee5555"

TEST(record_and_read_back)
{
    char err[TACH__ERR_MAX] = "";
    const char *spec = fresh_spec();
    tool_store *s = tool_store_open(spec, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(TOOL_STORE_SCHEMA, tool_store_schema_version(s));
    tach__doc *d = tach__doc_new();
    double x[5] = {5, 1, 4, 2, 3};
    add(d, "grp/fast", x, 5);
    add(d, "grp/broken", NULL, 0);
    double one[1] = {7.5};
    add(d, "single", one, 1);
    /* A writer's local time with an offset is kept in UTC. */
    json_object_set_new(d->context, "date", json_string("2026-01-02T05:04:05.250+02:00"));
    tach__param tags[2] = {{"ci", "yes"}, {"job", "nightly"}};
    tool_run_meta m = {.commit = SHA_A, .branch = "main", .subject = "Speed up x", .dirty = 1,
                        .tags = tags, .ntags = 2, .machine = "fp1", .machine_desc = "box"};
    int64_t id = 0;
    ASSERT_EQ(0, tool_store_record(s, d, &m, &id, err));
    tach__doc_free(d);
    ASSERT_TRUE(id > 0);

    tool_run_info r;
    ASSERT_EQ(0, tool_store_run_get(s, id, &r, err));
    ASSERT_STREQ("2026-01-02T03:04:05Z", r.time);
    ASSERT_STREQ(SHA_A, r.commit);
    ASSERT_STREQ("main", r.branch);
    ASSERT_STREQ("Speed up x", r.subject);
    ASSERT_EQ(1, r.dirty);
    ASSERT_STREQ("fp1", r.machine);
    ASSERT_STREQ("box", r.machine_desc);
    ASSERT_STREQ(tach_version(), r.tach_version);
    ASSERT_EQ(3, r.nbenchmarks);
    ASSERT_EQ(1, r.nfailed);
    ASSERT_EQ(2, r.ntags);
    ASSERT_STREQ("ci", r.tags[0].name);
    ASSERT_STREQ("yes", r.tags[0].value);
    ASSERT_STREQ("job", r.tags[1].name);
    ASSERT_STREQ("nightly", r.tags[1].value);
    tool_run_info_clear(&r);

    /* The whole document comes back: names, statuses and raw samples. */
    tach__doc *back = NULL;
    ASSERT_EQ(0, tool_store_load(s, id, &back, err));
    ASSERT_EQ(3, back->nresults);
    ASSERT_STREQ("grp/fast", back->results[0].name);
    ASSERT_EQ(5, back->results[0].nsamples);
    for (size_t i = 0; i < 5; i++) ASSERT_TRUE(back->results[0].sample_ns[i] == x[i]);
    ASSERT_EQ(TACH__FAILED, back->results[1].status);
    ASSERT_STREQ("exit code 3", back->results[1].message);
    tach__doc_free(back);

    /* The exact text, as stored, is the document's JSON. */
    char *text = NULL;
    size_t len = 0;
    ASSERT_EQ(0, tool_store_load_json(s, id, &text, &len, err));
    ASSERT_EQ(strlen(text), len);
    json_t *j = json_loads(text, 0, NULL);
    ASSERT_TRUE(j);
    ASSERT_STREQ("tach-results", json_string_value(json_object_get(j, "format")));
    json_decref(j);
    tach__free(text);

    /* The per-benchmark rows: median of {1..5} is 3 exactly; CV = sd/mean =
     * sqrt(2.5)/3 (numpy: np.std([5,1,4,2,3], ddof=1)/np.mean(...) = 0.5270462766947299). */
    tool_bench_row *rows = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_run_benchmarks(s, id, &rows, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_STREQ("grp/fast", rows[0].name);
    ASSERT_EQ(TACH__OK, rows[0].status);
    ASSERT_NEAR(3.0, rows[0].median, 0);
    ASSERT_NEAR(3.0, rows[0].mean, 1e-12);
    ASSERT_NEAR(0.5270462766947299, rows[0].cv, 1e-12);
    ASSERT_EQ(5, rows[0].n);
    for (size_t i = 0; i < 5; i++) ASSERT_TRUE(rows[0].sample_ns[i] == x[i]);
    ASSERT_STREQ("grp/broken", rows[1].name);
    ASSERT_EQ(TACH__FAILED, rows[1].status);
    ASSERT_EQ(0, rows[1].n);
    ASSERT_TRUE(rows[1].sample_ns == NULL);
    ASSERT_NAN(rows[1].median);
    ASSERT_NEAR(7.5, rows[2].median, 0);
    ASSERT_NAN(rows[2].cv); /* one sample: undefined, stored as NULL */
    tool_bench_rows_free(rows, n);
    tool_store_close(s);

    /* Reopened, the run is still there. */
    s = tool_store_open(spec, 0, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(0, tool_store_run_get(s, id, &r, err));
    ASSERT_EQ(3, r.nbenchmarks);
    tool_run_info_clear(&r);
    tool_store_close(s);
}

TEST(runs_newest_first_and_filters)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    int64_t id[5];
    id[0] = record(s, doc_level(10), SHA_A, "main", "m1");
    id[1] = record(s, doc_level(11), SHA_A, "dev", "m2");
    id[2] = record(s, doc_level(12), SHA_B, "main", "m1");
    id[3] = record(s, doc_level(13), SHA_B, "dev", "m1");
    tach__param tag = {"job", "nightly"};
    tool_run_meta m = {.commit = NULL, .branch = "main", .dirty = -1, .tags = &tag, .ntags = 1,
                        .machine = "m2"};
    tach__doc *d = doc_level(14);
    ASSERT_EQ(0, tool_store_record(s, d, &m, &id[4], err));
    tach__doc_free(d);
    for (int i = 1; i < 5; i++) ASSERT_TRUE(id[i] > id[i - 1]);

    tool_run_info *runs = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_runs(s, NULL, &runs, &n, err));
    ASSERT_EQ(5, n);
    for (int i = 0; i < 5; i++) ASSERT_EQ(id[4 - i], runs[i].id);
    ASSERT_EQ(-1, runs[0].dirty);
    ASSERT_TRUE(runs[0].commit == NULL);
    ASSERT_EQ(1, runs[0].ntags);
    ASSERT_EQ(0, runs[1].ntags);
    tool_run_infos_free(runs, n);

    tool_run_filter f = {.branch = "main"};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_EQ(id[4], runs[0].id);
    ASSERT_EQ(id[2], runs[1].id);
    ASSERT_EQ(id[0], runs[2].id);
    tool_run_infos_free(runs, n);

    f = (tool_run_filter){.machine = "m1", .last = 2};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_EQ(id[3], runs[0].id);
    ASSERT_EQ(id[2], runs[1].id);
    tool_run_infos_free(runs, n);

    f = (tool_run_filter){.commit = "AAAA11"}; /* a prefix, any case */
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(2, n);
    tool_run_infos_free(runs, n);

    f = (tool_run_filter){.tag = "job=nightly"};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(id[4], runs[0].id);
    tool_run_infos_free(runs, n);
    f = (tool_run_filter){.tag = "job=weekly"};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(0, n);
    tool_run_infos_free(runs, n);

    f = (tool_run_filter){.after_id = id[1], .before_id = id[4]};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_EQ(id[3], runs[0].id);
    tool_run_infos_free(runs, n);

    f = (tool_run_filter){.commit = "zz"};
    ASSERT_EQ(-1, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_TRUE(strstr(err, "'zz'") != NULL);

    int64_t latest = 0;
    ASSERT_EQ(0, tool_store_latest(s, NULL, &latest, err));
    ASSERT_EQ(id[4], latest);
    ASSERT_EQ(0, tool_store_latest_on_commit(s, SHA_A, NULL, &latest, err));
    ASSERT_EQ(id[1], latest);
    ASSERT_EQ(0, tool_store_latest_on_commit(s, "bbbb1111", "m1", &latest, err));
    ASSERT_EQ(id[3], latest);
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_latest_on_commit(s, "cafe", NULL, &latest, err));
    ASSERT_TRUE(strstr(err, "cafe") != NULL);
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_latest_on_commit(s, "main", NULL, &latest, err));
    tool_store_close(s);
}

/* A --tag filter matches the whole key: two keys of 130 bytes that differ only in their
 * last byte are two tags (a filter cut at 127 bytes matched both, and a key never
 * recorded). */
TEST(tag_filter_matches_long_keys_whole)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    char base[131], kx[140], ky[140], kz[140], kx_v[150];
    memset(base, 'k', 129);
    base[129] = '\0';
    snprintf(kx, sizeof kx, "%sX", base);
    snprintf(ky, sizeof ky, "%sY", base);
    snprintf(kz, sizeof kz, "%sZ", base);
    snprintf(kx_v, sizeof kx_v, "%s=1", kx);
    int64_t id[2];
    const char *keys[2] = {kx, ky};
    for (int i = 0; i < 2; i++) {
        tach__param tag = {(char *)keys[i], "1"};
        tool_run_meta m = {.branch = "main", .dirty = -1, .tags = &tag, .ntags = 1};
        tach__doc *d = doc_level(10 + i);
        ASSERT_EQ(0, tool_store_record(s, d, &m, &id[i], err));
        tach__doc_free(d);
    }
    tool_run_info *runs = NULL;
    size_t n = 0;
    tool_run_filter f = {.tag = ky};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(id[1], runs[0].id);
    tool_run_infos_free(runs, n);
    f = (tool_run_filter){.tag = kx_v};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(id[0], runs[0].id);
    tool_run_infos_free(runs, n);
    f = (tool_run_filter){.tag = kz};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(0, n);
    tool_run_infos_free(runs, n);
    f = (tool_run_filter){.tag = base};
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(0, n);
    tool_run_infos_free(runs, n);
    tool_history_point *p = NULL;
    f = (tool_run_filter){.tag = ky};
    ASSERT_EQ(0, tool_store_history(s, "a", &f, &p, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(id[1], p[0].run_id);
    tool_history_free(p, n);
    tool_store_close(s);
}

TEST(latest_of_empty_store_is_not_found)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    int64_t id = 0;
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_latest(s, NULL, &id, err));
    tool_run_info *runs = NULL;
    size_t n = 9;
    ASSERT_EQ(0, tool_store_runs(s, NULL, &runs, &n, err));
    ASSERT_EQ(0, n);
    tool_store_close(s);
}

TEST(unknown_run_ids)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    record(s, doc_level(1), NULL, NULL, NULL);
    tool_run_info r;
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_run_get(s, 999, &r, err));
    ASSERT_TRUE(strstr(err, "no run 999") != NULL);
    tach__doc *d = NULL;
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_load(s, 999, &d, err));
    ASSERT_TRUE(d == NULL);
    char *text = NULL;
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_load_json(s, 999, &text, NULL, err));
    tool_bench_row *rows = NULL;
    size_t n = 0;
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_run_benchmarks(s, 999, &rows, &n, err));
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_run_get(s, -4, &r, err));
    tool_store_close(s);
}

/* A damaged row (not a page) met while choosing the default pair: the message says what
 * was found.  It once said "a page of store X is damaged" for any damage. */
TEST(default_pair_names_the_damaged_row)
{
    const char *spec = fresh_spec();
    char path[600];
    snprintf(path, sizeof path, "%s", spec);
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(path, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    record(s, doc_level(1), NULL, NULL, NULL);
    record(s, doc_level(2), NULL, NULL, NULL);
    tool_store_close(s);
    raw_sql(path, "UPDATE tach_benchmarks SET n = -1 WHERE run_id = 1");
    s = tool_store_open(path, 0, err);
    ASSERT_TRUE(s);
    tool_default_pair p;
    ASSERT_EQ(-1, tool_store_default_pair(s, &p, err));
    ASSERT_TRUE(tool_store_is_corrupt(s));
    ASSERT_TRUE(strstr(err, "is damaged: benchmark 'a' of run 1 has a bad count of samples") != NULL);
    ASSERT_TRUE(strstr(err, "a page") == NULL);
    tool_store_close(s);
}

/* The default pair's base is the newest earlier run of the latest run's suite however
 * far back: it once looked through the 200 runs before it only, and a suite last run
 * 201 runs of another suite ago had no baseline. */
TEST(default_pair_finds_a_suite_past_200_runs_of_another)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    int64_t first = record(s, doc_level(1), NULL, NULL, "m");
    for (int i = 0; i < 201; i++) {
        tach__doc *d = tach__doc_new();
        double x[3] = {1, 2, 3};
        add(d, "other", x, 3);
        record(s, d, NULL, NULL, "m");
    }
    int64_t last = record(s, doc_level(2), NULL, NULL, "m");
    tool_default_pair p;
    ASSERT_EQ(0, tool_store_default_pair(s, &p, err));
    ASSERT_EQ(last, p.run);
    ASSERT_EQ(first, p.base);
    tool_store_close(s);
}

TEST(history_oldest_first_from_benchmark_table)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    int64_t id1 = record(s, doc_level(10), SHA_A, "main", "m1");
    tach__doc *d = tach__doc_new(); /* a run without "a" */
    double x[2] = {1, 2};
    add(d, "b", x, 2);
    record(s, d, SHA_A, "main", "m1");
    int64_t id3 = record(s, doc_level(20), SHA_B, "dev", "m2");
    int64_t id4 = record(s, doc_level(30), SHA_B, "main", "m1");

    tool_history_point *p = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_history(s, "a", NULL, &p, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_EQ(id1, p[0].run_id);
    ASSERT_EQ(id3, p[1].run_id);
    ASSERT_EQ(id4, p[2].run_id);
    /* median of {L, L+1, L+2} is L+1; mean too. */
    ASSERT_NEAR(11, p[0].median, 0);
    ASSERT_NEAR(21, p[1].median, 0);
    ASSERT_NEAR(31, p[2].median, 0);
    ASSERT_NEAR(31, p[2].mean, 1e-12);
    ASSERT_TRUE(p[2].median_lo <= 31 && p[2].median_hi >= 31);
    ASSERT_EQ(3, p[0].n);
    ASSERT_STREQ(SHA_B, p[1].commit);
    ASSERT_STREQ("dev", p[1].branch);
    ASSERT_STREQ("m2", p[1].machine);
    ASSERT_EQ(TACH__OK, p[0].status);
    tool_history_free(p, n);

    tool_run_filter f = {.last = 2};
    ASSERT_EQ(0, tool_store_history(s, "a", &f, &p, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_EQ(id3, p[0].run_id);
    ASSERT_EQ(id4, p[1].run_id);
    tool_history_free(p, n);

    f = (tool_run_filter){.machine = "m1"};
    ASSERT_EQ(0, tool_store_history(s, "a", &f, &p, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_EQ(id1, p[0].run_id);
    ASSERT_EQ(id4, p[1].run_id);
    tool_history_free(p, n);

    ASSERT_EQ(0, tool_store_history(s, "no such benchmark", NULL, &p, &n, err));
    ASSERT_EQ(0, n);
    tool_history_free(p, n);
    tool_store_close(s);
}

/* A result recorded without a summary (its samples only) gets the order-statistic CI of
 * its median: none below 6 samples at 95%, stored as NULL and read back as NaN beside a
 * median and a mean that are there; from 6 samples on, an interval around the median. */
TEST(history_reads_back_no_ci_below_six_samples)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    const size_t sizes[3] = {3, 5, 6};
    int64_t id[3];
    for (int k = 0; k < 3; k++) {
        tach__doc *d = tach__doc_new();
        tach__result *r = tach__doc_add(d);
        r->name = tach__strdup("few");
        r->status = TACH__OK;
        r->nsamples = sizes[k];
        r->sample_ns = tach__malloc(sizes[k] * sizeof *r->sample_ns);
        r->sample_iters = tach__malloc(sizes[k] * sizeof *r->sample_iters);
        for (size_t i = 0; i < sizes[k]; i++) {
            r->sample_ns[i] = 100 + (double)i;
            r->sample_iters[i] = 1;
        }
        ASSERT_TRUE(!r->has_summary);
        id[k] = record(s, d, SHA_A, "main", "m1");
    }
    tool_history_point *p = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_history(s, "few", NULL, &p, &n, err));
    ASSERT_EQ(3, n);
    for (int k = 0; k < 2; k++) {
        ASSERT_EQ(id[k], p[k].run_id);
        ASSERT_EQ((int64_t)sizes[k], (int64_t)p[k].n);
        ASSERT_NEAR(100 + ((double)sizes[k] - 1) / 2, p[k].median, 1e-9);
        ASSERT_NEAR(100 + ((double)sizes[k] - 1) / 2, p[k].mean, 1e-9);
        ASSERT_NAN(p[k].median_lo);
        ASSERT_NAN(p[k].median_hi);
    }
    /* 6 samples: ranks 1 and 6, the whole range, which covers 1 - 2^-5 > 95% */
    ASSERT_EQ(6, (int64_t)p[2].n);
    ASSERT_NEAR(102.5, p[2].median, 1e-9);
    ASSERT_NEAR(100, p[2].median_lo, 0);
    ASSERT_NEAR(105, p[2].median_hi, 0);
    tool_history_free(p, n);

    /* the run's rows and its document say the same: the samples are all there */
    tool_bench_row *rows = NULL;
    ASSERT_EQ(0, tool_store_run_benchmarks(s, id[0], &rows, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_NEAR(101, rows[0].median, 1e-9);
    ASSERT_EQ(3, rows[0].n);
    tool_bench_rows_free(rows, n);
    tach__doc *back = NULL;
    ASSERT_EQ(0, tool_store_load(s, id[0], &back, err));
    ASSERT_EQ(3, back->results[0].nsamples);
    tach__doc_free(back);
    tool_store_close(s);
}

TEST(benchmark_names_sorted_distinct)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    double x[2] = {1, 2};
    tach__doc *d = tach__doc_new();
    add(d, "zeta", x, 2);
    add(d, "Alpha", x, 2);
    record(s, d, NULL, "main", "m1");
    d = tach__doc_new();
    add(d, "zeta", x, 2);
    add(d, "beta", x, 2);
    record(s, d, NULL, "dev", "m1");
    char **names = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_benchmark_names(s, NULL, &names, &n, err));
    ASSERT_EQ(3, n);
    ASSERT_STREQ("Alpha", names[0]); /* byte order */
    ASSERT_STREQ("beta", names[1]);
    ASSERT_STREQ("zeta", names[2]);
    tool_names_free(names, n);
    tool_run_filter f = {.branch = "dev"};
    ASSERT_EQ(0, tool_store_benchmark_names(s, &f, &names, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_STREQ("beta", names[0]);
    ASSERT_STREQ("zeta", names[1]);
    tool_names_free(names, n);
    tool_store_close(s);
}

static void refuses_name(const char *name, const char *want_err)
{
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(-1, tool_store_baseline_check_name(name, err));
    ASSERT_STREQ(want_err, err);
}

/* A refused name is shown cut to 60 bytes at a character, with "...", its controls and
 * bytes that are not UTF-8 as terminal-safe text makes them (a space, a '?'). */
TEST(a_refused_baseline_name_is_shown_cut_at_a_character)
{
    char name[160], want[256];
    const char *tail = ": use ASCII letters, digits and . _ - / + @";
    /* 59 'a' and a 2-byte 'é' across byte 60: the 'é' goes whole */
    snprintf(name, sizeof name, "%s\xc3\xa9%s", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
             "bbbbbbbbbb");
    snprintf(want, sizeof want, "baseline name '%.59s...' has a '\xc3\xa9'%s", name, tail);
    refuses_name(name, want);
    /* 59 'a' and bytes that are not UTF-8: the 59th 'a' is kept, the byte at 60 is '?' */
    snprintf(name, sizeof name, "%s\x80\x80\x80\x80\x80\x80", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(want, sizeof want, "baseline name '%.59s?...' has the byte 0x80, which is not UTF-8%s", name,
             tail);
    refuses_name(name, want);
    /* 61 bytes fit the 63 shown: whole, no "..." */
    snprintf(name, sizeof name, "%s\x1b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    snprintf(want, sizeof want, "baseline name '%.60s ' has the control character U+001B%s", name, tail);
    refuses_name(name, want);
}

TEST(baselines)
{
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(fresh_spec(), TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    int64_t a = record(s, doc_level(1), NULL, NULL, NULL);
    int64_t b = record(s, doc_level(2), NULL, NULL, NULL);
    ASSERT_EQ(0, tool_store_baseline_save(s, "main", a, err));
    ASSERT_EQ(0, tool_store_baseline_save(s, "release-1.0", b, err));
    int64_t got = 0;
    ASSERT_EQ(0, tool_store_baseline_get(s, "main", &got, err));
    ASSERT_EQ(a, got);
    ASSERT_EQ(0, tool_store_baseline_save(s, "main", b, err)); /* moves it */
    ASSERT_EQ(0, tool_store_baseline_get(s, "main", &got, err));
    ASSERT_EQ(b, got);
    tool_baseline *bl = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_baseline_list(s, &bl, &n, err));
    ASSERT_EQ(2, n);
    ASSERT_STREQ("main", bl[0].name);
    ASSERT_STREQ("release-1.0", bl[1].name);
    ASSERT_EQ(b, bl[1].run_id);
    ASSERT_TRUE(bl[0].time && strlen(bl[0].time) == 20);
    tool_baselines_free(bl, n);

    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_baseline_save(s, "x", 12345, err));
    ASSERT_TRUE(strstr(err, "12345") != NULL);
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_baseline_get(s, "x", &got, err));
    ASSERT_TRUE(strstr(err, "no baseline 'x'") != NULL);
    ASSERT_EQ(-1, tool_store_baseline_save(s, "123", a, err));
    ASSERT_EQ(-1, tool_store_baseline_save(s, "has space", a, err));
    ASSERT_EQ(-1, tool_store_baseline_save(s, "", a, err));

    ASSERT_EQ(0, tool_store_baseline_rm(s, "main", err));
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_baseline_rm(s, "main", err));
    ASSERT_EQ(TOOL_STORE_NOT_FOUND, tool_store_baseline_get(s, "main", &got, err));
    ASSERT_EQ(0, tool_store_baseline_list(s, &bl, &n, err));
    ASSERT_EQ(1, n);
    tool_baselines_free(bl, n);
    tool_store_close(s);
}

/* Schema version 1 exactly as tach 0.1.0-dev first wrote it (kept here, independent of
 * store.c, so the migration is tested against the old layout, not against itself). */
static const char *v1_schema(void)
{
    return pg_url()
               ? "CREATE TABLE tach_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "CREATE TABLE tach_runs (id BIGSERIAL PRIMARY KEY, time TEXT NOT NULL,"
                 " commit_sha TEXT, branch TEXT, dirty BIGINT, subject TEXT, machine TEXT,"
                 " machine_desc TEXT, tach_version TEXT, nbenchmarks BIGINT NOT NULL,"
                 " nfailed BIGINT NOT NULL);"
                 "CREATE TABLE tach_run_docs (run_id BIGINT PRIMARY KEY, doc TEXT NOT NULL);"
                 "CREATE TABLE tach_benchmarks (run_id BIGINT NOT NULL, pos BIGINT NOT NULL,"
                 " name TEXT NOT NULL, status TEXT NOT NULL, median DOUBLE PRECISION,"
                 " median_lo DOUBLE PRECISION, median_hi DOUBLE PRECISION, mean DOUBLE PRECISION,"
                 " n BIGINT NOT NULL, samples BYTEA, PRIMARY KEY (run_id, pos));"
                 "CREATE TABLE tach_baselines (name TEXT PRIMARY KEY, run_id BIGINT NOT NULL,"
                 " time TEXT NOT NULL);"
                 "INSERT INTO tach_meta VALUES ('schema_version', '1');"
                 "INSERT INTO tach_runs (time, nbenchmarks, nfailed) VALUES"
                 " ('2025-12-01T00:00:00Z', 1, 0);"
                 "INSERT INTO tach_run_docs VALUES (1, '{\"format\":\"tach-results\","
                 "\"version\":1,\"context\":{},\"benchmarks\":[]}');"
                 /* samples 1, 2, 3, 4 as little-endian doubles */
                 "INSERT INTO tach_benchmarks VALUES (1, 0, 'old/bench', 'ok', 2.5, 1, 4, 2.5, 4,"
                 " '\\x000000000000f03f0000000000000040000000000000084000000000000010"
                 "40'::bytea);"
                 "INSERT INTO tach_baselines VALUES ('main', 1, '2025-12-01T00:00:00Z');"
               : "CREATE TABLE tach_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                 "CREATE TABLE tach_runs (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,"
                 " commit_sha TEXT, branch TEXT, dirty INTEGER, subject TEXT, machine TEXT,"
                 " machine_desc TEXT, tach_version TEXT, nbenchmarks INTEGER NOT NULL,"
                 " nfailed INTEGER NOT NULL);"
                 "CREATE TABLE tach_run_docs (run_id INTEGER PRIMARY KEY, doc TEXT NOT NULL);"
                 "CREATE TABLE tach_benchmarks (run_id INTEGER NOT NULL, pos INTEGER NOT NULL,"
                 " name TEXT NOT NULL, status TEXT NOT NULL, median REAL, median_lo REAL,"
                 " median_hi REAL, mean REAL, n INTEGER NOT NULL, samples BLOB,"
                 " PRIMARY KEY (run_id, pos));"
                 "CREATE TABLE tach_baselines (name TEXT PRIMARY KEY, run_id INTEGER NOT NULL,"
                 " time TEXT NOT NULL);"
                 "INSERT INTO tach_meta VALUES ('schema_version', '1');"
                 "INSERT INTO tach_runs (time, nbenchmarks, nfailed) VALUES"
                 " ('2025-12-01T00:00:00Z', 1, 0);"
                 "INSERT INTO tach_run_docs VALUES (1, '{\"format\":\"tach-results\","
                 "\"version\":1,\"context\":{},\"benchmarks\":[]}');"
                 "INSERT INTO tach_benchmarks VALUES (1, 0, 'old/bench', 'ok', 2.5, 1, 4, 2.5, 4,"
                 " x'000000000000f03f000000000000004000000000000008400000000000001040');"
                 "INSERT INTO tach_baselines VALUES ('main', 1, '2025-12-01T00:00:00Z');";
}

TEST(migrates_a_version_1_store)
{
    const char *spec = fresh_spec();
    if (!pg_url()) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s", spec);
        *strrchr(dir, '/') = '\0';
        mkdir(dir, 0777);
    }
    raw_sql(spec, v1_schema());
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(spec, 0, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(TOOL_STORE_SCHEMA, tool_store_schema_version(s));
    /* The old run is intact and readable through the new schema. */
    tool_history_point *p = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_history(s, "old/bench", NULL, &p, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_NEAR(2.5, p[0].median, 0);
    tool_history_free(p, n);
    char **names = NULL;
    ASSERT_EQ(0, tool_store_benchmark_names(s, NULL, &names, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_STREQ("old/bench", names[0]);
    tool_names_free(names, n);
    /* cv filled in from the stored samples 1,2,3,4:
     * numpy: np.std([1,2,3,4], ddof=1) / np.mean([1,2,3,4]) = 0.5163977794943222 */
    tool_bench_row *rows = NULL;
    ASSERT_EQ(0, tool_store_run_benchmarks(s, 1, &rows, &n, err));
    ASSERT_EQ(1, n);
    ASSERT_EQ(4, rows[0].n);
    ASSERT_NEAR(4.0, rows[0].sample_ns[3], 0);
    ASSERT_NEAR(0.5163977794943222, rows[0].cv, 1e-12);
    tool_bench_rows_free(rows, n);
    int64_t got = 0;
    ASSERT_EQ(0, tool_store_baseline_get(s, "main", &got, err));
    ASSERT_EQ(1, got);
    /* New runs (with tags, a v2 feature) go in after the old one. */
    int64_t id = record(s, doc_level(5), NULL, NULL, NULL);
    ASSERT_TRUE(id > 1);
    tool_store_close(s);
    /* Opening again does not migrate twice. */
    s = tool_store_open(spec, 0, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(TOOL_STORE_SCHEMA, tool_store_schema_version(s));
    tool_store_close(s);
}

/* A document as `tach record` reads another tool's file: context.tool "import:<tool>",
 * without the machine facts (hyperfine's: none). */
static tach__doc *doc_imported(const char *tool, double level)
{
    tach__doc *d = doc_level(level);
    json_object_set_new(d->context, "tool", json_string(tool));
    json_object_set_new(d->context, "source", json_string("results.json"));
    return d;
}

/* A doc of tach's own: every machine fact the fingerprint hashes. */
static tach__doc *doc_own(double level)
{
    tach__doc *d = doc_level(level);
    json_object_set_new(d->context, "tool", json_string("tach run"));
    json_object_set_new(d->context, "cpu_model", json_string("Test CPU"));
    json_object_set_new(d->context, "cpus", json_integer(2));
    json_object_set_new(d->context, "memory_kib", json_integer(4000000));
    json_object_set_new(d->context, "kernel", json_string("6.1.0"));
    json_object_set_new(d->context, "governor", json_null());
    return d;
}

static char *machine_of(tool_store *s, int64_t id)
{
    tool_run_info r;
    char err[TACH__ERR_MAX] = "";
    ASSERT_EQ(0, tool_store_run_get(s, id, &r, err));
    char *m = r.machine;
    r.machine = NULL;
    tool_run_info_clear(&r);
    return m;
}

/* Version 2 stores kept a fingerprint for runs of other tools' files (their missing facts
 * hashed as null: one "machine" for every hyperfine file); opening one for writing clears
 * those, and only those. */
TEST(migration_v3_clears_imported_runs_machines)
{
    const char *spec = fresh_spec();
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(spec, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    /* new records: no machine for an import, a fingerprint for tach's own */
    int64_t own = record(s, doc_own(10), NULL, NULL, NULL);
    int64_t hf = record(s, doc_imported("import:hyperfine", 11), NULL, NULL, NULL);
    char *fp = machine_of(s, own), *none = machine_of(s, hf);
    ASSERT_TRUE(fp != NULL);
    ASSERT_TRUE(none == NULL);
    /* as tach before schema 3 wrote them: a fingerprint for every import */
    int64_t gb = record(s, doc_imported("import:gbench", 12), NULL, NULL, "00d0c0ffee00d0c0");
    int64_t hl = record(s, doc_imported("import:hlog", 13), NULL, NULL, "00d0c0ffee00d0c0");
    int64_t mine = record(s, doc_own(14), NULL, NULL, fp);
    int64_t bare = record(s, doc_level(15), NULL, NULL, "1111222233334444"); /* no tool: kept */
    tool_store_close(s);
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE tach_runs SET machine = '%s' WHERE id = %lld;"
             "UPDATE tach_meta SET value = '2' WHERE key = 'schema_version'", fp, (long long)hf);
    raw_sql(spec, sql);

    s = tool_store_open(spec, 0, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(3, tool_store_schema_version(s));
    const int64_t cleared[] = {hf, gb, hl};
    for (size_t i = 0; i < 3; i++) {
        char *m = machine_of(s, cleared[i]);
        ASSERT_TRUE(m == NULL);
    }
    char *m = machine_of(s, own);
    ASSERT_STREQ(fp, m);
    tach__free(m);
    m = machine_of(s, mine);
    ASSERT_STREQ(fp, m);
    tach__free(m);
    m = machine_of(s, bare);
    ASSERT_STREQ("1111222233334444", m);
    tach__free(m);
    /* a machine filter finds tach's own runs only */
    tool_run_filter f = {.machine = fp};
    tool_run_info *runs = NULL;
    size_t n = 0;
    ASSERT_EQ(0, tool_store_runs(s, &f, &runs, &n, err));
    ASSERT_EQ(2, n);
    tool_run_infos_free(runs, n);
    tool_store_close(s);
    tach__free(fp);
}

TEST(newer_store_refused_unchanged)
{
    const char *spec = fresh_spec();
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(spec, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    tool_store_close(s);
    raw_sql(spec, "UPDATE tach_meta SET value = '99' WHERE key = 'schema_version'");
    size_t len0 = 0, len1 = 0;
    char *before = pg_url() ? NULL : slurp(spec, &len0);
    tool_store_fault fault = TOOL_STORE_FAULT_NONE;
    s = tool_store_open_ex(spec, TOOL_STORE_CREATE, &fault, err);
    ASSERT_TRUE(s == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_NEWER, fault);
    ASSERT_TRUE(strstr(err, "newer tach") != NULL);
    ASSERT_TRUE(strstr(err, "99") != NULL);
    if (!pg_url()) {
        char *after = slurp(spec, &len1);
        ASSERT_EQ(len0, len1);
        ASSERT_TRUE(memcmp(before, after, len0) == 0);
        tach__free(before);
        tach__free(after);
    }
}

/* A store whose tables were altered by hand is refused as damaged (bad input), not as a
 * store that could not be opened. */
TEST(altered_tables_refused_as_damage)
{
    const char *spec = fresh_spec();
    char err[TACH__ERR_MAX] = "";
    tool_store_fault fault = TOOL_STORE_FAULT_ACCESS;
    tool_store *s = tool_store_open_ex(spec, TOOL_STORE_CREATE, &fault, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(TOOL_STORE_FAULT_NONE, fault);
    tool_store_close(s);
    raw_sql(spec, "DROP TABLE tach_names");
    s = tool_store_open_ex(spec, TOOL_STORE_CREATE | TOOL_STORE_CHECK, &fault, err);
    ASSERT_TRUE(s == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_DAMAGED, fault);
    ASSERT_TRUE(strstr(err, "its tables are not as tach makes them") != NULL);
}

/* ---- SQLite files only ----------------------------------------------------------------- */

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n) abort();
    fclose(f);
}

/* Opening path (with CREATE) fails with a message holding `want`, and the file is
 * byte for byte what it was. */
static void assert_refused_unchanged(const char *path, const char *want)
{
    size_t len0 = 0, len1 = 0;
    char *before = slurp(path, &len0);
    ASSERT_TRUE(before);
    char err[TACH__ERR_MAX] = "";
    tool_store_fault fault = TOOL_STORE_FAULT_NONE;
    tool_store *s = tool_store_open_ex(path, TOOL_STORE_CREATE | TOOL_STORE_CHECK, &fault, err);
    ASSERT_TRUE(s == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_DAMAGED, fault); /* what it holds, not a failure to open it */
    if (!strstr(err, want)) TEST__FAIL("message \"%s\" lacks \"%s\"", err, want);
    char *after = slurp(path, &len1);
    ASSERT_EQ(len0, len1);
    ASSERT_TRUE(memcmp(before, after, len0) == 0);
    tach__free(before);
    tach__free(after);
}

TEST(sqlite_foreign_database_refused_unchanged)
{
    if (skip_on_pg("sqlite_foreign_database_refused_unchanged")) return;
    const char *spec = fresh_spec();
    char dir[600];
    snprintf(dir, sizeof dir, "%s", spec);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0777);
    raw_sql(spec, "PRAGMA journal_mode = DELETE; CREATE TABLE users (id INTEGER, name TEXT);"
                  "INSERT INTO users VALUES (1, 'ann');");
    assert_refused_unchanged(spec, "not a tach store");
}

TEST(sqlite_garbage_and_truncated_refused_unchanged)
{
    if (skip_on_pg("sqlite_garbage_and_truncated_refused_unchanged")) return;
    char path[700];
    const char *spec = fresh_spec();
    char dir[600];
    snprintf(dir, sizeof dir, "%s", spec);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0777);

    snprintf(path, sizeof path, "%s/garbage.db", dir);
    write_file(path, "this is not a database at all, just some text\n", 47);
    assert_refused_unchanged(path, "not a tach store");

    snprintf(path, sizeof path, "%s/short.db", dir);
    write_file(path, "SQLite format 3\0\x10\x00", 18);
    assert_refused_unchanged(path, "truncated");

    /* A real store cut in half. */
    char err[TACH__ERR_MAX] = "";
    tool_store *s = tool_store_open(spec, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    for (int i = 0; i < 20; i++) record(s, doc_level(i), NULL, NULL, NULL);
    tool_store_close(s);
    size_t len = 0;
    char *whole = slurp(spec, &len);
    ASSERT_TRUE(len >= 4 * 4096);
    snprintf(path, sizeof path, "%s/half.db", dir);
    write_file(path, whole, len / 2);
    assert_refused_unchanged(path, "truncated");
    snprintf(path, sizeof path, "%s/lesspage.db", dir);
    write_file(path, whole, len - 4096);
    assert_refused_unchanged(path, "truncated");

    /* A damaged header. */
    whole[21] = 0;
    snprintf(path, sizeof path, "%s/badheader.db", dir);
    write_file(path, whole, len);
    assert_refused_unchanged(path, "corrupt");
    tach__free(whole);
}

TEST(sqlite_missing_and_empty_files)
{
    if (skip_on_pg("sqlite_missing_and_empty_files")) return;
    const char *spec = fresh_spec();
    char err[TACH__ERR_MAX] = "";
    tool_store_fault fault = TOOL_STORE_FAULT_NONE;
    tool_store *s = tool_store_open_ex(spec, 0, &fault, err);
    ASSERT_TRUE(s == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_ACCESS, fault);
    ASSERT_TRUE(strstr(err, "no store at") != NULL);
    struct stat sb;
    ASSERT_TRUE(stat(spec, &sb) != 0); /* nothing created */
    /* An empty file becomes a store only when asked to create one. */
    char dir[600];
    snprintf(dir, sizeof dir, "%s", spec);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0777);
    write_file(spec, "", 0);
    s = tool_store_open(spec, 0, err);
    ASSERT_TRUE(s == NULL);
    s = tool_store_open(spec, TOOL_STORE_CREATE, err);
    ASSERT_TRUE(s);
    tool_store_close(s);
    /* A directory in the store's place is a path that names no store: refused for what
     * is there, as a file that is not a store is, not a store that could not be opened. */
    char sub[700];
    snprintf(sub, sizeof sub, "%s/dir.db", dir);
    mkdir(sub, 0777);
    ASSERT_TRUE(tool_store_open_ex(sub, TOOL_STORE_CREATE | TOOL_STORE_CHECK, &fault, err) == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_DAMAGED, fault);
    ASSERT_TRUE(strstr(err, "not a regular file") != NULL);
    s = tool_store_open(spec, TOOL_STORE_READONLY, err);
    ASSERT_TRUE(s);
    ASSERT_EQ(TOOL_STORE_SQLITE, tool_store_kind_of(s));
    tool_store_close(s);
}

TEST(default_path_discovery)
{
    if (skip_on_pg("default_path_discovery")) return;
    const char *spec = fresh_spec();
    char root[600], deep[700], want[700];
    snprintf(root, sizeof root, "%s", spec);
    *strrchr(root, '/') = '\0';
    mkdir(root, 0777);
    snprintf(deep, sizeof deep, "%s/.tach", root);
    mkdir(deep, 0777);
    snprintf(deep, sizeof deep, "%s/a", root);
    mkdir(deep, 0777);
    snprintf(deep, sizeof deep, "%s/a/b", root);
    mkdir(deep, 0777);
    char err[TACH__ERR_MAX] = "";
    char *p = tool_store_default_path(deep, err);
    snprintf(want, sizeof want, "%s/.tach/tach.db", root);
    ASSERT_STREQ(want, p);
    tach__free(p);
    /* No .tach/ above /tmp/tach_test_store_*: the start directory's own .tach. */
    snprintf(deep, sizeof deep, "%s/a/b/", root);
    rmdir(strcat(strcpy(want, root), "/.tach"));
    p = tool_store_default_path(deep, err);
    snprintf(want, sizeof want, "%s/a/b//.tach/tach.db", root);
    ASSERT_TRUE(p && strstr(p, "/a/b") && strstr(p, "/.tach/tach.db"));
    tach__free(p);
    ASSERT_TRUE(tool_store_spec_is_postgres("postgresql://u@h:5/db"));
    ASSERT_TRUE(tool_store_spec_is_postgres("postgres://h/db"));
    ASSERT_TRUE(!tool_store_spec_is_postgres("./postgres.db"));
}

TEST(unreachable_postgres_hides_the_password)
{
    char err[TACH__ERR_MAX] = "";
    tool_store_fault fault = TOOL_STORE_FAULT_NONE;
    tool_store *s = tool_store_open_ex(
        "postgresql://tach:s3cret@127.0.0.1:1/none?connect_timeout=2", 0, &fault, err);
    ASSERT_TRUE(s == NULL);
    ASSERT_EQ(TOOL_STORE_FAULT_ACCESS, fault);
    ASSERT_TRUE(strstr(err, "cannot connect to the PostgreSQL store") != NULL);
    ASSERT_TRUE(strstr(err, "s3cret") == NULL);
}

/* A URL libpq cannot parse: its message quotes what it refused, the password among it
 * (a bad %-escape in it) or the whole URL; each is hidden, and the store is named. */
TEST(malformed_postgres_url_hides_the_password)
{
    static const char *const urls[] = {
        "postgresql://tach:s3cr%zzet@127.0.0.1:1/none",
        "postgresql://tach:s3cr%00et@127.0.0.1:1/none",
        "postgresql://tach@127.0.0.1:1/none?sslmode=disable&password=s3cr%zzet",
        /* a ';' and a blank in a URL parameter, any case: libpq's, so the password's */
        "postgresql://tach@127.0.0.1:1/none?sslmode=disable&PASSWORD=s3cr;e t%zz",
        "postgresql://tach@127.0.0.1:1/none?password=s3cr e;t%zz&sslmode=disable",
        /* a raw blank in user:PASSWORD@, which libpq takes too */
        "postgresql://tach:s3cr e%zzt@127.0.0.1:1/none",
        "postgresql://tach:s3cret@[::1:1/none",
    };
    for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
        char err[TACH__ERR_MAX] = "";
        tool_store *s = tool_store_open(urls[i], 0, err);
        ASSERT_TRUE(s == NULL);
        ASSERT_TRUE(strstr(err, "cannot connect to the PostgreSQL store postgresql://tach") != NULL);
        ASSERT_TRUE(strstr(err, "s3cr") == NULL);
        ASSERT_TRUE(strstr(err, "%zz") == NULL);
    }
}

TEST_MAIN()

/* store_record.c - recording a results document as one run, in one transaction. */
#define _GNU_SOURCE /* strptime, timegm */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "json_text.h"
#include "store_internal.h"

/* ---- recording ----------------------------------------------------------------------- */

static char *machine_desc(const json_t *ctx)
{
    char buf[512];
    size_t o = 0;
    buf[0] = '\0';
    const char *host = json_string_value(json_object_get(ctx, "host"));
    const char *cpu = json_string_value(json_object_get(ctx, "cpu_model"));
    const char *kernel = json_string_value(json_object_get(ctx, "kernel"));
    json_int_t cpus = json_integer_value(json_object_get(ctx, "cpus"));
    json_int_t mem = json_integer_value(json_object_get(ctx, "memory_kib"));
#define ADD(...)                                                                       \
    do {                                                                               \
        if (o < sizeof buf) {                                                          \
            int w_ = snprintf(buf + o, sizeof buf - o, __VA_ARGS__);                   \
            if (w_ > 0) o += (size_t)w_;                                               \
        }                                                                              \
    } while (0)
    if (host) ADD("%s", host);
    if (cpu) ADD("%s%s", o ? ": " : "", cpu);
    if (cpus > 0) ADD("%s%lld cpus", o ? ", " : "", (long long)cpus);
    if (mem > 0) ADD("%s%.1f GiB", o ? ", " : "", (double)mem / (1024.0 * 1024.0));
    if (kernel) ADD("%slinux %s", o ? ", " : "", kernel);
#undef ADD
    return o ? tach__strdup(buf) : NULL;
}

/* An ISO 8601 date-time with an offset or a Z, as YYYY-MM-DDTHH:MM:SSZ in UTC (so that
 * times sort and print alike whoever wrote them); false when it is not one. */
static bool utc_time(const char *in, char *out, size_t size)
{
    struct tm tm = {0};
    const char *p = in ? strptime(in, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    if (!p) return false;
    if (*p == '.') /* fractions of a second */
        for (p++; isdigit((unsigned char)*p); p++) {
        }
    long off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1, hh = 0, mm = 0;
        if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2])) return false;
        hh = (p[1] - '0') * 10 + (p[2] - '0');
        p += 3;
        if (*p == ':') p++;
        if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1])) {
            mm = (p[0] - '0') * 10 + (p[1] - '0');
            p += 2;
        }
        off = sign * (hh * 3600L + mm * 60L);
    } else {
        return false;
    }
    if (*p) return false;
    time_t t = timegm(&tm) - off;
    struct tm u;
    if (!gmtime_r(&t, &u)) return false;
    return strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &u) > 0;
}

static void test_sleep(void)
{
    const char *v = getenv("TACH_STORE_TEST_SLEEP_MS");
    if (!v || !*v) return;
    long ms = strtol(v, NULL, 10);
    if (ms <= 0) return;
    const char *mark = getenv("TACH_STORE_TEST_MARK");
    if (mark && *mark) {
        FILE *f = fopen(mark, "w");
        if (f) fclose(f);
    }
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

typedef struct bench_vals {
    double median, lo, hi, mean, cv;
} bench_vals;

static void result_vals(const tach__result *r, bench_vals *v)
{
    v->median = v->lo = v->hi = v->mean = v->cv = NAN;
    if (r->nsamples == 0 || !r->sample_ns) return;
    if (r->has_summary) {
        v->median = r->summary.median.value;
        v->lo = r->summary.median.lo;
        v->hi = r->summary.median.hi;
        v->mean = r->summary.mean.value;
        v->cv = r->summary.cv;
        return;
    }
    tach__ci ci;
    v->median = tach__median(r->sample_ns, r->nsamples);
    if (tach__median_ci_fast(r->sample_ns, r->nsamples, 0.95, &ci) == 0) {
        v->lo = ci.lo;
        v->hi = ci.hi;
    }
    v->mean = tach__mean(r->sample_ns, r->nsamples);
    v->cv = tool_st_cv_of(r->sample_ns, r->nsamples);
}

/* name as the store keeps it: itself when it is UTF-8 (a name read from a document
 * already is), else written as the document writes it (tach__text_escaped).  A new
 * string, NULL when out of memory. */
static char *name_stored(const char *name)
{
    const unsigned char *u = (const unsigned char *)name;
    size_t i = 0, n;
    while (u[i] && (n = tach__utf8_len(u + i)) != 0) i += n;
    return u[i] ? tach__text_escaped(name) : tach__strdup(name);
}

/* Benchmark rows per INSERT: 64 x 11 parameters stays far below SQLite's (32,766) and
 * PostgreSQL's (65,535) limits. */
#define CHUNK 64

/* head + " VALUES (?, ..., ?), ..." with ncols per row, nrows rows, + tail. */
static char *values_sql(const char *head, int ncols, size_t nrows, const char *tail)
{
    sbuf b = {0};
    sb_add(&b, head);
    sb_add(&b, " VALUES ");
    for (size_t r = 0; r < nrows; r++) {
        sb_add(&b, r ? ", (" : "(");
        for (int c = 0; c < ncols; c++) sb_add(&b, c ? ", ?" : "?");
        sb_add(&b, ")");
    }
    sb_add(&b, tail);
    if (b.oom) {
        tach__free(b.p);
        return NULL;
    }
    return b.p;
}

/* Inside the recording transaction: is run old the one meta describes (one benchmark,
 * of meta->replaces_name, recorded at or after meta->replaces_since)?  1 yes, 0 no (an
 * unrelated run with the same id: a store recreated since, or another store), -1 error. */
static int replace_matches(tool_store *s, const tool_run_meta *meta, char *err)
{
    char since[64] = "";
    if (meta->replaces_since && !utc_time(meta->replaces_since, since, sizeof since)) since[0] = '\0';
    static const char base[] = "SELECT COUNT(*) FROM tach_runs r WHERE r.id = ? AND r.time >= ?"
                               " AND (SELECT COUNT(*) FROM tach_benchmarks b WHERE b.run_id = r.id) = 1";
    static const char named[] = "SELECT COUNT(*) FROM tach_runs r WHERE r.id = ? AND r.time >= ?"
                                " AND (SELECT COUNT(*) FROM tach_benchmarks b WHERE b.run_id = r.id) = 1"
                                " AND EXISTS (SELECT 1 FROM tach_benchmarks b WHERE b.run_id = r.id"
                                " AND b.name = ?)";
    tool_db_stmt *st = s->ops->prepare(s->db, meta->replaces_name ? named : base, err);
    if (!st) return -1;
    s->ops->bind_int64(st, 1, meta->replaces);
    s->ops->bind_text(st, 2, since);
    if (meta->replaces_name) s->ops->bind_text(st, 3, meta->replaces_name);
    int rc = s->ops->step(st, err);
    int64_t n = rc == 1 ? s->ops->col_int64(st, 0) : 0;
    s->ops->finalize(st);
    if (rc < 0) return -1;
    return n > 0;
}

/* Inside the recording transaction: the run old is replaced by run new (its baselines
 * point at new, its rows go). */
static int replace_run(tool_store *s, int64_t old, int64_t new_id, char *err)
{
    static const char *const sql[] = {
        "UPDATE tach_baselines SET run_id = ? WHERE run_id = ?",
        "DELETE FROM tach_run_tags WHERE run_id = ?",
        "DELETE FROM tach_benchmarks WHERE run_id = ?",
        "DELETE FROM tach_run_docs WHERE run_id = ?",
        "DELETE FROM tach_runs WHERE id = ?",
    };
    if (old == new_id) return 0;
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        tool_db_stmt *st = s->ops->prepare(s->db, sql[i], err);
        if (!st) return -1;
        if (i == 0) {
            s->ops->bind_int64(st, 1, new_id);
            s->ops->bind_int64(st, 2, old);
        } else {
            s->ops->bind_int64(st, 1, old);
        }
        int rc = s->ops->step(st, err);
        s->ops->finalize(st);
        if (rc < 0) return -1;
    }
    return 0;
}

/* Inside the recording transaction: whether doc's run is in s already (meta->once),
 * by its run_uid: 1 with *id (may be NULL), 0 not, -1 with err.  SQLite's write
 * transaction (BEGIN IMMEDIATE) holds every other writer off already; a PostgreSQL one
 * takes a lock on the uid first, which a record of the same document waits for until
 * this one ends, and then finds its run. */
static int recorded_in(tool_store *s, const tach__doc *doc, int64_t *id, char *err)
{
    const char *uid = json_string_value(json_object_get(doc->context, "run_uid"));
    if (!uid || !*uid) return 0;
    if (s->kind == TOOL_STORE_POSTGRES) {
        tool_db_stmt *lk = s->ops->prepare(s->db, "SELECT pg_advisory_xact_lock(hashtext(?))", err);
        if (!lk) return -1;
        s->ops->bind_text(lk, 1, uid);
        int rc = s->ops->step(lk, err);
        s->ops->finalize(lk);
        if (rc < 0) return -1;
    }
    int64_t found = 0;
    int rc = tool_store_find_run_uid(s, doc, &found, err);
    if (rc < 0) return -1;
    if (rc != 0) return 0;
    if (id) *id = found;
    return 1;
}

/* tool_store_record's one attempt; *at_commit: the failure came at COMMIT, when the
 * run may have been written all the same. */
static int record_once(tool_store *s, const tach__doc *doc, const tool_run_meta *meta,
                       int64_t *run_id, char *err, bool *at_commit)
{
    *at_commit = false;
    static const tool_run_meta none = {.dirty = -1};
    if (!meta) meta = &none;
    json_t *j = tach__doc_to_json(doc);
    char *text = j ? tool_store_json_text(j, NULL) : NULL;
    json_decref(j);
    if (!text) return tach__err(err, "cannot serialise the results document");

    char timebuf[64];
    const char *when = meta->time;
    if (!when) when = json_string_value(json_object_get(doc->context, "date"));
    if (!when || !utc_time(when, timebuf, sizeof timebuf)) tool_st_now_iso(timebuf, sizeof timebuf);
    when = timebuf;
    /* Only a context with every fact the fingerprint hashes (tach's own) has one: a
     * file of another tool (hyperfine: no fact; Google Benchmark: the CPU count) would
     * hash its missing facts as null and so differ from its own machine's runs. */
    char *fp = meta->machine || !tach__env_fingerprint_whole(doc->context)
                   ? NULL
                   : tach__env_fingerprint(doc->context);
    char *desc = meta->machine_desc ? NULL : machine_desc(doc->context);
    size_t nfailed = 0;
    for (size_t i = 0; i < doc->nresults; i++)
        if (doc->results[i].status != TACH__OK && doc->results[i].status != TACH__SKIPPED)
            nfailed++;

    const tool_db_ops *o = s->ops;
    tool_db_stmt *run = NULL, *tag = NULL, *docst = NULL, *bench = NULL, *name = NULL;
    tool_db_stmt *bench_part = NULL, *name_part = NULL;
    int64_t id = 0;
    int rc = -1, matched = 0;
    if (o->begin_write(s->db, err) != 0) goto out;
    if (meta->once) {
        int found = recorded_in(s, doc, run_id, err);
        if (found < 0) goto fail;
        if (found > 0) {
            tool_st_rollback(s);
            rc = TOOL_STORE_RECORDED_ALREADY;
            goto out;
        }
    }
    run = o->prepare(s->db,
                     "INSERT INTO tach_runs (time, commit_sha, branch, dirty, subject, machine,"
                     " machine_desc, tach_version, nbenchmarks, nfailed)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                     err);
    if (!run) goto fail;
    o->bind_text(run, 1, when);
    o->bind_text(run, 2, meta->commit);
    o->bind_text(run, 3, meta->branch);
    if (meta->dirty >= 0)
        o->bind_int64(run, 4, meta->dirty ? 1 : 0);
    else
        o->bind_null(run, 4);
    o->bind_text(run, 5, meta->subject);
    o->bind_text(run, 6, meta->machine ? meta->machine : fp);
    o->bind_text(run, 7, meta->machine_desc ? meta->machine_desc : desc);
    o->bind_text(run, 8, meta->tach_version ? meta->tach_version : tach_version());
    o->bind_int64(run, 9, (int64_t)doc->nresults);
    o->bind_int64(run, 10, (int64_t)nfailed);
    if (o->step(run, err) != 1) goto fail;
    id = o->col_int64(run, 0);
    o->reset(run); /* finish the statement before others run */

    if (meta->ntags) {
        tag = o->prepare(s->db,
                         "INSERT INTO tach_run_tags (run_id, key, value) VALUES (?, ?, ?)"
                         " ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
                         err);
        if (!tag) goto fail;
        for (size_t i = 0; i < meta->ntags; i++) {
            o->reset(tag);
            o->bind_int64(tag, 1, id);
            o->bind_text(tag, 2, meta->tags[i].name);
            o->bind_text(tag, 3, meta->tags[i].value ? meta->tags[i].value : "");
            if (o->step(tag, err) < 0) goto fail;
        }
    }
    docst = o->prepare(s->db, "INSERT INTO tach_run_docs (run_id, doc) VALUES (?, ?)", err);
    if (!docst) goto fail;
    o->bind_int64(docst, 1, id);
    o->bind_text(docst, 2, text);
    if (o->step(docst, err) < 0) goto fail;

    /* Rows go in CHUNK at a time (one statement each: fewer round trips to a server). */
    bool slept = false;
    for (size_t first = 0; first < doc->nresults; first += CHUNK) {
        size_t rows = doc->nresults - first < CHUNK ? doc->nresults - first : CHUNK;
        if (!slept && first > 0 && first >= doc->nresults / 2) {
            test_sleep(); /* about half of the rows are in */
            slept = true;
        }
        tool_db_stmt **b = rows == CHUNK ? &bench : &bench_part;
        tool_db_stmt **nm = rows == CHUNK ? &name : &name_part;
        if (!*b) {
            char *q1 = values_sql("INSERT INTO tach_benchmarks (run_id, pos, name, status, median,"
                                  " median_lo, median_hi, mean, n, samples, cv)",
                                  11, rows, "");
            char *q2 = values_sql("INSERT INTO tach_names (name)", 1, rows,
                                  " ON CONFLICT (name) DO NOTHING");
            if (!q1 || !q2) {
                tach__free(q1);
                tach__free(q2);
                tach__err(err, "out of memory");
                goto fail;
            }
            *b = o->prepare(s->db, q1, err);
            *nm = *b ? o->prepare(s->db, q2, err) : NULL;
            tach__free(q1);
            tach__free(q2);
            if (!*nm) goto fail;
        }
        o->reset(*b);
        o->reset(*nm);
        for (size_t k = 0; k < rows; k++) {
            size_t i = first + k;
            const tach__result *r = &doc->results[i];
            bench_vals v;
            result_vals(r, &v);
            unsigned char *blob =
                r->nsamples && r->sample_ns ? tool_st_encode_samples(r->sample_ns, r->nsamples) : NULL;
            /* a name that is not UTF-8 as the results document writes it (each bad byte
             * as U+FFFD and its hex digits), the name tach record of that document
             * stores: one name for one benchmark, recorded by tach run or from its
             * export (and valid UTF-8 for a PostgreSQL store) */
            char *shown = name_stored(r->name ? r->name : "");
            if ((r->nsamples && r->sample_ns && !blob) || !shown) {
                tach__free(blob);
                tach__free(shown);
                tach__err(err, "out of memory");
                goto fail;
            }
            int c = (int)(k * 11);
            o->bind_int64(*b, c + 1, id);
            o->bind_int64(*b, c + 2, (int64_t)i);
            o->bind_text(*b, c + 3, shown);
            o->bind_text(*b, c + 4, tach__status_name(r->status));
            o->bind_double(*b, c + 5, v.median);
            o->bind_double(*b, c + 6, v.lo);
            o->bind_double(*b, c + 7, v.hi);
            o->bind_double(*b, c + 8, v.mean);
            o->bind_int64(*b, c + 9, blob ? (int64_t)r->nsamples : 0);
            o->bind_blob(*b, c + 10, blob, blob ? r->nsamples * 8 : 0); /* copied */
            o->bind_double(*b, c + 11, v.cv);
            tach__free(blob);
            o->bind_text(*nm, (int)k + 1, shown);
            tach__free(shown);
        }
        if (o->step(*b, err) < 0 || o->step(*nm, err) < 0) goto fail;
    }
    if (!slept) test_sleep(); /* one statement held every row */
    if (meta->replaced) *meta->replaced = false;
    if (meta->replaces > 0) {
        matched = replace_matches(s, meta, err);
        if (matched < 0 || (matched == 1 && replace_run(s, meta->replaces, id, err) != 0)) goto fail;
    }
    *at_commit = true;
    if (o->exec(s->db, "COMMIT", err) != 0) goto fail;
    if (meta->replaced) *meta->replaced = matched == 1;
    rc = 0;
    if (run_id) *run_id = id;
    goto out;
fail:
    tool_st_rollback(s);
out:
    o->finalize(run);
    o->finalize(tag);
    o->finalize(docst);
    o->finalize(bench);
    o->finalize(name);
    o->finalize(bench_part);
    o->finalize(name_part);
    free(text);
    tach__free(fp);
    tach__free(desc);
    if (rc < 0 && err && !*err) tach__err(err, "cannot record the run in %s", s->name);
    return rc;
}

int tool_store_record(tool_store *s, const tach__doc *doc, const tool_run_meta *meta,
                       int64_t *run_id, char *err)
{
    bool at_commit;
    int rc = record_once(s, doc, meta, run_id, err, &at_commit);
    if (rc >= 0 || !s->ops->reconnect) return rc; /* (TOOL_STORE_RECORDED_ALREADY too) */
    if (at_commit) {
        /* A COMMIT the server refused stored nothing; one whose connection was lost may
         * have been committed before the answer was: the caller must not say either. */
        char why[TACH__ERR_MAX];
        return s->ops->reconnect(s->db, why) > 0 ? rc : TOOL_STORE_MAYBE_RECORDED;
    }
    /* A connection lost before COMMIT (a server restarted while a long run went on, or
     * in the middle of this write) wrote nothing: once more on a new one. */
    char why[TACH__ERR_MAX];
    int again = s->ops->reconnect(s->db, why);
    if (again > 0) return rc; /* not a lost connection: err stands */
    if (again < 0) {
        char first[TACH__ERR_MAX];
        snprintf(first, sizeof first, "%s", err ? err : "");
        return tach__err(err, "%s; %s", first, why);
    }
    rc = record_once(s, doc, meta, run_id, err, &at_commit);
    if (rc != 0 && at_commit && s->ops->reconnect(s->db, why) <= 0) return TOOL_STORE_MAYBE_RECORDED;
    return rc;
}

int tool_store_find_run_uid(tool_store *s, const tach__doc *doc, int64_t *id, char *err)
{
    const char *uid = json_string_value(json_object_get(doc->context, "run_uid"));
    const char *date = json_string_value(json_object_get(doc->context, "date"));
    char when[64];
    if (!uid || !*uid || !date || !utc_time(date, when, sizeof when)) return TOOL_STORE_NOT_FOUND;
    /* the run's time is its document's date, as record_once stores it: the runs of that
     * second, whose documents say which one is this run */
    tool_db_stmt *st = s->ops->prepare(s->db,
                                       "SELECT r.id, d.doc FROM tach_runs r JOIN tach_run_docs d"
                                       " ON d.run_id = r.id WHERE r.time = ? ORDER BY r.id",
                                       err);
    if (!st) return -1;
    s->ops->bind_text(st, 1, when);
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        const char *text = s->ops->col_text(st, 1);
        json_t *j = text ? json_loads(text, 0, NULL) : NULL;
        const char *u = json_string_value(json_object_get(json_object_get(j, "context"), "run_uid"));
        bool same = u && !strcmp(u, uid);
        json_decref(j);
        if (same) {
            *id = s->ops->col_int64(st, 0);
            break;
        }
    }
    s->ops->finalize(st);
    return rc < 0 ? -1 : rc == 1 ? 0 : TOOL_STORE_NOT_FOUND;
}

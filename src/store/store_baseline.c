/* store_baseline.c - named baselines: save, get, list, remove. */
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

/* ---- baselines ------------------------------------------------------------------------------ */

/* The error for name, whose character at p is not one a baseline name may hold: that
 * character named as the user typed it ('ü', not its first byte), a control as U+001B, a
 * byte that is not UTF-8 as 0xff; the name shown on one line (controls as spaces). */
static int bad_name_char(const char *name, const char *p, char *err)
{
    unsigned cp;
    size_t n = tach__utf8_control(p, &cp);
    char what[48];
    if (cp) snprintf(what, sizeof what, "the control character U+%04X", cp);
    else if (n == 0) snprintf(what, sizeof what, "the byte 0x%02x, which is not UTF-8", (unsigned char)*p);
    else snprintf(what, sizeof what, "a '%.*s'", (int)n, p);
    char shown[64];
    snprintf(shown, sizeof shown, "%s", name);
    if (strlen(name) >= sizeof shown) { /* cut at a character (tach__utf8_cut), then "..." */
        shown[sizeof shown - 4] = '\0';
        tach__utf8_cut(shown);
        strcat(shown, "...");
    }
    tach__terminal_safe(shown, false);
    return tach__err(err, "baseline name '%s' has %s: use ASCII letters, digits and . _ - / + @",
                     shown, what);
}

int tool_store_baseline_check_name(const char *name, char *err)
{
    if (!name || !*name) return tach__err(err, "a baseline needs a name");
    bool digits = true, hex = true;
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!isdigit(c)) digits = false;
        if (!isxdigit(c)) hex = false;
        if (!isalnum(c) && !strchr("._-/+@", c)) return bad_name_char(name, p, err);
    }
    if (digits)
        return tach__err(err, "baseline name '%s' is all digits, which would read as a run id",
                         name);
    /* a RUN is read as a baseline before a commit: a name like 581b would hide the
     * commits it prefixes (cli_store_resolve_run reads 4+ hex digits as one) */
    if (hex && strlen(name) >= 4)
        return tach__err(err, "baseline name '%s' is all hex digits, which would read as a commit "
                         "SHA (prefix); add a letter past f or a . _ - / + @", name);
    if (!strcmp(name, "latest"))
        return tach__err(err, "baseline name 'latest' would read as the latest run; choose another");
    /* git's names for a commit that moves (HEAD, @, FETCH_HEAD, ORIG_HEAD, MERGE_HEAD ...):
     * the baseline, looked up first, would hide the commit from compare */
    size_t len = strlen(name);
    bool pseudo = len >= 4 && !strcmp(name + len - 4, "HEAD");
    for (const char *p = name; *p && pseudo; p++)
        if (!isupper((unsigned char)*p) && *p != '_') pseudo = false;
    if (pseudo && (len == 4 || name[len - 5] == '_'))
        return tach__err(err, "baseline name '%s' would read as git's %s, which the baseline would "
                         "hide from compare; choose another", name, name);
    if (!strcmp(name, "@"))
        return tach__err(err, "baseline name '@' would read as git's HEAD, which the baseline would "
                         "hide from compare; choose another");
    if (strstr(name, ".."))
        return tach__err(err, "baseline name '%s' has '..', which reads as a git range (a..b); "
                         "choose another", name);
    /* compare and report read a RUN with .json in it as a results file */
    if (strstr(name, ".json"))
        return tach__err(err, "baseline name '%s' has '.json', which compare and report read as "
                         "a results file; choose another", name);
    if (strlen(name) > 200) return tach__err(err, "baseline name '%.*s...' is too long", tach__utf8_prec(name, 40), name);
    return 0;
}

int tool_store_baseline_save(tool_store *s, const char *name, int64_t run_id, char *err)
{
    if (tool_store_baseline_check_name(name, err) != 0) return -1;
    if (s->ops->begin_write(s->db, err) != 0) return -1;
    int rc = tool_st_run_exists(s, run_id, err);
    if (rc != 0) {
        tool_st_rollback(s);
        return rc;
    }
    tool_db_stmt *st = s->ops->prepare(
        s->db,
        "INSERT INTO tach_baselines (name, run_id, time) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO UPDATE SET run_id = excluded.run_id, time = excluded.time",
        err);
    char when[64];
    tool_st_now_iso(when, sizeof when);
    if (st) {
        s->ops->bind_text(st, 1, name);
        s->ops->bind_int64(st, 2, run_id);
        s->ops->bind_text(st, 3, when);
        rc = s->ops->step(st, err) < 0 ? -1 : 0;
        s->ops->finalize(st);
    } else {
        rc = -1;
    }
    if (rc == 0 && s->ops->exec(s->db, "COMMIT", err) == 0) return 0;
    tool_st_rollback(s);
    return -1;
}

int tool_store_baseline_get(tool_store *s, const char *name, int64_t *run_id, char *err)
{
    tool_db_stmt *st =
        s->ops->prepare(s->db, "SELECT run_id FROM tach_baselines WHERE name = ?", err);
    if (!st) return -1;
    s->ops->bind_text(st, 1, name);
    int rc = s->ops->step(st, err);
    bool id_ok = rc == 1 && tool_st_col_count(s, st, 0, run_id) && *run_id > 0;
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) {
        tach__err(err, "no baseline '%s' in store %s", name, s->name);
        return TOOL_STORE_NOT_FOUND;
    }
    /* tach never removes a run a baseline names: one that is not there is damage */
    if (id_ok && (rc = tool_st_run_exists(s, *run_id, err)) < 0) return -1;
    if (!id_ok || rc != 0)
        return tool_st_damaged(s, err, "baseline '%s' names run %lld, which is not in it (save it "
                               "again: tach baseline save %s RUN)", name, (long long)*run_id, name);
    return 0;
}

void tool_baselines_free(tool_baseline *b, size_t n)
{
    if (!b) return;
    for (size_t i = 0; i < n; i++) {
        tach__free(b[i].name);
        tach__free(b[i].time);
    }
    tach__free(b);
}

static int cmp_baseline(const void *a, const void *b)
{
    return strcmp(((const tool_baseline *)a)->name, ((const tool_baseline *)b)->name);
}

int tool_store_baseline_list(tool_store *s, tool_baseline **out, size_t *n, char *err)
{
    *out = NULL;
    *n = 0;
    tool_db_stmt *st = s->ops->prepare(s->db, "SELECT name, run_id, time FROM tach_baselines", err);
    if (!st) return -1;
    size_t cap = 0;
    int rc;
    while ((rc = s->ops->step(st, err)) == 1) {
        if (TACH__GROW(out, &cap, *n + 1, 8) != 0) {
            rc = tach__err(err, "out of memory");
            break;
        }
        tool_baseline *b = &(*out)[*n];
        memset(b, 0, sizeof *b);
        (*n)++;
        const char *name = tool_st_col_str(s, st, 0), *time = tool_st_col_str(s, st, 2);
        if (!name || !time || !tool_st_col_count(s, st, 1, &b->run_id)) {
            rc = tool_st_damaged(s, err, "baseline '%s' has no %s in tach_baselines",
                                 name ? name : "?", !name ? "name" : !time ? "time" : "run id");
            break;
        }
        b->name = tach__strdup(name);
        b->time = tach__strdup(time);
        if (!b->name || !b->time) {
            rc = tach__err(err, "out of memory");
            break;
        }
    }
    s->ops->finalize(st);
    if (rc < 0) {
        tool_baselines_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    if (*n > 1) qsort(*out, *n, sizeof **out, cmp_baseline);
    return 0;
}

int tool_store_baseline_rm(tool_store *s, const char *name, char *err)
{
    tool_db_stmt *st = s->ops->prepare(
        s->db, "DELETE FROM tach_baselines WHERE name = ? RETURNING run_id", err);
    if (!st) return -1;
    s->ops->bind_text(st, 1, name);
    int rc = s->ops->step(st, err);
    if (rc == 1) { /* drain, so the statement completes */
        while ((rc = s->ops->step(st, err)) == 1) {
        }
        if (rc == 0) rc = 1;
    }
    s->ops->finalize(st);
    if (rc < 0) return -1;
    if (rc == 0) {
        tach__err(err, "no baseline '%s' in store %s", name, s->name);
        return TOOL_STORE_NOT_FOUND;
    }
    return 0;
}

/* store_filter.c - the run filter (tool_run_filter) as SQL conditions and binds. */
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

/* ---- filters ------------------------------------------------------------------------- */

static void bind_all(tool_store *s, tool_db_stmt *st, const tool_st_binds *b, int first)
{
    for (int i = 0; i < b->n; i++) {
        if (b->v[i].is_text)
            s->ops->bind_text(st, first + i, b->v[i].text);
        else
            s->ops->bind_int64(st, first + i, b->v[i].i);
    }
}

void tool_st_add_text(tool_st_binds *b, const char *t)
{
    b->v[b->n].is_text = true;
    b->v[b->n].text = t;
    b->n++;
}

void tool_st_add_int(tool_st_binds *b, int64_t i)
{
    b->v[b->n].is_text = false;
    b->v[b->n].i = i;
    b->n++;
}

/* Prepares the query built in q with its tool_st_binds b, and frees q's text.  NULL, with err
 * set, when building it ran out of memory or the database refused it. */
tool_db_stmt *tool_st_prepare_built(tool_store *s, sbuf *q, const tool_st_binds *b, char *err)
{
    if (q->oom) {
        tach__free(q->p);
        q->p = NULL;
        tach__err(err, "out of memory");
        return NULL;
    }
    tool_db_stmt *st = s->ops->prepare(s->db, q->p, err);
    tach__free(q->p);
    q->p = NULL;
    if (st) bind_all(s, st, b, 1);
    return st;
}

bool tool_st_is_hex_prefix(const char *c)
{
    size_t n = strlen(c);
    if (n < 4 || n > 64) return false;
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)c[i])) return false;
    return true;
}

/* Appends " AND ..." conditions on tach_runs aliased r (not `last`). */
int tool_st_where_runs(const tool_run_filter *f, sbuf *q, tool_st_binds *b, char *err)
{
    if (!f) return 0;
    if (f->machine) {
        sb_add(q, " AND r.machine = ?");
        tool_st_add_text(b, f->machine);
    }
    if (f->branch) {
        sb_add(q, " AND r.branch = ?");
        tool_st_add_text(b, f->branch);
    }
    if (f->commit) {
        if (!tool_st_is_hex_prefix(f->commit))
            return tach__err(err, "'%s' is not a commit SHA or a prefix of 4 or more hex digits",
                             f->commit);
        if (strlen(f->commit) >= 40) {
            sb_add(q, " AND r.commit_sha = ?");
            tool_st_add_text(b, f->commit);
        } else {
            char *pat = b->like;
            snprintf(pat, sizeof b->like, "%s%%", f->commit);
            for (char *p = pat; *p; p++) *p = (char)tolower((unsigned char)*p);
            sb_add(q, " AND r.commit_sha LIKE ?");
            tool_st_add_text(b, pat);
        }
    }
    if (f->tag) {
        /* A key never holds '=' (a tag is split at its first), so KEY=VALUE is the one
         * tag whose key, '=' and value spell it: the text is bound whole, never copied
         * (a copy cut at a buffer's size matched another key that began the same). */
        if (strchr(f->tag, '='))
            sb_add(q, " AND EXISTS (SELECT 1 FROM tach_run_tags t WHERE t.run_id = r.id"
                      " AND t.key || '=' || t.value = ?)");
        else
            sb_add(q, " AND EXISTS (SELECT 1 FROM tach_run_tags t WHERE t.run_id = r.id AND t.key = ?)");
        tool_st_add_text(b, f->tag);
    }
    if (f->after_id > 0) {
        sb_add(q, " AND r.id > ?");
        tool_st_add_int(b, f->after_id);
    }
    if (f->before_id > 0) {
        sb_add(q, " AND r.id < ?");
        tool_st_add_int(b, f->before_id);
    }
    return 0;
}

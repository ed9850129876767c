/* db_sqlite.c - the store's SQLite backend: a checked open, then thin wrappers.
 *
 * (About 630 lines: the checks of the open -- the header, the read-only reading, the
 * side files that reading made -- and the wrappers read SQLite's errors one way, a
 * damaged page told apart from a file that could not be read.) */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "tach_internal.h"

struct tool_db {
    sqlite3 *h;
    bool corrupt; /* an operation met a damaged page */
    char *path;   /* for messages */
};

struct tool_db_stmt {
    sqlite3_stmt *st;
    sqlite3 *h;
    tool_db *db;
};

/* Long enough for 8 writers recording large runs one after the other. */
#define BUSY_TIMEOUT_MS 60000

static int mkdir_parents(const char *path, char *err)
{
    char *dir = tach__strdup(path);
    if (!dir) return tach__err(err, "out of memory");
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir) {
        tach__free(dir);
        return 0;
    }
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            int e = errno;
            tach__err(err, "cannot create directory %s: %s", dir, strerror(e));
            tach__free(dir);
            return -1;
        }
        *p = '/';
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        int e = errno;
        tach__err(err, "cannot create directory %s: %s", dir, strerror(e));
        tach__free(dir);
        return -1;
    }
    tach__free(dir);
    return 0;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* What check_header and classify return when they refuse a file for what it holds (a
 * foreign, truncated, corrupt or damaged file) or something else than a file in its
 * place, with err set; -1 is a file that could not be opened or read. */
#define REFUSED (-2)

/* tach__err, returning REFUSED. */
#define refuse(...) (tach__err(__VA_ARGS__), REFUSED)

/* Checks the 100-byte SQLite header against the file's length, without SQLite, so
 * that a foreign, truncated or damaged file is refused before SQLite touches it.
 * Returns 0 (plausible SQLite file or empty), REFUSED or -1 (err set). */
static int check_header(const char *path, off_t *size_out, char *err)
{
    /* O_NONBLOCK: a FIFO named as the store must not block the open until a writer
     * comes (it is refused below, as every file that is not a regular one). */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return tach__err(err, "cannot open store %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return tach__err(err, "cannot stat store %s: %s", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode)) { /* (one since the stat of tool_db_sqlite_open) */
        close(fd);
        return refuse(err, "store %s is not a regular file", path);
    }
    *size_out = sb.st_size;
    if (sb.st_size == 0) {
        close(fd);
        return 0;
    }
    unsigned char h[100];
    ssize_t got = pread(fd, h, sizeof h, 0);
    int read_errno = errno;
    close(fd);
    if (got < 0) return tach__err(err, "cannot read store %s: %s", path, strerror(read_errno));
    static const char magic[16] = "SQLite format 3";
    if (got < 16 || memcmp(h, magic, 16) != 0)
        return refuse(err, "%s is not a tach store (not an SQLite database); left unchanged",
                      path);
    if (got < 100)
        return refuse(err, "store %s is truncated (%lld bytes); left unchanged", path,
                      (long long)sb.st_size);
    uint32_t page = (uint32_t)h[16] << 8 | h[17];
    if (page == 1) page = 65536;
    if (page < 512 || (page & (page - 1)) != 0 || h[21] != 64 || h[22] != 32 || h[23] != 32)
        return refuse(err, "store %s is corrupt (bad SQLite header); left unchanged", path);
    if ((uint64_t)sb.st_size % page != 0)
        return refuse(err,
                      "store %s is truncated or corrupt (%lld bytes is not a whole number of "
                      "%u-byte pages); left unchanged",
                      path, (long long)sb.st_size, page);
    uint32_t npages = be32(h + 28);
    bool size_valid = npages != 0 && memcmp(h + 24, h + 92, 4) == 0;
    if (size_valid && (uint64_t)sb.st_size < (uint64_t)npages * page) {
        /* With a non-empty write-ahead log the file may legitimately lag its header. */
        char wal[4096];
        snprintf(wal, sizeof wal, "%s-wal", path);
        struct stat ws;
        if (stat(wal, &ws) != 0 || ws.st_size == 0)
            return refuse(err,
                          "store %s is truncated (%lld bytes, its header says %llu); left "
                          "unchanged",
                          path, (long long)sb.st_size, (unsigned long long)npages * page);
    }
    return 0;
}

static int sql_err(sqlite3 *h, char *err, const char *what)
{
    return tach__err(err, "%s: %s", what, sqlite3_errmsg(h));
}

/* Reads the table names through a read-only connection: is this tach's, empty, foreign? */
/* The directory part of path ("." when there is none) in buf. */
static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(buf, size, ".");
    else if (slash == path) snprintf(buf, size, "/");
    else snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

bool tool_db_sqlite_writable(const char *path)
{
    char dir[4096];
    dir_of(path, dir, sizeof dir);
    return access(path, W_OK) == 0 && access(dir, W_OK | X_OK) == 0;
}

/* Whether a store we cannot write (its directory, or the file itself) should be read as
 * immutable: only when no write-ahead log with content lies beside it (immutable reads
 * ignore the log, and the runs in it would be missing).  With a log, a plain read-only
 * open is tried: SQLite reads a WAL store so when its -shm exists.  A plain read-only
 * open in a directory we can write makes the -shm and -wal files when they are missing,
 * ours and no more writable than the store: its owner could not record any more. */
static bool read_immutable(const char *path)
{
    char dir[4096], wal[4200];
    dir_of(path, dir, sizeof dir);
    if (access(dir, W_OK | X_OK) == 0 && access(path, W_OK) == 0) return false;
    snprintf(wal, sizeof wal, "%s-wal", path);
    struct stat sb;
    return !(stat(wal, &sb) == 0 && sb.st_size > 0);
}

/* "file:" + path percent-encoded where a URI needs it + "?immutable=1". */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *u = tach__malloc(3 * n + 32), *o = u;
    if (!u) return NULL;
    o += sprintf(o, "file:");
    for (const char *p = path; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '%' || c == '?' || c == '#' || c < 0x21 || c >= 0x7f) o += sprintf(o, "%%%02X", c);
        else *o++ = (char)c;
    }
    strcpy(o, "?immutable=1");
    return u;
}

/* Whether an SQLite result code is a damaged file. */
static bool is_corruption(int rc)
{
    rc &= 0xff;
    return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Whether SQLite's last error on h is a damaged file. */
static bool h_corrupt(sqlite3 *h)
{
    return is_corruption(sqlite3_errcode(h));
}

/* Removes the -wal and -shm files a read-only connection made beside a WAL store
 * (SQLite makes them when they are missing and the directory can be written, and only a
 * connection that can write removes them at its close), so that a store refused is left
 * as it was found.  wal_existed, shm_existed: whether the -wal, the -shm was there before
 * that connection.
 * SQLite removes them itself, through a connection that may write closed at once: its
 * close removes them only when it is the last connection (it must take the store's
 * exclusive lock), and checkpoints nothing first when the log is empty, as it is here.
 * A -wal there before (a log of another connection, or of runs not yet checkpointed) is
 * never touched, nor one that has grown since (another tach recording); a -shm made
 * beside such a -wal is removed (it holds no data) when no connection has it open. */
static void remove_made_wal(const char *path, bool wal_existed, bool shm_existed)
{
    char wal[4200], shm[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    snprintf(shm, sizeof shm, "%s-shm", path);
    struct stat sb;
    if (wal_existed && !shm_existed) {
        /* the -wal is another's, but the -shm the connection made beside it holds no data
         * (an index SQLite rebuilds from the -wal): removed unless a connection has it
         * open, each holding a read lock on its byte 128 (SQLite's unix VFS, DMS) */
        int fd = open(shm, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) return;
        struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 128, .l_len = 1};
        if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK) unlink(shm);
        close(fd);
        return;
    }
    if (wal_existed || stat(wal, &sb) != 0 || sb.st_size != 0) return;
    sqlite3 *h = NULL;
    if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK)
        /* a read of the header opens the log, which the close then removes; on a damaged
         * store the statement may fail after that, which changes nothing */
        sqlite3_exec(h, "PRAGMA schema_version", NULL, NULL, NULL);
    sqlite3_close(h);
}

/* Reads the file through a read-only connection: a tach store (*found), an empty
 * database, or one refused.  0, REFUSED (foreign, corrupt, damaged) or -1 (it could not
 * be opened or read), err set.  The connection may leave a -wal and a -shm beside a WAL
 * store (see remove_made_wal). */
static int classify(const char *path, bool check, tool_db_found *found, char *err)
{
    sqlite3 *h = NULL;
    /* In a directory we cannot write, a WAL store is read as immutable (see
     * tool_db_sqlite_writable). */
    char *uri = read_immutable(path) ? immutable_uri(path) : NULL;
    int rc = sqlite3_open_v2(uri ? uri : path, &h,
                             SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | (uri ? SQLITE_OPEN_URI : 0),
                             NULL);
    tach__free(uri);
    if (rc != SQLITE_OK) {
        tach__err(err, "cannot open store %s: %s", path, h ? sqlite3_errmsg(h) : "out of memory");
        sqlite3_close(h);
        return -1;
    }
    sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(h, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &st,
                            NULL);
    int ntables = 0;
    bool has_meta = false;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            ntables++;
            if (name && !strcmp(name, "tach_meta")) has_meta = true;
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        bool corrupt = h_corrupt(h);
        if (corrupt)
            tach__err(err, "store %s is corrupt (%s); left unchanged", path, sqlite3_errmsg(h));
        else
            tach__err(err, "cannot read store %s: %s", path, sqlite3_errmsg(h));
        sqlite3_finalize(st);
        sqlite3_close(h);
        return corrupt ? REFUSED : -1;
    }
    sqlite3_finalize(st);
    if (has_meta) {
        /* Read the meta table through this read-only connection too, so that a damaged
         * page there is found before any write, and so that a database that merely has
         * a table of that name is refused before it is touched (put in WAL mode). */
        rc = sqlite3_prepare_v2(h, "SELECT value FROM tach_meta WHERE key = 'schema_version'",
                                -1, &st, NULL);
        int step = rc == SQLITE_OK ? sqlite3_step(st) : rc;
        const char *v = step == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        char *end = NULL;
        long version = v ? strtol(v, &end, 10) : 0;
        bool valid = v && end != v && *end == '\0' && version >= 1 && version < INT_MAX;
        int failed = 0;
        if (step != SQLITE_ROW && step != SQLITE_DONE && h_corrupt(h))
            failed = refuse(err, "store %s is corrupt (%s); left unchanged", path,
                            sqlite3_errmsg(h));
        else if (step != SQLITE_ROW && step != SQLITE_DONE && (step & 0xff) != SQLITE_ERROR)
            failed = tach__err(err, "cannot read store %s: %s", path, sqlite3_errmsg(h));
        else if (!valid) /* (a tach_meta without those columns: SQLITE_ERROR, damaged) */
            failed = refuse(err,
                            "store %s is damaged or not a tach store: its tach_meta has no "
                            "valid schema_version; left unchanged",
                            path);
        sqlite3_finalize(st);
        if (failed) {
            sqlite3_close(h);
            return failed;
        }
    }
    if (has_meta && check) {
        /* Every page's structure, through the read-only connection: damage deep in the
         * data is found before anything is written or run. */
        rc = sqlite3_prepare_v2(h, "PRAGMA quick_check(1)", -1, &st, NULL);
        const char *res = NULL;
        if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            res = (const char *)sqlite3_column_text(st, 0);
        if (!res || strcmp(res, "ok") != 0) {
            /* no report and no damage met: the check could not read the file (a lock
             * outlasting the busy timeout, an I/O error), which says nothing of it */
            bool unread = !res && !h_corrupt(h);
            char what[256];
            snprintf(what, sizeof what, "%s", res ? res : sqlite3_errmsg(h));
            for (char *p = what; *p; p++) /* quick_check's report spans lines */
                if (*p == '\n') *p = ' ';
            if (unread) tach__err(err, "cannot read store %s: %s", path, what);
            else tach__err(err, "store %s is corrupt (%s); left unchanged", path, what);
            sqlite3_finalize(st);
            sqlite3_close(h);
            return unread ? -1 : REFUSED;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(h);
    if (has_meta) {
        *found = TOOL_DB_FOUND_TACH;
        return 0;
    }
    if (ntables == 0) {
        *found = TOOL_DB_FOUND_EMPTY;
        return 0;
    }
    return refuse(err,
                  "%s is an SQLite database but not a tach store (it has %d table%s and no "
                  "tach_meta); left unchanged",
                  path, ntables, ntables == 1 ? "" : "s");
}

static int wal_mode(sqlite3 *h, const char *path, char *err)
{
    /* Switching to WAL needs a moment alone with the file: retry while others hold it. */
    for (int attempt = 0; attempt < 600; attempt++) {
        sqlite3_stmt *st = NULL;
        int rc = sqlite3_prepare_v2(h, "PRAGMA journal_mode = WAL", -1, &st, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_step(st);
        const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
        bool ok = mode && !strcmp(mode, "wal");
        sqlite3_finalize(st);
        if (ok) return 0;
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED && rc != SQLITE_ROW)
            return tach__err(err, "cannot put store %s in WAL mode: %s", path, sqlite3_errmsg(h));
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return tach__err(err, "cannot put store %s in WAL mode: it stayed busy", path);
}

static void s_close(tool_db *db);

tool_db *tool_db_sqlite_open(const char *path, bool create, bool readonly, bool check,
                               tool_db_found *found, bool *damaged, char *err)
{
    *damaged = false;
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (!exists) {
        if (errno != ENOENT) {
            tach__err(err, "cannot open store %s: %s", path, strerror(errno));
            return NULL;
        }
        if (!create || readonly) {
            tach__err(err, "no store at %s (record a run first)", path);
            return NULL;
        }
        if (mkdir_parents(path, err) != 0) return NULL;
        *found = TOOL_DB_FOUND_EMPTY;
    } else {
        /* A directory, a FIFO or a device where the store should be is a wrong path, as
         * a file that is not a store is: refused for what is there, before it is opened
         * (a FIFO's open could block). */
        if (!S_ISREG(sb.st_mode)) {
            tach__err(err, "store %s is not a regular file", path);
            *damaged = true;
            return NULL;
        }
        /* A store this process may not write is refused before anything else: opened
         * for writing all the same, SQLite would fail only at the first write, after a
         * whole run (the run lost). */
        if (!readonly && access(path, W_OK) != 0) {
            tach__err(err, "cannot write store %s: %s", path, strerror(errno));
            return NULL;
        }
        off_t size = 0;
        char wal[4200];
        snprintf(wal, sizeof wal, "%s-wal", path);
        struct stat ws;
        bool wal_existed = lstat(wal, &ws) == 0 || errno != ENOENT;
        char shm[4200];
        snprintf(shm, sizeof shm, "%s-shm", path);
        bool shm_existed = lstat(shm, &ws) == 0 || errno != ENOENT;
        int rc = check_header(path, &size, err);
        if (rc == 0 && size > 0) rc = classify(path, check, found, err);
        else if (rc == 0) *found = TOOL_DB_FOUND_EMPTY;
        if (rc == 0 && *found == TOOL_DB_FOUND_EMPTY && (!create || readonly))
            rc = tach__err(err, "%s is an empty database, not a tach store yet", path);
        if (rc != 0) {
            /* refused: left as found.  (A store accepted is opened below; a connection
             * that may write removes them at its close.) */
            remove_made_wal(path, wal_existed, shm_existed);
            *damaged = rc == REFUSED;
            return NULL;
        }
    }

    tool_db *db = tach__calloc(1, sizeof *db);
    if (db) db->path = tach__strdup(path);
    if (!db || !db->path) {
        tach__free(db);
        tach__err(err, "out of memory");
        return NULL;
    }
    int flags = SQLITE_OPEN_NOMUTEX;
    flags |= readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !readonly) flags |= SQLITE_OPEN_CREATE;
    char *uri = NULL;
    if (readonly && read_immutable(path)) {
        /* No -shm can be made here, so a WAL reader could not start; no log holds runs
         * beyond the file: read the file as it is, without locks. */
        uri = immutable_uri(path);
        if (!uri) {
            tach__err(err, "out of memory");
            s_close(db);
            return NULL;
        }
        flags |= SQLITE_OPEN_URI;
    }
    int rc = sqlite3_open_v2(uri ? uri : path, &db->h, flags, NULL);
    tach__free(uri);
    if (rc != SQLITE_OK) {
        tach__err(err, "cannot open store %s: %s", path,
                  db->h ? sqlite3_errmsg(db->h) : "out of memory");
        s_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(db->h, 0);
    if (!readonly) {
        if (wal_mode(db->h, path, err) != 0 ||
            sqlite3_exec(db->h, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
            if (err && !*err) sql_err(db->h, err, "cannot configure store");
            *damaged = h_corrupt(db->h); /* (damaged since classify read it) */
            s_close(db);
            return NULL;
        }
    }
    return db;
}

/* ---- operations -------------------------------------------------------------- */

static int s_exec(tool_db *db, const char *sql, char *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        if (is_corruption(rc)) db->corrupt = true;
        tach__err(err, "%s", msg ? msg : sqlite3_errmsg(db->h));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int s_begin_write(tool_db *db, char *err)
{
    return s_exec(db, "BEGIN IMMEDIATE", err);
}

static tool_db_stmt *s_prepare(tool_db *db, const char *sql, char *err)
{
    tool_db_stmt *st = tach__calloc(1, sizeof *st);
    if (!st) {
        tach__err(err, "out of memory");
        return NULL;
    }
    st->h = db->h;
    st->db = db;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &st->st, NULL);
    if (rc != SQLITE_OK) {
        if (is_corruption(rc)) {
            db->corrupt = true;
            tach__err(err, "the store is corrupt: a page of store %s is damaged (%s)", db->path,
                      sqlite3_errmsg(db->h));
        } else {
            sql_err(db->h, err, "SQL error");
        }
        tach__free(st);
        return NULL;
    }
    return st;
}

static int s_bind_null(tool_db_stmt *st, int i)
{
    return sqlite3_bind_null(st->st, i) == SQLITE_OK ? 0 : -1;
}

static int s_bind_int64(tool_db_stmt *st, int i, int64_t v)
{
    return sqlite3_bind_int64(st->st, i, v) == SQLITE_OK ? 0 : -1;
}

static int s_bind_double(tool_db_stmt *st, int i, double v)
{
    if (!isfinite(v)) return s_bind_null(st, i);
    return sqlite3_bind_double(st->st, i, v) == SQLITE_OK ? 0 : -1;
}

static int s_bind_text(tool_db_stmt *st, int i, const char *v)
{
    if (!v) return s_bind_null(st, i);
    return sqlite3_bind_text(st->st, i, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int s_bind_blob(tool_db_stmt *st, int i, const void *p, size_t len)
{
    if (!p) return s_bind_null(st, i);
    return sqlite3_bind_blob64(st->st, i, p, len, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : -1;
}

static int s_step(tool_db_stmt *st, char *err)
{
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    if (is_corruption(rc)) {
        st->db->corrupt = true;
        return tach__err(err, "the store is corrupt: a page of store %s is damaged (%s)",
                         st->db->path, sqlite3_errmsg(st->h));
    }
    return tach__err(err, "store %s: %s", st->db->path, sqlite3_errmsg(st->h));
}

static void s_reset(tool_db_stmt *st)
{
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static bool s_col_null(tool_db_stmt *st, int c)
{
    return sqlite3_column_type(st->st, c) == SQLITE_NULL;
}

static tool_db_type s_col_type(tool_db_stmt *st, int c)
{
    switch (sqlite3_column_type(st->st, c)) {
    case SQLITE_INTEGER: return TOOL_DB_INT;
    case SQLITE_FLOAT: return TOOL_DB_REAL;
    case SQLITE_TEXT: return TOOL_DB_TEXT;
    case SQLITE_BLOB: return TOOL_DB_BLOB;
    default: return TOOL_DB_NULL;
    }
}

static int64_t s_col_int64(tool_db_stmt *st, int c)
{
    return sqlite3_column_int64(st->st, c);
}

static double s_col_double(tool_db_stmt *st, int c)
{
    if (s_col_null(st, c)) return NAN;
    return sqlite3_column_double(st->st, c);
}

static const char *s_col_text(tool_db_stmt *st, int c)
{
    return (const char *)sqlite3_column_text(st->st, c);
}

static const void *s_col_blob(tool_db_stmt *st, int c, size_t *len)
{
    const void *p = sqlite3_column_blob(st->st, c);
    *len = (size_t)sqlite3_column_bytes(st->st, c);
    return p;
}

static void s_finalize(tool_db_stmt *st)
{
    if (!st) return;
    sqlite3_finalize(st->st);
    tach__free(st);
}

static bool s_is_corrupt(const tool_db *db)
{
    return db->corrupt;
}

static void s_close(tool_db *db)
{
    if (!db) return;
    sqlite3_close(db->h);
    tach__free(db->path);
    tach__free(db);
}

const tool_db_ops tool_db_sqlite_ops = {
    .name = "sqlite",
    .exec = s_exec,
    .begin_write = s_begin_write,
    .prepare = s_prepare,
    .bind_null = s_bind_null,
    .bind_int64 = s_bind_int64,
    .bind_double = s_bind_double,
    .bind_text = s_bind_text,
    .bind_blob = s_bind_blob,
    .step = s_step,
    .reset = s_reset,
    .col_null = s_col_null,
    .col_type = s_col_type,
    .col_int64 = s_col_int64,
    .col_double = s_col_double,
    .col_text = s_col_text,
    .col_blob = s_col_blob,
    .finalize = s_finalize,
    .close = s_close,
    .is_corrupt = s_is_corrupt,
    .type_id = "INTEGER PRIMARY KEY AUTOINCREMENT",
    .type_int = "INTEGER",
    .type_real = "REAL",
    .type_blob = "BLOB",
};

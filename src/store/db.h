/*
 * db.h - the store's thin SQL layer over its two backends (SQLite, PostgreSQL).
 *
 * The store (store*.c) writes its SQL once, with `?` placeholders; each backend
 * implements this table of operations (db_sqlite.c, db_pg.c).  A PostgreSQL statement
 * has its `?` rewritten to $1, $2, ... when prepared.  Indexes of bound parameters start
 * at 1, of result columns at 0.  A NULL column reads as NULL text, NaN double, 0 integer.
 * Not part of any interface outside src/store/.
 */
#ifndef TACH_STORE_DB_H
#define TACH_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tool_db tool_db;           /* a connection */
typedef struct tool_db_stmt tool_db_stmt; /* a prepared statement */

/* A result value's type as stored: SQLite keeps any value in any column, so a
 * hand-edited store may hold text where tach writes a number. */
typedef enum tool_db_type {
    TOOL_DB_NULL = 0, TOOL_DB_INT, TOOL_DB_REAL, TOOL_DB_TEXT, TOOL_DB_BLOB
} tool_db_type;

typedef struct tool_db_ops {
    const char *name; /* "sqlite" or "postgresql" */
    /* Runs one or more statements without results. */
    int (*exec)(tool_db *db, const char *sql, char *err);
    /* BEGIN a transaction that will write (SQLite: BEGIN IMMEDIATE, taking the write
     * lock now so that busy waiting happens here, not at commit). */
    int (*begin_write)(tool_db *db, char *err);
    tool_db_stmt *(*prepare)(tool_db *db, const char *sql, char *err);
    /* Binding: text NULL binds SQL NULL; a NaN double binds NULL. Return 0 or -1. */
    int (*bind_null)(tool_db_stmt *st, int i);
    int (*bind_int64)(tool_db_stmt *st, int i, int64_t v);
    int (*bind_double)(tool_db_stmt *st, int i, double v);
    int (*bind_text)(tool_db_stmt *st, int i, const char *v);
    int (*bind_blob)(tool_db_stmt *st, int i, const void *p, size_t len);
    /* 1: a row is available; 0: done; -1: error (message in err). */
    int (*step)(tool_db_stmt *st, char *err);
    /* Makes the statement ready to run again; clears bindings. */
    void (*reset)(tool_db_stmt *st);
    bool (*col_null)(tool_db_stmt *st, int c);
    tool_db_type (*col_type)(tool_db_stmt *st, int c);
    int64_t (*col_int64)(tool_db_stmt *st, int c);
    double (*col_double)(tool_db_stmt *st, int c);
    const char *(*col_text)(tool_db_stmt *st, int c); /* valid until the next step/reset */
    const void *(*col_blob)(tool_db_stmt *st, int c, size_t *len); /* idem */
    void (*finalize)(tool_db_stmt *st); /* NULL ok */
    void (*close)(tool_db *db);         /* NULL ok */
    /* When the connection to the server was lost (a server restarted, a backend
     * terminated), makes a new one with the same parameters: 0; 1 when the connection
     * was not lost (nothing done); -1 with err when a new one could not be made.  NULL
     * for a backend without a connection to lose (SQLite). */
    int (*reconnect)(tool_db *db, char *err);
    /* True once an operation met a damaged database (SQLITE_CORRUPT / SQLITE_NOTADB). */
    bool (*is_corrupt)(const tool_db *db);
    /* The backend's spelling of the schema's column types, substituted for the tokens
     * @ID (an auto-increasing 64-bit primary key), @INT, @REAL, @BLOB in DDL. */
    const char *type_id, *type_int, *type_real, *type_blob;
} tool_db_ops;

extern const tool_db_ops tool_db_sqlite_ops;
extern const tool_db_ops tool_db_pg_ops;

/* What opening a SQLite file found (see tool_db_sqlite_open). */
typedef enum tool_db_found {
    TOOL_DB_FOUND_TACH = 0, /* a tach store (has tach_meta) */
    TOOL_DB_FOUND_EMPTY,    /* an empty database (no tables at all, or a 0-byte/new file) */
} tool_db_found;

/* Opens an SQLite store file.  Before anything is written the file is checked: its
 * header (the "SQLite format 3" magic, page size, a length matching the header's page
 * count), then a read-only connection reads sqlite_master: a database with tables but
 * no tach_meta is foreign.  Any failure leaves the file as it was and returns NULL, with
 * *damaged true when the file was refused for what it holds (not an SQLite database,
 * truncated, corrupt, foreign, a damaged tach_meta) or for not being a file (a
 * directory, a FIFO, a device in its place), and false when it could not be found,
 * opened, read or written.  create: create a missing file (and its directory).
 * readonly: never write.  check: also run PRAGMA quick_check through the read-only
 * connection.  On success the connection is in WAL mode (unless readonly) with a busy
 * timeout. */
tool_db *tool_db_sqlite_open(const char *path, bool create, bool readonly, bool check,
                               tool_db_found *found, bool *damaged, char *err);
/* Whether this process may write the store file at path and make SQLite's side files
 * (-wal, -shm) beside it.  A store that it may not write is opened read-only, as
 * immutable unless a log with content lies beside it: in a directory it cannot write,
 * SQLite could not make the side files a WAL reader needs, and in one it can, it would
 * leave them there, this process's, for the store's owner to trip over. */
bool tool_db_sqlite_writable(const char *path);

/* Connects to a PostgreSQL store (a libpq URL).  *has_meta tells whether tach_meta
 * exists in the connection's search path. */
tool_db *tool_db_pg_open(const char *url, bool *has_meta, char *err);

#endif /* TACH_STORE_DB_H */

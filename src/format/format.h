/*
 * format.h - the formats a results document is read from and written in, one file
 * each in src/format/, and the one table of them that every command uses.
 *
 * A format is a row of tach__formats: its name (what --to, --format and --export-NAME
 * take), the extensions its files usually have, and its reader and writer, each NULL
 * when the format only goes one way.  Readers take parsed JSON (every format tach
 * reads is JSON) and recognise their own input with detect.  Adding a format is
 * adding one file that defines its tach__format and one row in format.c.
 *
 * The conventions of tach_internal.h hold: 0/-1 or NULL with a message in err
 * (TACH__ERR_MAX); nothing is printed; text is freed with tach__free.
 */
#ifndef TACH_FORMAT_H
#define TACH_FORMAT_H

#include "tach_internal.h"

typedef struct tach__format {
    const char *name;       /* "json", "gbench", ... */
    const char *extensions; /* usual file extensions, space separated: ".json" */
    const char *summary;    /* one line for help texts */
    /* Whether parsed JSON j is this format's input; NULL: not read. */
    bool (*detect)(const json_t *j);
    /* A document from this format's JSON; path names the source in messages and in
     * the document's context.  NULL with err set on a file that does not fit. */
    tach__doc *(*read)(const json_t *j, const char *path, char *err);
    /* The document as text (with *len its length, len may be NULL); NULL with err
     * set.  NULL: not written. */
    char *(*write)(const tach__doc *d, size_t *len, char *err);
} tach__format;

extern const tach__format tach__format_json, tach__format_hyperfine, tach__format_gbench,
    tach__format_csv, tach__format_markdown, tach__format_asciidoc, tach__format_orgmode,
    tach__format_bmf, tach__format_github, tach__format_console, tach__format_hlog;

/* The i-th format of the table, NULL past its end. */
const tach__format *tach__format_at(size_t i);
/* The format called name, or NULL. */
const tach__format *tach__format_find(const char *name);
/* The names of the formats that can be written, ", "-separated, into buf. */
const char *tach__format_writable_names(char *buf, size_t size);

/* Reads a results file in any format that has a reader: the tach document, Google
 * Benchmark's or hyperfine's JSON.  Bare NaN and Infinity tokens (Google Benchmark
 * writes them) are read as null.  Every sample-bearing result has its summary
 * computed from its samples (seeded with TACH__DEFAULT_SEED).  A result without a name,
 * or a name found twice, is refused (every reader matches results by name).  A
 * leading UTF-8 byte order mark is skipped. */
tach__doc *tach__format_read_file(const char *path, char *err);
/* The same, and *top (may be NULL) gets the file's top-level JSON object (a new
 * reference: json_decref it) when the document was read from JSON, for keys beside the
 * document its reader does not take (a document kept for a later `tach record` carries
 * "tags"); NULL otherwise (an HdrHistogram log, a failure). */
tach__doc *tach__format_read_file_top(const char *path, json_t **top, char *err);
/* d written in the named format; NULL with err set (unknown format included). */
char *tach__format_write(const tach__doc *d, const char *name, size_t *len, char *err);

/* Recomputes every summary in d from its raw samples (seeded with the document's
 * context.settings.seed, else TACH__DEFAULT_SEED, and settings.resamples), so that figures a file carries
 * can never disagree with its samples.  0, or -1 with err (json.c). */
int tach__doc_resummarize(tach__doc *d, char *err);

/* Appends the complexity fits and thread sweeps of d to the console table's text
 * (console_fits.c; nothing when d has neither). */
void tach__table_fits(const tach__doc *d, tach__buf *b);

/* Appends Google Benchmark's "_BigO" and "_RMS" rows of d's complexity fits to rows
 * (gbench_bigo.c); family_index: each result's family_index.  -1 when out of memory. */
int tach__gbench_bigo_rows(const tach__doc *d, const size_t *family_index, json_t *rows);

/* ---- helpers the formats share (format.c) ---- */

/* j as indented JSON text with a final newline, reals with precision significant
 * digits (17 round-trips every double; 15 prints 0.003 rather than
 * 0.0030000000000000001).  Steals j. */
char *tach__format_json_dump(json_t *j, int precision, size_t *len, char *err);
/* v in the shortest decimal form that reads back as the same double ("0.1", not
 * "0.10000000000000001"); buf of at least 32 bytes. */
const char *tach__fmt_shortest(double v, char *buf, size_t size);
/* Whether d is a --quick run's: a smoke test with few samples (context.suite.quick, what
 * tach suite --quick writes; docs/suites.md). */
bool tach__doc_quick(const tach__doc *d);
/* Marks d a --quick run's (context.suite.quick = true), as an import of a file tach
 * wrote of one reads it back.  0, or -1 out of memory. */
int tach__doc_set_quick(tach__doc *d);

/* s as a CSV text cell: quoted when it holds a comma, quote, CR or LF (RFC 4180, inner
 * quotes doubled), and quoted with a ' before it when it starts as a spreadsheet formula
 * does (= + - @, a tab or a CR: OWASP's CSV injection advice), so that Excel, LibreOffice
 * and Sheets show "'=1+2" as text instead of running it.  Numbers are not written
 * through it: -0.5 stays a number.  NULL: nothing.  Out of memory, b fails (oom). */
void tach__csv_text(tach__buf *b, const char *s);
/* A Markdown table cell's text: | escaped, line breaks as spaces, < as &lt;.  NULL:
 * nothing.  The reports (src/report/) and the Markdown export use these two only. */
void tach__md_text(tach__buf *b, const char *s);
/* s as a Markdown code span in a table cell: fenced with one backtick more than
 * the longest run inside it (CommonMark), | escaped, line breaks as spaces (and <
 * kept: a code span shows it as written).  NULL is the empty span. */
void tach__md_code(tach__buf *b, const char *s);
/* The same code span outside a table (a heading, a list item, a paragraph): | kept,
 * since only a table cell reads \| as |; elsewhere the backslash would show. */
void tach__md_code_inline(tach__buf *b, const char *s);

/* Rewrites b's text so that a Markdown document never carries a terminal escape
 * sequence: every control character but newline and tab (C0 such as ESC and CR, DEL,
 * and C1 such as the 8-bit CSI U+009B) as the text \u001b, a byte that does not start
 * valid UTF-8 as \xff; ordinary UTF-8 is kept.  The last step of every Markdown writer
 * (the reports, certificates and `tach convert --to markdown`), and of the AsciiDoc and
 * Org tables. */
void tach__md_controls(tach__buf *b);

/* The table hyperfine exports (Markdown, AsciiDoc, Org): one unit for the whole
 * table, and per result its label and cells, or measured false with status. */
typedef struct tach__table_row {
    const char *label; /* the command, else the name */
    bool measured;
    const char *status;
    char mean[64], min[32], max[32], relative[64];
} tach__table_row;
typedef struct tach__table {
    const char *unit; /* "s", "ms", "µs", "ns" */
    tach__table_row *rows;
    size_t nrows;
} tach__table;
int tach__table_build(const tach__doc *d, tach__table *t, char *err);
void tach__table_free(tach__table *t);

/* ---- memory and CPU counters as text (resources_text.c) ---- */

/* Bytes with a binary unit: "48 B", "1.50 KiB", "3.20 MiB"; "-" for NaN. */
const char *tach__fmt_bytes(double bytes, char *buf, size_t size);
/* The console table's extra columns that d's results need, appended to names (n used,
 * at most max): "allocs/iter", "bytes/iter", "peak" when memory was counted, each CPU
 * counter measured, "IPC".  Returns the new count. */
size_t tach__resource_columns(const tach__doc *d, char names[][64], size_t n, size_t max);
/* r's cell under the column name ("-" or "n/a" when r has none; a scaled counter ends
 * with '*'); false when name is not one of those columns. */
bool tach__resource_cell(const tach__result *r, const char *name, char *buf, size_t size);
/* Appends ", LEAK +48 B/iter" and ", missed allocs/iter ≤ 2 (3)" pieces (memory and RSS
 * targets) to the text in buf; returns how many (each a failure). */
size_t tach__resource_status(const tach__result *r, char *buf, size_t size);
/* The lines under a table: why memory was not counted, which counters are absent and
 * why (one line per reason; a memory reason names its benchmarks, "a, b: why", unless
 * every benchmark that ran (status ok) shares it). */
void tach__resource_notes(const tach__doc *d, tach__buf *b);
/* ---- the latency section (latency_text.c) ---- */

struct tach__latency;
struct tach__lat_pct;
/* n with thousands separators ("152,300"); returns buf (>= 32 bytes). */
const char *tach__fmt_count(int64_t n, char *buf, size_t size);
/* "p99.9 from 2,000 calls: 2 samples": how a thin tail is named; returns buf. */
const char *tach__latency_thin_text(const struct tach__latency *l, const struct tach__lat_pct *q,
                                    char *buf, size_t size);
/* Appends, for every result of d with a latency block, its percentiles with CIs and
 * tail samples (thin tails marked, too-short bodies said so); as Markdown or as the
 * console's text.  Nothing when no result has one. */
void tach__latency_section(tach__buf *b, const tach__doc *d, bool markdown);

/* ---- HdrHistogram's interval log, the one text format read (hlog.c) ---- */

/* Whether text starts like an .hlog (a "#[" header, the legend, a Tag= line or a bare
 * interval line ending in HIST...). */
bool tach__hlog_looks_like(const char *text);
/* Whether d holds per-call latency to write as an interval log (a result with a latency
 * block); without any, the log would be a header no reader takes. */
bool tach__hlog_has_latency(const tach__doc *d);
/* 0 when each result with a latency block gets a tag of its own; -1 with err naming
 * two that would share one ("a b" and "a_b": ',' and white space become '_'), whose
 * intervals a reader would merge into one histogram. */
int tach__hlog_check_tags(const tach__doc *d, char *err);
/* A document from an interval log: one result per tag (untagged: the file's base
 * name), its intervals merged into its latency block.  NULL with err naming the line. */
tach__doc *tach__hlog_read_text(const char *text, size_t len, const char *path, char *err);

#endif /* TACH_FORMAT_H */

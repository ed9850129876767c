/*
 * callgrind.h - what instruction mode shares between libtach (the benchmark
 * binaries' --metric instructions, src/bench/instr.c) and the tool (`tach run
 * --metric instructions`): finding Valgrind, reading the totals of a callgrind
 * output file, turning event counts into a tach__instr, and Valgrind's own message
 * when a program could not run under it.  Library internal (tach__ prefix); no
 * dependency on Valgrind at build or run time beyond the program itself.
 */
#ifndef TACH_CALLGRIND_H
#define TACH_CALLGRIND_H

#include <stdbool.h>
#include <stddef.h>

#include "tach_internal.h"

/* The events callgrind counts: Ir always, the others with --cache-sim=yes. */
enum {
    TACH__EV_IR = 0, TACH__EV_DR, TACH__EV_DW, TACH__EV_I1MR, TACH__EV_D1MR, TACH__EV_D1MW,
    TACH__EV_ILMR, TACH__EV_DLMR, TACH__EV_DLMW, TACH__NEV
};

/* The one line said when Valgrind is missing (no trailing newline): a format whose one
 * %s is the metric asked for ("instructions", "cycles-est"). */
#define TACH__VALGRIND_MISSING_FMT \
    "--metric %s needs Valgrind, which is not installed (Debian package: valgrind)"

/* The one line said when the valgrind found cannot start its callgrind tool: a format
 * taking the metric, the valgrind path and what went wrong (tach__valgrind_starts' err). */
#define TACH__VALGRIND_NO_TOOL_FMT                                                          \
    "--metric %s needs Valgrind's callgrind tool, which %s cannot start: %s; check its " \
    "installation (Debian package: valgrind)"

/* Finds the valgrind executable on PATH.  Writes its path into path (size bytes).  Returns 0, or -1 with
 * err saying Valgrind is not installed and where it looked (no metric named: the caller
 * says which one needs it, with TACH__VALGRIND_MISSING_FMT). */
int tach__valgrind_find(char *path, size_t size, char *err);

/* Reads the event totals of one callgrind output file (its "events:" line and its
 * "summary:" or "totals:" line) into ev (TACH__NEV counts; an event the file does
 * not have is 0).  Returns 0, or -1 with err naming the file and what is wrong. */
int tach__callgrind_read(const char *path, double ev[TACH__NEV], char *err);

/* Fills m from per-iteration event counts ev (instructions, and with cache_sim the
 * misses and the estimated cycles: L1 hits + 5 x LL hits + 35 x RAM accesses). */
void tach__instr_from_events(const double ev[TACH__NEV], bool cache_sim, tach__instr *m);

/* What a Valgrind log file says went wrong: its lines without the "==PID== "
 * prefix and without the banner, the most telling first (an unhandled
 * instruction, a fatal error), joined by "; ", at most about 400 bytes.  Of a
 * process a signal ended, what follows "Process terminating with default action
 * of signal N" (a fault's address, then the frame, "at FUNC (FILE:LINE)": for a
 * signal sent from libc's raise, abort or an assert's failure, their caller), not
 * the line itself: the caller names the signal.  Caller frees; NULL when the log says nothing or cannot be read. */
char *tach__valgrind_log_message(const char *log_path);

/* Removes the regular files in dir and then dir itself (a temporary directory of
 * callgrind output).  Errors are ignored: at worst a temporary file stays. */
void tach__remove_flat_dir(const char *dir);

/* Makes the temporary directory of one count under Valgrind into dir (PATH_MAX bytes):
 * $TMPDIR/tach-instr-XXXXXX, else in /tmp.  A $TMPDIR of 2030 bytes or more was cut to
 * fit half a path (no directory made, "Invalid argument"), and one of about 867 or more
 * crashed Valgrind on its log file's path: 0, or -1 with err naming TMPDIR when it is
 * longer than 855 bytes (some margin kept) or no directory can be made in it ("...; set
 * TMPDIR"); *usage says whether it was $TMPDIR (the caller's to fix) rather than /tmp. */
int tach__instr_dir_make(char *dir, char *err, bool *usage);

/* Whether any result of d was measured in instruction mode (has_instr). */
bool tach__doc_has_instr(const tach__doc *d);
/* Whether d was measured in instruction mode: a result has counts, or the run's
 * context.settings.metric is "instructions" (a run whose every benchmark failed under
 * Valgrind counted nothing, and timed nothing either). */
bool tach__doc_instr_mode(const tach__doc *d);
/* The console table of a document measured in instruction mode
 * (src/format/instr_table.c): instructions per iteration, and with --cache-sim the
 * L1 and LL misses and the estimated cycles, then the status.  color: ANSI colours
 * on the status.  Caller frees; NULL when out of memory. */
char *tach__instr_table(const tach__doc *d, bool color);
/* A count per iteration as the tables show it: whole numbers without decimals
 * ("1003"), others with two ("7.23"); "-" for NaN.  Returns buf. */
const char *tach__fmt_per_iter(double v, char *buf, size_t size);

#endif /* TACH_CALLGRIND_H */

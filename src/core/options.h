/*
 * options.h - one declarative option table per command, read by one parser, with the
 * --help text generated from the same table (library internal, tach__opt_ prefix).
 *
 * The benchmark binaries (src/bench/runner.c) and every subcommand of the tach tool
 * describe their options as an array of tach__opt rows.  tach__opt_parse reads argv
 * against it: "--opt=value" and "--opt value" everywhere, "-x value" and "-xvalue" for
 * a short alias, one value syntax per kind (durations take the same units everywhere,
 * seeds are decimal or 0x hex everywhere), and one message style:
 *   --opt: 'VALUE' is not a duration, expected a number of seconds or 500ms, 2s, 1m
 * written into the caller's err buffer; the caller prefixes "PROG: " and exits 2.
 * An unknown option's message names the closest known one ("did you mean --runs?").
 */
#ifndef TACH_OPTIONS_H
#define TACH_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tach_internal.h"

/* What an option's value is, and the C type it is stored as (at base + offset). */
typedef enum tach__opt_kind {
    TACH__OPT_SECTION = 0, /* not an option: a heading in --help ("runs:") */
    TACH__OPT_FLAG,        /* no value; bool set to true */
    TACH__OPT_STRING,      /* const char * (points into argv); empty refused unless lo < 0 */
    TACH__OPT_COUNT,       /* long: a whole decimal number in [lo, hi] */
    TACH__OPT_REAL,        /* double: a finite number in [lo, hi] */
    TACH__OPT_PERCENT,     /* double: "1" or "1%" in percent within [lo, hi], stored as a
                            * fraction (0.01) */
    TACH__OPT_DURATION,    /* double seconds in [lo, hi]: a number of seconds, or with a
                            * unit ns, us, ms, s, m or h ("500ms", "1.5s", "2m"); never
                            * above TACH__OPT_DURATION_MAX, whatever hi says */
    TACH__OPT_SEED,        /* uint64_t: decimal, or hex with 0x (never octal) */
    TACH__OPT_ENUM         /* int: the index of the value in choices */
} tach__opt_kind;

/* The longest duration any option takes (about 31.7 years): in nanoseconds it still
 * fits a 64-bit integer with room to add to a clock's reading. */
#define TACH__OPT_DURATION_MAX 1e9

/* Row flags. */
enum {
    TACH__OPT_LO_OPEN = 1u << 0,   /* the value must be above lo, not equal to it */
    TACH__OPT_HI_OPEN = 1u << 1,   /* ... below hi */
    TACH__OPT_OPTIONAL = 1u << 2,  /* the value is optional and only given as --opt=VALUE;
                                    * alone, implied is used (NULL: the fn sees NULL) */
    TACH__OPT_NO_STORE = 1u << 3   /* only checked (and fn called); offset unused */
};

struct tach__opt;
/* Called after a row's value is checked and stored: base as given to the parser, the
 * row, the option as written ("--warmup-runs"), and its value (NULL for a flag).
 * Returns 0, or -1 with a message in err (written as the other messages are). */
typedef int (*tach__opt_fn)(void *base, const struct tach__opt *opt, const char *name,
                            const char *value, char *err);

typedef struct tach__opt {
    tach__opt_kind kind;
    const char *name;        /* the long name without "--"; for a section, its heading */
    char short_name;         /* '-x' alias, or 0 */
    const char *metavar;     /* the value's name in --help ("N", "S", "FILE"); NULL: none */
    size_t offset;           /* where the value goes: offsetof(the caller's struct, field) */
    double lo, hi;           /* bounds (count, real, percent, duration); lo < 0 for a
                              * string: empty allowed */
    unsigned flags;
    const char *const *choices; /* enum: NULL-terminated */
    const char *implied;     /* TACH__OPT_OPTIONAL: the value when none is given */
    tach__opt_fn fn;         /* NULL, or called after storing */
    const char *alias_of;    /* an old spelling kept working: the option it means */
    const char *help;        /* one or more lines ('\n'); the row is hidden from --help
                              * when NULL (only allowed for aliases; listed in a note) */
} tach__opt;

/* How a parse went: the positional arguments in order (pointers into argv), the
 * index of the first argument after "--" (argc when there was none), and how many
 * times each row was given (seen[i] for table[i]). */
typedef struct tach__opt_result {
    char **pos;              /* malloc'd, npos entries */
    int npos;
    int rest;                /* argv[rest..argc-1] follow "--" */
    bool dashdash;           /* "--" was given */
    unsigned char *seen;     /* malloc'd, one per row (saturates at 255) */
} tach__opt_result;

/* Reads argv[first..argc-1] against table (n rows) into base.  Options and positional
 * arguments may be mixed; "--" ends the options.  Returns 0, or -1 with a message in
 * err naming the option and the value (nothing else is changed after the bad one).
 * Free the result with tach__opt_result_free (also after -1). */
int tach__opt_parse(const tach__opt *table, size_t n, void *base, int argc, char **argv,
                    int first, tach__opt_result *res, char *err);
void tach__opt_result_free(tach__opt_result *res); /* NULL ok */

/* How many times the option named name (no "--") was given in res; 0 when unknown. */
int tach__opt_given(const tach__opt *table, size_t n, const tach__opt_result *res,
                    const char *name);

/* The row of an option whose value is optional (TACH__OPT_OPTIONAL) written alone
 * ("--counters", "-i") right before arg (a pointer into argv[first..argc-1], as
 * tach__opt_result's pos holds), or NULL.  arg was then read as a positional argument,
 * not as the option's value (given only as --opt=VALUE): what an error about arg may say. */
const tach__opt *tach__opt_optional_before(const tach__opt *table, size_t n, int argc,
                                           char **argv, int first, const char *arg);

/* Appends the options part of a --help text generated from table: one line per row
 * ("  -w, --warmup-runs N   help"), sections as headings, aliases in a closing note. */
void tach__opt_help(const tach__opt *table, size_t n, tach__buf *out);

/* Parses s as kind (the same syntax tach__opt_parse accepts) into out (a long, double,
 * uint64_t as for the kind).  0, or -1 when s is not one (no message); a count also -2
 * when s is digits alone, too many for a long, and -3 when it is '-' and digits not all 0
 * (a whole number below 0: "-1"), a seed -2 when it is 2^64 or more (out untouched). */
int tach__opt_parse_count(const char *s, long *out);
int tach__opt_parse_seed(const char *s, uint64_t *out);
/* a duration: finite, any size; -2 for one written as a duration but beyond a double in
 * seconds ("1e400s", "1e300h", "-1e400ms"), *out then its sign's infinity; -3 as
 * tach__opt_parse_real's, and for one too close to 0 in seconds ("1e-300ns") */
int tach__opt_parse_duration(const char *s, double *out);
/* The bytes one unit of a size stands for, the unit being the len bytes at unit, in any
 * case: none or b, 1; k, m, g or t alone or followed by i or ib, a power of 1024 (as dd
 * and fio read 4k and 1M); followed by b alone, a power of 1000 (1MB is 10^6 bytes).
 * 0, or -1 when it is no such unit.  The command line's sizes (tach__opt_parse_size) and
 * .tach/config's read their units with it, so a word means the same bytes in both. */
int tach__opt_size_unit(const char *unit, size_t len, uint64_t *bytes);
/* A size in bytes: digits, then optionally a unit (tach__opt_size_unit: "512", "4k",
 * "64KiB", "1MB", "2G", "1TiB").  0 is read (a caller wanting a size above 0 checks); -1
 * when s is NULL or not such a size; -2 when it is one whose bytes do not fit in 64 bits
 * ("99999999999999999999", "20000000T": too large, out untouched).  tach
 * --max-input-size and tach suite's sizes read theirs with it (tach__param_number reads a
 * parameter's value, a number that may be a size, with rules of its own). */
int tach__opt_parse_size(const char *s, uint64_t *out);
/* A finite decimal number at the start of s, as the command line writes one ("2", "-0.5",
 * "1e6"): refuses a leading blank and strtod's other forms ("0x1p3", "inf", "nan").
 * *endp is set past it (the caller decides what may follow).  0, or -1; -2 for a number
 * written as one but beyond a double ("1e400", "-1e400"), *out then its sign's infinity
 * (a message says too large, not "not a number"); -3 for one written as a number but too
 * close to 0 for a double ("1e-400", a subnormal "1e-310"), *out then 0: a caller that
 * takes 0 may read it as 0, one that needs a number above 0 calls it too small. */
int tach__opt_parse_real(const char *s, double *out, char **endp);

/* The candidate closest to word by edit distance (a close typo or a prefix), or NULL
 * when none is close enough to suggest. */
const char *tach__opt_suggest(const char *word, const char *const *cands, size_t ncands);

#endif /* TACH_OPTIONS_H */

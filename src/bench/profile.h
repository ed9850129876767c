/*
 * profile.h - sampled profiles (docs/profiling.md): the raw stacks a sampler
 * collects (prof_raw.c), the samplers (prof_sample.c: perf_event_open cpu-clock
 * with a ring buffer, or setitimer(ITIMER_PROF) when the kernel refuses), DWARF
 * unwinding of a sample's copied stack (prof_unwind.c, libdw), symbolization
 * (prof_symbol.c, libdw, each address once), the symbolized profile and its
 * outputs (prof_model.c: folded stacks, the bottleneck table; prof_speedscope.c;
 * prof_svg.c: the flame graph), and the benchmark runner's use of all of it
 * (prof_run.c).  Private to libtach and the tool (tach__ prefix).
 */
#ifndef TACH_PROFILE_H
#define TACH_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "tach_internal.h"

/* The default sampling rate, and the accepted range of --profile-hz. */
#define TACH__PROF_DEFAULT_HZ 997
#define TACH__PROF_MAX_HZ 20000
/* The deepest stack kept (deeper ones keep their leaf-most frames). */
#define TACH__PROF_MAX_DEPTH 128

/* ---- raw stacks (prof_raw.c) ------------------------------------------------ */

/* Distinct call stacks of lookup addresses (leaf first; a return address is
 * already moved back into its call instruction) with their sample counts. */
typedef struct tach__prof_stack {
    uint64_t count;
    uint32_t depth;
    uint64_t *pcs;
} tach__prof_stack;

typedef struct tach__prof_raw {
    tach__prof_stack *stacks;
    size_t nstacks, cap;
    size_t *index;            /* open addressing: stack index + 1, 0 = empty */
    size_t index_cap;
    uint64_t samples;         /* all samples added */
    uint64_t lost;            /* samples the kernel dropped (ring buffer full) */
    uint64_t dwarf;           /* samples whose stack came from DWARF unwinding */
    uint64_t other;           /* samples in children that ran another program (counted,
                               * not symbolized: their mappings are not kept) */
    char method[64];          /* "perf_event cpu-clock", "setitimer(ITIMER_PROF)" */
    char note[TACH__ERR_MAX]; /* why the fallback sampler was used, "" when not */
    char *maps;               /* for another process: its mappings, /proc/PID/maps text */
} tach__prof_raw;

tach__prof_raw *tach__prof_raw_new(void);
void tach__prof_raw_free(tach__prof_raw *r);
/* Forgets every stack and count (keeps the method). */
void tach__prof_raw_clear(tach__prof_raw *r);
/* Adds count samples of the stack pcs[0..depth) (leaf first).  -1 on no memory. */
int tach__prof_raw_add(tach__prof_raw *r, const uint64_t *pcs, size_t depth, uint64_t count);
/* {"method":..., "samples":N, "lost":N, "dwarf":N, "stacks":[[count, pc...], ...]} */
json_t *tach__prof_raw_to_json(const tach__prof_raw *r);
/* Adds the stacks and counts of j (as written above) to r. */
int tach__prof_raw_merge_json(tach__prof_raw *r, const json_t *j, char *err);

/* ---- samplers (prof_sample.c) ----------------------------------------------- */

typedef struct tach__sampler tach__sampler;

/* Samples this thread (pid 0), the threads of this process that exist already and
 * those it starts from now on (not the processes it forks), at hz samples per second
 * of each one's CPU time into raw, user space only, disabled until
 * tach__sampler_enable.  perf_event_open's cpu-clock event, one per CPU, with
 * frame-pointer call chains and, when DWARF unwinding is available, a copy of the
 * registers and the top of the stack; when the kernel refuses perf_event_open,
 * setitimer(ITIMER_PROF) with a SIGPROF handler (the process's CPU time, so all its
 * threads; the reason is in *note, which may be NULL, TACH__ERR_MAX bytes).  Returns
 * NULL with err when neither works. */
tach__sampler *tach__sampler_open_self(int hz, tach__prof_raw *raw, char *note, char *err);
/* Samples the process pid and every thread and child it starts (the events are
 * inherited), one event per CPU, from its next execve (enable_on_exec); the
 * mappings it makes are kept in raw->maps, and each sample's registers and stack
 * copy until tach__sampler_finish unwinds them.  For `tach run --profile`. */
tach__sampler *tach__sampler_open_child(pid_t pid, int hz, tach__prof_raw *raw, char *err);
int tach__sampler_enable(tach__sampler *s);
int tach__sampler_disable(tach__sampler *s);
/* Moves the samples waiting in the ring buffers into raw (unwinding them).
 * Cheap when nothing waits. */
int tach__sampler_drain(tach__sampler *s, char *err);
/* tach__sampler_drain when a ring buffer (or the itimer's buffer) is half full,
 * else nothing: called between the measured samples, so that unwinding runs (and
 * evicts the benchmark's data from the caches) once per hundred samples or so, not
 * after every measured sample; the last drain is tach__sampler_drain's. */
int tach__sampler_drain_due(tach__sampler *s, char *err);
/* After the last drain of a sampler of another process (tach__sampler_open_child):
 * unwinds the samples kept with their registers and stack copies, with the
 * modules of every mapping it made, and adds them to raw.  *note (TACH__ERR_MAX
 * bytes, may be NULL) says so when some were unwound with frame pointers only.
 * 0, or -1 with err (no memory). */
int tach__sampler_finish(tach__sampler *s, char *note, char *err);
void tach__sampler_close(tach__sampler *s);

/* ---- DWARF unwinding (prof_unwind.c) ----------------------------------------- */

typedef struct tach__unwinder tach__unwinder;

/* An unwinder for this process's modules; NULL (err says why) without libdw or
 * on another architecture than x86-64. */
tach__unwinder *tach__unwinder_new_self(char *err);
/* The same for another process, whose modules are listed in maps (/proc/PID/maps
 * text, as tach__sampler_open_child keeps it); the files are opened by name, so the
 * process may have ended. */
tach__unwinder *tach__unwinder_new_maps(const char *maps, char *err);
void tach__unwinder_free(tach__unwinder *u);
/* The perf_event sample_regs_user mask the unwinder reads (0 when none). */
uint64_t tach__unwinder_regs_mask(void);
/* Unwinds one sample: regs as perf_event writes them for the mask above, stack the
 * copy of size bytes starting at the sampled stack pointer.  Writes up to max
 * lookup addresses (leaf first) to pcs; returns their count (0: could not). */
size_t tach__unwind(tach__unwinder *u, const uint64_t *regs, const unsigned char *stack,
                    size_t size, uint64_t *pcs, size_t max);

/* ---- symbolization (prof_symbol.c) ------------------------------------------ */

/* One source frame an address stands for; an address in inlined code gives
 * several, innermost first. */
typedef struct tach__sym {
    const char *func;         /* never NULL: "[unknown]" or "[module+0x1f]" without a symbol */
    const char *file;         /* NULL without debug information */
    int line;                 /* 0 without */
    int decl_line;            /* the function's first line, 0 when unknown */
    const char *module;       /* file name of the module, NULL when unknown */
    bool known;               /* a symbol named it */
    bool has_debug;           /* its module has DWARF line information */
} tach__sym;

typedef struct tach__symtab tach__symtab;

/* Symbols of this process's modules, or (maps != NULL) of the modules listed in
 * /proc/PID/maps text.  Without libdw only this process is known (dladdr). */
tach__symtab *tach__symtab_new(const char *maps, char *err);
void tach__symtab_free(tach__symtab *t);
/* The frames at addr (innermost first), valid until the table is freed; *n gets
 * their count (at least 1).  Each address is looked up once and then cached. */
const tach__sym *tach__symtab_lookup(tach__symtab *t, uint64_t addr, size_t *n);
/* What symbolization is done with: "libdw" or "dladdr". */
const char *tach__symtab_backend(void);

/* From a source line to its function, in one ELF file (prof_lines.c). */
typedef struct tach__elf_lines tach__elf_lines;
/* NULL with err when the file cannot be read (or without libdw). */
tach__elf_lines *tach__elf_lines_open(const char *path, char *err);
void tach__elf_lines_close(tach__elf_lines *e);
/* The name of the function the code of file:line is in, NULL when the line has no
 * code there; valid until the handle is closed.  file either as the DWARF names it
 * (the path a profile's frames show, relative to its compile unit's DW_AT_comp_dir
 * when it was compiled with a relative path) or a path from the current directory
 * (what clang-tidy prints): both are compared as the files they name. */
const char *tach__elf_lines_func(tach__elf_lines *e, const char *file, int line);
/* The path of the source file a profile frame names (file, as the DWARF has it): a
 * relative name joined to the compile directory (DW_AT_comp_dir) of a compile unit
 * whose line table has it, the first such that exists (else the first joined);
 * file itself when absolute or found in none.  Freed by the caller; NULL only when out of memory. */
char *tach__elf_lines_source(tach__elf_lines *e, const char *file);

/* ---- the symbolized profile (prof_model.c) ------------------------------------ */

typedef struct tach__prof_frame {
    char *func, *file, *module;
    int decl_line;
    bool known, has_debug;
    uint64_t self, total;     /* samples with it at the leaf / anywhere in the stack */
    int hot_line;             /* the line most of its self samples fall on (0: none) */
    uint64_t hot_line_samples;
} tach__prof_frame;

typedef struct tach__prof_path {
    size_t *frames;           /* frame indices, root first */
    size_t depth;
    uint64_t count;
    int leaf_line;            /* the line of the leaf frame, 0 when unknown */
} tach__prof_path;

typedef struct tach__profile {
    char *name;               /* the benchmark or command profiled */
    tach__prof_frame *frames; size_t nframes, frames_cap;
    tach__prof_path *paths; size_t npaths, paths_cap;
    uint64_t samples, lost, unknown;  /* unknown: samples whose leaf has no symbol */
    uint64_t other;           /* samples in child programs, not in the stacks */
    uint64_t edge;            /* samples of the runner's own clock reads and bookkeeping
                               * at a measured sample's edges: left out of the stacks */
    bool any_debug;           /* some frame with samples has file:line */
    char method[64];
    char unwind[32];          /* "dwarf", "frame pointers", "dwarf + frame pointers" */
    int hz;
    void *priv;               /* builder's index (frames by key) */
} tach__profile;

/* Symbolizes raw into a profile named name.  Frames of libtach's own runner above
 * the benchmark function (and libc's start-up) are cut from the root end. */
tach__profile *tach__profile_build(const tach__prof_raw *raw, tach__symtab *t, const char *name,
                                   int hz, char *err);
void tach__profile_free(tach__profile *p);
/* The largest sample count folded stacks may hold, per line and in total (2^53:
 * shares stay exact in a double; a day at 1 MHz is under 2^37). */
#define TACH__PROF_MAX_COUNT ((uint64_t)1 << 53)
/* A profile read back from folded stacks ("a;b;c N" lines), as written by
 * tach__profile_folded: function names only (no file, no line).  N is a plain
 * positive decimal (no sign, no space) up to TACH__PROF_MAX_COUNT; otherwise NULL,
 * err "folded stacks, line L: the count 'N' is not ...". */
tach__profile *tach__profile_from_folded(const char *text, const char *name, char *err);
/* Folded stacks: one "root;...;leaf N" line per distinct stack, sorted; a frame is
 * its function's name (';' and line ends turned into '_').  Caller frees. */
char *tach__profile_folded(const tach__profile *p);
/* The bottleneck table: the top n frames by self samples (ties: total), as text
 * (rank, function, file:line, self %, total %, samples) and a summary line with the
 * sample count, the share without a symbol and, without debug information, a note
 * on -g.  Caller frees. */
char *tach__profile_top_text(const tach__profile *p, size_t n);
/* The end of the table's summary line: ", N more on the runner's clock reads ...
 * (left out)" when edge (tach__profile.edge) is not 0, the line's end, and a warning
 * line when they are TACH__PROF_EDGE_WARN or more of all samples (samples + edge): a
 * profile whose samples land on the clock reads is not one of the benchmark. */
#define TACH__PROF_EDGE_WARN 0.2
void tach__profile_edge_note(tach__buf *b, uint64_t samples, uint64_t edge);
/* The same as JSON: {"samples":..., "lost":..., "edge":..., "other":..., "unknown_share":...,
 * "method":..., "unwind":..., "hz":..., "debug_info":..., "top":[{rank, function, file,
 * line, module, self_pct, total_pct, samples}...]} (docs/profiling.md). */
json_t *tach__profile_top_json(const tach__profile *p, size_t n);
/* The frame indices sorted by self samples, most first; caller frees. */
size_t *tach__profile_rank(const tach__profile *p);

/* speedscope's file format (https://www.speedscope.app/file-format-schema.json),
 * one "sampled" profile.  Caller frees. */
char *tach__profile_speedscope(const tach__profile *p);

/* An SVG flame graph (root at the bottom, width = samples; click a frame to zoom,
 * a search box; every frame's text is in the SVG, so it reads without script).
 * With base (may be NULL), a differential graph: each frame coloured by the change
 * of its share against base (red grew, blue shrank).  Caller frees. */
char *tach__profile_svg(const tach__profile *p, const tach__profile *base, const char *title);

/* ---- the benchmark runner's profiles (prof_run.c) ---------------------------- */

/* Where profiles are written without --profile-dir. */
#define TACH__PROF_DEFAULT_DIR ".tach/profile"

/* The file stem of a benchmark's profile: a name made only of [A-Za-z0-9._-], not
 * starting with '.' and at most 180 bytes, is its own stem; any other has a leading "./"
 * left out, every other character turned into '_' (a leading '.' too) and gets '-' and
 * 16 hex digits of the whole name's hash (after its first 163 bytes at most), so that two
 * names differing in punctuation (a/b, a_b; ./x, x) keep files of their own.  Caller
 * frees. */
char *tach__prof_stem(const char *name);
/* The stem tach__prof_stem gave before names with a replaced character or a leading
 * "./" were hashed (only long names were; "./" was stripped): --diff's NEW, a file's own
 * name, keeps it, and a folder an older tach wrote (without TACH__PROF_MARKER) may hold
 * a profile under it (a/b as a_b.folded; copy/bytes=64 as copy_bytes_64.folded; ./x as
 * x.folded).  Caller frees. */
char *tach__prof_stem_old(const char *name);
/* The file tach__profile_write_files writes beside the profiles of a folder: its files
 * are under tach__prof_stem, so that none under tach__prof_stem_old stands for a name
 * whose stem is hashed (a/b's a_b.folded is benchmark a_b's). */
#define TACH__PROF_MARKER ".tach-stems-2"
/* Whether dir holds TACH__PROF_MARKER (a folder this tach wrote profiles into). */
bool tach__prof_dir_marked(const char *dir);
/* DIR/STEM.folded of name: its file under tach__prof_stem, or, in a folder without
 * TACH__PROF_MARKER (an older tach's) when only a file under tach__prof_stem_old is
 * there, that one.  NULL: out of memory.  Caller frees. */
char *tach__prof_folded_path(const char *dir, const char *name);
/* Creates dir and its missing parents (mkdir -p).  0, or -1 with err. */
int tach__prof_mkdirs(const char *dir, char *err);
/* Checks, creating nothing, that dir could be made and written in: dir itself, or its
 * nearest existing ancestor, is a directory this process may write in.  0, or -1 with
 * err ("X is not a directory", "cannot write in X: reason"). */
int tach__prof_dir_check(const char *dir, char *err);
/* Writes DIR/STEM.folded, .speedscope.json and .svg of p (DIR created when
 * missing, TACH__PROF_MARKER written in it when missing).  Returns -1 with err. */
int tach__profile_write_files(const tach__profile *p, const char *dir, char *err);

/* Builds raw's profile, writes its three files into dir and returns the text a
 * benchmark binary prints: a note on the sampler, the top rows of the bottleneck
 * table (none when top is 0 or table is false) and where the files are.  With
 * top_json (may be NULL), *top_json gets the table as tach__profile_top_json (at
 * least 20 rows; NULL without samples) for the results document, with "notes": the
 * text's "note: " and "warning: " lines.  Caller frees;
 * NULL with err on failure.  With write_failed, files that could not be written (a full
 * disk, a path that is no directory) set *write_failed and err, and the text (the table,
 * without the line saying where the files are) is still returned; without it, NULL. */
char *tach__prof_finish(const tach__prof_raw *raw, tach__symtab *t, const char *name, int hz,
                        const char *dir, size_t top, bool table, json_t **top_json,
                        bool *write_failed, char *err);

#endif /* TACH_PROFILE_H */

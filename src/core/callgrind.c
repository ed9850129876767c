/* callgrind.c - Valgrind's side of instruction mode: finding it, reading the
 * totals callgrind writes, the derived cache figures, its message when a program
 * cannot run under it (callgrind.h). */
#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "callgrind.h"

int tach__valgrind_find(char *path, size_t size, char *err)
{
    const char *p = getenv("PATH");
    if (!p || !*p)
        return tach__err(err, "Valgrind is not installed (Debian package: valgrind): PATH is empty");
    while (*p) {
        const char *end = strchr(p, ':');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        /* an empty entry is the current directory */
        int n = len ? snprintf(path, size, "%.*s/valgrind", (int)len, p)
                    : snprintf(path, size, "./valgrind");
        if (n > 0 && (size_t)n < size && access(path, X_OK) == 0) return 0;
        if (!end) break;
        p = end + 1;
    }
    return tach__err(err, "Valgrind is not installed (Debian package: valgrind): not found on "
                          "PATH");
}

static const char *const event_names[TACH__NEV] = {"Ir",   "Dr",   "Dw",   "I1mr", "D1mr",
                                                   "D1mw", "ILmr", "DLmr", "DLmw"};

int tach__callgrind_read(const char *path, double ev[TACH__NEV], char *err)
{
    for (size_t i = 0; i < TACH__NEV; i++) ev[i] = 0;
    char *text = tach__read_file(path, NULL, err);
    if (!text) return -1;
    int slot[TACH__NEV * 2]; /* column k -> event, -1 for one tach does not use */
    size_t ncols = 0;
    bool have_events = false, have_totals = false;
    for (char *line = text; line && *line && !have_totals;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        const char *rest = NULL;
        if (!strncmp(line, "events:", 7)) {
            have_events = true;
            ncols = 0;
            for (char *save = NULL, *t = strtok_r(line + 7, " \t", &save);
                 t && ncols < sizeof slot / sizeof *slot; t = strtok_r(NULL, " \t", &save)) {
                slot[ncols] = -1;
                for (int k = 0; k < TACH__NEV; k++)
                    if (!strcmp(t, event_names[k])) slot[ncols] = k;
                ncols++;
            }
        } else if (!strncmp(line, "summary:", 8)) {
            rest = line + 8;
        } else if (!strncmp(line, "totals:", 7)) {
            rest = line + 7;
        }
        if (rest && have_events) {
            char *q = (char *)rest;
            for (size_t c = 0; c < ncols; c++) {
                errno = 0;
                char *e;
                unsigned long long v = strtoull(q, &e, 10);
                if (e == q) break; /* trailing zero counts may be left out */
                if (errno) {
                    tach__free(text);
                    return tach__err(err, "%s: a count out of range", path);
                }
                if (slot[c] >= 0) ev[slot[c]] = (double)v;
                q = e;
            }
            have_totals = true;
        }
        line = nl ? nl + 1 : NULL;
    }
    tach__free(text);
    if (!have_events) return tach__err(err, "%s: no \"events:\" line; not callgrind output", path);
    if (!have_totals) return tach__err(err, "%s: no \"summary:\" line; not callgrind output", path);
    return 0;
}

void tach__instr_from_events(const double ev[TACH__NEV], bool cache_sim, tach__instr *m)
{
    m->instructions = ev[TACH__EV_IR];
    m->cache_sim = cache_sim;
    if (!cache_sim) {
        m->data_reads = m->data_writes = m->l1_misses = m->ll_misses = m->cycles_est = NAN;
        return;
    }
    m->data_reads = ev[TACH__EV_DR];
    m->data_writes = ev[TACH__EV_DW];
    m->l1_misses = ev[TACH__EV_I1MR] + ev[TACH__EV_D1MR] + ev[TACH__EV_D1MW];
    m->ll_misses = ev[TACH__EV_ILMR] + ev[TACH__EV_DLMR] + ev[TACH__EV_DLMW];
    double accesses = ev[TACH__EV_IR] + ev[TACH__EV_DR] + ev[TACH__EV_DW];
    double l1_hits = accesses - m->l1_misses, ll_hits = m->l1_misses - m->ll_misses;
    m->cycles_est = l1_hits + 5.0 * ll_hits + 35.0 * m->ll_misses;
}

/* Banner lines Valgrind writes in every log. */
static bool banner(const char *s)
{
    static const char *const starts[] = {"Callgrind, a call-graph", "Copyright (C)", "Using Valgrind",
                                         "Command:", "For interactive control", "Events    :",
                                         "Collected :", "I   refs:", "For lists of", "Parent PID:",
                                         "Use --", "I1  misses", "LLi misses", "I1  miss rate",
                                         "LLi miss rate", "D   refs", "D1  misses", "LLd misses",
                                         "D1  miss rate", "LLd miss rate", "LL refs", "LL misses",
                                         "LL miss rate", "(No origin", "Started at", "Startup,",
                                         "Using source line as position"};
    for (size_t i = 0; i < sizeof starts / sizeof *starts; i++)
        if (!strncmp(s, starts[i], strlen(starts[i]))) return true;
    return !*s;
}

/* How telling a line is: 2 the cause, 1 the consequence, 0 anything else. */
static int weight(const char *s)
{
    if (strstr(s, "unhandled instruction") || strstr(s, "Fatal error") || strstr(s, "valgrind: ") ||
        strstr(s, "Unrecognised instruction") || strstr(s, "Shadow memory"))
        return 2;
    if (strstr(s, "Process terminating") || strstr(s, "Illegal opcode") || strstr(s, "failed") ||
        strstr(s, "ERROR"))
        return 1;
    return 0;
}

/* The line's text without Valgrind's "==PID== " prefix and leading blanks, into one. */
static void log_text(const char *line, size_t n, char *one, size_t size)
{
    const char *s = line;
    if (n > 2 && s[0] == '=' && s[1] == '=') { /* "==1234== " */
        const char *e = strstr(s + 2, "== ");
        if (e && e < line + n) s = e + 3;
        else if ((e = strstr(s + 2, "==")) && e + 2 == line + n) s = e + 2;
    }
    size_t len = (size_t)(line + n - s);
    snprintf(one, size, "%.*s", (int)(len < size ? len : size - 1), s);
    while (one[0] == ' ') memmove(one, one + 1, strlen(one));
}

/* Whether a stack frame's text ("FUNC (FILE:LINE)", "FUNC@@GLIBC_2.34 (in LIB)") is in
 * one of libc's functions that send the process a signal of its own (raise, abort,
 * an assert's failure, a detected corruption): not where the program went wrong. */
static bool raising_frame(const char *f)
{
    static const char *const fns[] = {"raise", "abort", "kill", "tgkill", "tkill", "pthread_kill",
                                      "__pthread_kill_implementation", "__pthread_kill_internal",
                                      "__GI_raise", "__GI_abort", "__GI___pthread_kill", "__GI_kill",
                                      "__assert_fail", "__assert_fail_base", "__GI___assert_fail",
                                      "__assert_perror_fail", "__libc_message", "__libc_fatal",
                                      "__fortify_fail", "__chk_fail", "__stack_chk_fail",
                                      "malloc_printerr"};
    size_t n = strcspn(f, " @."); /* pthread_kill@@GLIBC_2.34, f.cold */
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (strlen(fns[i]) == n && !strncmp(f, fns[i], n)) return true;
    return false;
}

/* The frame a signal's stack (its lines from at, "at 0x...: FUNC (...)" then "by 0x..."
 * lines) is said to end in, into out as "at FUNC (FILE:LINE)": the first, unless it is
 * in libc's raise, abort and the like, then the first of their callers with a name (a
 * raise() in main was "at __pthread_kill_implementation (pthread_kill.c:44)"). */
static void crash_frame(const char *at, char *out, size_t size)
{
    char one[512];
    out[0] = '\0';
    for (const char *line = at; line && *line;) {
        const char *nl = strchr(line, '\n');
        log_text(line, nl ? (size_t)(nl - line) : strlen(line), one, sizeof one);
        const char *f = strstr(one, ": ");
        if ((strncmp(one, "at 0x", 5) && strncmp(one, "by 0x", 5)) || !f) break;
        f += 2;
        bool raising = raising_frame(f);
        if (!out[0] || (!raising && strncmp(f, "???", 3))) snprintf(out, size, "at %s", f);
        if (!raising) break;
        line = nl ? nl + 1 : NULL;
    }
}

char *tach__valgrind_log_message(const char *log_path)
{
    char err[TACH__ERR_MAX];
    char *text = tach__read_file(log_path, NULL, err);
    if (!text) return NULL;
    tach__buf b = {0};
    static const char term[] = "Process terminating with default action of signal";
    for (int want = 2; want >= 0 && b.len < 400; want--) {
        /* in the lines after "Process terminating ...": the first that says more (a
         * fault's address) and the first frame, taken as the consequence */
        bool in_term = false, detail = false, frame = false;
        for (char *line = text; line && *line && b.len < 400;) {
            char *nl = strchr(line, '\n');
            size_t n = nl ? (size_t)(nl - line) : strlen(line);
            char one[512];
            log_text(line, n, one, sizeof one);
            int w = weight(one);
            bool frame_line = !strncmp(one, "at 0x", 5) || !strncmp(one, "by 0x", 5);
            if (!strncmp(one, term, sizeof term - 1)) {
                /* the signal is the caller's to name (killed by signal N): said once */
                in_term = true;
                w = -1;
            } else if (in_term && banner(one)) {
                in_term = false;
            } else if (in_term && !frame && !strncmp(one, "at 0x", 5) && strstr(one, ": ")) {
                /* "at 0x10CAC4: main (x.c:3)": "at main (x.c:3)" */
                crash_frame(line, one, sizeof one);
                frame = true;
                frame_line = false;
                w = 1;
            } else if (in_term && !frame_line && !detail) {
                detail = true;
                w = 1;
            } else if (in_term) {
                w = -1;
            }
            if (!banner(one) && w == want && !frame_line && !(b.p && strstr(b.p, one))) {
                if (b.len) tach__buf_puts(&b, "; ");
                tach__buf_puts(&b, one);
            }
            line = nl ? nl + 1 : NULL;
        }
        if (want == 1 && b.len) break; /* the cause and its consequence say enough */
    }
    tach__free(text);
    if (!b.len) {
        tach__buf_free(&b);
        return NULL;
    }
    return tach__buf_take(&b);
}

void tach__remove_flat_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[PATH_MAX];
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p) (void)unlink(p);
        }
        closedir(d);
    }
    (void)rmdir(dir);
}

/* A count's folder, in $TMPDIR (else /tmp).  Valgrind (3.19) crashes (SIGSEGV) on a
 * --log-file argument of about 910 bytes or more, which made every count "crashed:
 * killed by signal 11": the longest one made in it, "--log-file=DIR/valgrind.%p.log",
 * is kept to 900 bytes. */
#define INSTR_DIR "/tach-instr-XXXXXX"
#define INSTR_LOG_ARG_MAX 900
#define INSTR_TMPDIR_MAX (INSTR_LOG_ARG_MAX - sizeof "--log-file=" INSTR_DIR "/valgrind.%p.log" + 1)

int tach__instr_dir_make(char *dir, char *err, bool *usage)
{
    const char *tmp = getenv("TMPDIR");
    bool env = tmp && *tmp;
    if (!env) tmp = "/tmp";
    *usage = env;
    dir[0] = '\0';
    size_t most = INSTR_TMPDIR_MAX;
    if (strlen(tmp) > most) { /* the reason first: a path this long fills the message */
        char pre[160];
        snprintf(pre, sizeof pre, "TMPDIR is too long for a temporary directory in it (%zu bytes, "
                                  "at most %zu: a longer one crashes Valgrind): '", strlen(tmp), most);
        return tach__err_named(err, pre, tmp, "'");
    }
    snprintf(dir, PATH_MAX, "%s" INSTR_DIR, tmp);
    if (mkdtemp(dir)) return 0;
    int e = errno;
    dir[0] = '\0';
    return tach__err_named(err, "cannot make a temporary directory in '", tmp, "'%s: %s%s",
                           env ? " (TMPDIR)" : "", strerror(e), env ? "; set TMPDIR" : "");
}

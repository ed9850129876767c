/*
 * file.c - whole files: reading one, and writing one atomically (a temp file in the
 * same directory, fsync, rename), and the JSON text tach writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tach_internal.h"

/* ---- files ------------------------------------------------------------------- */

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

static int write_atomic(const char *text, size_t len, const char *path, char *err);

/* Where a write to path lands.  A path that is, or links to, something other than a
 * regular file (a FIFO, a terminal, /dev/null, /dev/stdout) is written in place:
 * *direct is set and *target is NULL.  Otherwise *target (caller frees) is the regular
 * file to replace atomically: path itself, or the file a symbolic link names, so that
 * the link stays a link.  A link under /dev or /proc (/dev/stdout to a file the shell
 * opened) is written in place too: replacing its file would leave the shell's open
 * descriptor on the old one.  Returns -1 with err set for a directory. */
static int resolve_target(const char *path, char **target, bool *direct, char *err)
{
    struct stat ls, st;
    *target = NULL;
    *direct = false;
    if (lstat(path, &ls) != 0) { /* not there yet (or unreachable: the write says why) */
        *target = tach__strdup(path);
        return *target ? 0 : tach__err_named(err, "", path, ": out of memory");
    }
    if (!S_ISLNK(ls.st_mode)) {
        if (S_ISDIR(ls.st_mode)) return tach__err_named(err, "cannot write ", path, ": is a directory");
        if (!S_ISREG(ls.st_mode)) {
            *direct = true;
            return 0;
        }
        *target = tach__strdup(path);
        return *target ? 0 : tach__err_named(err, "", path, ": out of memory");
    }
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return tach__err_named(err, "cannot write ", path, ": is a directory");
        if (!S_ISREG(st.st_mode) || !strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6)) {
            *direct = true;
            return 0;
        }
        *target = realpath(path, NULL);
        if (!*target) return tach__err_named(err, "cannot write ", path, ": %s", strerror(errno));
        char *copy = tach__strdup(*target); /* realpath allocates with malloc */
        free(*target);
        *target = copy;
        return copy ? 0 : tach__err_named(err, "", path, ": out of memory");
    }
    /* A link to a file not there yet: create the file at the end of the chain of links
     * (each resolved against its own directory), leaving every link a link. */
    char cur[4096], link[4096];
    snprintf(cur, sizeof cur, "%s", path);
    for (int depth = 0; depth < 40; depth++) {
        ssize_t n = readlink(cur, link, sizeof link);
        if (n < 0 && errno == EINVAL) break; /* not a link: the end of the chain */
        if (n < 0) return tach__err_named(err, "cannot write ", path, ": %s", strerror(errno));
        if ((size_t)n >= sizeof link) return tach__err_named(err, "cannot write ", path, ": link too long");
        link[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dirlen = link[0] != '/' && slash ? (size_t)(slash - cur) + 1 : 0;
        if (dirlen + (size_t)n >= sizeof cur)
            return tach__err_named(err, "cannot write ", path, ": path too long");
        memmove(cur + dirlen, link, (size_t)n + 1);
        if (lstat(cur, &ls) != 0) break; /* not there: this is the file to make */
        if (!S_ISLNK(ls.st_mode)) break;
        if (depth == 39) return tach__err_named(err, "cannot write ", path, ": too many levels of links");
    }
    *target = tach__strdup(cur);
    return *target ? 0 : tach__err_named(err, "", path, ": out of memory");
}

/* Creates a new temporary file beside path (for an atomic rename onto it); returns
 * its descriptor with its name in tmp (tmpmax bytes), or -1 with errno set. */
static int open_temp_beside(const char *path, char *tmp, size_t tmpmax)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    static unsigned counter; /* not thread-safe; O_EXCL makes a collision a retry */
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        snprintf(tmp, tmpmax, "%.*s.%s.tmp.%ld.%u", (int)dirlen, path, path + dirlen,
                 (long)getpid(), counter++);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    return fd;
}

/* Files no output may replace: an existing SQLite database (a history store: one
 * written over by a report lost every run) and tach's own configuration (.tach/config,
 * once it exists: tach init makes it).  0, or -1 with a message naming the file. */
static int refuse_precious(const char *target, bool config_ok, char *err)
{
    int fd = open(target, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return 0; /* not there yet: nothing to lose */
    struct stat st;
    char head[16];
    bool reg = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    bool db = reg && read(fd, head, sizeof head) == (ssize_t)sizeof head &&
              !memcmp(head, "SQLite format 3", sizeof head); /* its 16 bytes, NUL included */
    close(fd);
    if (db)
        return tach__err_named(err, "", target, " is an SQLite database (a history store?): no output "
                                    "is written over one; name another file");
    const char *slash = strrchr(target, '/');
    if (reg && !config_ok && slash && !strcmp(slash + 1, "config")) {
        const char *d = slash; /* the start of the directory's own name */
        while (d > target && d[-1] != '/') d--;
        if (slash - d == 5 && !strncmp(d, ".tach", 5))
            return tach__err_named(err, "", target, " is tach's configuration: no output is written "
                                        "over it; name another file");
    }
    return 0;
}

int tach__check_writable(const char *path, char *err)
{
    if (!path || !*path) return tach__err(err, "no output path given");
    char *target;
    bool direct;
    if (resolve_target(path, &target, &direct, err) != 0) return -1;
    if (direct) {
        if (access(path, W_OK) != 0)
            return tach__err_named(err, "cannot write ", path, ": %s", strerror(errno));
        return 0;
    }
    if (refuse_precious(target, false, err) != 0) {
        tach__free(target);
        return -1;
    }
    /* The surest test of the temporary file's directory is making one there. */
    size_t tmpmax = strlen(target) + 64;
    char *tmp = tach__malloc(tmpmax);
    int fd = tmp ? open_temp_beside(target, tmp, tmpmax) : -1;
    int e = tmp ? errno : ENOMEM;
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    tach__free(tmp);
    int rc = 0;
    if (fd < 0 && e == ENOENT) {
        /* its folder is missing: named as the tool names it, not the temporary file's ENOENT */
        const char *slash = strrchr(target, '/');
        size_t dl = slash == target ? 1 : slash ? (size_t)(slash - target) : 0;
        char shown[TACH__ERR_NAMED_MAX / 3]; /* a long one as long as path would leave it no room */
        if (slash) target[dl] = '\0'; /* target is ours, and freed below */
        rc = tach__err_named(err, "cannot write ", path, ": directory '%s' does not exist",
                             tach__elide(slash ? target : ".", sizeof shown - 1, shown, sizeof shown));
    } else if (fd < 0) {
        rc = tach__err_named(err, "cannot write ", path, ": cannot create a temporary file beside it: %s",
                             strerror(e));
    }
    tach__free(target);
    return rc;
}

/* Writes text in place to a FIFO, a terminal or a device: no temp file, no rename.  Not
 * truncated: /dev/stdout may be the file the shell opened for our own output (or a log
 * opened with >>), which keeps what is in it; a regular file is appended to. */
static int write_in_place(const char *text, size_t len, const char *path, char *err)
{
    struct stat st;
    int append = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? O_APPEND : 0;
    int fd = open(path, O_WRONLY | append | O_CLOEXEC);
    if (fd < 0) return tach__err_named(err, "cannot write ", path, ": %s", strerror(errno));
    int e = write_all(fd, text, len) != 0 ? errno : 0;
    if (close(fd) != 0 && !e) e = errno;
    if (e) return tach__err_named(err, "cannot write ", path, ": %s", strerror(e));
    return 0;
}

static int write_text_file(const char *text, size_t len, const char *out_path, bool config_ok,
                           char *err)
{
    if (!out_path || !*out_path) return tach__err(err, "no output path given");
    if (!text && len) return tach__err_named(err, "", out_path, ": nothing to write");
    char *target;
    bool direct;
    if (resolve_target(out_path, &target, &direct, err) != 0) return -1;
    if (direct) return write_in_place(text, len, out_path, err);
    int rc = refuse_precious(target, config_ok, err) == 0 ? write_atomic(text, len, target, err) : -1;
    tach__free(target);
    return rc;
}

int tach__write_text_file(const char *text, size_t len, const char *out_path, char *err)
{
    return write_text_file(text, len, out_path, false, err);
}

int tach__write_config_file(const char *text, size_t len, const char *path, char *err)
{
    return write_text_file(text, len, path, true, err);
}

/* Replaces the regular file path with text: a temp file beside it (so that rename()
 * is atomic), fsync, rename, then fsync of the directory. */
static int write_atomic(const char *text, size_t len, const char *path, char *err)
{
    const char *slash = strrchr(path, '/');
    size_t dirlen = slash ? (size_t)(slash - path) + 1 : 0;
    size_t tmpmax = strlen(path) + 64;
    char *tmp = tach__malloc(tmpmax);
    if (!tmp) return tach__err_named(err, "", path, ": out of memory");
    int fd = open_temp_beside(path, tmp, tmpmax);
    if (fd < 0) {
        int e = errno;
        tach__free(tmp);
        return tach__err_named(err, "cannot write ", path, ": cannot create a temporary file beside it: %s",
                               strerror(e));
    }
    int e = 0;
    if (write_all(fd, text, len) != 0) e = errno;
    if (!e && fsync(fd) != 0) e = errno;
    if (close(fd) != 0 && !e) e = errno;
    if (!e && rename(tmp, path) != 0) e = errno;
    if (e) {
        unlink(tmp);
        tach__free(tmp);
        return tach__err_named(err, "cannot write ", path, ": %s", strerror(e));
    }
    tach__free(tmp);

    /* Make the rename itself durable (best effort: not every file system allows it). */
    char *dir = tach__malloc(dirlen + 2);
    if (dir) {
        if (dirlen) {
            memcpy(dir, path, dirlen);
            dir[dirlen] = '\0';
        } else {
            strcpy(dir, ".");
        }
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            (void)fsync(dfd);
            close(dfd);
        }
        tach__free(dir);
    }
    return 0;
}

/* Length of the JSON string literal starting at s (s[0] == '"'), quotes included. */
static size_t string_len(const char *s)
{
    size_t i = 1;
    while (s[i] && s[i] != '"') i += s[i] == '\\' && s[i + 1] ? 2 : 1;
    return s[i] ? i + 1 : i;
}

/* If the array opening at s[0] == '[' holds only scalars, returns the offset of its
 * closing ']'; else 0. */
static size_t scalar_array_end(const char *s)
{
    for (size_t i = 1; s[i]; i++) {
        if (s[i] == '"') i += string_len(s + i) - 1;
        else if (s[i] == '[' || s[i] == '{') return 0;
        else if (s[i] == ']') return i;
    }
    return 0;
}

/* Copies the number token at in to *o, shortened when a shorter decimal form reads
 * back as the very same double ("0.1" rather than jansson's "0.10000000000000001").
 * Integers (no '.' or exponent) are copied as they are: they may not fit a double.
 * A real keeps a '.' or an exponent so that it is read back as a real.  Returns the
 * length consumed. */
static size_t put_number(const char *in, char **o)
{
    size_t n = strspn(in, "0123456789+-.eE");
    bool real = memchr(in, '.', n) || memchr(in, 'e', n) || memchr(in, 'E', n);
    char tok[64], best[64];
    if (real && n < sizeof tok) {
        memcpy(tok, in, n);
        tok[n] = '\0';
        double x = strtod(tok, NULL);
        for (int prec = 15; prec <= 16; prec++) {
            int len = snprintf(best, sizeof best, "%.*g", prec, x);
            if (len <= 0 || (size_t)len >= n || strtod(best, NULL) != x) continue;
            if (!strpbrk(best, ".eEn")) strcat(best, ".0"); /* "20" -> "20.0" */
            if (strlen(best) < n) {
                size_t bl = strlen(best);
                memcpy(*o, best, bl);
                *o += bl;
                return n;
            }
            break;
        }
    }
    memcpy(*o, in, n);
    *o += n;
    return n;
}

/* Copies jansson's indented text to out (room for 2 * strlen(in) + 1 bytes), tidied
 * for people: arrays of scalars sit on one line ("ns": [1.5, 2.5]) instead of one
 * element per line, and reals are written in their shortest exact form.  Strings are
 * copied untouched (jansson escapes newlines inside them, so layout whitespace is
 * only ever outside strings).  Returns the length written. */
static size_t tidy_json_text(const char *in, char *out)
{
    char *o = out;
    const char *stop = NULL; /* the ']' of the scalar array being collapsed */
    while (*in) {
        size_t end;
        if (*in == '"') {
            size_t n = string_len(in);
            memcpy(o, in, n);
            o += n;
            in += n;
        } else if (*in == '-' || (*in >= '0' && *in <= '9')) {
            in += put_number(in, &o);
        } else if (stop && in == stop) {
            *o++ = *in++;
            stop = NULL;
        } else if (stop && *in == ',') {
            *o++ = ',';
            *o++ = ' ';
            in++;
        } else if (stop && (*in == ' ' || *in == '\n' || *in == '\t' || *in == '\r')) {
            in++;
        } else if (!stop && *in == '[' && (end = scalar_array_end(in)) != 0) {
            stop = in + end;
            *o++ = *in++;
        } else {
            *o++ = *in++;
        }
    }
    *o = '\0';
    return (size_t)(o - out);
}

char *tach__json_text(const json_t *j)
{
    if (!j) return NULL;
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_REAL_PRECISION(17));
    if (!text) return NULL;
    size_t len = strlen(text);
    char *out = tach__malloc(2 * len + 2);
    if (out) {
        size_t n = tidy_json_text(text, out);
        out[n] = '\n';
        out[n + 1] = '\0';
    }
    free(text); /* jansson allocates with malloc unless the program replaced it */
    return out;
}

int tach__write_json_file(const json_t *j, const char *path, char *err)
{
    if (!j) return tach__err_named(err, "", path ? path : "(null)", ": no JSON to write");
    char *text = tach__json_text(j);
    if (!text)
        return tach__err_named(err, "", path ? path : "(null)", ": cannot encode the JSON (out of memory?)");
    int rc = tach__write_text_file(text, strlen(text), path, err);
    tach__free(text);
    return rc;
}

static uint64_t read_limit = TACH__READ_LIMIT_DEFAULT;

uint64_t tach__read_limit(void)
{
    return read_limit;
}

void tach__set_read_limit(uint64_t bytes)
{
    read_limit = bytes ? bytes : TACH__READ_LIMIT_DEFAULT;
}

int tach__dup_to(int fd, int target)
{
    if (fd != target) return dup2(fd, target) < 0 ? -1 : 0;
    int fl = fcntl(fd, F_GETFD);
    return fl < 0 || fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) != 0 ? -1 : 0;
}

/* The reason of stdout's first failed flush: stdio keeps only an error flag, and a
 * flush after a failed one finds nothing left to write (the buffer was dropped). */
static int stdout_errno;

void tach__stdout_flush(void)
{
    int saved = errno;
    errno = 0;
    if (fflush(stdout) != 0 && errno && !stdout_errno) stdout_errno = errno;
    errno = saved;
}

int tach__stdout_puts(const char *s, bool newline)
{
    int saved = errno;
    errno = 0;
    int rc = fputs(s, stdout) == EOF || (newline && putchar('\n') == EOF) ? EOF : 0;
    if (rc == EOF && errno && !stdout_errno) stdout_errno = errno;
    if (rc == 0) errno = saved;
    return rc;
}

int tach__flush_stdout(char *err)
{
    errno = 0;
    int bad = fflush(stdout) != 0;
    int e = errno;
    if (ferror(stdout)) bad = 1;
    if (!bad) return 0;
    if (!e) e = stdout_errno;
    if (e && !stdout_errno) stdout_errno = e;
    return tach__err(err, "cannot write to standard output: %s", e ? strerror(e) : "write error");
}

const char *tach__size_text(uint64_t b, char *buf, size_t size)
{
    if (b >= ((uint64_t)1 << 30) && b % ((uint64_t)1 << 30) == 0)
        snprintf(buf, size, "%llu GiB", (unsigned long long)(b >> 30));
    else if (b >= ((uint64_t)1 << 20) && b % ((uint64_t)1 << 20) == 0)
        snprintf(buf, size, "%llu MiB", (unsigned long long)(b >> 20));
    else
        snprintf(buf, size, "%llu %s", (unsigned long long)b, b == 1 ? "byte" : "bytes");
    return buf;
}

/* tach__read_file, or with head > 0 at most its first head bytes (*whole, when not
 * NULL, the file's size as it was opened): a file over the input limit is then refused
 * only when more of it than the limit would be read. */
static char *read_file_upto(const char *path, size_t head, size_t *len, uint64_t *whole, char *err)
{
    if (!path) {
        tach__err(err, "no file given");
        return NULL;
    }
    /* O_NONBLOCK: opening a FIFO with no writer must not block; a regular file
     * ignores the flag. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        tach__err_named(err, "cannot open ", path, ": %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        tach__err_named(err, "cannot read ", path, ": %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        tach__err_named(err, "cannot read ", path, ": %s",
                  S_ISDIR(st.st_mode)    ? strerror(EISDIR)
                  : S_ISFIFO(st.st_mode) ? "is a pipe (FIFO), not a regular file"
                  : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "is a device, not a regular file"
                                                               : "not a regular file");
        close(fd);
        return NULL;
    }
    uint64_t limit = read_limit;
    if (head > 0 && (uint64_t)head < limit) limit = head;
    if (whole) *whole = (uint64_t)st.st_size;
    char lim[64];
    tach__size_text(read_limit, lim, sizeof lim);
    if ((uint64_t)st.st_size > limit && !(head > 0 && (uint64_t)head <= read_limit)) {
        tach__err_named(err, "cannot read ", path,
                        ": it is larger than the input limit of %s (--max-input-size raises it)", lim);
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) (void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        tach__err_named(err, "cannot read ", path, ": %s", strerror(errno));
        close(fd);
        return NULL;
    }
    size_t want = head > 0 && (uint64_t)st.st_size > limit ? (size_t)limit : (size_t)st.st_size;
    size_t cap = want + 2 < 65536 ? 65536 : want + 2, n = 0;
    bool too_big = false;
    char *buf = tach__malloc(cap);
    while (buf) {
        size_t room = cap - n - 1;
        if (head > 0 && room > head - n) room = head - n;
        size_t got = room ? fread(buf + n, 1, room, f) : 0;
        n += got;
        if (head > 0 && n == head) break; /* its first head bytes */
        if ((uint64_t)n > limit) { /* it grew while being read */
            too_big = true;
            break;
        }
        if (n < cap - 1) break;
        if (TACH__GROW(&buf, &cap, cap + 1, 0) != 0) { /* doubles it */
            tach__free(buf);
            buf = NULL;
            break;
        }
    }
    if (!buf) {
        fclose(f);
        tach__err_named(err, "", path, ": out of memory");
        return NULL;
    }
    if (too_big) {
        fclose(f);
        tach__free(buf);
        tach__err_named(err, "cannot read ", path,
                        ": it is larger than the input limit of %s (--max-input-size raises it)", lim);
        return NULL;
    }
    if (ferror(f)) {
        int e = errno;
        fclose(f);
        tach__free(buf);
        tach__err_named(err, "cannot read ", path, ": %s", strerror(e));
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

char *tach__read_file(const char *path, size_t *len, char *err)
{
    return read_file_upto(path, 0, len, NULL, err);
}

char *tach__read_file_head(const char *path, size_t head, size_t *len, uint64_t *whole, char *err)
{
    return read_file_upto(path, head, len, whole, err);
}

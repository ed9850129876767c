/*
 * env.c - what the machine and the build were: the environment part of a results
 * document's context, the warnings derived from it, and the machine's fingerprint.
 *
 * Every source is optional: a missing /proc or /sys file makes its key null (or,
 * for lists, empty), never an error.
 */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "tach_internal.h"

#ifndef TACH_COMPILER
#define TACH_COMPILER "unknown"
#endif
#ifndef TACH_BUILD_FLAGS
#define TACH_BUILD_FLAGS ""
#endif
#ifndef TACH_BUILD_TYPE
#define TACH_BUILD_TYPE ""
#endif

/* ---- reading small files under a root --------------------------------------- */

/* Reads root + rel whole (up to a few MB), NUL-terminated; NULL when unreadable. */
static char *slurp(const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s", root, rel);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 8192, n = 0;
    char *buf = tach__malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1 || cap >= (8u << 20)) break;
        if (TACH__GROW(&buf, &cap, cap + 1, 0) != 0) { /* doubles it */
            tach__free(buf);
            buf = NULL;
            break;
        }
    }
    fclose(f);
    if (buf) buf[n] = '\0';
    return buf;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    size_t lead = 0;
    while (isspace((unsigned char)s[lead])) lead++;
    if (lead) memmove(s, s + lead, n - lead + 1);
}

/* The first line of a small file, trimmed, into buf; false when unreadable/empty. */
static bool read_line(const char *root, const char *rel, char *buf, size_t size)
{
    char *t = slurp(root, rel);
    if (!t) return false;
    char *nl = strchr(t, '\n');
    if (nl) *nl = '\0';
    trim(t);
    snprintf(buf, size, "%s", t);
    tach__free(t);
    return buf[0] != '\0';
}

/* Value of the first "key<spaces>: value" line of /proc/cpuinfo-style text. */
static bool field(const char *text, const char *key, char *buf, size_t size)
{
    size_t klen = strlen(key);
    const char *next;
    for (const char *line = text; *line; line = next) {
        const char *eol = strchr(line, '\n');
        next = eol ? eol + 1 : line + strlen(line);
        if (strncmp(line, key, klen) != 0) continue;
        const char *p = line + klen;
        while (*p == ' ' || *p == '\t') p++;
        if (*p != ':') continue; /* "cpu" must not match "cpu family" */
        p++;
        size_t len = (size_t)((eol ? eol : next) - p);
        if (len >= size) len = size - 1;
        memcpy(buf, p, len);
        buf[len] = '\0';
        trim(buf);
        return buf[0] != '\0';
    }
    return false;
}

static bool has_word(const char *line, const char *word)
{
    size_t wl = strlen(word);
    for (const char *p = line; (p = strstr(p, word)) != NULL; p += wl) {
        bool start = p == line || isspace((unsigned char)p[-1]);
        bool end = p[wl] == '\0' || isspace((unsigned char)p[wl]);
        if (start && end) return true;
    }
    return false;
}

static void set(json_t *o, const char *key, json_t *v)
{
    json_object_set_new(o, key, v ? v : json_null());
}

/* ---- individual facts -------------------------------------------------------- */

/* "32K" -> 32, "8M" -> 8192, "1024" (bytes) -> 1. */
static long long parse_size_kib(const char *s)
{
    char *end;
    long long v = strtoll(s, &end, 10);
    if (end == s || v < 0) return -1;
    switch (toupper((unsigned char)*end)) {
    case 'K': return v;
    case 'M': return v * 1024;
    case 'G': return v * 1024 * 1024;
    case '\0': return v / 1024;
    default: return -1;
    }
}

static json_t *caches(const char *root)
{
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s/sys/devices/system/cpu/cpu0/cache", root);
    DIR *dir = opendir(dirpath);
    if (!dir) return json_null();
    /* index0, index1, ... in order (readdir's order is arbitrary). */
    int maxidx = -1;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        int idx;
        if (sscanf(e->d_name, "index%d", &idx) == 1 && idx > maxidx && idx < 64) maxidx = idx;
    }
    closedir(dir);
    json_t *a = json_array();
    for (int i = 0; a && i <= maxidx; i++) {
        char rel[128], level[32], type[64], size[64];
        snprintf(rel, sizeof rel, "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
        if (!read_line(root, rel, level, sizeof level)) continue;
        snprintf(rel, sizeof rel, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
        if (!read_line(root, rel, type, sizeof type)) continue;
        snprintf(rel, sizeof rel, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
        if (!read_line(root, rel, size, sizeof size)) continue;
        long long kib = parse_size_kib(size);
        json_t *c = json_object();
        if (!c) break;
        set(c, "level", json_integer(atoi(level)));
        set(c, "type", json_string(type));
        set(c, "size_kib", kib >= 0 ? json_integer(kib) : json_null());
        json_array_append_new(a, c);
    }
    return a;
}

static json_t *memory_kib(const char *root)
{
    char *t = slurp(root, "/proc/meminfo");
    if (!t) return json_null();
    char v[64];
    json_t *r = json_null();
    if (field(t, "MemTotal", v, sizeof v)) {
        long long kib = strtoll(v, NULL, 10);
        if (kib > 0) {
            json_decref(r);
            r = json_integer(kib);
        }
    }
    tach__free(t);
    return r;
}

static json_t *load_avg(const char *root)
{
    char line[256];
    double l1, l5, l15;
    if (!read_line(root, "/proc/loadavg", line, sizeof line) ||
        sscanf(line, "%lf %lf %lf", &l1, &l5, &l15) != 3 || !isfinite(l1) || !isfinite(l5) ||
        !isfinite(l15))
        return json_null();
    json_t *a = json_array();
    if (a) {
        json_array_append_new(a, json_real(l1));
        json_array_append_new(a, json_real(l5));
        json_array_append_new(a, json_real(l15));
    }
    return a;
}

static json_t *int_file(const char *root, const char *rel)
{
    char line[64];
    char *end;
    if (!read_line(root, rel, line, sizeof line)) return json_null();
    long long v = strtoll(line, &end, 10);
    return end == line ? json_null() : json_integer(v);
}

/* The hypervisor's vendor signature from CPUID leaf 0x40000000 (x86 only), e.g.
 * "KVMKVMKVM"; empty when there is none.  Returns false where there is no CPUID. */
static bool cpuid_hypervisor(char *sig, size_t size)
{
    sig[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    if (!(c & (1u << 31))) return true; /* no hypervisor bit */
    __cpuid(0x40000000, a, b, c, d);
    char s[13];
    memcpy(s, &b, 4);
    memcpy(s + 4, &c, 4);
    memcpy(s + 8, &d, 4);
    s[12] = '\0';
    snprintf(sig, size, "%s", s);
    trim(sig);
    return true;
#else
    (void)size;
    return false;
#endif
}

/* Names a hypervisor from any vendor string we know (CPUID signature, DMI vendor or
 * product, /sys/hypervisor/type); NULL when none matches. */
static const char *hypervisor_name(const char *s)
{
    static const struct { const char *needle, *name; } known[] = {
        {"KVMKVMKVM", "kvm"}, {"KVM", "kvm"}, {"QEMU", "qemu"}, {"TCGTCGTCG", "qemu"},
        {"Microsoft Hv", "hyperv"}, {"Microsoft Corporation", "hyperv"},
        {"VMware", "vmware"}, {"XenVMMXenVMM", "xen"}, {"Xen", "xen"}, {"xen", "xen"},
        {"VBoxVBoxVBox", "virtualbox"}, {"VirtualBox", "virtualbox"}, {"innotek", "virtualbox"},
        {"prl hyperv", "parallels"}, {"Parallels", "parallels"}, {"bhyve", "bhyve"},
        {"ACRNACRNACRN", "acrn"}, {"QNXQVMBSQG", "qnx"}, {"Amazon EC2", "amazon"},
        {"Google", "google"}, {"Firecracker", "firecracker"}, {"Apple", "apple"},
    };
    if (!s || !*s) return NULL;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(s, known[i].needle)) return known[i].name;
    return NULL;
}

/* "none", a hypervisor's name, "unknown" (a hypervisor we cannot name), or null
 * when nothing could be read (no file, no CPUID).  live: also ask CPUID (not a file, so not used when
 * a test reads a crafted tree). */
static json_t *virtualization(const char *root, bool live)
{
    bool evidence = false, readable = false;
    const char *name = NULL;
    char buf[256];

    char *cpuinfo = slurp(root, "/proc/cpuinfo");
    if (cpuinfo) {
        readable = true;
        char flags[8192];
        if (field(cpuinfo, "flags", flags, sizeof flags) && has_word(flags, "hypervisor"))
            evidence = true;
        tach__free(cpuinfo);
    }
    if (live && cpuid_hypervisor(buf, sizeof buf)) {
        readable = true;
        if (buf[0]) {
            evidence = true;
            name = hypervisor_name(buf);
        }
    }
    if (read_line(root, "/sys/hypervisor/type", buf, sizeof buf)) {
        evidence = true;
        if (!name) name = hypervisor_name(buf);
        if (!name) name = "unknown";
    }
    /* DMI names the machine's maker: a VM's virtual firmware names its hypervisor. */
    const char *dmi[] = {"/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name",
                         "/sys/class/dmi/id/bios_vendor"};
    for (size_t i = 0; i < sizeof dmi / sizeof dmi[0]; i++) {
        if (!read_line(root, dmi[i], buf, sizeof buf)) continue;
        readable = true;
        const char *n = hypervisor_name(buf);
        /* "Microsoft Corporation" and "Google" also make physical machines: only
         * trust them when the CPU says it runs under a hypervisor. */
        if (n && (evidence || (strcmp(n, "hyperv") != 0 && strcmp(n, "google") != 0 &&
                               strcmp(n, "amazon") != 0 && strcmp(n, "apple") != 0))) {
            evidence = true;
            if (!name) name = n;
        }
    }
    if (evidence) return json_string(name ? name : "unknown");
    if (readable) return json_string("none");
    return json_null();
}

static json_t *iso_date_now(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[64];
    clock_gettime(CLOCK_REALTIME, &ts);
    if (!gmtime_r(&ts.tv_sec, &tm)) return json_null();
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_string(buf);
}

static json_t *capture(const char *root, bool live)
{
    json_t *o = json_object();
    if (!o) return NULL;
    set(o, "date", iso_date_now());
    set(o, "tach_version", json_string(tach_version()));

    struct utsname u;
    bool have_uname = uname(&u) == 0;
    char host[256];
    if (gethostname(host, sizeof host) == 0) {
        host[sizeof host - 1] = '\0';
        set(o, "host", json_string(host));
    } else {
        set(o, "host", have_uname ? json_string(u.nodename) : NULL);
    }
    set(o, "os", have_uname ? json_string(u.sysname) : NULL);
    set(o, "kernel", have_uname ? json_string(u.release) : NULL);
    set(o, "arch", have_uname ? json_string(u.machine) : NULL);

    char *cpuinfo = slurp(root, "/proc/cpuinfo");
    char v[512];
    json_t *model = NULL;
    if (cpuinfo) {
        /* x86: "model name"; arm64 and others: "Model", "cpu model", "Hardware". */
        const char *keys[] = {"model name", "Model", "cpu model", "cpu", "Hardware"};
        for (size_t i = 0; !model && i < sizeof keys / sizeof keys[0]; i++)
            if (field(cpuinfo, keys[i], v, sizeof v)) model = json_string(v);
    }
    set(o, "cpu_model", model);

    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    set(o, "cpus", ncpu > 0 ? json_integer(ncpu) : NULL);

    json_t *mhz = NULL;
    if (cpuinfo && field(cpuinfo, "cpu MHz", v, sizeof v)) {
        double m = strtod(v, NULL);
        if (m > 0 && isfinite(m)) mhz = json_real(m);
    }
    if (!mhz && read_line(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", v, sizeof v)) {
        double khz = strtod(v, NULL);
        if (khz > 0 && isfinite(khz)) mhz = json_real(khz / 1000.0);
    }
    if (!mhz && read_line(root, "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", v, sizeof v)) {
        double khz = strtod(v, NULL);
        if (khz > 0 && isfinite(khz)) mhz = json_real(khz / 1000.0);
    }
    set(o, "mhz", mhz);
    tach__free(cpuinfo);

    set(o, "caches", caches(root));
    set(o, "memory_kib", memory_kib(root));
    set(o, "governor", read_line(root, "/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", v, sizeof v)
                           ? json_string(v)
                           : NULL);
    set(o, "load_avg", load_avg(root));
    set(o, "aslr", int_file(root, "/proc/sys/kernel/randomize_va_space"));
    set(o, "virtualization", virtualization(root, live));

    set(o, "compiler", json_string(TACH_COMPILER));
    set(o, "build_flags", json_string(TACH_BUILD_FLAGS));
    set(o, "build_type", json_string(TACH_BUILD_TYPE));

    double res, cost;
    tach__clock_info(&res, &cost);
    json_t *timer = json_object();
    if (timer) {
        set(timer, "clock", json_string("CLOCK_MONOTONIC"));
        set(timer, "resolution_ns", isfinite(res) ? json_real(res) : NULL);
        set(timer, "cost_ns", isfinite(cost) ? json_real(cost) : NULL);
    }
    set(o, "timer", timer);
    return o;
}

json_t *tach__env_capture(void)
{
    /* A test's crafted /proc and /sys tree (a busy machine, a VM, on any machine). */
    const char *test_root = getenv("TACH_TEST_ENV_ROOT");
    if (test_root && *test_root) return tach__env_capture_at(test_root);
    return capture("", true);
}

json_t *tach__env_capture_at(const char *root)
{
    if (!root || !*root || strcmp(root, "/") == 0) return capture("", true);
    return capture(root, false);
}

/* ---- warnings ------------------------------------------------------------------ */

/* True when the flags optimize: the last -O option is present and not -O0. */
static bool flags_optimize(const char *flags)
{
    const char *last = NULL;
    for (const char *p = flags; (p = strstr(p, "-O")) != NULL; p += 2)
        if (p == flags || isspace((unsigned char)p[-1])) last = p;
    if (!last) return false;
    return !(last[2] == '0' && (last[3] == '\0' || isspace((unsigned char)last[3])));
}

static void warn(json_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(json_t *a, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    json_array_append_new(a, json_string(buf));
}

json_t *tach__env_warnings(const json_t *ctx)
{
    json_t *a = json_array();
    if (!a || !json_is_object(ctx)) return a;

    /* 1. An unoptimized library (a Debug build, or flags without -O). */
    const char *bt = json_string_value(json_object_get(ctx, "build_type"));
    const char *flags = json_string_value(json_object_get(ctx, "build_flags"));
    if (bt && strcasecmp(bt, "Debug") == 0)
        warn(a, "debug build: libtach was built with build type Debug (flags \"%s\"); "
                "build with -DCMAKE_BUILD_TYPE=Release for trustworthy timings",
             flags ? flags : "");
    else if (flags && !flags_optimize(flags))
        warn(a, "unoptimized build: libtach was built without -O (flags \"%s\", build type %s); "
                "build with -DCMAKE_BUILD_TYPE=Release for trustworthy timings",
             flags, bt && *bt ? bt : "none");

    /* 2. A busy machine: the 1-minute load average above half a job per CPU. */
    const json_t *load = json_object_get(ctx, "load_avg");
    const json_t *cpus = json_object_get(ctx, "cpus");
    if (json_is_array(load) && json_array_size(load) >= 1 && json_is_number(json_array_get(load, 0)) &&
        json_is_integer(cpus) && json_integer_value(cpus) > 0) {
        double l1 = json_number_value(json_array_get(load, 0));
        long long n = json_integer_value(cpus);
        if (l1 > 0.5 * (double)n)
            warn(a, "busy machine: load average %.2f on %lld CPU%s (more than 0.5 per CPU); "
                    "other work competes for the CPUs and caches",
                 l1, n, n == 1 ? "" : "s");
    }

    /* 3. Frequency scaling: a cpufreq governor other than "performance". */
    const char *gov = json_string_value(json_object_get(ctx, "governor"));
    if (gov && strcmp(gov, "performance") != 0)
        warn(a, "frequency scaling: the CPU governor is \"%s\", not \"performance\"; "
                "the clock speed may change during the run",
             gov);

    /* 4. A virtual machine: other guests share the host. */
    const char *virt = json_string_value(json_object_get(ctx, "virtualization"));
    if (virt && strcmp(virt, "none") != 0)
        warn(a, "virtual machine (%s): other guests share the host's CPUs and caches, so "
                "results vary more and may not carry over to other machines",
             virt);

    /* 5. A coarse timer: samples must then be long to be resolved. */
    const json_t *timer = json_object_get(ctx, "timer");
    const json_t *res = json_is_object(timer) ? json_object_get(timer, "resolution_ns") : NULL;
    if (json_is_number(res) && json_number_value(res) > 100.0)
        warn(a, "coarse timer: CLOCK_MONOTONIC resolves only %.0f ns", json_number_value(res));

    /* ASLR is recorded but not warned about: tach runs several worker processes so
     * that layout variation is inside the estimate rather than hidden. */
    return a;
}

bool tach__env_warning_timing_only(const char *w)
{
    static const char *const pre[] = {"busy machine:", "frequency scaling:", "virtual machine",
                                      "coarse timer:"};
    for (size_t i = 0; w && i < sizeof pre / sizeof pre[0]; i++)
        if (!strncmp(w, pre[i], strlen(pre[i]))) return true;
    return false;
}

/* ---- fingerprint -------------------------------------------------------------- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* The machine facts the fingerprint hashes. */
static const char *const fp_keys[] = {"cpu_model", "cpus", "memory_kib", "kernel", "governor"};
#define FP_NKEYS (sizeof fp_keys / sizeof fp_keys[0])

/* ctx's value of a fingerprint key as text ("s:..." or "i:..."), or NULL when absent. */
static const char *fp_value(const json_t *ctx, const char *key, char *buf, size_t size)
{
    const json_t *v = json_is_object(ctx) ? json_object_get(ctx, key) : NULL;
    if (json_is_string(v)) snprintf(buf, size, "s:%s", json_string_value(v));
    else if (json_is_integer(v)) snprintf(buf, size, "i:%" JSON_INTEGER_FORMAT, json_integer_value(v));
    else if (json_is_real(v)) snprintf(buf, size, "i:%.0f", json_real_value(v));
    else return NULL;
    return buf;
}

size_t tach__env_fingerprint_keys(const json_t *ctx)
{
    size_t n = 0;
    char buf[512];
    for (size_t i = 0; i < FP_NKEYS; i++) n += fp_value(ctx, fp_keys[i], buf, sizeof buf) != NULL;
    return n;
}

bool tach__env_fingerprint_whole(const json_t *ctx)
{
    for (size_t i = 0; i < FP_NKEYS; i++)
        if (!json_is_object(ctx) || !json_object_get(ctx, fp_keys[i])) return false;
    return true;
}

int tach__env_same_machine(const json_t *a, const json_t *b)
{
    int shared = 0;
    for (size_t i = 0; i < FP_NKEYS; i++) {
        char x[512], y[512];
        /* a key both have counts, null too (a governor that appeared is a change); a key
         * one of them lacks (another tool's file) is not known there */
        if (!json_is_object(a) || !json_is_object(b) || !json_object_get(a, fp_keys[i]) ||
            !json_object_get(b, fp_keys[i]))
            continue;
        const char *va = fp_value(a, fp_keys[i], x, sizeof x), *vb = fp_value(b, fp_keys[i], y, sizeof y);
        if (!va) va = "null";
        if (!vb) vb = "null";
        if (strcmp(va, vb) != 0) return 0;
        shared++;
    }
    return shared ? 1 : -1;
}

char *tach__env_fingerprint(const json_t *ctx)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < FP_NKEYS; i++) {
        char val[512], line[600];
        const char *v = fp_value(ctx, fp_keys[i], val, sizeof val);
        snprintf(line, sizeof line, "%s=%s\n", fp_keys[i], v ? v : "null");
        h = fnv1a(h, line);
    }
    char *out = tach__malloc(17);
    if (out) snprintf(out, 17, "%016llx", (unsigned long long)h);
    return out;
}

/*
 * test_env.c - environment capture (live keys and types; crafted /proc and /sys
 * trees, including missing files), warnings from crafted contexts, the machine
 * fingerprint, and the clock's measured resolution and cost.
 */
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tach_internal.h"
#include "test.h"

/* ---- helpers ---------------------------------------------------------------- */

static char root[64];

static void make_root(void)
{
    snprintf(root, sizeof root, "/tmp/tach_test_env.XXXXXX");
    if (!mkdtemp(root)) TEST__FAIL("mkdtemp failed");
}

static void remove_root(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", root);
}

/* Writes text to root + rel, creating the directories on the way. */
static void put_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s%s", root, rel);
    for (char *p = path + strlen(root) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    if (!f) TEST__FAIL("cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static bool any_contains(const json_t *warnings, const char *needle)
{
    for (size_t i = 0; i < json_array_size(warnings); i++)
        if (strstr(json_string_value(json_array_get(warnings, i)), needle)) return true;
    return false;
}

/* ---- capture ----------------------------------------------------------------- */

TEST(live_capture_has_the_documented_keys_and_types)
{
    json_t *c = tach__env_capture();
    ASSERT_TRUE(json_is_object(c));
    /* "2026-11-23T13:36:28Z" */
    const char *date = str(c, "date");
    ASSERT_TRUE(date != NULL);
    ASSERT_EQ(20, strlen(date));
    ASSERT_TRUE(date[4] == '-' && date[10] == 'T' && date[19] == 'Z');
    ASSERT_STREQ(tach_version(), str(c, "tach_version"));
    const char *strings[] = {"host", "os", "kernel", "arch", "virtualization", "compiler",
                             "build_flags", "build_type"};
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        if (!json_is_string(json_object_get(c, strings[i]))) TEST__FAIL("%s is not a string", strings[i]);
    ASSERT_STREQ("Linux", str(c, "os"));
    ASSERT_TRUE(json_is_integer(json_object_get(c, "cpus")));
    ASSERT_EQ(sysconf(_SC_NPROCESSORS_ONLN), json_integer_value(json_object_get(c, "cpus")));
    /* Optional facts: the right type, or null when the machine does not say. */
    const char *maybe_string[] = {"cpu_model", "governor"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(c, maybe_string[i]);
        if (!v || !(json_is_string(v) || json_is_null(v))) TEST__FAIL("%s: string or null", maybe_string[i]);
    }
    const char *maybe_int[] = {"memory_kib", "aslr"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = json_object_get(c, maybe_int[i]);
        if (!v || !(json_is_integer(v) || json_is_null(v))) TEST__FAIL("%s: integer or null", maybe_int[i]);
    }
    json_t *mhz = json_object_get(c, "mhz");
    ASSERT_TRUE(mhz && (json_is_number(mhz) || json_is_null(mhz)));
    json_t *load = json_object_get(c, "load_avg");
    ASSERT_TRUE(load && (json_is_null(load) || (json_is_array(load) && json_array_size(load) == 3)));
    for (size_t i = 0; i < json_array_size(load); i++) ASSERT_TRUE(json_is_number(json_array_get(load, i)));
    json_t *caches = json_object_get(c, "caches");
    ASSERT_TRUE(caches && (json_is_array(caches) || json_is_null(caches)));
    for (size_t i = 0; i < json_array_size(caches); i++) {
        json_t *k = json_array_get(caches, i);
        ASSERT_TRUE(json_is_integer(json_object_get(k, "level")));
        ASSERT_TRUE(json_is_string(json_object_get(k, "type")));
        json_t *size = json_object_get(k, "size_kib");
        ASSERT_TRUE(json_is_integer(size) || json_is_null(size));
    }
    /* The live machine's /proc is there on Linux. */
    ASSERT_TRUE(json_is_integer(json_object_get(c, "memory_kib")));
    ASSERT_TRUE(json_is_array(load));
    json_t *timer = json_object_get(c, "timer");
    ASSERT_STREQ("CLOCK_MONOTONIC", str(timer, "clock"));
    ASSERT_TRUE(json_number_value(json_object_get(timer, "resolution_ns")) > 0);
    ASSERT_TRUE(json_number_value(json_object_get(timer, "cost_ns")) > 0);
    /* The context is JSON a results document can carry. */
    char *text = json_dumps(c, 0);
    ASSERT_TRUE(text != NULL);
    free(text);
    json_decref(c);
}

TEST(capture_with_missing_proc_and_sys_gives_nulls)
{
    make_root(); /* an empty tree: no /proc, no /sys */
    json_t *c = tach__env_capture_at(root);
    ASSERT_TRUE(json_is_object(c));
    const char *nulls[] = {"cpu_model", "mhz", "caches", "memory_kib", "governor",
                           "load_avg", "aslr", "virtualization"};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++)
        if (!json_is_null(json_object_get(c, nulls[i]))) TEST__FAIL("%s should be null", nulls[i]);
    /* What does not come from files is still there. */
    ASSERT_TRUE(json_is_string(json_object_get(c, "kernel")));
    ASSERT_TRUE(json_is_integer(json_object_get(c, "cpus")));
    ASSERT_TRUE(json_is_object(json_object_get(c, "timer")));
    json_decref(c);

    /* Present but garbled files are also null, not errors. */
    put_file("/proc/meminfo", "nothing useful\n");
    put_file("/proc/loadavg", "nan inf 1\n"); /* strtod would take these: not numbers here */
    put_file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "inf\n");
    put_file("/proc/sys/kernel/randomize_va_space", "\n");
    put_file("/proc/cpuinfo", "processor\t: 0\n");
    c = tach__env_capture_at(root);
    ASSERT_TRUE(json_is_null(json_object_get(c, "memory_kib")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "load_avg")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "mhz")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "aslr")));
    ASSERT_TRUE(json_is_null(json_object_get(c, "cpu_model")));
    ASSERT_STREQ("none", str(c, "virtualization")); /* cpuinfo read, no hypervisor flag */
    json_decref(c);
    remove_root();
}

TEST(capture_reads_a_crafted_machine)
{
    make_root();
    put_file("/proc/cpuinfo",
             "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
             "model name\t: Test CPU @ 3.00GHz\ncpu MHz\t\t: 2999.5\n"
             "flags\t\t: fpu vme sse2 hypervisor avx2\n\n"
             "processor\t: 1\nmodel name\t: Test CPU @ 3.00GHz\n");
    put_file("/proc/meminfo", "MemTotal:        4028344 kB\nMemFree:  1000 kB\n");
    put_file("/proc/loadavg", "8.00 4.50 2.25 3/210 4242\n");
    put_file("/proc/sys/kernel/randomize_va_space", "2\n");
    put_file("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", "powersave\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index0/level", "1\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index0/type", "Data\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index0/size", "48K\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index1/level", "1\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index1/type", "Instruction\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index1/size", "32K\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index3/level", "3\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index3/type", "Unified\n");
    put_file("/sys/devices/system/cpu/cpu0/cache/index3/size", "30M\n");
    put_file("/sys/class/dmi/id/sys_vendor", "QEMU\n");
    put_file("/sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");

    json_t *c = tach__env_capture_at(root);
    ASSERT_STREQ("Test CPU @ 3.00GHz", str(c, "cpu_model"));
    ASSERT_NEAR(2999.5, json_number_value(json_object_get(c, "mhz")), 1e-9);
    ASSERT_EQ(4028344, json_integer_value(json_object_get(c, "memory_kib")));
    ASSERT_STREQ("powersave", str(c, "governor"));
    ASSERT_EQ(2, json_integer_value(json_object_get(c, "aslr")));
    json_t *load = json_object_get(c, "load_avg");
    ASSERT_NEAR(8.0, json_number_value(json_array_get(load, 0)), 0);
    ASSERT_NEAR(2.25, json_number_value(json_array_get(load, 2)), 0);
    json_t *caches = json_object_get(c, "caches");
    ASSERT_EQ(3, json_array_size(caches)); /* index2 is missing: skipped */
    ASSERT_EQ(1, json_integer_value(json_object_get(json_array_get(caches, 1), "level")));
    ASSERT_STREQ("Instruction", str(json_array_get(caches, 1), "type"));
    ASSERT_EQ(32, json_integer_value(json_object_get(json_array_get(caches, 1), "size_kib")));
    ASSERT_EQ(30 * 1024, json_integer_value(json_object_get(json_array_get(caches, 2), "size_kib")));
    ASSERT_STREQ("qemu", str(c, "virtualization"));
    json_decref(c);

    /* Xen names itself in /sys/hypervisor/type. */
    put_file("/sys/class/dmi/id/sys_vendor", "Xen\n");
    put_file("/sys/hypervisor/type", "xen\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("xen", str(c, "virtualization"));
    json_decref(c);
    remove_root();

    /* A hypervisor flag with nothing that names it. */
    make_root();
    put_file("/proc/cpuinfo", "model name\t: X\nflags\t\t: fpu hypervisor\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("unknown", str(c, "virtualization"));
    json_decref(c);
    /* A physical machine made by Microsoft (no hypervisor flag) is not a VM... */
    put_file("/proc/cpuinfo", "model name\t: X\nflags\t\t: fpu sse2\n");
    put_file("/sys/class/dmi/id/sys_vendor", "Microsoft Corporation\n");
    put_file("/sys/class/dmi/id/product_name", "Surface Laptop 5\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("none", str(c, "virtualization"));
    json_decref(c);
    /* ...but with the flag it is Hyper-V; and VMware names itself without it. */
    put_file("/proc/cpuinfo", "model name\t: X\nflags\t\t: fpu hypervisor sse2\n");
    put_file("/sys/class/dmi/id/product_name", "Virtual Machine\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("hyperv", str(c, "virtualization"));
    json_decref(c);
    /* POWER names its model in "cpu", which must not be taken from "cpu family". */
    put_file("/proc/cpuinfo", "processor\t: 0\ncpu family\t: 6\ncpu\t\t: POWER9 (raw)\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("POWER9 (raw)", str(c, "cpu_model"));
    json_decref(c);
    put_file("/proc/cpuinfo", "model name\t: X\nflags\t\t: fpu sse2\n");
    put_file("/sys/class/dmi/id/sys_vendor", "VMware, Inc.\n");
    put_file("/sys/class/dmi/id/product_name", "VMware7,1\n");
    c = tach__env_capture_at(root);
    ASSERT_STREQ("vmware", str(c, "virtualization"));
    json_decref(c);
    remove_root();
}

/* ---- warnings from crafted contexts ------------------------------------------- */

/* A context that should raise no warning at all. */
static json_t *clean_context(void)
{
    return json_pack("{s:s, s:s, s:[fff], s:i, s:s, s:s, s:i, s:{s:s, s:f, s:f}}",
                     "build_type", "Release", "build_flags", "-O3 -DNDEBUG",
                     "load_avg", 0.1, 0.2, 0.3, "cpus", 2, "governor", "performance",
                     "virtualization", "none", "aslr", 2,
                     "timer", "clock", "CLOCK_MONOTONIC", "resolution_ns", 20.0, "cost_ns", 18.0);
}

TEST(a_clean_context_has_no_warnings_and_aslr_is_not_one)
{
    json_t *c = clean_context();
    json_t *w = tach__env_warnings(c);
    ASSERT_TRUE(json_is_array(w));
    if (json_array_size(w)) TEST__FAIL("unexpected warning: %s", json_string_value(json_array_get(w, 0)));
    json_decref(w);
    json_decref(c);
    /* No context, or not an object: an empty list rather than a crash. */
    w = tach__env_warnings(NULL);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    /* Null governor (no cpufreq, as in many VMs) is not frequency scaling. */
    c = clean_context();
    json_object_set_new(c, "governor", json_null());
    w = tach__env_warnings(c);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    json_decref(c);
}

TEST(warns_about_a_debug_or_unoptimized_build)
{
    json_t *c = clean_context();
    json_object_set_new(c, "build_type", json_string("Debug"));
    json_object_set_new(c, "build_flags", json_string("-g"));
    json_t *w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "debug build"));
    json_decref(w);

    /* No build type, -O0 last: unoptimized. */
    json_object_set_new(c, "build_type", json_string(""));
    json_object_set_new(c, "build_flags", json_string("-O2 -g -O0"));
    w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "unoptimized build"));
    json_decref(w);

    /* -O0 then -O2: the last one wins, so optimized. RelWithDebInfo-style flags too. */
    json_object_set_new(c, "build_flags", json_string("-O0 -O2"));
    w = tach__env_warnings(c);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    json_object_set_new(c, "build_type", json_string("MinSizeRel"));
    json_object_set_new(c, "build_flags", json_string("-Os -DNDEBUG"));
    w = tach__env_warnings(c);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    json_decref(c);
}

TEST(warns_about_a_busy_machine)
{
    json_t *c = clean_context();
    json_object_set_new(c, "load_avg", json_pack("[fff]", 8.0, 6.0, 4.0));
    json_t *w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "busy machine: load average 8.00 on 2 CPUs"));
    json_decref(w);
    /* The threshold is 0.5 per CPU: 0.9 on 2 CPUs is fine, 1.1 is not. */
    json_object_set_new(c, "load_avg", json_pack("[fff]", 0.9, 0.0, 0.0));
    w = tach__env_warnings(c);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    json_object_set_new(c, "load_avg", json_pack("[fff]", 1.1, 0.0, 0.0));
    w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    json_decref(w);
    /* Unknown load or CPU count: no judgement. */
    json_object_set_new(c, "cpus", json_null());
    w = tach__env_warnings(c);
    ASSERT_EQ(0, json_array_size(w));
    json_decref(w);
    json_decref(c);
}

TEST(warns_about_frequency_scaling_a_vm_and_a_coarse_timer)
{
    json_t *c = clean_context();
    json_object_set_new(c, "governor", json_string("powersave"));
    json_t *w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "governor is \"powersave\""));
    json_decref(w);
    json_decref(c);

    c = clean_context();
    json_object_set_new(c, "virtualization", json_string("kvm"));
    w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "virtual machine (kvm)"));
    json_decref(w);
    json_decref(c);

    c = clean_context();
    json_object_set_new(json_object_get(c, "timer"), "resolution_ns", json_real(1000000.0));
    w = tach__env_warnings(c);
    ASSERT_EQ(1, json_array_size(w));
    ASSERT_TRUE(any_contains(w, "coarse timer"));
    json_decref(w);
    json_decref(c);

    /* Everything at once: one warning each, in a fixed order. */
    c = clean_context();
    json_object_set_new(c, "build_type", json_string("Debug"));
    json_object_set_new(c, "load_avg", json_pack("[fff]", 8.0, 6.0, 4.0));
    json_object_set_new(c, "governor", json_string("powersave"));
    json_object_set_new(c, "virtualization", json_string("kvm"));
    w = tach__env_warnings(c);
    ASSERT_EQ(4, json_array_size(w));
    ASSERT_TRUE(strstr(json_string_value(json_array_get(w, 0)), "debug build") != NULL);
    ASSERT_TRUE(strstr(json_string_value(json_array_get(w, 3)), "virtual machine") != NULL);
    json_decref(w);
    json_decref(c);
}

/* ---- fingerprint ----------------------------------------------------------------- */

TEST(fingerprint_is_stable_and_keyed_on_the_machine)
{
    json_t *c = json_pack("{s:s, s:i, s:i, s:s, s:s, s:[fff], s:s}", "cpu_model",
                          "Test CPU @ 3.00GHz", "cpus", 2, "memory_kib", 4028344, "kernel",
                          "6.1.0-18-amd64", "governor", "performance", "load_avg", 1.0, 1.0, 1.0,
                          "date", "2026-01-01T00:00:00Z");
    char *f = tach__env_fingerprint(c);
    /* Reference: FNV-1a 64 of the canonical text, computed with /usr/bin/python3:
     *   h = 0xcbf29ce484222325; for b in s.encode(): h = ((h ^ b) * 0x100000001b3) % 2**64
     *   s = "cpu_model=s:Test CPU @ 3.00GHz\ncpus=i:2\nmemory_kib=i:4028344\n"
     *       "kernel=s:6.1.0-18-amd64\ngovernor=s:performance\n"
     * Pinned so that stored histories keep matching their machine across versions. */
    ASSERT_STREQ("6f6fdd7a595099ae", f);

    /* Load and date do not change the machine. */
    json_object_set_new(c, "load_avg", json_pack("[fff]", 9.0, 9.0, 9.0));
    json_object_set_new(c, "date", json_string("2027-05-05T00:00:00Z"));
    char *g = tach__env_fingerprint(c);
    ASSERT_STREQ(f, g);
    tach__free(g);
    /* A different governor or CPU count does. */
    json_object_set_new(c, "governor", json_string("powersave"));
    g = tach__env_fingerprint(c);
    ASSERT_TRUE(strcmp(f, g) != 0);
    tach__free(g);
    json_object_set_new(c, "governor", json_string("performance"));
    json_object_set_new(c, "cpus", json_integer(4));
    g = tach__env_fingerprint(c);
    ASSERT_TRUE(strcmp(f, g) != 0);
    tach__free(g);
    tach__free(f);
    json_decref(c);

    /* Nothing known: still 16 hex characters (same python call, s with every key
     * "=null"). */
    f = tach__env_fingerprint(NULL);
    ASSERT_STREQ("d39cca88580747b5", f);
    tach__free(f);

    /* The live machine's fingerprint is 16 lower-case hex characters and repeatable. */
    json_t *live = tach__env_capture();
    f = tach__env_fingerprint(live);
    g = tach__env_fingerprint(live);
    ASSERT_EQ(16, strlen(f));
    ASSERT_EQ(16, strspn(f, "0123456789abcdef"));
    ASSERT_STREQ(f, g);
    tach__free(f);
    tach__free(g);
    json_decref(live);
}

TEST(same_machine_is_judged_on_the_facts_both_carry)
{
    json_t *full = json_pack("{s:s, s:i, s:i, s:s, s:s}", "cpu_model", "Test CPU", "cpus", 2,
                             "memory_kib", 4028344, "kernel", "6.1.0", "governor", "performance");
    /* What a Google Benchmark file brings: the CPU count (and the host, not a fact here). */
    json_t *gb = json_pack("{s:i, s:s}", "cpus", 2, "host", "box");
    json_t *gb4 = json_pack("{s:i}", "cpus", 4);
    json_t *none = json_pack("{s:s}", "tool", "import:hyperfine");
    ASSERT_EQ(5, tach__env_fingerprint_keys(full));
    ASSERT_EQ(1, tach__env_fingerprint_keys(gb));
    ASSERT_EQ(0, tach__env_fingerprint_keys(none));
    ASSERT_EQ(0, tach__env_fingerprint_keys(NULL));
    ASSERT_EQ(1, tach__env_same_machine(full, full));
    ASSERT_EQ(1, tach__env_same_machine(full, gb));  /* the one shared fact agrees */
    ASSERT_EQ(0, tach__env_same_machine(gb4, full)); /* it differs */
    ASSERT_EQ(-1, tach__env_same_machine(full, none));
    ASSERT_EQ(-1, tach__env_same_machine(none, none));
    json_t *other = json_deep_copy(full);
    json_object_set_new(other, "kernel", json_string("6.5.0"));
    ASSERT_EQ(0, tach__env_same_machine(full, other));
    /* A real number is read as the integer it holds (jansson reads 2.0 as real). */
    json_object_set_new(other, "kernel", json_string("6.1.0"));
    json_object_set_new(other, "cpus", json_real(2.0));
    ASSERT_EQ(1, tach__env_same_machine(full, other));
    /* null is a value when both have the key: a governor that appeared is a change */
    json_object_set_new(other, "cpus", json_integer(2));
    json_object_set_new(other, "governor", json_null());
    ASSERT_EQ(0, tach__env_same_machine(full, other));
    json_t *nogov = json_deep_copy(other);
    ASSERT_EQ(1, tach__env_same_machine(nogov, other)); /* null and null agree */
    json_decref(nogov);
    json_decref(other);
    json_decref(none);
    json_decref(gb4);
    json_decref(gb);
    json_decref(full);
}

/* ---- clock ----------------------------------------------------------------------- */

TEST(clock_info_is_positive_cached_and_no_finer_than_promised)
{
    double res1, cost1, res2, cost2;
    tach__clock_info(&res1, &cost1);
    tach__clock_info(&res2, &cost2);
    ASSERT_TRUE(res1 > 0 && cost1 > 0);
    ASSERT_TRUE(res1 == res2 && cost1 == cost2); /* cached */
    struct timespec ts;
    ASSERT_EQ(0, clock_getres(CLOCK_MONOTONIC, &ts));
    ASSERT_TRUE(res1 >= (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec);
    tach__clock_info(NULL, NULL); /* NULL outputs are allowed */
    /* Reads are increasing: the inline clock is monotonic. */
    uint64_t a = tach__now_ns(), b = tach__now_ns();
    ASSERT_TRUE(b >= a);
}

TEST_MAIN()

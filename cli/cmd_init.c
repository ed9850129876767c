/*
 * cmd_init.c - `tach init [--dir DIR] [--force]`: a starter suite for `tach bench`.
 *
 * Writes .tach/config (one module running the example benchmark, the [suite] defaults),
 * bench/example.c (a libtach benchmark, its build lines at its top: a plain cc line with
 * pkg-config and a CMake snippet), .github/workflows/tach-bench.yml and .gitlab-ci.yml (CI
 * jobs that build the benchmark, run `tach bench`, keep the store between runs and publish
 * the report).  Every file is checked first: if one exists, nothing is written unless
 * --force.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"
#include "tach_internal.h"

typedef struct init_opts {
    const char *dir;
    bool force, help;
} init_opts;

#define OFF(f) offsetof(init_opts, f)
static const tach__opt init_table[] = {
    {.kind = TACH__OPT_STRING, .name = "dir", .metavar = "DIR", .offset = OFF(dir),
     .help = "the project's folder (default the current one; made, with its\n"
             "parents, when missing)"},
    {.kind = TACH__OPT_FLAG, .name = "force", .short_name = 'f', .offset = OFF(force),
     .help = "overwrite files that exist"},
    CLI_ROW_HELP(init_opts),
};

CLI_OPTIONS(init, init_table,
    "usage: tach init [--dir DIR] [--force]\n\n"
    "Writes a starter suite for 'tach bench': .tach/config, bench/example.c (its build\n"
    "lines at its top), .github/workflows/tach-bench.yml and .gitlab-ci.yml.  Nothing\n"
    "is written when one of them exists, unless --force.\n\n",
    "Exit status: 0 written; 1 a file could not be written (no file or folder it made is\n"
    "left); 2 bad usage, or a file exists (nothing written).\n")

static const char config_text[] =
    "; The suite `tach bench` runs (docs/bench.md).  Relative paths are this project's.\n"
    "[module \"example\"]\n"
    "    bench = ./bench/example          ; a libtach benchmark binary (repeatable)\n"
    "    ; command = ./tool --selftest    ; a command timed like tach run (repeatable)\n"
    "    criteria = throughput latency memory\n"
    "\n"
    "[suite]\n"
    "    baseline = main                  ; the first run is saved under this name\n"
    "    noise = 5                        ; changes within +-5% are noise\n"
    "    critical = 10                    ; a regression beyond 10% fails the run\n"
    "    report = PERFORMANCE_REPORT.md\n"
    "\n"
    "; Targets and thresholds per benchmark:\n"
    "; [bench \"example/*\"]\n"
    ";     max_median_ns = 100000\n";

static const char example_text[] =
    "/* example.c - a starter benchmark for tach (docs/benchmark-binaries.md).\n"
    " *\n"
    " * Build it with pkg-config:\n"
    " *     cc -O2 bench/example.c $(pkg-config --cflags --libs tach) -o bench/example\n"
    " *\n"
    " * or with CMake:\n"
    " *     find_package(tach REQUIRED)\n"
    " *     add_executable(example bench/example.c)\n"
    " *     target_link_libraries(example tach::tach_static tach::tach_main)\n"
    " *     set_target_properties(example PROPERTIES RUNTIME_OUTPUT_DIRECTORY\n"
    " *                           ${CMAKE_SOURCE_DIR}/bench)\n"
    " *\n"
    " * then run the suite: tach bench */\n"
    "#include <stdint.h>\n"
    "#include <stdlib.h>\n"
    "\n"
    "#include <tach.h>\n"
    "\n"
    "/* Summing n numbers: replace with the code whose speed matters to you. */\n"
    "TACH_BENCH(sum, .args = {TACH_RANGE(\"n\", 1024, 65536, 8)})\n"
    "{\n"
    "    size_t n = (size_t)tach_arg(st, 0);\n"
    "    uint32_t *v = malloc(n * sizeof *v);\n"
    "    if (!v) {\n"
    "        tach_fail(st, \"out of memory\");\n"
    "        return;\n"
    "    }\n"
    "    tach_fill_random(v, n * sizeof *v, 1);\n"
    "    while (tach_loop(st)) {\n"
    "        uint64_t s = 0;\n"
    "        for (size_t i = 0; i < n; i++) s += v[i];\n"
    "        TACH_KEEP(s);\n"
    "    }\n"
    "    tach_set_items(st, n);\n"
    "    free(v);\n"
    "}\n";

static const char github_text[] =
    "# Runs the tach suite (.tach/config) on every push and pull request, keeps the\n"
    "# history store between runs, and publishes PERFORMANCE_REPORT.md.\n"
    "name: tach bench\n"
    "on: [push, pull_request]\n"
    "jobs:\n"
    "  bench:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "        with:\n"
    "          fetch-depth: 0            # the report lists the commits since the baseline\n"
    "      - uses: actions/cache@v4\n"
    "        with:\n"
    "          path: .tach/tach.db\n"
    "          key: tach-store-${{ github.ref_name }}-${{ github.run_id }}\n"
    "          restore-keys: |\n"
    "            tach-store-${{ github.ref_name }}-\n"
    "            tach-store-main-\n"
    "      # tach must be installed on the runner (make install from its source).\n"
    "      - name: build the benchmarks\n"
    "        run: cc -O2 bench/example.c $(pkg-config --cflags --libs tach) -o bench/example\n"
    "      - name: tach bench\n"
    "        run: tach bench --html PERFORMANCE_REPORT.html\n"
    "      - name: publish the report\n"
    "        if: always()\n"
    "        run: cat PERFORMANCE_REPORT.md >> \"$GITHUB_STEP_SUMMARY\"\n"
    "      - uses: actions/upload-artifact@v4\n"
    "        if: always()\n"
    "        with:\n"
    "          name: performance-report\n"
    "          path: |\n"
    "            PERFORMANCE_REPORT.md\n"
    "            PERFORMANCE_REPORT.json\n"
    "            PERFORMANCE_REPORT.html\n";

static const char gitlab_text[] =
    "# Runs the tach suite (.tach/config), keeps the history store between pipelines and\n"
    "# publishes PERFORMANCE_REPORT.md (tach must be installed in the image).\n"
    "tach-bench:\n"
    "  stage: test\n"
    "  variables:\n"
    "    GIT_DEPTH: \"0\"                 # the report lists the commits since the baseline\n"
    "  cache:\n"
    "    key: tach-store\n"
    "    paths:\n"
    "      - .tach/tach.db\n"
    "  script:\n"
    "    - cc -O2 bench/example.c $(pkg-config --cflags --libs tach) -o bench/example\n"
    "    - tach bench --html PERFORMANCE_REPORT.html\n"
    "  artifacts:\n"
    "    when: always\n"
    "    expose_as: performance report\n"
    "    paths:\n"
    "      - PERFORMANCE_REPORT.md\n"
    "      - PERFORMANCE_REPORT.json\n"
    "      - PERFORMANCE_REPORT.html\n";

static const struct {
    const char *path, *text;
} files[] = {
    {".tach/config", config_text},
    {"bench/example.c", example_text},
    {".github/workflows/tach-bench.yml", github_text},
    {".gitlab-ci.yml", gitlab_text},
};

/* The folders one tach init made, in the order made: removed again when it fails. */
typedef struct made_dirs {
    char **p;
    size_t n;
} made_dirs;

/* mkdir -p of path's parent folders; each one made is added to made. */
static int make_parents(const char *path, made_dirs *made, char *err)
{
    char *buf = tach__strdup(path);
    if (!buf) return tach__err(err, "out of memory");
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) == 0) {
            char **t = tach__realloc(made->p, (made->n + 1) * sizeof *t);
            char *copy = tach__strdup(buf);
            if (t) made->p = t;
            if (!t || !copy) {
                rmdir(buf);
                tach__free(copy);
                tach__free(buf);
                return tach__err(err, "out of memory");
            }
            made->p[made->n++] = copy;
        } else if (errno != EEXIST) {
            int rc = tach__err(err, "cannot make %s: %s", buf, strerror(errno));
            tach__free(buf);
            return rc;
        }
        *p = '/';
    }
    tach__free(buf);
    return 0;
}

/* Frees made; with remove, removes its folders first, the last made first (each is
 * empty again once the files of this run are gone). */
static void made_dirs_free(made_dirs *made, bool remove)
{
    for (size_t i = made->n; i-- > 0;) {
        if (remove) rmdir(made->p[i]);
        tach__free(made->p[i]);
    }
    tach__free(made->p);
    *made = (made_dirs){0};
}

/* Whether a file can be made in path's folder (a temporary one is made there and removed),
 * as the write of path will make one beside it: checked for every file before any is
 * written, so that with --force a folder that takes no file (read-only) fails the run
 * before a file already there is replaced.  0, or -1 with a message naming path. */
static int check_folder(const char *path, char *err)
{
    char tmp[4200];
    int w = snprintf(tmp, sizeof tmp, "%s.tach-init.%ld", path, (long)getpid());
    if (w < 0 || (size_t)w >= sizeof tmp)
        return tach__err_named(err, "cannot write ", path, ": %s", strerror(ENAMETOOLONG));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) return tach__err_named(err, "cannot write ", path, ": %s", strerror(errno));
    close(fd);
    unlink(tmp);
    return 0;
}

int cli_cmd_init(int argc, char **argv)
{
    init_opts o = {0};
    tach__opt_result res;
    int rc = cli_opts_read(&init_options, &o, argc, argv, &res, &o.help);
    if (rc != CLI_OK) return rc < 0 ? CLI_OK : rc;
    if (res.npos) {
        rc = cli_cmd_usage_error("init", "unexpected argument '%s' (the folder is --dir DIR)",
                                 cli_term(res.pos[0]));
        tach__opt_result_free(&res);
        return rc;
    }
    tach__opt_result_free(&res);
    const char *dir = o.dir ? o.dir : ".";
    struct stat st;
    /* A folder that does not exist is made, with its missing parents (mkdir -p, when the
     * files are written); a path that is something else is refused. */
    if (stat(dir, &st) == 0 ? !S_ISDIR(st.st_mode) : errno != ENOENT)
        return cli_cmd_usage_error("init", "--dir: '%s' is not a folder", cli_term(dir));
    size_t n = sizeof files / sizeof *files;
    char paths[sizeof files / sizeof *files][4096];
    bool exists = false, was[sizeof files / sizeof *files];
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, files[i].path);
        was[i] = lstat(paths[i], &st) == 0;
        if (was[i] && !o.force) {
            fprintf(stderr, "tach init: %s exists (--force overwrites it)\n", cli_term(paths[i]));
            exists = true;
        }
    }
    if (exists) return cli_error(CLI_USAGE, "nothing written");
    char err[TACH__ERR_MAX];
    made_dirs made = {0};
    /* every folder made and able to take its file first: a failure here is before any
     * file is written or replaced */
    for (size_t i = 0; i < n; i++)
        if (make_parents(paths[i], &made, err) != 0 || check_folder(paths[i], err) != 0) {
            made_dirs_free(&made, true);
            return cli_error(CLI_FAIL, "%s (nothing written)", err);
        }
    for (size_t i = 0; i < n; i++) {
        if (make_parents(paths[i], &made, err) != 0 ||
            tach__write_config_file(files[i].text, strlen(files[i].text), paths[i], err) != 0) {
            /* the files and folders this run made before this one go too, or a second
             * tach init would refuse them as existing (with --force, files that were
             * there keep their new text: their old one is gone) */
            bool replaced = false;
            for (size_t k = 0; k < i; k++) {
                if (!was[k]) unlink(paths[k]);
                replaced = replaced || was[k];
            }
            made_dirs_free(&made, true);
            return cli_error(CLI_FAIL, "%s (%s)", err,
                             replaced ? "the files already there were replaced; no new file is left"
                                      : "nothing written");
        }
    }
    made_dirs_free(&made, false);
    for (size_t i = 0; i < n; i++) printf("wrote %s\n", paths[i]);
    printf("\nNext:\n"
           "  cc -O2 bench/example.c $(pkg-config --cflags --libs tach) -o bench/example\n"
           "  tach bench\n"
           "(with CMake: see the lines at the top of bench/example.c)\n");
    return CLI_OK;
}

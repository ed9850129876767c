/* docdir.c - where the docs are, for --help: the folder holding guide.md and the
 * references (the docs/NAME.md that help texts name).  Apart from cli_util.c because
 * its paths are compiled in (CMakeLists.txt: TACH_BIN_TO_DOCS, TACH_DOCDIR,
 * TACH_SOURCE_DOCDIR on this file only). */
#define _GNU_SOURCE /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef TACH_BIN_TO_DOCS
#define TACH_BIN_TO_DOCS "../share/doc/tach/docs"
#endif
#ifndef TACH_DOCDIR
#define TACH_DOCDIR "docs"
#endif
#ifndef TACH_SOURCE_DOCDIR
#define TACH_SOURCE_DOCDIR "docs"
#endif

/* True when dir holds a readable guide.md. */
static bool has_guide(const char *dir)
{
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/guide.md", dir);
    return access(path, R_OK) == 0;
}

const char *cli_docdir(void)
{
    /* The installed tool: its docs where the install put them, relative to the binary
     * (PREFIX/bin/tach -> PREFIX/share/doc/tach/docs), whatever the prefix given to
     * `cmake --install --prefix` or `make install PREFIX=`. */
    static char found[PATH_MAX];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            char dir[PATH_MAX + sizeof TACH_BIN_TO_DOCS + 1];
            snprintf(dir, sizeof dir, "%.*s/%s", (int)(slash - exe), exe, TACH_BIN_TO_DOCS);
            if (realpath(dir, found) && has_guide(found)) return found;
        }
    }
    /* Then the folder the build was configured to install to, then (a build tree's tool
     * before any install) the source tree's docs. */
    return has_guide(TACH_DOCDIR) ? TACH_DOCDIR : TACH_SOURCE_DOCDIR;
}

void cli_help_docs(FILE *f)
{
    fprintf(f, "\nDocs: %s\n", cli_docdir());
}

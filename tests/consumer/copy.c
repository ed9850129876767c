/* README.md's first benchmark, as printed there (tests/cli/install_consumer.sh builds it
 * with pkg-config and with CMake, against the build tree and an installed prefix). */
#include <stdlib.h>
#include <string.h>
#include <tach.h>

TACH_BENCH(copy, .args = { TACH_RANGE("bytes", 64, 65536, 8) })
{
    size_t n = (size_t)tach_arg(st, 0);
    char *src = calloc(n, 1), *dst = malloc(n);
    while (tach_loop(st)) { memcpy(dst, src, n); tach_clobber(); }
    tach_set_bytes(st, n);   /* results then show bytes/s */
    free(src); free(dst);
}

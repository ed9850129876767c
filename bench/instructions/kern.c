/* kern.c - the kernels of bench/gbench (kernels.h) in a plain loop, ITER times, with no
 * harness: what bench/instructions/run.sh times natively and under callgrind for the
 * slowdown figure.  usage: kern KERNEL ITER */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gbench/kernels.h"

static unsigned char src[MEMCPY_BYTES], dst[MEMCPY_BYTES];

int main(int argc, char **argv)
{
    if (argc != 3) return 2;
    const char *k = argv[1];
    long n = atol(argv[2]);
    static const char *const names[] = {"overhead", "mulchain", "mul100", "memcpy64k", "fnv1a4k"};
    int which = -1;
    for (int i = 0; i < 5; i++)
        if (!strcmp(k, names[i])) which = i;
    if (which < 0) return 2;
    uint64_t x = 1;
    for (size_t i = 0; i < sizeof src; i++) src[i] = (unsigned char)(i * 131u);
    for (long i = 0; i < n; i++) {
        switch (which) {
        case 0: x++; break;
        case 1: x = k_mulchain(x, MULCHAIN_STEPS); break;
        case 2: x = k_mulchain(x, MUL100_STEPS); break;
        case 3: memcpy(dst, src, MEMCPY_BYTES); x += dst[i & 1023]; break;
        default: x ^= k_fnv1a(src, HASH_BYTES); break;
        }
        __asm__ __volatile__("" : "+r"(x) : : "memory");
    }
    printf("%llu\n", (unsigned long long)x);
    return 0;
}

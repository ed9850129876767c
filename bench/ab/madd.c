/* madd.c - a command whose cost is controlled: N dependent multiply-adds.
 *
 *     madd N     runs x = x * a + b  N times (one dependent chain, so the time is
 *                N times the latency of a multiply-add, nothing the compiler can
 *                vectorise or remove), then exits 0.
 *
 * Used by bench/ab/run.sh (N against N * 1.03: a 3% slowdown) and by the tach ab
 * CLI tests.  Compile: cc -O2 -o madd madd.c */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: madd N\n");
        return 2;
    }
    char *end;
    long long n = strtoll(argv[1], &end, 10);
    if (*end || n < 0) {
        fprintf(stderr, "madd: bad N '%s'\n", argv[1]);
        return 2;
    }
    double x = 0.5, a = 1.0000001, b = 1e-9;
    for (long long i = 0; i < n; i++) x = x * a + b;
    volatile double sink = x; /* the result is used: the loop must run */
    (void)sink;
    return 0;
}

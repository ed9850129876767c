/* dio_loop.c - the bare reference for bench/suites/storage_waker.sh: random 4 KiB reads
 * with O_DIRECT at queue depth 1 from FILE for SECONDS, one pread at a time and nothing
 * else per read (no clock but the deadline check, no statistics); prints the reads per
 * second.  usage: dio_loop FILE SECONDS SEED */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: dio_loop FILE SECONDS SEED\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_DIRECT);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    uint64_t blocks = size > 0 ? (uint64_t)size / 4096 : 0;
    void *buf;
    if (blocks == 0 || posix_memalign(&buf, 4096, 4096) != 0) {
        fprintf(stderr, "dio_loop: empty file or no memory\n");
        return 1;
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
    uint64_t x = 0x9e3779b97f4a7c15u ^ strtoull(argv[3], NULL, 10), n = 0;
    uint64_t t0 = now_ns(), end = t0 + (uint64_t)(atof(argv[2]) * 1e9), t = t0;
    while (t < end) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        if (pread(fd, buf, 4096, (off_t)(x % blocks * 4096)) != 4096) {
            perror("pread");
            return 1;
        }
        n++, t = now_ns();
    }
    printf("%.0f\n", (double)n / ((double)(t - t0) / 1e9));
    return 0;
}

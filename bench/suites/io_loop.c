/* io_loop.c - the bare reference for bench/suites/storage_waker.sh and storage_cpu.sh: one
 * 4 KiB system call at a time at queue depth 1 on FILE for SECONDS and nothing else per I/O
 * (no clock but the deadline check, no statistics); prints the I/Os per second.
 *   read   random 4 KiB preads with O_DIRECT (xorshift offsets; repeats do not matter
 *          without the page cache)
 *   write  random 4 KiB buffered pwrites of one buffer, one shuffled pass over the file's
 *          blocks (none written twice, as tach's and fio's random jobs), after the file's
 *          pages were flushed and dropped (fdatasync + FADV_DONTNEED, before the clock)
 * usage: io_loop FILE SECONDS SEED read|write */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[4], "read") != 0 && strcmp(argv[4], "write") != 0)) {
        fprintf(stderr, "usage: io_loop FILE SECONDS SEED read|write\n");
        return 2;
    }
    int writing = strcmp(argv[4], "write") == 0;
    int fd = open(argv[1], writing ? O_WRONLY : O_RDONLY | O_DIRECT);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    uint64_t blocks = size > 0 ? (uint64_t)size / 4096 : 0, x = 0x9e3779b97f4a7c15u ^ strtoull(argv[3], NULL, 10);
    void *buf;
    uint32_t *order = NULL;
    if (blocks == 0 || blocks > UINT32_MAX || posix_memalign(&buf, 4096, 4096) != 0 ||
        (writing && (order = malloc(blocks * sizeof *order)) == NULL)) {
        fprintf(stderr, "io_loop: empty or too large file, or no memory\n");
        return 1;
    }
    for (int i = 0; i < 4096; i++)
        ((unsigned char *)buf)[i] = (unsigned char)xorshift(&x);
    if (writing) {
        for (uint64_t i = 0; i < blocks; i++)
            order[i] = (uint32_t)i;
        for (uint64_t i = blocks - 1; i > 0; i--) { /* Fisher-Yates */
            uint64_t j = xorshift(&x) % (i + 1);
            uint32_t t = order[i];
            order[i] = order[j], order[j] = t;
        }
        fdatasync(fd);
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    }
    posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
    uint64_t n = 0, t0 = now_ns(), end = t0 + (uint64_t)(atof(argv[2]) * 1e9), t = t0;
    while (t < end && (!writing || n < blocks)) {
        ssize_t got = writing ? pwrite(fd, buf, 4096, (off_t)order[n] * 4096)
                              : pread(fd, buf, 4096, (off_t)(xorshift(&x) % blocks * 4096));
        if (got != 4096) {
            perror(writing ? "pwrite" : "pread");
            return 1;
        }
        n++, t = now_ns();
    }
    printf("%.0f\n", (double)n / ((double)(t - t0) / 1e9));
    return 0;
}

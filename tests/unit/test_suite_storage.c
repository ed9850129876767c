/* test_suite_storage.c - the storage suite's parts that decide what a job measures: each
 * random job's own shuffled pass over the blocks (not the offsets of the job before, as
 * fio's default randrepeat=1 would give), the page-cache share of the test file that
 * every job records at its start, and a job's CPU share (fio's usr_cpu and sys_cpu). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/magic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "storage_internal.h"
#include "test.h"

static tool_srun fresh_run(uint64_t seed)
{
    tool_srun s;
    memset(&s, 0, sizeof s);
    tach__rng_seed(&s.rng, seed);
    return s;
}

/* Every block exactly once in a pass. */
static void assert_permutation(tool_srun *s, uint64_t n, uint32_t *copy)
{
    unsigned char *seen = calloc(n, 1);
    ASSERT_TRUE(seen != NULL);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t b = tool_storage_next_block(s, n);
        ASSERT_TRUE(b < n);
        ASSERT_EQ(0, seen[b]);
        seen[b] = 1;
        if (copy) copy[i] = (uint32_t)b;
    }
    free(seen);
}

TEST(each_random_job_gets_its_own_pass)
{
    enum { N = 4096 };
    static uint32_t first[N], second[N], again[N];
    tool_srun s = fresh_run(7);
    ASSERT_EQ(0, tool_storage_new_pass(&s, N));
    assert_permutation(&s, N, first);
    ASSERT_EQ(0, tool_storage_new_pass(&s, N));
    assert_permutation(&s, N, second);
    /* the second job does not repeat the first one's offsets */
    size_t same = 0;
    for (size_t i = 0; i < N; i++) same += first[i] == second[i];
    ASSERT_TRUE(same < N / 16);
    ASSERT_TRUE(memcmp(first, second, sizeof first) != 0);
    tach__free(s.order);

    /* the same seed, the same orders: a run is reproducible */
    tool_srun t = fresh_run(7);
    ASSERT_EQ(0, tool_storage_new_pass(&t, N));
    assert_permutation(&t, N, again);
    ASSERT_TRUE(memcmp(first, again, sizeof first) == 0);
    /* a job that stopped early does not shift the next job's order */
    ASSERT_EQ(0, tool_storage_new_pass(&t, N));
    ASSERT_EQ(second[0], tool_storage_next_block(&t, N));
    tach__free(t.order);

    /* another block size, a new order over its own block count */
    tool_srun u = fresh_run(7);
    ASSERT_EQ(0, tool_storage_new_pass(&u, N));
    ASSERT_EQ(0, tool_storage_new_pass(&u, 16));
    assert_permutation(&u, 16, NULL);
    tach__free(u.order);
}

TEST(cached_share_of_the_test_file)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base) base = access("/var/tmp", W_OK) == 0 ? "/var/tmp" : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/tach-test-cached-XXXXXX", base);
    int fd = mkstemp(path);
    ASSERT_TRUE(fd >= 0);
    unlink(path);
    enum { SIZE = 1 << 20 };
    static unsigned char buf[SIZE];
    memset(buf, 0x5a, sizeof buf);
    ASSERT_EQ(SIZE, pwrite(fd, buf, SIZE, 0));
    /* just written: every page in the cache */
    ASSERT_NEAR(1.0, tool_storage_cached_share(fd, SIZE), 1e-9);
    ASSERT_NAN(tool_storage_cached_share(fd, 0));
    struct statfs sf;
    ASSERT_EQ(0, fstatfs(fd, &sf));
    if (sf.f_type != TMPFS_MAGIC && sf.f_type != RAMFS_MAGIC) {
        /* flushed and dropped as before every job: (almost) nothing left, and the share
         * looked at without reading any page back in */
        ASSERT_EQ(0, fdatasync(fd));
        ASSERT_EQ(0, posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED));
        ASSERT_TRUE(tool_storage_cached_share(fd, SIZE) < 0.5);
        ASSERT_TRUE(tool_storage_cached_share(fd, SIZE) < 0.5);
        /* half of it read back: about half cached */
        posix_fadvise(fd, 0, 0, POSIX_FADV_RANDOM);
        for (off_t off = 0; off < SIZE / 2; off += 4096) ASSERT_EQ(4096, pread(fd, buf, 4096, off));
        double h = tool_storage_cached_share(fd, SIZE);
        ASSERT_TRUE(h >= 0.5 && h < 0.99);
    }
    close(fd);
}

/* fio's usr_cpu and sys_cpu: the CPU time over the job's time in percent.  A one-thread
 * job (psync, sync) of a millisecond whose CPU times read 1.01 ms (the clocks' few
 * microseconds apart) is at 100%, not 101%, user and system in the proportion read; an
 * io_uring job's workers may add more than 100% and keep it; under 100% nothing changes */
TEST(cpu_share_of_a_one_thread_job_is_at_most_100)
{
    tool_srec r;
    memset(&r, 0, sizeof r);
    r.ru_start.ru_utime = (struct timeval){5, 999900};
    r.ru_start.ru_stime = (struct timeval){2, 0};
    r.ru_end.ru_utime = (struct timeval){6, 808};  /* +908 us */
    r.ru_end.ru_stime = (struct timeval){2, 102}; /* +102 us: 1010 us in all */
    double usr, sys;
    ASSERT_TRUE(tool_srec_cpu_share(&r, 0.001, true, &usr, &sys));
    ASSERT_NEAR(100, usr + sys, 1e-9);
    ASSERT_NEAR(908.0 / 102.0, usr / sys, 1e-9);
    ASSERT_TRUE(!tool_srec_cpu_share(&r, 0.001, false, &usr, &sys)); /* io_uring */
    ASSERT_NEAR(90.8, usr, 1e-6);
    ASSERT_NEAR(10.2, sys, 1e-6);
    ASSERT_TRUE(!tool_srec_cpu_share(&r, 0.002, true, &usr, &sys)); /* 50.5% of 2 ms */
    ASSERT_NEAR(45.4, usr, 1e-6);
    ASSERT_NEAR(5.1, sys, 1e-6);
}

TEST_MAIN()

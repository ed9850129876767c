/*
 * test_memcount.c - the heap counting of the counting allocator (src/memhook/memhook.c,
 * preloaded: CTest sets LD_PRELOAD as the memory pass does) through libtach's side
 * (src/bench/memcount.c; docs/memory.md), driven directly: exact counts of each
 * allocator, realloc's rules, the size table through growth and deletions (a random
 * pattern checked against a model), allocations from several threads, and nothing
 * counted while off.  Under AddressSanitizer, which owns
 * the allocator, only the refusal and its reason are checked (printed as a skip).
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "memcount.h"
#include "tach_internal.h"
#include "test.h"

/* Through volatile pointers so that the compiler keeps every call (it may otherwise
 * pair up a malloc and a free and drop both). */
static void *(*volatile vmalloc)(size_t) = malloc;
static void *(*volatile vcalloc)(size_t, size_t) = calloc;
static void *(*volatile vrealloc)(void *, size_t) = realloc;
static void (*volatile vfree)(void *) = free;

static int begin(void)
{
    char why[TACH__ERR_MAX] = "";
    if (tach__mem_begin(why) != 0) {
        if (!strstr(why, "unavailable under ASan")) TEST__FAIL("begin: %s", why);
        printf("  skip: %s\n", why);
        return -1;
    }
    tach__mem_reset();
    return 0;
}

static tach__mem_counts counts(void)
{
    tach__mem_counts c;
    tach__mem_read(&c);
    return c;
}

TEST(each_allocator_counted_exactly)
{
    if (begin() != 0) return;
    tach__mem_on();
    void *a = vmalloc(100);               /* 1: 100 */
    void *b = vcalloc(3, 10);             /* 2: 30 */
    void *c = NULL;
    int rc = posix_memalign(&c, 64, 200); /* 3: 200 */
    void *d = aligned_alloc(32, 64);      /* 4: 64 */
    void *e = memalign(16, 48);           /* 5: 48 */
    tach__mem_counts mid = counts();
    vfree(a);
    vfree(b);
    vfree(c);
    vfree(d);
    vfree(e);
    tach__mem_off();
    tach__mem_counts end = counts();
    tach__mem_end();
    ASSERT_EQ(0, rc);
    ASSERT_EQ(5, mid.allocs);
    ASSERT_EQ(442, mid.bytes);
    ASSERT_EQ(442, mid.net);
    ASSERT_EQ(442, mid.peak);
    ASSERT_EQ(5, end.allocs);
    ASSERT_EQ(0, end.net);
    ASSERT_EQ(442, end.peak);
}

TEST(realloc_is_one_allocation_and_frees_the_old_block)
{
    if (begin() != 0) return;
    tach__mem_on();
    char *p = vrealloc(NULL, 10);   /* realloc(NULL) = malloc: 1 alloc, 10 */
    p = vrealloc(p, 1000);          /* 1 alloc of 1000, the 10 freed: net 1000 */
    tach__mem_counts mid = counts();
    void *z = vrealloc(p, 0);       /* frees: no allocation, net 0 */
    tach__mem_off();
    tach__mem_counts end = counts();
    tach__mem_end();
    ASSERT_TRUE(z == NULL);
    ASSERT_EQ(2, mid.allocs);
    ASSERT_EQ(1010, mid.bytes);
    ASSERT_EQ(1000, mid.net);
    ASSERT_EQ(2, end.allocs);
    ASSERT_EQ(0, end.net);
    ASSERT_EQ(1000, end.peak); /* the old block counts as freed before the new one is added */
}

TEST(bad_alignment_refused_and_not_counted)
{
    if (begin() != 0) return;
    tach__mem_on();
    void *p = (void *)1;
    int rc = posix_memalign(&p, 3, 16);
    tach__mem_off();
    tach__mem_counts c = counts();
    tach__mem_end();
    ASSERT_EQ(EINVAL, rc);
    ASSERT_TRUE(p == (void *)1);
    ASSERT_EQ(0, c.allocs);
}

TEST(off_counts_nothing_and_older_blocks_free_at_their_usable_size)
{
    if (begin() != 0) return;
    void *old = vmalloc(40); /* before the region: not counted */
    size_t usable = malloc_usable_size(old);
    tach__mem_on();
    vfree(old);
    tach__mem_off();
    void *after = vmalloc(50); /* after the region: not counted */
    vfree(after);
    tach__mem_counts c = counts();
    tach__mem_end();
    ASSERT_EQ(0, c.allocs);
    ASSERT_EQ(-(long long)usable, c.net);
}

/* Many live blocks (the table grows from 4096 slots several times), freed in a
 * scrambled order with new ones between: the net is always what a model says. */
TEST(size_table_through_growth_and_deletions)
{
    if (begin() != 0) return;
    enum { N = 20000 };
    static void *blocks[N];
    static size_t sizes[N];
    tach__rng rng;
    tach__rng_seed(&rng, 42);
    int64_t model = 0, model_peak = 0;
    uint64_t allocs = 0, bytes = 0;
    tach__mem_on();
    for (size_t i = 0; i < N; i++) {
        sizes[i] = 1 + (size_t)tach__rng_below(&rng, 300);
        blocks[i] = vmalloc(sizes[i]);
        allocs++;
        bytes += sizes[i];
        model += (int64_t)sizes[i];
        if (model > model_peak) model_peak = model;
    }
    for (size_t k = 0; k < 3 * N; k++) {
        size_t i = (size_t)tach__rng_below(&rng, N);
        if (blocks[i]) {
            vfree(blocks[i]);
            blocks[i] = NULL;
            model -= (int64_t)sizes[i];
        } else {
            sizes[i] = 1 + (size_t)tach__rng_below(&rng, 300);
            blocks[i] = vmalloc(sizes[i]);
            allocs++;
            bytes += sizes[i];
            model += (int64_t)sizes[i];
            if (model > model_peak) model_peak = model;
        }
    }
    tach__mem_counts mid = counts();
    for (size_t i = 0; i < N; i++) vfree(blocks[i]);
    tach__mem_off();
    tach__mem_counts end = counts();
    tach__mem_end();
    ASSERT_EQ(0, mid.untracked);
    ASSERT_EQ(allocs, mid.allocs);
    ASSERT_EQ(bytes, mid.bytes);
    ASSERT_EQ(model, mid.net);
    ASSERT_EQ(model_peak, mid.peak);
    ASSERT_EQ(0, end.net);
}

static void *worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 5000; i++) {
        void *p = vmalloc(24);
        vfree(p);
    }
    void *keep = vmalloc(8); /* freed by the main thread: a cross-thread free */
    return keep;
}

TEST(threads_all_counted)
{
    if (begin() != 0) return;
    enum { T = 4 };
    pthread_t th[T];
    void *kept[T];
    /* Threads start (and glibc gives them their stacks and arenas) before counting:
     * T threads run and end first, so the counted ones reuse glibc's cached stacks and
     * their TLS blocks (272 bytes a thread on glibc 2.36, allocated once and kept for
     * reuse, never freed) instead of allocating them while counting. */
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_create(&th[t], NULL, worker, NULL));
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_join(th[t], &kept[t]));
    for (int t = 0; t < T; t++) vfree(kept[t]);
    tach__mem_on();
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_create(&th[t], NULL, worker, NULL));
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_join(th[t], &kept[t]));
    tach__mem_counts mid = counts();
    for (int t = 0; t < T; t++) vfree(kept[t]);
    tach__mem_off();
    tach__mem_counts end = counts();
    tach__mem_end();
    /* pthread_create may allocate too (a thread's TLS, its stack cache): at least the
     * workers' own, and exactly their bytes' net once all is freed. */
    ASSERT_TRUE(mid.allocs >= T * 5001);
    ASSERT_TRUE(mid.bytes >= T * (5000 * 24 + 8));
    ASSERT_EQ(0, end.untracked);
    /* Nothing leaks: every block, freed on its own thread or (kept) on another, is
     * subtracted, so the net growth is 0 (the kept blocks were still live at mid). */
    ASSERT_TRUE(mid.net >= T * 8);
    ASSERT_EQ(0, end.net);
}

TEST(threads_counted_nothing_while_off)
{
    if (begin() != 0) return;
    /* The same threads while counting is off: nothing counted. */
    enum { T = 3 };
    pthread_t th[T];
    void *kept[T];
    tach__mem_on();
    tach__mem_off();
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_create(&th[t], NULL, worker, NULL));
    for (int t = 0; t < T; t++) ASSERT_EQ(0, pthread_join(th[t], &kept[t]));
    for (int t = 0; t < T; t++) vfree(kept[t]);
    tach__mem_counts c = counts();
    tach__mem_end();
    ASSERT_EQ(0, c.allocs); /* off: nothing, whatever the threads did */
}

TEST_MAIN()

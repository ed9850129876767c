/* test_grow.c - the growable-array helper (tach__grow, tach__grow_cap): doubling from
 * a least capacity, several elements at once, overflow refused with the array left
 * as it was. */
#include <stdint.h>
#include <string.h>

#include "tach_internal.h"
#include "test.h"

TEST(capacity_doubles_from_the_least)
{
    size_t c = 0;
    ASSERT_EQ(0, tach__grow_cap(0, 1, 64, 8, &c));
    ASSERT_EQ(64, c);
    ASSERT_EQ(0, tach__grow_cap(64, 65, 64, 8, &c));
    ASSERT_EQ(128, c);
    ASSERT_EQ(0, tach__grow_cap(64, 300, 64, 8, &c)); /* doubles until it fits */
    ASSERT_EQ(512, c);
    ASSERT_EQ(0, tach__grow_cap(100, 50, 64, 8, &c)); /* already enough */
    ASSERT_EQ(100, c);
    ASSERT_EQ(0, tach__grow_cap(0, 3, 0, 1, &c)); /* no least: from 1 */
    ASSERT_EQ(4, c);
}

TEST(overflow_is_refused)
{
    size_t c = 7;
    ASSERT_EQ(-1, tach__grow_cap(0, SIZE_MAX / 4, 64, 8, &c));
    ASSERT_EQ(7, c);
    ASSERT_EQ(-1, tach__grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 1, 2, &c));
    ASSERT_EQ(0, tach__grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 1, 1, &c)); /* exactly need */
    ASSERT_EQ(SIZE_MAX, c);

    double *a = NULL;
    size_t cap = 0;
    ASSERT_EQ(0, TACH__GROW(&a, &cap, 3, 4));
    a[0] = 1.5;
    ASSERT_EQ(-1, TACH__GROW(&a, &cap, SIZE_MAX / 2, 4));
    ASSERT_EQ(4, cap);          /* unchanged */
    ASSERT_TRUE(a[0] == 1.5);   /* and still the caller's */
    tach__free(a);
}

TEST(an_array_grows_and_keeps_its_elements)
{
    int *v = NULL;
    size_t cap = 0, n = 0;
    for (int i = 0; i < 1000; i++) {
        ASSERT_EQ(0, TACH__GROW(&v, &cap, n + 1, 16));
        v[n++] = i;
    }
    ASSERT_EQ(1024, cap);
    for (int i = 0; i < 1000; i++) ASSERT_EQ(i, v[i]);
    tach__free(v);
}

TEST_MAIN()

/* test_http_wait.c - how an HTTP event loop waits for its next slot (src/load/http.c):
 * it sleeps on a timer until as long before the slot as its wake-ups were seen to come
 * late, and spins (polls without sleeping) only for that rest, not a fixed 0.5-1.5 ms
 * before every slot, which at --rate 200 kept a fifth of a CPU busy.  Pure logic, no
 * clock: the times are made up, in ns. */
#include "http.h"
#include "test.h"

#define US 1000ull
#define MS 1000000ull

TEST(sleeps_until_the_measured_lateness_before_the_slot)
{
    /* at 200/s the next slot is 5 ms away; wake-ups seen 20 us late: sleep to 20 us
     * before it, so the spin is 20 us */
    uint64_t now = 1000 * MS, wake = now + 5 * MS;
    ASSERT_EQ(wake - 20 * US, tool_http_sleep_until(now, wake, 20 * US));
    /* a slot 1.2 ms away: still a sleep, to 20 us before it */
    ASSERT_EQ(now + 1200 * US - 20 * US, tool_http_sleep_until(now, now + 1200 * US, 20 * US));
    /* 300 us away: a sleep too (no spin over the whole of it) */
    ASSERT_EQ(now + 280 * US, tool_http_sleep_until(now, now + 300 * US, 20 * US));
}

TEST(spins_only_within_the_lateness_and_when_due)
{
    uint64_t now = 1000 * MS;
    ASSERT_EQ(0, tool_http_sleep_until(now, now + 15 * US, 20 * US));
    ASSERT_EQ(0, tool_http_sleep_until(now, now, 20 * US));
    ASSERT_EQ(0, tool_http_sleep_until(now, now - 1, 20 * US));
    /* a late machine: the spin follows it, up to what it was seen to need */
    ASSERT_EQ(0, tool_http_sleep_until(now, now + 400 * US, 450 * US));
    ASSERT_EQ(now + 1 * MS - 450 * US, tool_http_sleep_until(now, now + 1 * MS, 450 * US));
}

TEST(lateness_rises_at_once_decays_slowly_and_is_bounded)
{
    uint64_t e = TOOL_HTTP_SPIN_MIN_NS;
    /* on time: stays at the floor */
    e = tool_http_wake_late(e, 2 * US);
    ASSERT_EQ(TOOL_HTTP_SPIN_MIN_NS, e);
    /* a wake-up 200 us late: at once at least that (with a quarter more) */
    e = tool_http_wake_late(e, 200 * US);
    ASSERT_EQ(250 * US, e);
    /* then on-time wake-ups: an eighth less each */
    e = tool_http_wake_late(e, 2 * US);
    ASSERT_EQ(250 * US - 250 * US / 8, e);
    for (int i = 0; i < 100; i++) e = tool_http_wake_late(e, 2 * US);
    ASSERT_EQ(TOOL_HTTP_SPIN_MIN_NS, e);
    /* a machine 10 ms late costs no more spin than the bound (it is late anyway) */
    e = tool_http_wake_late(e, 10 * MS);
    ASSERT_EQ(TOOL_HTTP_SPIN_MAX_NS, e);
    ASSERT_TRUE(TOOL_HTTP_SPIN_MAX_NS <= 500 * US);
}

TEST_MAIN()

/* test_bench_probe.c - how long the --tach-probe of a program waits
 * (cli_bench_probe_limit_ns, cli/bench_driver.c): tach profile --timeout 1 of a program
 * that ignores the option waited 10 s for it, then ran it for 1 s.  The wait is the
 * run's --timeout, but 1 s at least (a real binary's start on a loaded machine) and
 * 10 s at most. */
#include "run.h"
#include "test.h"

#define S 1000000000ull

TEST(probe_waits_no_longer_than_the_run_it_precedes)
{
    ASSERT_TRUE(cli_bench_probe_limit_ns(1.0) == 1 * S);
    ASSERT_TRUE(cli_bench_probe_limit_ns(3.5) == 3 * S + S / 2);
}

TEST(probe_waits_a_second_at_least_and_ten_at_most)
{
    ASSERT_TRUE(cli_bench_probe_limit_ns(0.01) == 1 * S);
    ASSERT_TRUE(cli_bench_probe_limit_ns(600) == 10 * S);
    ASSERT_TRUE(cli_bench_probe_limit_ns(0) == 10 * S);
}

TEST_MAIN()

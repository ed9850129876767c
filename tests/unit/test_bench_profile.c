/* test_bench_profile.c - tach bench --profile's "frames that grew" (cli/bench_profile.c)
 * on folded stacks written here.  Reference values by hand: base has 100 samples, 80
 * self in hot and 20 in cold; new has 200, 60 in hot, 40 in cold, 100 in slow (new), so
 * slow grows 0% -> 50%, cold 20% -> 20% (not grown), hot 80% -> 30% (shrank). */
#include <unistd.h>

#include "bench.h"
#include "test.h"

static char *write_tmp(const char *text)
{
    static int k;
    char *path = malloc(64);
    snprintf(path, 64, "/tmp/tach_prof_test.%d.%d", (int)getpid(), k++);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

TEST(frames_that_grew_most_first)
{
    char *a = write_tmp("main;run;hot 50\nmain;run;hot 30\nmain;run;cold 20\n");
    char *b = write_tmp("main;run;hot 60\nmain;run;cold 40\nmain;run;slow 70\nmain;other;slow 30\n"
                        "main;run;tiny 0\n");
    char *g = cli_profile_grown(a, b, 5);
    ASSERT_TRUE(g != NULL);
    ASSERT_STREQ("slow: self 0.0% -> 50.0% (+50.0 points)\n", g);
    tach__free(g);
    /* top bounds the lines; from b back to a, hot grew 30% -> 80% */
    g = cli_profile_grown(b, a, 1);
    ASSERT_STREQ("hot: self 30.0% -> 80.0% (+50.0 points)\n", g);
    tach__free(g);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

TEST(nothing_grew_or_nothing_to_read)
{
    char *a = write_tmp("main;hot 10\n");
    char *e = write_tmp("");
    char *g = cli_profile_grown(a, a, 5);
    ASSERT_STREQ("", g);
    tach__free(g);
    ASSERT_TRUE(cli_profile_grown(a, e, 5) == NULL);
    ASSERT_TRUE(cli_profile_grown("/nonexistent/x.folded", a, 5) == NULL);
    unlink(a);
    unlink(e);
    free(a);
    free(e);
}

TEST_MAIN()

/* test_bench_profile.c - tach bench --profile's "frames that grew" (cli/bench_profile.c)
 * on folded stacks written here.  Reference values by hand: base has 100 samples, 80
 * self in hot and 20 in cold; new has 200, 60 in hot, 40 in cold, 100 in slow (new), so
 * slow grows 0% -> 50%, cold 20% -> 20% (not grown), hot 80% -> 30% (shrank). */
#include <string.h>
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
    char *b = write_tmp("main;run;hot 60\nmain;run;cold 40\nmain;run;slow 70\nmain;other;slow 30\n");
    char err[TACH__ERR_MAX] = "";
    char *g = cli_profile_grown(a, b, 5, err);
    ASSERT_TRUE(g != NULL);
    ASSERT_STREQ("slow: self 0.0% -> 50.0% (+50.0 points)\n", g);
    tach__free(g);
    /* top bounds the lines; from b back to a, hot grew 30% -> 80% */
    g = cli_profile_grown(b, a, 1, err);
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
    char err[TACH__ERR_MAX] = "";
    char *g = cli_profile_grown(a, a, 5, err);
    ASSERT_STREQ("", g);
    tach__free(g);
    ASSERT_TRUE(cli_profile_grown(a, e, 5, err) == NULL);
    ASSERT_TRUE(strstr(err, "has no samples") != NULL);
    ASSERT_TRUE(cli_profile_grown("/nonexistent/x.folded", a, 5, err) == NULL);
    ASSERT_TRUE(err[0] != '\0');
    unlink(a);
    unlink(e);
    free(a);
    free(e);
}

/* Lines the strict parser (tach profile --diff's) refuses were passed over or misread
 * here: a count of 0, -3 (strtod took it, then skipped it), 1.5 or 2abc (strtod read
 * 2), a line with no count, a frame with no name.  Each is refused, on either side,
 * with the file and its line named. */
TEST(bad_lines_refused_naming_file_and_line)
{
    static const struct {
        const char *text, *says;
    } bad[] = {
        {"main;hot 10\nmain;cold 0\n", ":2: the count '0' is not a positive whole number"},
        {"main;hot 10\nmain;cold -3\n", ":2: the count '-3' is not a positive whole number"},
        {"main;hot 1.5\n", ":1: the count '1.5' is not a positive whole number"},
        {"main;hot 2abc\n", ":1: the count '2abc' is not a positive whole number"},
        {"main;hot\n", ":1: not 'frame;frame;... COUNT'"},
        {"main;;hot 4\n", ":1: a frame with no name"},
    };
    char *good = write_tmp("main;hot 10\n");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *p = write_tmp(bad[i].text);
        char want[256];
        snprintf(want, sizeof want, "%s%s", p, bad[i].says);
        for (int side = 0; side < 2; side++) {
            char err[TACH__ERR_MAX] = "";
            char *g = side ? cli_profile_grown(good, p, 5, err) : cli_profile_grown(p, good, 5, err);
            ASSERT_TRUE(g == NULL);
            if (strncmp(err, want, strlen(want)) != 0) fprintf(stderr, "err: %s\nwant: %s\n", err, want);
            ASSERT_TRUE(strncmp(err, want, strlen(want)) == 0);
        }
        unlink(p);
        free(p);
    }
    unlink(good);
    free(good);
}

/* A C++-like symbol of 300-odd bytes, with characters of two and three bytes around the
 * 120th byte: its line names it whole (it was cut at 120 bytes, silently, and the line
 * could not tell two such names apart). */
TEST(a_long_name_is_shown_whole)
{
    char name[400] = "std::vector<\xc3\xa9l\xc3\xa9ment";
    while (strlen(name) < 118) strcat(name, "_ab");
    strcat(name, "\xe2\x82\xac\xc3\xa9");
    while (strlen(name) < 300) strcat(name, "::push_back");
    strcat(name, "(int)");
    char folded_b[512], want[512];
    snprintf(folded_b, sizeof folded_b, "main;run;%s 80\nmain;run;hot 20\n", name);
    snprintf(want, sizeof want, "%s: self 0.0%% -> 80.0%% (+80.0 points)\n", name);
    char *a = write_tmp("main;run;hot 10\n");
    char *b = write_tmp(folded_b);
    char err[TACH__ERR_MAX] = "";
    char *g = cli_profile_grown(a, b, 5, err);
    ASSERT_TRUE(g != NULL);
    ASSERT_STREQ(want, g);
    tach__free(g);
    unlink(a);
    unlink(b);
    free(a);
    free(b);
}

TEST_MAIN()

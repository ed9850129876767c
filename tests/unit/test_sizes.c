/* test_sizes.c - one size word, one number of bytes: tach suite's sizes (and
 * --max-input-size, tach__opt_parse_size) and .tach/config's memory targets read every
 * unit alike (tach__opt_size_unit): 4k and 1MiB in powers of 1024, 1MB in powers of
 * 1000.  The config's values are read back from a file through cli_config_load. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "compare.h"
#include "options.h"
#include "test.h"

/* The max_peak_bytes that .tach/config reads for word, or -1 when it refuses it. */
static double config_bytes(const char *word)
{
    char path[] = "/tmp/tach-test-sizes-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) TEST__FAIL("mkstemp failed");
    FILE *f = fdopen(fd, "w");
    if (!f) TEST__FAIL("fdopen failed");
    fprintf(f, "[bench \"*\"]\nmax_peak_bytes = %s\n", word);
    fclose(f);
    cli_config c = {0};
    fflush(stderr);
    int saved = dup(2), null = open("/dev/null", O_WRONLY); /* a refusal prints a line */
    if (null >= 0) dup2(null, 2);
    int rc = cli_config_load("test", path, &c);
    if (saved >= 0) dup2(saved, 2);
    if (saved >= 0) close(saved);
    if (null >= 0) close(null);
    unlink(path);
    double v = rc == CLI_OK && c.nrules == 1 ? c.rules[0].max_peak_bytes : -1;
    cli_config_free(&c);
    return v;
}

TEST(a_size_word_is_the_same_bytes_in_suites_and_config)
{
    static const struct { const char *word; uint64_t bytes; } words[] = {
        {"1", 1},                  {"512B", 512},             {"4k", 4096},
        {"4K", 4096},              {"4ki", 4096},             {"4KiB", 4096},
        {"4kB", 4000},             {"4KB", 4000},             {"1M", 1048576},
        {"1Mi", 1048576},          {"1MiB", 1048576},         {"1MB", 1000000},
        {"1mb", 1000000},          {"1G", 1073741824},        {"1GiB", 1073741824},
        {"1GB", 1000000000},       {"1T", 1099511627776ULL},  {"1TiB", 1099511627776ULL},
        {"1TB", 1000000000000ULL}, {"500MB", 500000000},      {"64m", 67108864}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        uint64_t suite = 0;
        if (tach__opt_parse_size(words[i].word, &suite) != 0) fprintf(stderr, "  suite refused '%s'\n", words[i].word);
        ASSERT_EQ(0, tach__opt_parse_size(words[i].word, &suite));
        double config = config_bytes(words[i].word);
        if ((double)suite != config || suite != words[i].bytes)
            fprintf(stderr, "  '%s': suite %llu, config %.0f, expected %llu\n", words[i].word,
                    (unsigned long long)suite, config, (unsigned long long)words[i].bytes);
        ASSERT_TRUE(suite == words[i].bytes);
        ASSERT_TRUE(config == (double)words[i].bytes);
    }
}

TEST(a_word_that_is_no_size_is_refused_by_both)
{
    static const char *const bad[] = {"4x", "1MBi", "1kib2", "k", "1iB", "1 MBB", "1Kibibyte"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint64_t v = 7;
        ASSERT_EQ(-1, tach__opt_parse_size(bad[i], &v));
        if (config_bytes(bad[i]) != -1) fprintf(stderr, "  config read '%s'\n", bad[i]);
        ASSERT_TRUE(config_bytes(bad[i]) == -1);
    }
}

TEST_MAIN()

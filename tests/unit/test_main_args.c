/* test_main_args.c - tach_main's argument vector: the arguments end at a NULL entry
 * within argc (as a C argv does), never read past it: no crash, and what follows it is
 * not seen.  Each call runs in a child process (stdout and stderr to /dev/null), so that
 * a crash is a failed test, not a dead test binary. */
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tach.h"
#include "test.h"

/* tach_main(argc, argv)'s return in a child, or 1000 + the signal that killed it. */
static int run_main(int argc, char **argv)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) TEST__FAIL("fork failed");
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) {
            dup2(null, 1);
            dup2(null, 2);
        }
        _exit(tach_main(argc, argv) & 0xff);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid) TEST__FAIL("waitpid failed");
    return WIFSIGNALED(st) ? 1000 + WTERMSIG(st) : WEXITSTATUS(st);
}

TEST(null_after_the_program_name_is_no_arguments)
{
    char *none[] = {(char *)"x", NULL};
    int want = run_main(1, none); /* no benchmark registered: whatever that gives */
    ASSERT_TRUE(want < 1000);
    char *a[] = {(char *)"x", NULL, NULL};
    ASSERT_EQ(want, run_main(2, a));
    ASSERT_EQ(want, run_main(3, a));
}

TEST(arguments_after_a_null_are_not_read)
{
    /* --tach-probe alone answers 0; --bogus after the NULL would be exit 2 */
    char *a[] = {(char *)"x", (char *)"--tach-probe", NULL, (char *)"--bogus"};
    ASSERT_EQ(0, run_main(4, a));
    char *bad[] = {(char *)"x", (char *)"--bogus", NULL};
    ASSERT_EQ(2, run_main(2, bad)); /* the one before it still is */
    ASSERT_EQ(2, run_main(3, bad));
}

TEST(a_null_program_name_is_no_arguments)
{
    char *none[] = {(char *)"x", NULL};
    int want = run_main(1, none);
    ASSERT_TRUE(want != 2); /* so that a read --bogus (exit 2) would show */
    char *a[] = {NULL, (char *)"--bogus"};
    ASSERT_EQ(want, run_main(2, a));
    ASSERT_EQ(want, run_main(0, a));
}

TEST_MAIN()

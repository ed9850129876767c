/*
 * can_ptrace.c - exits 0 when a child of this process can be traced (PTRACE_TRACEME),
 * as `tach soak` traces a soaked command to read its own peak RSS (cli/child_peak.c);
 * 1 where tracing is refused (a seccomp policy, this process itself traced).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) {
        if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) _exit(3);
        raise(SIGSTOP);
        _exit(0);
    }
    int st = 0;
    if (waitpid(pid, &st, 0) != pid) return 1;
    if (!WIFSTOPPED(st)) return 1; /* TRACEME refused: it exited */
    ptrace(PTRACE_CONT, pid, NULL, NULL);
    if (waitpid(pid, &st, 0) != pid) return 1;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}

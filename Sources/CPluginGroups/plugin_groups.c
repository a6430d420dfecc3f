#include "plugin_groups.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

// Fixed slots rather than a growing list: the handler may run at any moment, and may only read.
enum { SLOTS = HANDOFF_PLUGIN_GROUP_SLOTS };
static volatile sig_atomic_t groups[SLOTS];

int handoff_plugin_group_add(pid_t group) {
    for (int i = 0; i < SLOTS; i++) {
        if (__sync_bool_compare_and_swap(&groups[i], 0, group)) return 1;
    }
    return 0;
}

void handoff_plugin_group_remove(pid_t group) {
    for (int i = 0; i < SLOTS; i++) {
        __sync_bool_compare_and_swap(&groups[i], group, 0);
    }
}

static void send_to_groups(int signo) {
    for (int i = 0; i < SLOTS; i++) {
        pid_t group = groups[i];
        if (group > 0) kill(-group, signo);
    }
}

/// Whether a recorded group's server is still running (it is Handoff's child, so it is reaped here).
static int servers_running(void) {
    int running = 0;
    for (int i = 0; i < SLOTS; i++) {
        pid_t group = groups[i];
        if (group > 0 && waitpid(group, NULL, WNOHANG) == 0) running++;
    }
    return running;
}

/// Only async-signal-safe calls: kill, waitpid, nanosleep, sigaction, sigprocmask, raise.
static void end_groups_then_handoff(int signo) {
    // Politely first, as stopping one plugin does, so a server can tidy up; then not.
    send_to_groups(SIGTERM);
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int round = 0; round < 20 && servers_running() > 0; round++) nanosleep(&pause, NULL);
    send_to_groups(SIGKILL);

    // Ended by the signal that came, so the parent sees the usual status (128 + the signal).
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    sigaction(signo, &fallback, NULL);
    sigset_t only;
    sigemptyset(&only);
    sigaddset(&only, signo);
    sigprocmask(SIG_UNBLOCK, &only, NULL);
    raise(signo);
}

void handoff_plugin_groups_end_with_handoff(void) {
    const int ending[] = {SIGTERM, SIGINT, SIGHUP};
    for (unsigned i = 0; i < sizeof ending / sizeof ending[0]; i++) {
        struct sigaction current;
        if (sigaction(ending[i], NULL, &current) != 0) continue;
        if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != SIG_DFL) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = end_groups_then_handoff;
        // One ending at a time: a second signal waits until the groups are ended.
        sigfillset(&action.sa_mask);
        sigaction(ending[i], &action, NULL);
    }
}

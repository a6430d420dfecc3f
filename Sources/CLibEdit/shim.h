// Wrappers Swift can call: el_set and history are variadic, stdin/stdout are C globals Swift 6
// refuses, and a signal handler must be C. Everything here is small and does one thing.
#ifndef HANDOFF_CLIBEDIT_SHIM_H
#define HANDOFF_CLIBEDIT_SHIM_H

#include <histedit.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

// MARK: Interrupts

static volatile sig_atomic_t handoff_interrupted = 0;

static void handoff_on_sigint(int signo) {
    (void)signo;
    handoff_interrupted = 1;
}

/// Ctrl-C sets a flag instead of killing the process; reads are interrupted (no SA_RESTART) so
/// the line editor returns and can clear the line.
static inline void handoff_install_sigint(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handoff_on_sigint;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    // A parent may have started us with SIGINT blocked (signal masks are inherited).
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
}

/// Whether Ctrl-C was pressed since the last call; clears the flag.
static inline int handoff_take_interrupt(void) {
    int was = handoff_interrupted;
    handoff_interrupted = 0;
    return was;
}

static inline int handoff_interrupt_pending(void) { return handoff_interrupted; }

// MARK: Line editing

static char handoff_prompt_text[512] = "handoff> ";

static char *handoff_prompt(EditLine *el) {
    (void)el;
    return handoff_prompt_text;
}

static inline void handoff_set_prompt(const char *text) {
    strncpy(handoff_prompt_text, text, sizeof handoff_prompt_text - 1);
    handoff_prompt_text[sizeof handoff_prompt_text - 1] = '\0';
}

static inline void handoff_setlocale(void) { setlocale(LC_CTYPE, ""); }

typedef unsigned char (*handoff_complete_fn)(EditLine *, int);

/// A line editor on the standard streams: emacs keys, the given history, Ctrl-R searching
/// back through it, and Tab calling `complete`.
static inline EditLine *handoff_el_open(const char *program, History *lines, handoff_complete_fn complete) {
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (el == NULL) return NULL;
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_PROMPT, handoff_prompt);
    el_set(el, EL_HIST, history, lines);
    el_set(el, EL_ADDFN, "handoff-complete", "Complete a command, name, theme or time word", complete);
    el_set(el, EL_BIND, "^I", "handoff-complete", NULL);
    el_set(el, EL_BIND, "^R", "em-inc-search-prev", NULL);
    el_source(el, NULL);
    return el;
}

static inline void handoff_el_refresh(EditLine *el) { el_set(el, EL_REFRESH); }

// MARK: History

static inline History *handoff_history_open(int size) {
    History *lines = history_init();
    HistEvent event;
    if (lines == NULL) return NULL;
    history(lines, &event, H_SETSIZE, size);
    history(lines, &event, H_SETUNIQUE, 1);
    return lines;
}

static inline int handoff_history_load(History *lines, const char *path) {
    HistEvent event;
    return history(lines, &event, H_LOAD, path);
}

static inline int handoff_history_enter(History *lines, const char *line) {
    HistEvent event;
    return history(lines, &event, H_ENTER, line);
}

#endif

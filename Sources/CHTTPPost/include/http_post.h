#ifndef HANDOFF_HTTP_POST_H
#define HANDOFF_HTTP_POST_H

#include <stddef.h>

/// The outcome of one POST: `error` is 0 on an answer (any HTTP status), else what went wrong.
typedef struct {
    int error;            /// 0, HANDOFF_HTTP_TIMED_OUT, HANDOFF_HTTP_NO_CURL, HANDOFF_HTTP_FAILED or HANDOFF_HTTP_TOO_LONG
    long status;          /// the HTTP status when error is 0
    char *body;           /// the answer's body (malloc'd, NUL-terminated; free with handoff_http_free)
    size_t body_length;
    char message[512];    /// what went wrong, for a message
} handoff_http_result;

enum { HANDOFF_HTTP_TIMED_OUT = 1, HANDOFF_HTTP_NO_CURL = 2, HANDOFF_HTTP_FAILED = 3, HANDOFF_HTTP_TOO_LONG = 4 };

/// POSTs `body` to `url` with the given header lines ("Name: value"), through libcurl loaded on
/// first use: only polishing needs it, so start-up does not pay for loading it. An answer longer
/// than `max_answer_length` bytes is cut off and reported as HANDOFF_HTTP_TOO_LONG.
handoff_http_result handoff_http_post(const char *url, const char *const *headers, int header_count,
                                      const char *body, size_t body_length, long timeout_ms,
                                      size_t max_answer_length);

void handoff_http_free(handoff_http_result *result);

#endif

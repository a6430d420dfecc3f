#include "http_post.h"

#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libcurl's entry points, looked up once. curl_easy_setopt is variadic: C calls it as such.
static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    int loaded;
    char problem[256];
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;

// libcurl's file, by the name each platform gives it: the one thing here that differs between
// them (the rest of Handoff's platform code is in Sources/Platform, which C cannot import).
// The versioned name first; the unversioned one is a link that only development packages install.
#if defined(__linux__)
static const char *const libcurl_files[] = {"libcurl.so.4", "libcurl.so"};
#else
#error "CHTTPPost: name libcurl's files for this platform in libcurl_files (on macOS: libcurl.4.dylib, then libcurl.dylib)"
#endif

static void load(void) {
    void *library = NULL;
    for (size_t i = 0; !library && i < sizeof libcurl_files / sizeof libcurl_files[0]; i++) {
        library = dlopen(libcurl_files[i], RTLD_NOW | RTLD_LOCAL);
    }
    if (!library) {
        snprintf(curl.problem, sizeof curl.problem, "libcurl is not installed (%s)", dlerror());
        return;
    }
#define LOOKUP(field, name) \
    if (!(*(void **)&curl.field = dlsym(library, name))) { \
        snprintf(curl.problem, sizeof curl.problem, "libcurl lacks %s", name); \
        return; \
    }
    LOOKUP(global_init, "curl_global_init")
    LOOKUP(easy_init, "curl_easy_init")
    LOOKUP(easy_setopt, "curl_easy_setopt")
    LOOKUP(easy_perform, "curl_easy_perform")
    LOOKUP(easy_getinfo, "curl_easy_getinfo")
    LOOKUP(easy_cleanup, "curl_easy_cleanup")
    LOOKUP(easy_strerror, "curl_easy_strerror")
    LOOKUP(slist_append, "curl_slist_append")
    LOOKUP(slist_free_all, "curl_slist_free_all")
#undef LOOKUP
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(curl.problem, sizeof curl.problem, "libcurl could not start");
        return;
    }
    curl.loaded = 1;
}

typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    size_t limit;
    int too_long;
} buffer;

static size_t collect(char *bytes, size_t size, size_t count, void *context) {
    buffer *answer = context;
    size_t more = size * count;
    // An endpoint that streams without end would otherwise fill memory: past the limit the
    // transfer is ended (a short count makes libcurl stop with a write error).
    if (more > answer->limit - answer->length) {
        answer->too_long = 1;
        return 0;
    }
    if (answer->length + more + 1 > answer->capacity) {
        size_t capacity = (answer->capacity ? answer->capacity * 2 : 4096);
        while (capacity < answer->length + more + 1) capacity *= 2;
        char *grown = realloc(answer->data, capacity);
        if (!grown) return 0;
        answer->data = grown;
        answer->capacity = capacity;
    }
    memcpy(answer->data + answer->length, bytes, more);
    answer->length += more;
    answer->data[answer->length] = 0;
    return more;
}

handoff_http_result handoff_http_post(const char *url, const char *const *headers, int header_count,
                                      const char *body, size_t body_length, long timeout_ms,
                                      size_t max_answer_length) {
    handoff_http_result result = {0};
    pthread_once(&once, load);
    if (!curl.loaded) {
        result.error = HANDOFF_HTTP_NO_CURL;
        snprintf(result.message, sizeof result.message, "%s", curl.problem);
        return result;
    }
    CURL *handle = curl.easy_init();
    if (!handle) {
        result.error = HANDOFF_HTTP_FAILED;
        snprintf(result.message, sizeof result.message, "libcurl could not make a request");
        return result;
    }
    struct curl_slist *list = NULL;
    for (int i = 0; i < header_count; i++) list = curl.slist_append(list, headers[i]);
    buffer answer = {0};
    answer.limit = max_answer_length;
    char problem[CURL_ERROR_SIZE] = {0};
    curl.easy_setopt(handle, CURLOPT_URL, url);
    curl.easy_setopt(handle, CURLOPT_POST, 1L);
    curl.easy_setopt(handle, CURLOPT_POSTFIELDS, body);
    curl.easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_length);
    curl.easy_setopt(handle, CURLOPT_HTTPHEADER, list);
    curl.easy_setopt(handle, CURLOPT_WRITEFUNCTION, collect);
    curl.easy_setopt(handle, CURLOPT_WRITEDATA, &answer);
    curl.easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl.easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    curl.easy_setopt(handle, CURLOPT_ERRORBUFFER, problem);
    CURLcode code = curl.easy_perform(handle);
    if (code == CURLE_OK) {
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
        result.body = answer.data ? answer.data : calloc(1, 1);
        result.body_length = answer.length;
    } else if (answer.too_long) {
        free(answer.data);
        curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &result.status);
        result.error = HANDOFF_HTTP_TOO_LONG;
        snprintf(result.message, sizeof result.message, "the answer is longer than %zu bytes", max_answer_length);
    } else {
        free(answer.data);
        result.error = code == CURLE_OPERATION_TIMEDOUT ? HANDOFF_HTTP_TIMED_OUT : HANDOFF_HTTP_FAILED;
        snprintf(result.message, sizeof result.message, "%s", problem[0] ? problem : curl.easy_strerror(code));
    }
    curl.slist_free_all(list);
    curl.easy_cleanup(handle);
    return result;
}

void handoff_http_free(handoff_http_result *result) {
    free(result->body);
    result->body = NULL;
}

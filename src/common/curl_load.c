/* curl_load.c: libcurl, loaded the first time shipload calls it. shipload is not linked with
 * libcurl: it defines the libcurl functions it calls (the list below) and each opens
 * libcurl.so.4 on its first call (dlopen, once per process) and hands its arguments on to the
 * library's function of the same name. libcurl brings about thirty libraries with it (TLS,
 * SSH, LDAP, Kerberos, ...); loading and binding them took about 5 ms at every start, which a
 * command that never goes to the network (validate, detect, a local export) no longer pays
 * (docs/architecture.md, "Builds"). Behaviour is otherwise libcurl's own.
 * When the library cannot be opened, each function fails the way libcurl reports failure
 * (CURLE_FAILED_INIT, NULL, ...) and the strerror functions name the library and dlerror's
 * reason, so the caller's usual error message says why. It does not check the library's
 * version beyond its soname (4: the interface of libcurl 7.x and 8.x). */
#define CURL_DISABLE_TYPECHECK   /* the typecheck macros would rename the definitions below */
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include "shipload/curl_load.h"

#define CURL_SONAME "libcurl.so.4"
#ifndef SL_CURL_URL_GET_CONST
#define SL_CURL_URL_GET_CONST   /* newer headers declare curl_url_get's handle const (CMake) */
#endif

typedef void (*any_function)(void);   /* a callback passed through a variadic setopt */

/* The functions shipload calls, with what each returns when the library is missing:
 * X(return type, name, (parameters), (arguments), failure). */
#define CURL_FUNCTIONS(X)                                                                        \
    X(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)                      \
    X(CURL *, curl_easy_init, (void), (), NULL)                                                  \
    X(CURLcode, curl_easy_perform, (CURL *curl), (curl), CURLE_FAILED_INIT)                      \
    X(char *, curl_easy_escape, (CURL *handle, const char *string, int length),                  \
      (handle, string, length), NULL)                                                            \
    X(char *, curl_easy_unescape,                                                                \
      (CURL *handle, const char *string, int length, int *outlength),                            \
      (handle, string, length, outlength), NULL)                                                 \
    X(CURLHcode, curl_easy_header,                                                               \
      (CURL *easy, const char *name, size_t index, unsigned int origin, int request,             \
       struct curl_header **hout),                                                               \
      (easy, name, index, origin, request, hout), CURLHE_BAD_ARGUMENT)                           \
    X(struct curl_slist *, curl_slist_append, (struct curl_slist *list, const char *data),       \
      (list, data), NULL)                                                                        \
    X(time_t, curl_getdate, (const char *p, const time_t *unused), (p, unused), -1)              \
    X(CURLU *, curl_url, (void), (), NULL)                                                       \
    X(CURLUcode, curl_url_get, (SL_CURL_URL_GET_CONST CURLU *handle, CURLUPart what,             \
                                char **part, unsigned int flags),                                \
      (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)                                         \
    X(CURLUcode, curl_url_set, (CURLU *handle, CURLUPart what, const char *part,                 \
                                unsigned int flags),                                             \
      (handle, what, part, flags), CURLUE_OUT_OF_MEMORY)                                         \
    X(CURLSH *, curl_share_init, (void), (), NULL)                                               \
    X(CURLSHcode, curl_share_cleanup, (CURLSH *share), (share), CURLSHE_INVALID)                 \
    X(CURLM *, curl_multi_init, (void), (), NULL)                                                \
    X(CURLMcode, curl_multi_add_handle, (CURLM *multi, CURL *easy), (multi, easy),               \
      CURLM_BAD_HANDLE)                                                                          \
    X(CURLMcode, curl_multi_remove_handle, (CURLM *multi, CURL *easy), (multi, easy),            \
      CURLM_BAD_HANDLE)                                                                          \
    X(CURLMcode, curl_multi_perform, (CURLM *multi, int *running), (multi, running),             \
      CURLM_BAD_HANDLE)                                                                          \
    X(CURLMcode, curl_multi_poll,                                                                \
      (CURLM *multi, struct curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms,    \
       int *ret),                                                                                \
      (multi, extra_fds, extra_nfds, timeout_ms, ret), CURLM_BAD_HANDLE)                         \
    X(CURLMsg *, curl_multi_info_read, (CURLM *multi, int *msgs_in_queue),                       \
      (multi, msgs_in_queue), NULL)                                                              \
    X(CURLMcode, curl_multi_cleanup, (CURLM *multi), (multi), CURLM_BAD_HANDLE)                  \
    X(curl_mime *, curl_mime_init, (CURL *easy), (easy), NULL)                                   \
    X(curl_mimepart *, curl_mime_addpart, (curl_mime *mime), (mime), NULL)                       \
    X(CURLcode, curl_mime_data, (curl_mimepart *part, const char *data, size_t size),            \
      (part, data, size), CURLE_FAILED_INIT)                                                     \
    X(CURLcode, curl_mime_filename, (curl_mimepart *part, const char *filename),                 \
      (part, filename), CURLE_FAILED_INIT)                                                       \
    X(CURLcode, curl_mime_type, (curl_mimepart *part, const char *type), (part, type),           \
      CURLE_FAILED_INIT)                                                                         \
    X(CURLcode, curl_mime_encoder, (curl_mimepart *part, const char *encoding),                  \
      (part, encoding), CURLE_FAILED_INIT)                                                       \
    X(CURLcode, curl_mime_filedata, (curl_mimepart *part, const char *filename),                 \
      (part, filename), CURLE_FAILED_INIT)

/* The ones that release what libcurl gave, R(name, pointer type): nothing to do for NULL (as in
 * libcurl), which then does not load the library. */
#define CURL_RELEASES(R)                                                                         \
    R(curl_easy_cleanup, CURL *)                                                                 \
    R(curl_free, void *)                                                                         \
    R(curl_slist_free_all, struct curl_slist *)                                                  \
    R(curl_url_cleanup, CURLU *)                                                                 \
    R(curl_mime_free, curl_mime *)

/* The ones written out below (variadic, or answering without the library): H(name). */
#define CURL_BY_HAND(H)                                                                          \
    H(curl_global_cleanup)                                                                       \
    H(curl_easy_setopt)                                                                          \
    H(curl_easy_getinfo)                                                                         \
    H(curl_multi_setopt)                                                                         \
    H(curl_share_setopt)                                                                         \
    H(curl_easy_strerror)                                                                        \
    H(curl_multi_strerror)

/* The library's functions, found once (all or none). */
static struct {
#define FIELD(type, name, params, args, failure) type(*name) params;
#define RELEASE_FIELD(name, pointer) void (*name)(pointer);
#define BY_HAND_FIELD(name) __typeof__(name) *name;   /* the header's own declaration */
    CURL_FUNCTIONS(FIELD)
    CURL_RELEASES(RELEASE_FIELD)
    CURL_BY_HAND(BY_HAND_FIELD)
#undef FIELD
#undef RELEASE_FIELD
#undef BY_HAND_FIELD
    int loaded;
    char why[256];              /* when not loaded: the library and dlerror's reason */
} curl_library;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* dlsym's object pointer as a function pointer, as POSIX allows. */
#define FIND(handle, field)                                                                      \
    (*(void **)&curl_library.field = dlsym(handle, #field)) != NULL

static void curl_open(void)
{
    void *handle = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        snprintf(curl_library.why, sizeof(curl_library.why), "%s", dlerror());
        return;
    }
#define FIND_FUNCTION(type, name, params, args, failure) &&FIND(handle, name)
#define FIND_RELEASE(name, pointer) &&FIND(handle, name)
#define FIND_BY_HAND(name) &&FIND(handle, name)
    int found = 1 CURL_FUNCTIONS(FIND_FUNCTION) CURL_RELEASES(FIND_RELEASE)
        CURL_BY_HAND(FIND_BY_HAND);
#undef FIND_FUNCTION
#undef FIND_RELEASE
#undef FIND_BY_HAND
    if (!found) {
        snprintf(curl_library.why, sizeof(curl_library.why), "%s: %s", CURL_SONAME, dlerror());
        dlclose(handle);
        return;
    }
    curl_library.loaded = 1;   /* the handle stays open for the process's life */
}

/* 1 when the library's functions can be called. */
static int curl_ready(void)
{
    pthread_once(&curl_once, curl_open);
    return curl_library.loaded;
}

const char *sl_curl_load_error(void)
{
    return curl_ready() ? NULL : curl_library.why;
}

/* ---------------------------------------------------------------- the functions */

#define FORWARD(type, name, params, args, failure)                                              \
    type name params                                                                             \
    {                                                                                            \
        return curl_ready() ? curl_library.name args : failure;                                 \
    }
#define FORWARD_RELEASE(name, pointer)                                                           \
    void name(pointer released)                                                                  \
    {                                                                                            \
        if (released && curl_ready())                                                            \
            curl_library.name(released);                                                         \
    }
CURL_FUNCTIONS(FORWARD)
CURL_RELEASES(FORWARD_RELEASE)
#undef FORWARD
#undef FORWARD_RELEASE

void curl_global_cleanup(void)
{
    if (curl_ready())
        curl_library.curl_global_cleanup();
}

const char *curl_easy_strerror(CURLcode code)
{
    return curl_ready() ? curl_library.curl_easy_strerror(code) : curl_library.why;
}

const char *curl_multi_strerror(CURLMcode code)
{
    return curl_ready() ? curl_library.curl_multi_strerror(code) : curl_library.why;
}

/* The variadic ones: the third argument is read as the type the option's number says
 * (CURLOPTTYPE_*, shared by easy and multi options) and passed on as that type. */
#define PASS_OPTION(call, handle, option, args)                                                  \
    ((option) < CURLOPTTYPE_OBJECTPOINT     ? call(handle, option, va_arg(args, long))           \
     : (option) < CURLOPTTYPE_FUNCTIONPOINT ? call(handle, option, va_arg(args, void *))         \
     : (option) < CURLOPTTYPE_OFF_T         ? call(handle, option, va_arg(args, any_function))   \
     : (option) < CURLOPTTYPE_BLOB          ? call(handle, option, va_arg(args, curl_off_t))     \
                                            : call(handle, option, va_arg(args, void *)))

CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...)
{
    if (!curl_ready())
        return CURLE_FAILED_INIT;
    va_list args;
    va_start(args, option);
    CURLcode rc = PASS_OPTION(curl_library.curl_easy_setopt, curl, option, args);
    va_end(args);
    return rc;
}

CURLMcode curl_multi_setopt(CURLM *multi, CURLMoption option, ...)
{
    if (!curl_ready())
        return CURLM_BAD_HANDLE;
    va_list args;
    va_start(args, option);
    CURLMcode rc = PASS_OPTION(curl_library.curl_multi_setopt, multi, option, args);
    va_end(args);
    return rc;
}

CURLcode curl_easy_getinfo(CURL *curl, CURLINFO info, ...)
{
    if (!curl_ready())
        return CURLE_FAILED_INIT;
    va_list args;
    va_start(args, info);
    CURLcode rc = curl_library.curl_easy_getinfo(curl, info, va_arg(args, void *));
    va_end(args);
    return rc;
}

/* Share options: which data to share (an int, as libcurl reads it), the lock callbacks, the
 * callbacks' pointer. */
CURLSHcode curl_share_setopt(CURLSH *share, CURLSHoption option, ...)
{
    if (!curl_ready())
        return CURLSHE_INVALID;
    va_list args;
    va_start(args, option);
    CURLSHcode rc;
    switch (option) {
    case CURLSHOPT_SHARE:
    case CURLSHOPT_UNSHARE:
        rc = curl_library.curl_share_setopt(share, option, va_arg(args, int));
        break;
    case CURLSHOPT_LOCKFUNC:
    case CURLSHOPT_UNLOCKFUNC:
        rc = curl_library.curl_share_setopt(share, option, va_arg(args, any_function));
        break;
    default:
        rc = curl_library.curl_share_setopt(share, option, va_arg(args, void *));
        break;
    }
    va_end(args);
    return rc;
}

/* remote.c: remote manifests through libcurl (sftp://, ftps://, https://). A download runs on a
 * thread of its own and writes into one end of a socket pair; the stream (stream.c) reads the
 * other end like a file, so the socket buffer is all that is held and the SHA-256 of the raw
 * bytes comes out as for a local file. Also lists directories, expands a glob in the last path
 * segment, asks a file's size and time, and makes directories and renames on the server (SFTP
 * and FTP quote commands). SFTP host keys are always checked against known_hosts: an unknown
 * host is refused unless accept_new_host_key says to add it, a changed key always. Nothing here
 * knows records, templates or inboxes. */
#include <curl/curl.h>
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "input_internal.h"
#include "shipload/curl_load.h"
#include "shipload/remote.h"
#include "shipload/url.h"

/* One of the schemes shipload reads, with what it needs. */
typedef struct remote_scheme {
    const char *prefix;
    int ssh;      /* host key and key authentication */
    int ftp;      /* FTP quote commands (else SFTP's) */
} remote_scheme;

static const remote_scheme schemes[] = {
    { "sftp://", 1, 0 },
    { "ftps://", 0, 1 },
    { "https://", 0, 0 },
};
#define SCHEME_COUNT (sizeof(schemes) / sizeof(schemes[0]))

static const remote_scheme *scheme_of(const char *url)
{
    for (size_t i = 0; i < SCHEME_COUNT; i++)
        if (strncasecmp(url, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
            return &schemes[i];
    return NULL;
}

int sl_remote_is_url(const char *source)
{
    return source && scheme_of(source) != NULL;
}

int sl_remote_has_glob(const char *url)
{
    const char *slash = strrchr(url, '/');
    return slash && strpbrk(slash + 1, "*?[") != NULL;
}

/* ---------------------------------------------------------------- shared connections */

struct sl_remote_share {
    CURLSH *curl;
    pthread_mutex_t locks[CURL_LOCK_DATA_LAST];   /* one per kind: libcurl nests them */
};

static void share_lock(CURL *easy, curl_lock_data data, curl_lock_access access, void *arg)
{
    (void)easy, (void)access;
    pthread_mutex_lock(&((sl_remote_share *)arg)->locks[data]);
}

static void share_unlock(CURL *easy, curl_lock_data data, void *arg)
{
    (void)easy;
    pthread_mutex_unlock(&((sl_remote_share *)arg)->locks[data]);
}

sl_remote_share *sl_remote_share_new(void)
{
    sl_remote_share *share = calloc(1, sizeof(*share));
    if (!share)
        return NULL;
    share->curl = curl_share_init();
    if (!share->curl) {
        free(share);
        return NULL;
    }
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&share->locks[i], NULL);
    curl_share_setopt(share->curl, CURLSHOPT_LOCKFUNC, share_lock);
    curl_share_setopt(share->curl, CURLSHOPT_UNLOCKFUNC, share_unlock);
    curl_share_setopt(share->curl, CURLSHOPT_USERDATA, share);
    curl_share_setopt(share->curl, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    curl_share_setopt(share->curl, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    return share;
}

void sl_remote_share_free(sl_remote_share *share)
{
    if (!share)
        return;
    curl_share_cleanup(share->curl);
    for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&share->locks[i]);
    free(share);
}

/* ---------------------------------------------------------------- one easy handle */

/* What a transfer's callbacks share with the code that started it. */
typedef struct remote_call {
    const sl_remote_options *options;
    char shown[600];               /* the URL without a password, for messages */
    char known_hosts[1024];
    char host_key_problem[1400];    /* set by the host key check when it refused */
    char curl_detail[CURL_ERROR_SIZE];
    struct curl_slist *headers;
} remote_call;

static int on_host_key(CURL *easy, const struct curl_khkey *known, const struct curl_khkey *found,
                       enum curl_khmatch match, void *data)
{
    (void)easy, (void)known, (void)found;
    remote_call *call = data;
    if (match == CURLKHMATCH_OK)
        return CURLKHSTAT_FINE;
    if (match == CURLKHMATCH_MISSING && call->options->accept_new_host_key) {
        fprintf(stderr, "shipload: warning: %s: unknown host key accepted and added to %s "
                        "(--accept-new-host-key)\n", call->shown, call->known_hosts);
        return CURLKHSTAT_FINE_ADD_TO_FILE;
    }
    if (match == CURLKHMATCH_MISSING)
        snprintf(call->host_key_problem, sizeof(call->host_key_problem),
                 "the server's host key is not in %s: refused (check its fingerprint, add it "
                 "with ssh-keyscan, or pass --accept-new-host-key)", call->known_hosts);
    else
        snprintf(call->host_key_problem, sizeof(call->host_key_problem),
                 "the server's host key differs from the one in %s: refused (the key changed, "
                 "or someone is in between)", call->known_hosts);
    return CURLKHSTAT_REJECT;
}

/* "Name: value" lines of a file into a header list (blank lines and # comments skipped). */
static int read_header_file(const char *path, struct curl_slist **headers, sl_error *err)
{
    FILE *file = fopen(path, "r");
    if (!file)
        return sl_error_set(err, "--header-file %s: %s", path, strerror(errno));
    char line[8192];
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), file)) {
        size_t len = strcspn(line, "\r\n");
        line[len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        if (!strchr(line, ':')) {
            rc = sl_error_set(err, "--header-file %s: a line is not 'Name: value'", path);
            break;
        }
        struct curl_slist *grown = curl_slist_append(*headers, line);
        if (!grown)
            rc = sl_error_set(err, "out of memory");
        else
            *headers = grown;
    }
    fclose(file);
    return rc;
}

static int set_ssh(CURL *easy, remote_call *call, sl_error *err)
{
    const sl_remote_options *options = call->options;
    const char *home = getenv("HOME");
    if (options->known_hosts)
        snprintf(call->known_hosts, sizeof(call->known_hosts), "%s", options->known_hosts);
    else if (home)
        snprintf(call->known_hosts, sizeof(call->known_hosts), "%s/.ssh/known_hosts", home);
    else
        return sl_error_set(err, "%s: no known_hosts file to check the host key against "
                                 "(give --known-hosts FILE)", call->shown);
    curl_easy_setopt(easy, CURLOPT_SSH_KNOWNHOSTS, call->known_hosts);
    curl_easy_setopt(easy, CURLOPT_SSH_KEYFUNCTION, on_host_key);
    curl_easy_setopt(easy, CURLOPT_SSH_KEYDATA, call);
    curl_easy_setopt(easy, CURLOPT_SSH_AUTH_TYPES, (long)CURLSSH_AUTH_PUBLICKEY);
    if (options->ssh_key) {
        if (access(options->ssh_key, R_OK) != 0)
            return sl_error_set(err, "--ssh-key %s: %s", options->ssh_key, strerror(errno));
        char public_key[1100];
        snprintf(public_key, sizeof(public_key), "%s.pub", options->ssh_key);
        curl_easy_setopt(easy, CURLOPT_SSH_PRIVATE_KEYFILE, options->ssh_key);
        /* "" lets libssh2 derive the public key from the private one */
        curl_easy_setopt(easy, CURLOPT_SSH_PUBLIC_KEYFILE,
                         access(public_key, R_OK) == 0 ? public_key : "");
    }
    return 0;
}

/* A handle for url with the options every call shares. NULL with err set. */
static CURL *easy_new(const char *url, remote_call *call, const sl_remote_options *options,
                      sl_error *err)
{
    memset(call, 0, sizeof(*call));
    call->options = options;
    sl_url_shown(url, call->shown, sizeof(call->shown));   /* no user, no password */
    const remote_scheme *scheme = scheme_of(url);
    if (!scheme) {
        sl_error_set(err, "%s: not a remote source (sftp://, ftps:// or https://)", call->shown);
        return NULL;
    }
    CURL *easy = curl_easy_init();
    if (!easy) {
        const char *missing = sl_curl_load_error();
        sl_error_set(err, "%s: cannot start a transfer (%s)", call->shown,
                     missing ? missing : "out of memory");
        return NULL;
    }
    curl_easy_setopt(easy, CURLOPT_URL, url);
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "sftp,ftps,https");
    curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L);   /* signed links often redirect */
    curl_easy_setopt(easy, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, call->curl_detail);
    if (options->connect_timeout_ms > 0)
        curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, options->connect_timeout_ms);
    if (options->cacert)
        curl_easy_setopt(easy, CURLOPT_CAINFO, options->cacert);
    if (options->share)
        curl_easy_setopt(easy, CURLOPT_SHARE, options->share->curl);
    if (scheme->ftp)
        curl_easy_setopt(easy, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    int rc = 0;
    if (scheme->ssh)
        rc = set_ssh(easy, call, err);
    if (rc == 0 && options->header_file && !scheme->ssh && !scheme->ftp) {
        rc = read_header_file(options->header_file, &call->headers, err);
        curl_easy_setopt(easy, CURLOPT_HTTPHEADER, call->headers);
    }
    if (rc != 0) {
        curl_easy_cleanup(easy);
        curl_slist_free_all(call->headers);
        call->headers = NULL;
        return NULL;
    }
    return easy;
}

static void easy_free(CURL *easy, remote_call *call)
{
    curl_easy_cleanup(easy);
    curl_slist_free_all(call->headers);
    call->headers = NULL;
}

/* Why a call failed, in words a user can act on. Returns -1. */
static int call_failed(const remote_call *call, CURLcode code, sl_error *err)
{
    const char *detail = call->curl_detail[0] ? call->curl_detail : curl_easy_strerror(code);
    if (call->host_key_problem[0])
        return sl_error_set(err, "%s: %s", call->shown, call->host_key_problem);
    switch (code) {
    case CURLE_LOGIN_DENIED:
        return sl_error_set(err, "%s: the server refused the login (check the user name and "
                                 "--ssh-key): %s", call->shown, detail);
    case CURLE_REMOTE_FILE_NOT_FOUND:
        return sl_error_set(err, "%s: no such file on the server", call->shown);
    case CURLE_PEER_FAILED_VERIFICATION:
        return sl_error_set(err, "%s: the server's certificate is not trusted (give its CA with "
                                 "--cacert): %s", call->shown, detail);
    case CURLE_REMOTE_ACCESS_DENIED:
        return sl_error_set(err, "%s: access denied on the server: %s", call->shown, detail);
    default:
        return sl_error_set(err, "%s: %s", call->shown, detail);
    }
}

/* ---------------------------------------------------------------- streamed download */

typedef struct remote_transfer {
    CURL *easy;
    remote_call call;
    int write_fd;                 /* the transfer's end of the socket pair */
    pthread_t thread;
    int thread_started, joined;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int got_bytes, ended;         /* under lock */
    CURLcode result;              /* once ended */
    atomic_int abandon;           /* the reader went away: stop */
} remote_transfer;

static void mark(remote_transfer *t, int *flag)
{
    pthread_mutex_lock(&t->lock);
    *flag = 1;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
}

/* libcurl's bytes into the socket pair; blocks while the reader is behind (that bounds the
 * memory). Returning less than given aborts the transfer. */
static size_t on_bytes(char *data, size_t size, size_t count, void *arg)
{
    remote_transfer *t = arg;
    size_t len = size * count, sent = 0;
    if (!t->got_bytes && len > 0)
        mark(t, &t->got_bytes);
    while (sent < len) {
        ssize_t n = send(t->write_fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || atomic_load(&t->abandon))
            return 0;
        sent += (size_t)n;
    }
    return len;
}

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a, (void)b, (void)c, (void)d;
    remote_transfer *t = arg;
    return atomic_load(&t->abandon) ? 1 : 0;
}

static void *transfer_main(void *arg)
{
    remote_transfer *t = arg;
    CURLcode result = curl_easy_perform(t->easy);
    close(t->write_fd);   /* the reader sees the end */
    t->write_fd = -1;
    pthread_mutex_lock(&t->lock);
    t->result = result;
    t->ended = 1;
    pthread_cond_broadcast(&t->changed);
    pthread_mutex_unlock(&t->lock);
    return NULL;
}

static void transfer_join(remote_transfer *t)
{
    if (t->thread_started && !t->joined) {
        pthread_join(t->thread, NULL);
        t->joined = 1;
    }
}

static int transfer_finish(void *ctx, sl_error *err)
{
    remote_transfer *t = ctx;
    transfer_join(t);
    if (t->result != CURLE_OK)
        return call_failed(&t->call, t->result, err);
    return 0;
}

static void transfer_release(void *ctx)
{
    remote_transfer *t = ctx;
    atomic_store(&t->abandon, 1);
    transfer_join(t);
    if (t->write_fd >= 0)
        close(t->write_fd);
    if (t->easy)
        easy_free(t->easy, &t->call);
    pthread_mutex_destroy(&t->lock);
    pthread_cond_destroy(&t->changed);
    free(t);
}

sl_stream *sl_remote_stream_open(const char *url, const sl_remote_options *options,
                                 sl_encoding encoding, sl_error *err)
{
    remote_transfer *t = calloc(1, sizeof(*t));
    int pair[2] = { -1, -1 };
    if (!t)
        return sl_error_set(err, "%s: out of memory", url), NULL;
    t->write_fd = -1;
    pthread_mutex_init(&t->lock, NULL);
    pthread_cond_init(&t->changed, NULL);
    t->easy = easy_new(url, &t->call, options, err);
    if (!t->easy || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
        if (t->easy)
            sl_error_set(err, "%s: %s", t->call.shown, strerror(errno));
        transfer_release(t);
        return NULL;
    }
    t->write_fd = pair[1];
    curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_bytes);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(t->easy, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(t->easy, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(t->easy, CURLOPT_NOPROGRESS, 0L);
    if (pthread_create(&t->thread, NULL, transfer_main, t) != 0) {
        sl_error_set(err, "%s: cannot start the transfer thread", t->call.shown);
        close(pair[0]);
        transfer_release(t);
        return NULL;
    }
    t->thread_started = 1;
    pthread_mutex_lock(&t->lock);   /* wait for the first bytes or the end */
    while (!t->got_bytes && !t->ended)
        pthread_cond_wait(&t->changed, &t->lock);
    int failed_early = t->ended && t->result != CURLE_OK && !t->got_bytes;
    pthread_mutex_unlock(&t->lock);
    if (failed_early) {
        transfer_finish(t, err);
        close(pair[0]);
        transfer_release(t);
        return NULL;
    }
    stream_origin origin = { t, transfer_finish, transfer_release };
    /* named without its credentials: the name is printed and goes into summary.json */
    return sl_stream_open_origin(t->call.shown, pair[0], &origin, encoding, err);
}

/* ---------------------------------------------------------------- listing */

typedef struct text_buffer {
    char *data;
    size_t len, cap;
} text_buffer;

static size_t on_text(char *data, size_t size, size_t count, void *arg)
{
    text_buffer *buffer = arg;
    size_t len = size * count;
    if (buffer->len + len + 1 > buffer->cap) {
        size_t cap = (buffer->len + len + 1) * 2;
        char *grown = realloc(buffer->data, cap);
        if (!grown)
            return 0;
        buffer->data = grown;
        buffer->cap = cap;
    }
    memcpy(buffer->data + buffer->len, data, len);
    buffer->len += len;
    buffer->data[buffer->len] = '\0';
    return len;
}

static int add_name(char ***names, size_t *count, const char *name, size_t len)
{
    char **grown = realloc(*names, (*count + 1) * sizeof(char *));
    if (!grown)
        return -1;
    *names = grown;
    grown[*count] = strndup(name, len);
    if (!grown[*count])
        return -1;
    (*count)++;
    return 0;
}

int sl_remote_list(const char *dir_url, const sl_remote_options *options, char ***names,
                   size_t *count, sl_error *err)
{
    *names = NULL;
    *count = 0;
    remote_call call;
    CURL *easy = easy_new(dir_url, &call, options, err);
    if (!easy)
        return -1;
    text_buffer listing = { NULL, 0, 0 };
    curl_easy_setopt(easy, CURLOPT_DIRLISTONLY, 1L);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_text);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &listing);
    CURLcode code = curl_easy_perform(easy);
    int rc = code == CURLE_OK ? 0 : call_failed(&call, code, err);
    for (const char *line = listing.data; rc == 0 && line && *line;) {
        size_t len = strcspn(line, "\r\n");
        int dots = (len == 1 && line[0] == '.') || (len == 2 && strncmp(line, "..", 2) == 0);
        if (len > 0 && !dots && add_name(names, count, line, len) != 0)
            rc = sl_error_set(err, "out of memory");
        line += len;
        line += strspn(line, "\r\n");
    }
    free(listing.data);
    easy_free(easy, &call);
    if (rc != 0) {
        sl_remote_free_names(*names, *count);
        *names = NULL;
        *count = 0;
    }
    return rc;
}

void sl_remote_free_names(char **names, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int sl_remote_expand(const char *url, const sl_remote_options *options, char ***urls,
                     size_t *count, sl_error *err)
{
    *urls = NULL;
    *count = 0;
    const char *slash = strrchr(url, '/');
    if (!slash)
        return sl_error_set(err, "%s: no directory in the URL", url);
    size_t dir_len = (size_t)(slash - url) + 1;
    char *dir = strndup(url, dir_len);
    int pattern_len = 0;
    char *pattern = curl_easy_unescape(NULL, slash + 1, 0, &pattern_len);
    char **names = NULL;
    size_t name_count = 0;
    int rc = dir && pattern ? sl_remote_list(dir, options, &names, &name_count, err)
                            : sl_error_set(err, "out of memory");
    if (rc == 0)
        qsort(names, name_count, sizeof(char *), compare_names);
    for (size_t i = 0; rc == 0 && i < name_count; i++) {
        if (fnmatch(pattern, names[i], FNM_PERIOD) != 0)
            continue;
        char *escaped = curl_easy_escape(NULL, names[i], 0);
        size_t len = dir_len + (escaped ? strlen(escaped) : 0) + 1;
        char *full = escaped ? malloc(len) : NULL;
        if (full)
            snprintf(full, len, "%s%s", dir, escaped);
        curl_free(escaped);
        char **grown = full ? realloc(*urls, (*count + 1) * sizeof(char *)) : NULL;
        if (!grown) {
            free(full);
            rc = sl_error_set(err, "out of memory");
            break;
        }
        *urls = grown;
        grown[(*count)++] = full;
    }
    sl_remote_free_names(names, name_count);
    curl_free(pattern);
    free(dir);
    if (rc != 0) {
        sl_remote_free_names(*urls, *count);
        *urls = NULL;
        *count = 0;
    }
    return rc;
}

/* ---------------------------------------------------------------- facts and renames */

int sl_remote_stat(const char *url, const sl_remote_options *options, long long *size,
                   time_t *mtime, sl_error *err)
{
    remote_call call;
    CURL *easy = easy_new(url, &call, options, err);
    if (!easy)
        return -1;
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(easy, CURLOPT_FILETIME, 1L);
    CURLcode code = curl_easy_perform(easy);
    int rc = code == CURLE_OK ? 0 : call_failed(&call, code, err);
    curl_off_t length = -1, when = -1;
    curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    curl_easy_getinfo(easy, CURLINFO_FILETIME_T, &when);
    *size = (long long)length;
    *mtime = (time_t)when;
    easy_free(easy, &call);
    return rc;
}

/* The server's path of dir_url's directory joined with name: what quote commands take. SFTP's
 * "/~/" (the home directory) becomes a relative path. Quoted for libcurl's quote parser. */
static char *server_path(const char *dir_url, const char *name)
{
    CURLU *parts = curl_url();
    char *path = NULL;
    if (!parts || curl_url_set(parts, CURLUPART_URL, dir_url, 0) != CURLUE_OK ||
        curl_url_get(parts, CURLUPART_PATH, &path, CURLU_URLDECODE) != CURLUE_OK) {
        curl_url_cleanup(parts);
        return NULL;
    }
    curl_url_cleanup(parts);
    const char *base = path;
    if (strncmp(base, "/~/", 3) == 0)
        base += 3;
    size_t cap = 2 * (strlen(base) + strlen(name)) + 8;
    char *quoted = malloc(cap);
    if (quoted) {
        size_t used = 0;
        quoted[used++] = '"';
        for (int part = 0; part < 2; part++)
            for (const char *c = part ? name : base; *c; c++) {
                if (*c == '"' || *c == '\\')
                    quoted[used++] = '\\';
                quoted[used++] = *c;
            }
        quoted[used++] = '"';
        quoted[used] = '\0';
    }
    curl_free(path);
    return quoted;
}

static int add_command(struct curl_slist **list, const char *a, const char *path_a,
                       const char *path_b)
{
    char line[4200];
    if (path_b)
        snprintf(line, sizeof(line), "%s %s %s", a, path_a, path_b);
    else
        snprintf(line, sizeof(line), "%s %s", a, path_a);
    struct curl_slist *grown = curl_slist_append(*list, line);
    if (!grown)
        return -1;
    *list = grown;
    return 0;
}

/* The quote commands for the mkdirs, the rename and the removal (SFTP or FTP words). */
static int build_commands(const char *dir_url, const remote_scheme *scheme,
                          const char *const *mkdirs, size_t mkdir_count, const char *from,
                          const char *to, const char *removed, struct curl_slist **list)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < mkdir_count; i++) {
        char *path = server_path(dir_url, mkdirs[i]);   /* '*': an existing one is fine */
        rc = path ? add_command(list, scheme->ftp ? "*MKD" : "*mkdir", path, NULL) : -1;
        free(path);
    }
    if (rc == 0 && from && to) {
        char *a = server_path(dir_url, from), *b = server_path(dir_url, to);
        if (!a || !b)
            rc = -1;
        else if (scheme->ftp)
            rc = add_command(list, "RNFR", a, NULL) || add_command(list, "RNTO", b, NULL) ? -1 : 0;
        else
            rc = add_command(list, "rename", a, b);
        free(a);
        free(b);
    }
    if (rc == 0 && removed) {
        char *path = server_path(dir_url, removed);
        rc = path ? add_command(list, scheme->ftp ? "DELE" : "rm", path, NULL) : -1;
        free(path);
    }
    return rc;
}

int sl_remote_dir_ops(const char *dir_url, const sl_remote_options *options,
                      const char *const *mkdirs, size_t mkdir_count, const char *from,
                      const char *to, const char *removed, sl_error *err)
{
    const remote_scheme *scheme = scheme_of(dir_url);
    if (!scheme || (!scheme->ssh && !scheme->ftp))
        return sl_error_set(err, "%s: files can be moved only on sftp:// and ftps:// servers",
                            dir_url);
    remote_call call;
    CURL *easy = easy_new(dir_url, &call, options, err);
    if (!easy)
        return -1;
    struct curl_slist *commands = NULL;
    int rc = build_commands(dir_url, scheme, mkdirs, mkdir_count, from, to, removed, &commands);
    if (rc != 0) {
        rc = sl_error_set(err, "out of memory");
    } else {
        curl_easy_setopt(easy, CURLOPT_QUOTE, commands);
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
        CURLcode code = curl_easy_perform(easy);
        if (code != CURLE_OK)
            rc = call_failed(&call, code, err);
    }
    curl_slist_free_all(commands);
    easy_free(easy, &call);
    return rc;
}

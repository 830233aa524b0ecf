/* remote.h: manifests on other machines, through libcurl: sftp:// (key authentication, host key
 * checked against known_hosts), ftps:// (implicit TLS) and https:// (optional extra headers from
 * a file, for signed download links). A remote file is read as a stream (a transfer thread feeds
 * a socket pair that sl_stream reads like any file, so a 1 GB file needs neither 1 GB of memory
 * nor of disk); a directory can be listed, a glob in the last path segment expanded, a file's
 * size and time asked, and files renamed on the server (for inboxes). Nothing here parses
 * records or knows inboxes. */
#ifndef SHIPLOAD_REMOTE_H
#define SHIPLOAD_REMOTE_H

#include <stddef.h>
#include <time.h>
#include "shipload/error.h"
#include "shipload/input.h"

typedef struct sl_remote_options {
    const char *ssh_key;          /* SFTP private key file (FILE.pub beside it, else derived) */
    const char *known_hosts;      /* SFTP: NULL means ~/.ssh/known_hosts */
    int accept_new_host_key;      /* SFTP: an unknown host is added to known_hosts (said on
                                     stderr); a changed key is always refused */
    const char *cacert;           /* TLS: CA bundle (PEM) to trust instead of the system's */
    const char *header_file;      /* HTTPS: "Name: value" lines sent with the request */
    long connect_timeout_ms;      /* 0: libcurl's default */
    struct sl_remote_share *share; /* NULL, or connections kept open between calls */
} sl_remote_options;

/* Connections kept open from one call to the next (an inbox lists, stats, renames and reads
 * one server many times: one SSH handshake instead of one per call). Not to be used across a
 * fork. */
typedef struct sl_remote_share sl_remote_share;
sl_remote_share *sl_remote_share_new(void);
void sl_remote_share_free(sl_remote_share *share);

/* 1 when source names a remote file (sftp://, ftps://, https://), else 0. */
int sl_remote_is_url(const char *source);
/* 1 when the last path segment of url holds a glob character (* ? [). */
int sl_remote_has_glob(const char *url);

/* Opens a remote file as a stream (read while it downloads). Returns once the first bytes came
 * or the transfer ended; a transfer that failed before any byte (unknown host key, refused
 * key, missing file) fails here with err saying why. A failure later in the transfer is reported
 * by the stream's read, as a read error. The name of the stream is url. */
sl_stream *sl_remote_stream_open(const char *url, const sl_remote_options *options,
                                 sl_encoding encoding, sl_error *err);

/* A directory's entries (without . and ..), names only. dir_url ends with '/'. The caller frees
 * each name and the array. */
int sl_remote_list(const char *dir_url, const sl_remote_options *options, char ***names,
                   size_t *count, sl_error *err);

/* url with a glob in its last segment: the URLs of the matching entries (fnmatch, sorted by
 * name; hidden names only when the pattern starts with '.'). No match is not an error. */
int sl_remote_expand(const char *url, const sl_remote_options *options, char ***urls,
                     size_t *count, sl_error *err);

/* Size and modification time of a remote file. */
int sl_remote_stat(const char *url, const sl_remote_options *options, long long *size,
                   time_t *mtime, sl_error *err);

/* In the directory dir_url (ending '/'): makes each of the subdirectories (an existing one is
 * fine), then renames from to to, then removes `removed` (names relative to dir_url; from/to
 * and removed may be NULL). */
int sl_remote_dir_ops(const char *dir_url, const sl_remote_options *options,
                      const char *const *mkdirs, size_t mkdir_count, const char *from,
                      const char *to, const char *removed, sl_error *err);

/* Frees what sl_remote_list and sl_remote_expand return. */
void sl_remote_free_names(char **names, size_t count);

#endif

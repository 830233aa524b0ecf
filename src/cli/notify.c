/* notify.c: the mail and the webhook of notify.h. Everything on the wire is libcurl's: SMTP
 * with its MIME API (curl_mime: the digest as text/plain, rejects.csv as an attachment), HTTP
 * POST for the webhook; the signature is OpenSSL's HMAC. Redirects are not followed. Nothing
 * here reads or writes the reports. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "shipload/curl_load.h"
#include "shipload/url.h"
#include "api_config.h"
#include "notify.h"
#include "preflight.h"

#define NOTIFY_TIMEOUT_S 60L
#define NOTIFY_CONNECT_TIMEOUT_S 15L
#define SUMMARY_MAX (16u * 1024 * 1024)
#define SIGNATURE_HEADER "X-Shipload-Signature"

static const char *smtp_url(void)
{
    const char *url = getenv("SHIPLOAD_SMTP_URL");
    return url && url[0] ? url : NULL;
}

static const char *mail_credentials_path(const cli_options *options)
{
    const char *path = options->mail_credentials ? options->mail_credentials
                                                 : getenv("SHIPLOAD_SMTP_CREDENTIALS");
    return path && path[0] ? path : NULL;
}

/* The scheme and host of url (curl_free both); -1 when it is not a URL. */
static int url_parts(const char *url, char **scheme, char **host)
{
    *scheme = *host = NULL;
    CURLU *parsed = curl_url();
    int rc = parsed && curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK &&
                     curl_url_get(parsed, CURLUPART_SCHEME, scheme, 0) == CURLUE_OK &&
                     curl_url_get(parsed, CURLUPART_HOST, host, 0) == CURLUE_OK
                 ? 0 : -1;
    curl_url_cleanup(parsed);
    return rc;
}

/* smtps://, or smtp:// (STARTTLS is then required unless the server is loopback). */
static int check_smtp_url(const char *url, int *plain_to_loopback, sl_error *err)
{
    char *scheme, *host;
    int rc = 0;
    *plain_to_loopback = 0;
    if (url_parts(url, &scheme, &host) != 0)
        rc = sl_error_set(err, "$SHIPLOAD_SMTP_URL is not a URL (smtps://HOST:465 or "
                               "smtp://HOST:587)");
    else if (strcasecmp(scheme, "smtps") != 0 && strcasecmp(scheme, "smtp") != 0)
        rc = sl_error_set(err, "$SHIPLOAD_SMTP_URL: %s:// is not smtp:// or smtps://", scheme);
    else
        *plain_to_loopback = strcasecmp(scheme, "smtp") == 0 && cli_is_loopback_host(host);
    curl_free(scheme);
    curl_free(host);
    return rc;
}

static int check_webhook_url(const cli_options *options, sl_error *err)
{
    char shown[2048];   /* messages show no credentials */
    sl_url_shown(options->webhook_url, shown, sizeof(shown));
    char *scheme, *host;
    int rc = 0;
    if (url_parts(options->webhook_url, &scheme, &host) != 0)
        rc = sl_error_set(err, "--webhook %s: not a URL", shown);
    else if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0)
        rc = sl_error_set(err, "--webhook %s: %s:// is not http(s)", shown,
                          scheme);
    else if (strcasecmp(scheme, "http") == 0 && !cli_is_loopback_host(host) &&
             !options->allow_http)
        rc = sl_error_set(err, "--webhook %s: plain http:// to a host that is not loopback; "
                               "use https:// (or --allow-http)", shown);
    curl_free(scheme);
    curl_free(host);
    return rc;
}

static int check_readable(const char *option, const char *path, sl_error *err)
{
    char *secret = cli_read_secret_file(option, path, err);
    if (!secret)
        return -1;
    cli_secret_free(secret);
    return 0;
}

int cli_notify_check(const cli_options *options, sl_error *err)
{
    int plain;
    if (options->mail_to) {
        if (!smtp_url())
            return sl_error_set(err, "--mail-to needs $SHIPLOAD_SMTP_URL (smtps://HOST:465 or "
                                     "smtp://HOST:587)");
        if (check_smtp_url(smtp_url(), &plain, err) != 0)
            return -1;
        const char *credentials = mail_credentials_path(options);
        if (credentials && check_readable("--mail-credentials", credentials, err) != 0)
            return -1;
    }
    if (options->webhook_url) {
        if (!options->webhook_secret)
            return sl_error_set(err, "--webhook needs --webhook-secret-file FILE (the key the "
                                     "receiver checks the signature with)");
        if (check_webhook_url(options, err) != 0 ||
            check_readable("--webhook-secret-file", options->webhook_secret, err) != 0)
            return -1;
    }
    return 0;
}

int cli_notify_wanted(const cli_options *options, int exit_status)
{
    if (!options->mail_to && !options->webhook_url)
        return 0;
    return options->notify_when == CLI_NOTIFY_WHEN_ALWAYS || exit_status != 0;
}

/* ---------------------------------------------------------------- mail */

/* Common settings of a notification transfer: bounded, no redirects, verified TLS. */
static CURLcode set_common(CURL *easy, char *error_buffer)
{
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer);
    rc |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    rc |= curl_easy_setopt(easy, CURLOPT_TIMEOUT, NOTIFY_TIMEOUT_S);
    rc |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, NOTIFY_CONNECT_TIMEOUT_S);
    rc |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
    rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
    return rc;
}

/* "user:password" from the credentials file into the transfer. */
static int set_mail_credentials(CURL *easy, const char *path, sl_error *err)
{
    char *secret = cli_read_secret_file("--mail-credentials", path, err);
    if (!secret)
        return -1;
    char *colon = strchr(secret, ':');
    if (!colon) {
        cli_secret_free(secret);
        return sl_error_set(err, "--mail-credentials %s: expected one line USER:PASSWORD", path);
    }
    *colon = '\0';
    CURLcode rc = curl_easy_setopt(easy, CURLOPT_USERNAME, secret);  /* libcurl copies */
    rc |= curl_easy_setopt(easy, CURLOPT_PASSWORD, colon + 1);
    *colon = ':';
    cli_secret_free(secret);
    return rc == CURLE_OK ? 0 : sl_error_set(err, "libcurl refused the SMTP credentials");
}

static char *mail_from(char *buffer, size_t cap)
{
    const char *from = getenv("SHIPLOAD_MAIL_FROM");
    if (from && from[0]) {
        snprintf(buffer, cap, "%s", from);
        return buffer;
    }
    char host[256] = "localhost";
    gethostname(host, sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    snprintf(buffer, cap, "shipload@%s", host);
    return buffer;
}

/* The message: headers, the digest as text/plain, rejects.csv attached (curl_mime). */
static curl_mime *build_mail(CURL *easy, const cli_notice *notice)
{
    curl_mime *mime = curl_mime_init(easy);
    curl_mimepart *part = mime ? curl_mime_addpart(mime) : NULL;
    if (!part || curl_mime_data(part, notice->text, CURL_ZERO_TERMINATED) != CURLE_OK ||
        curl_mime_type(part, "text/plain; charset=utf-8") != CURLE_OK) {
        curl_mime_free(mime);
        return NULL;
    }
    if (notice->rejects_path && access(notice->rejects_path, R_OK) == 0) {
        part = curl_mime_addpart(mime);
        if (!part || curl_mime_filedata(part, notice->rejects_path) != CURLE_OK ||
            curl_mime_filename(part, "rejects.csv") != CURLE_OK ||
            curl_mime_type(part, "text/csv; charset=utf-8") != CURLE_OK ||
            curl_mime_encoder(part, "base64") != CURLE_OK) {
            curl_mime_free(mime);
            return NULL;
        }
    }
    return mime;
}

static int send_mail(const cli_options *options, const cli_notice *notice, sl_error *err)
{
    int plain_to_loopback = 0;
    const char *url = smtp_url();
    if (!url || check_smtp_url(url, &plain_to_loopback, err) != 0)
        return url ? -1 : sl_error_set(err, "$SHIPLOAD_SMTP_URL is not set");
    CURL *easy = curl_easy_init();
    if (!easy) {
        const char *missing = sl_curl_load_error();
        return sl_error_set(err, "libcurl could not start%s%s", missing ? ": " : "",
                            missing ? missing : "");
    }
    char error_buffer[CURL_ERROR_SIZE] = "", from[320], header[1200];
    struct curl_slist *recipients = curl_slist_append(NULL, options->mail_to);
    struct curl_slist *headers = NULL;
    snprintf(header, sizeof(header), "Subject: %s", notice->subject);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof(header), "To: %s", options->mail_to);
    headers = curl_slist_append(headers, header);
    snprintf(header, sizeof(header), "From: %s", mail_from(from, sizeof(from)));
    headers = curl_slist_append(headers, header);
    curl_mime *mime = build_mail(easy, notice);
    const char *credentials = mail_credentials_path(options);
    int rc = 0;
    if (!recipients || !headers || !mime)
        rc = sl_error_set(err, "out of memory building the mail");
    else if (credentials && set_mail_credentials(easy, credentials, err) != 0)
        rc = -1;
    if (rc == 0) {
        CURLcode code = set_common(easy, error_buffer);
        code |= curl_easy_setopt(easy, CURLOPT_URL, url);
        code |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        code |= curl_easy_setopt(easy, CURLOPT_USE_SSL,
                                 plain_to_loopback ? (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
        code |= curl_easy_setopt(easy, CURLOPT_MAIL_FROM, from);
        code |= curl_easy_setopt(easy, CURLOPT_MAIL_RCPT, recipients);
        code |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        code |= curl_easy_setopt(easy, CURLOPT_MIMEPOST, mime);
        if (code == CURLE_OK)
            code = curl_easy_perform(easy);
        if (code != CURLE_OK)
            rc = sl_error_set(err, "mail to %s through %s: %s", options->mail_to, url,
                              error_buffer[0] ? error_buffer : curl_easy_strerror(code));
    }
    curl_mime_free(mime);
    curl_slist_free_all(headers);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(easy);
    return rc;
}

/* ---------------------------------------------------------------- webhook */

static char *read_small_file(const char *path, size_t *len, sl_error *err)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        sl_error_set(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *text = malloc(SUMMARY_MAX + 1);
    *len = text ? fread(text, 1, SUMMARY_MAX, file) : 0;
    fclose(file);
    if (!text)
        sl_error_set(err, "out of memory");
    else
        text[*len] = '\0';
    return text;
}

/* "sha256=" and the hex HMAC-SHA256 of body under key. */
static void sign(const char *key, const char *body, size_t len, char *out, size_t cap)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)body, len, mac, &mac_len);
    size_t used = (size_t)snprintf(out, cap, "sha256=");
    for (unsigned int i = 0; i < mac_len && used + 3 <= cap; i++)
        used += (size_t)snprintf(out + used, cap - used, "%02x", mac[i]);
}

static size_t discard(char *data, size_t size, size_t count, void *userp)
{
    (void)data, (void)userp;
    return size * count;
}

static int post_webhook(const cli_options *options, const char *body, size_t len, sl_error *err)
{
    char shown[2048];   /* messages show no credentials */
    char *key = cli_read_secret_file("--webhook-secret-file", options->webhook_secret, err);
    if (!key)
        return -1;
    char signature[160], header[256], error_buffer[CURL_ERROR_SIZE] = "";
    sign(key, body, len, signature, sizeof(signature));
    cli_secret_free(key);
    snprintf(header, sizeof(header), SIGNATURE_HEADER ": %s", signature);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = headers ? curl_slist_append(headers, header) : NULL;
    CURL *easy = curl_easy_init();
    int rc = 0;
    if (!easy || !headers) {
        rc = sl_error_set(err, "out of memory");
    } else {
        CURLcode code = set_common(easy, error_buffer);
        code |= curl_easy_setopt(easy, CURLOPT_URL, options->webhook_url);
        code |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
        code |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
        code |= curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body);
        code |= curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        code |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
        if (code == CURLE_OK)
            code = curl_easy_perform(easy);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (code != CURLE_OK)
            rc = sl_error_set(err, "webhook %s: %s", sl_url_shown(options->webhook_url, shown,
                                                                  sizeof(shown)),
                              error_buffer[0] ? error_buffer : curl_easy_strerror(code));
        else if (status < 200 || status >= 300)
            rc = sl_error_set(err, "webhook %s answered HTTP %ld",
                              sl_url_shown(options->webhook_url, shown, sizeof(shown)), status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(easy);
    return rc;
}

static int send_webhook(const cli_options *options, const cli_notice *notice, sl_error *err)
{
    if (!notice->summary_path) {
        const char *body = notice->summary_json ? notice->summary_json : "{}";
        return post_webhook(options, body, strlen(body), err);
    }
    size_t len = 0;
    char *body = read_small_file(notice->summary_path, &len, err);
    if (!body)
        return -1;
    int rc = post_webhook(options, body, len, err);
    free(body);
    return rc;
}

int cli_notify_send(const cli_options *options, const cli_notice *notice)
{
    int failed = 0;
    sl_error err = { "" };
    if (options->mail_to && send_mail(options, notice, &err) != 0) {
        fprintf(stderr, "shipload %s: warning: the notification was not delivered: %s (the "
                        "reports are intact)\n", notice->command, err.message);
        failed++;
    }
    err.message[0] = '\0';
    if (options->webhook_url && send_webhook(options, notice, &err) != 0) {
        fprintf(stderr, "shipload %s: warning: the notification was not delivered: %s (the "
                        "reports are intact)\n", notice->command, err.message);
        failed++;
    }
    return failed;
}

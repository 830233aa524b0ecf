/* notify.h (docs/operations.md): run notifications (issue 15): --mail-to sends the digest with rejects.csv attached
 * over SMTP (libcurl; server in $SHIPLOAD_SMTP_URL, credentials in a file; TLS required except
 * to a loopback server); --webhook POSTs summary.json signed with HMAC-SHA256 over the body
 * (X-Shipload-Signature: sha256=HEX), the key read from --webhook-secret-file. A notification
 * that cannot be delivered is a warning on stderr: it never changes the run's reports or exit
 * status. */
#ifndef SHIPLOAD_CLI_NOTIFY_H
#define SHIPLOAD_CLI_NOTIFY_H

#include "options.h"
#include "shipload/error.h"

typedef struct cli_notice {
    const char *command;        /* "import" */
    const char *subject;        /* the mail's subject */
    const char *text;           /* the digest: the mail's body */
    const char *rejects_path;   /* attached when the file exists; NULL: none */
    const char *summary_path;   /* POSTed to the webhook; NULL: summary_json is */
    const char *summary_json;   /* used when there is no summary file */
} cli_notice;

/* Checks, before anything is read, that what the options ask for can be done: the SMTP URL
 * set and safe, the credentials and secret files readable, the webhook address safe.
 * -1 with err set (a configuration error: exit 2). */
int cli_notify_check(const cli_options *options, sl_error *err);

/* Whether a run ending with exit_status notifies (--notify-when) and anything is configured. */
int cli_notify_wanted(const cli_options *options, int exit_status);

/* Sends the notice wherever the options say; failures are printed as warnings. Returns the
 * number of deliveries that failed. */
int cli_notify_send(const cli_options *options, const cli_notice *notice);

#endif

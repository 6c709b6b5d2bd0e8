/* notify.h - webhook notifications (dry run done, success, partial failure, failure, validation
 * alerts), compatible with Microsoft Teams and Slack incoming webhooks.
 *
 * The message is one JSON object: "text" (markdown that both Slack and Teams render), the
 * MessageCard fields Teams' connector reads ("@type", "@context", "summary", "title",
 * "themeColor", "sections" with "facts"), and a "lakerewind" object with the structured facts
 * for any other receiver (event, run_id, checkpoint, status, operator, tables[]). Receivers
 * ignore the fields they do not know.
 *
 * Delivery is never fatal: lr_notify_send() returns a negative code and a one-line reason that
 * the caller reports as a warning; the debug log gets the same line. The webhook URL holds a
 * secret (Slack's path, Teams' sig=), so only its scheme and host ever appear in errors/logs. */
#ifndef LAKEREWIND_NOTIFY_H
#define LAKEREWIND_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "lakerewind/error.h"

enum lr_notify_kind {
    LR_NOTIFY_DRY_RUN = 0,
    LR_NOTIFY_SUCCEEDED,
    LR_NOTIFY_PARTIAL,
    LR_NOTIFY_FAILED,
    LR_NOTIFY_VALIDATION_ALERT,
    LR_NOTIFY_UNDONE,
};

struct lr_notify_table {
    const char *name;
    const char *status;      /* "done", "failed", "skipped", or a risk for a dry run */
    int64_t version_written; /* -1 when none */
    double quality_score;    /* < 0 when not validated */
    const char *detail;      /* error or note, may be NULL */
};

/* Everything borrowed for the call. */
struct lr_notify_message {
    enum lr_notify_kind kind;
    const char *run_id;
    const char *checkpoint;
    const char *operator_name;
    const char *lakehouse;   /* the lakehouse URI without secrets (lr_store_uri) */
    const char *summary;     /* one line; NULL: generated from kind and tables */
    const struct lr_notify_table *tables;
    size_t table_count;
};

struct lr_notify_options {
    const char *url;         /* https:// (http:// only for loopback); NULL/"" = disabled */
    long timeout_ms;         /* whole request; 0 = 10,000 */
    const char *ca_bundle;   /* custom CA file, NULL = system */
};

/* The JSON body. Caller frees; NULL on ENOMEM. */
char *lr_notify_render(const struct lr_notify_message *m);

/* POST the message. 0 when the receiver answered 2xx; 1 when notifications are disabled (no
 * URL); else LR_EINVAL (bad URL), LR_ENET / LR_ETIMEOUT (transport), LR_EIO (non-2xx answer),
 * with `err` naming the host and the cause. Never fatal to the run: report it as a warning. */
int lr_notify_send(const struct lr_notify_options *o, const struct lr_notify_message *m,
                   struct lr_error *err);

/* "dry_run", "succeeded", "partial", "failed", "validation_alert", "undone". Static. */
const char *lr_notify_kind_name(enum lr_notify_kind k);

#endif

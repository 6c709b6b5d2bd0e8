/* notify.c - rendering the webhook message (Teams + Slack compatible) and POSTing it with
 * libcurl under a deadline. Failures are returned and logged, never fatal (see notify.h). */
#include "lakerewind/notify.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lakerewind/buf.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"

const char *lr_notify_kind_name(enum lr_notify_kind k)
{
    static const char *n[] = {"dry_run", "succeeded", "partial", "failed", "validation_alert",
                              "undone"};
    return (size_t)k < sizeof n / sizeof n[0] ? n[k] : "unknown";
}

static const char *title_of(enum lr_notify_kind k)
{
    switch (k) {
    case LR_NOTIFY_DRY_RUN:
        return "lakerewind: dry run completed";
    case LR_NOTIFY_SUCCEEDED:
        return "lakerewind: rollback succeeded";
    case LR_NOTIFY_PARTIAL:
        return "lakerewind: rollback partially failed";
    case LR_NOTIFY_FAILED:
        return "lakerewind: rollback failed";
    case LR_NOTIFY_VALIDATION_ALERT:
        return "lakerewind: validation alert";
    case LR_NOTIFY_UNDONE:
        return "lakerewind: rollback undone";
    }
    return "lakerewind";
}

static const char *colour_of(enum lr_notify_kind k)
{
    switch (k) {
    case LR_NOTIFY_SUCCEEDED:
    case LR_NOTIFY_UNDONE:
        return "2EB886";
    case LR_NOTIFY_DRY_RUN:
        return "439FE0";
    case LR_NOTIFY_PARTIAL:
    case LR_NOTIFY_VALIDATION_ALERT:
        return "DAA038";
    default:
        return "A30200";
    }
}

static json_t *fact(const char *name, const char *value)
{
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(name));
    json_object_set_new(o, "value", json_string(value ? value : "-"));
    return o;
}

static int table_line(struct lr_buf *b, const struct lr_notify_table *t)
{
    struct lr_error err;
    int rc = lr_buf_printf(b, &err, "\n- %s: %s", t->name ? t->name : "?",
                           t->status ? t->status : "?");
    if (rc == 0 && t->version_written >= 0)
        rc = lr_buf_printf(b, &err, ", version %lld", (long long)t->version_written);
    if (rc == 0 && t->quality_score >= 0)
        rc = lr_buf_printf(b, &err, ", quality %.0f", t->quality_score);
    if (rc == 0 && t->detail)
        rc = lr_buf_printf(b, &err, " (%s)", t->detail);
    return rc;
}

char *lr_notify_render(const struct lr_notify_message *m)
{
    struct lr_buf text = LR_BUF_INIT;
    struct lr_error err;
    char *out = NULL;
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    char count[32];
    snprintf(count, sizeof count, "%zu", m->table_count);
    int rc = lr_buf_printf(&text, &err, "**%s**", title_of(m->kind));
    if (rc == 0 && m->summary)
        rc = lr_buf_printf(&text, &err, "\n%s", m->summary);
    if (rc == 0)
        rc = lr_buf_printf(&text, &err, "\nCheckpoint %s, run %s, %zu table%s, by %s",
                           m->checkpoint ? m->checkpoint : "-", m->run_id ? m->run_id : "-",
                           m->table_count, m->table_count == 1 ? "" : "s",
                           m->operator_name ? m->operator_name : "-");
    for (size_t i = 0; rc == 0 && i < m->table_count; i++)
        rc = table_line(&text, &m->tables[i]);
    if (rc < 0)
        goto done;

    json_object_set_new(doc, "text", json_string((const char *)text.data));
    json_object_set_new(doc, "@type", json_string("MessageCard"));
    json_object_set_new(doc, "@context", json_string("https://schema.org/extensions"));
    json_object_set_new(doc, "summary", json_string(title_of(m->kind)));
    json_object_set_new(doc, "title", json_string(title_of(m->kind)));
    json_object_set_new(doc, "themeColor", json_string(colour_of(m->kind)));
    json_t *facts = json_array();
    json_array_append_new(facts, fact("Checkpoint", m->checkpoint));
    json_array_append_new(facts, fact("Run", m->run_id));
    json_array_append_new(facts, fact("Operator", m->operator_name));
    json_array_append_new(facts, fact("Lakehouse", m->lakehouse));
    json_array_append_new(facts, fact("Tables", count));
    json_t *section = json_object();
    json_object_set_new(section, "facts", facts);
    json_t *sections = json_array();
    json_array_append_new(sections, section);
    json_object_set_new(doc, "sections", sections);

    json_t *lr = json_object();
    json_object_set_new(lr, "event", json_string(lr_notify_kind_name(m->kind)));
    json_object_set_new(lr, "run_id", m->run_id ? json_string(m->run_id) : json_null());
    json_object_set_new(lr, "checkpoint", m->checkpoint ? json_string(m->checkpoint)
                                                        : json_null());
    json_object_set_new(lr, "operator", m->operator_name ? json_string(m->operator_name)
                                                         : json_null());
    json_object_set_new(lr, "lakehouse", m->lakehouse ? json_string(m->lakehouse)
                                                      : json_null());
    json_t *tables = json_array();
    for (size_t i = 0; i < m->table_count; i++) {
        const struct lr_notify_table *t = &m->tables[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(t->name ? t->name : ""));
        json_object_set_new(o, "status", t->status ? json_string(t->status) : json_null());
        json_object_set_new(o, "version_written", t->version_written >= 0
                                                      ? json_integer(t->version_written)
                                                      : json_null());
        json_object_set_new(o, "quality_score", t->quality_score >= 0
                                                    ? json_real(t->quality_score)
                                                    : json_null());
        json_object_set_new(o, "detail", t->detail ? json_string(t->detail) : json_null());
        json_array_append_new(tables, o);
    }
    json_object_set_new(lr, "tables", tables);
    json_object_set_new(doc, "lakerewind", lr);
    out = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
    json_decref(doc);
    lr_buf_free(&text);
    return out;
}

/* "https://host" of a URL, for messages (the path and query may be secret). */
static void url_origin(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://");
    size_t n = 0;
    if (p) {
        const char *host = p + 3;
        n = (size_t)(host - url) + strcspn(host, "/?#");
        const char *at = memchr(host, '@', strcspn(host, "/?#"));
        if (at) { /* drop user:password@ */
            snprintf(out, cap, "%.*s%.*s", (int)(host - url), url,
                     (int)strcspn(at + 1, "/?#"), at + 1);
            return;
        }
    }
    snprintf(out, cap, "%.*s", (int)(n ? n : strcspn(url, "/?#")), url);
}

static bool is_loopback_http(const char *url)
{
    static const char *ok[] = {"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
                               "http://localhost/", "http://[::1]:"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
            return true;
    return false;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    (void)ptr;
    (void)userdata;
    return size * nmemb;
}

int lr_notify_send(const struct lr_notify_options *o, const struct lr_notify_message *m,
                   struct lr_error *err)
{
    if (!o || !o->url || !*o->url)
        return 1;
    char origin[256];
    url_origin(o->url, origin, sizeof origin);
    if (strncasecmp(o->url, "https://", 8) != 0 && !is_loopback_http(o->url))
        return lr_error_set(err, LR_EINVAL, "webhook %s: the URL must be https:// (plain http "
                                            "is accepted only on loopback)", origin);
    char *body = lr_notify_render(m);
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    int rc = 0;
    if (!body || !curl) {
        rc = lr_error_set(err, LR_ENOMEM, "webhook %s: out of memory", origin);
        goto done;
    }
    headers = curl_slist_append(headers, "Content-Type: application/json");
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, o->url);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 10000L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "lakerewind");
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (o->ca_bundle)
        curl_easy_setopt(curl, CURLOPT_CAINFO, o->ca_bundle);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (cc == CURLE_OPERATION_TIMEDOUT) {
        rc = lr_error_set(err, LR_ETIMEOUT, "webhook %s: no answer within %ld ms", origin,
                          o->timeout_ms > 0 ? o->timeout_ms : 10000L);
    } else if (cc != CURLE_OK) {
        /* curl's message can quote the URL: keep only its code's description. */
        rc = lr_error_set(err, LR_ENET, "webhook %s: %s", origin, curl_easy_strerror(cc));
    } else if (status < 200 || status > 299) {
        rc = lr_error_set(err, LR_EIO, "webhook %s answered HTTP %ld", origin, status);
    }
    if (rc < 0 && err)
        lr_log(LR_LOG_WARN, "notification not delivered (not fatal): %s", err->message);
    else
        lr_log(LR_LOG_INFO, "notification %s delivered to %s", lr_notify_kind_name(m->kind),
               origin);
done:
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    free(body);
    return rc;
}

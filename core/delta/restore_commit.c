/* restore_commit.c - writing the RESTORE commit: the JSON lines, put-if-absent of the next
 * version, conflict and lost-response handling.
 *
 * Invariants:
 *   (1) commitInfo is the first line; with in-commit timestamps it carries inCommitTimestamp =
 *       max(now, previous commit's timestamp + 1);
 *   (2) metaData and protocol are always written (in-flight writers then fail, not reapply);
 *   (3) the commit is plan->read_version + 1, created only if absent; a taken version is a
 *       conflict unless its commitInfo carries our run id (then it is ours: success);
 *   (4) nothing is written when the plan has refusals. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"
#include "lakerewind/version.h"

static int append_line(struct lr_buf *b, json_t *action_name_value, struct lr_error *err)
{
    char *text = json_dumps(action_name_value, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!text)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = lr_buf_append_str(b, text, err);
    free(text);
    if (rc == 0)
        rc = lr_buf_append(b, "\n", 1, err);
    return rc;
}

static int append_action(struct lr_buf *b, const char *name, json_t *value, struct lr_error *err)
{
    json_t *line = json_object();
    json_object_set(line, name, value);
    int rc = append_line(b, line, err);
    json_decref(line);
    return rc;
}

int lr_delta_restore_commit_text(char **out, size_t *len_out,
                                 const struct lr_delta_restore_plan *plan,
                                 const struct lr_delta_commit_options *copts,
                                 struct lr_error *err)
{
    *out = NULL;
    *len_out = 0;
    if (!copts || !copts->run_id || !*copts->run_id)
        return lr_error_set(err, LR_EINVAL, "a restore commit needs a run id");
    /* the stats the plan left in the checkpoint, copied now (once: later calls find none) */
    int frc = delta_plan_stats_fill(plan->kept_stats, err);
    if (frc < 0) {
        lr_error_context(err, "restore of version %lld", (long long)plan->target_version);
        return frc;
    }
    int64_t now = copts->now_ms > 0 ? copts->now_ms
                                    : (plan->opts.now_ms > 0 ? plan->opts.now_ms : delta_now_ms());
    struct lr_buf b;
    lr_buf_init(&b, 0);
    json_t *ci = json_object();
    json_t *md = json_deep_copy(plan->metadata);
    int rc = 0;
    if (!ci || !md) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    int64_t ict = now;
    if (plan->uses_ict) {
        if (plan->previous_timestamp_ms >= 0 && ict <= plan->previous_timestamp_ms)
            ict = plan->previous_timestamp_ms + 1;
        json_object_set_new(ci, "inCommitTimestamp", json_integer(ict));
        json_t *conf = json_object_get(md, "configuration");
        if (json_is_null(json_object_get(conf, "delta.inCommitTimestampEnablementTimestamp"))) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", (long long)ict);
            json_object_set_new(conf, "delta.inCommitTimestampEnablementTimestamp",
                                json_string(buf));
        }
    }
    json_object_set_new(ci, "timestamp", json_integer(plan->uses_ict ? ict : now));
    if (copts->operator_name)
        json_object_set_new(ci, "userName", json_string(copts->operator_name));
    json_object_set_new(ci, "operation", json_string("RESTORE"));
    json_t *params = json_object();
    if (plan->opts.by_timestamp) {
        char ts[40];
        lr_delta_format_timestamp(plan->opts.target_timestamp_ms, ts, sizeof ts);
        json_object_set_new(params, "version", json_null());
        json_object_set_new(params, "timestamp", json_string(ts));
    } else {
        json_object_set_new(params, "version", json_integer(plan->target_version));
        json_object_set_new(params, "timestamp", json_null());
    }
    json_object_set_new(ci, "operationParameters", params);
    json_object_set_new(ci, "readVersion", json_integer(plan->read_version));
    json_object_set_new(ci, "isolationLevel", json_string("Serializable"));
    json_object_set_new(ci, "isBlindAppend", json_false());
    json_object_set(ci, "operationMetrics", plan->metrics);
    if (copts->user_metadata)
        json_object_set_new(ci, "userMetadata", json_string(copts->user_metadata));
    json_t *tags = json_object();
    json_object_set_new(tags, "lakerewindRunId", json_string(copts->run_id));
    json_object_set_new(ci, "tags", tags);
    json_object_set_new(ci, "engineInfo", json_string(lr_engine_info()));
    json_object_set_new(ci, "txnId", json_string(copts->run_id));

    if ((rc = append_action(&b, "commitInfo", ci, err)) < 0 ||
        (rc = append_action(&b, "metaData", md, err)) < 0 ||
        (rc = append_action(&b, "protocol", plan->protocol, err)) < 0)
        goto done;
    size_t i;
    json_t *a;
    json_array_foreach(plan->domains, i, a)
        if ((rc = append_action(&b, "domainMetadata", a, err)) < 0)
            goto done;
    json_array_foreach(plan->removes, i, a)
        if ((rc = append_action(&b, "remove", a, err)) < 0)
            goto done;
    json_array_foreach(plan->adds, i, a)
        if ((rc = append_action(&b, "add", a, err)) < 0)
            goto done;
    *out = (char *)lr_buf_take(&b, len_out);
done:
    json_decref(ci);
    json_decref(md);
    lr_buf_free(&b);
    return rc;
}

int lr_delta_new_run_id(char *buf, size_t size, struct lr_error *err)
{
    unsigned char u[16];
    FILE *f = fopen("/dev/urandom", "rb");
    if (!f || fread(u, 1, sizeof u, f) != sizeof u) {
        if (f)
            fclose(f);
        return lr_error_errno(err, errno, "reading /dev/urandom for a run id");
    }
    fclose(f);
    u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
    u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
    snprintf(buf, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
             u[13], u[14], u[15]);
    return 0;
}

int lr_delta_commit_put(struct lr_delta_table *t, int64_t version, const char *text, size_t len,
                        struct lr_error *err)
{
    char name[64];
    snprintf(name, sizeof name, "%020lld.json", (long long)version);
    char *key = delta_log_key(t, name);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = lr_store_put_if_absent(t->store, key, text, len, err);
    if (rc < 0 && rc != LR_EEXISTS)
        lr_error_context(err, "writing %s", key);
    free(key);
    return rc;
}

/* The commitInfo of an existing commit (new reference) or NULL. */
static int winner_info(struct lr_delta_table *t, int64_t version, json_t **out,
                       struct lr_error *err)
{
    *out = NULL;
    char name[64];
    snprintf(name, sizeof name, "%020lld.json", (long long)version);
    char *key = delta_log_key(t, name);
    if (!key)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct lr_store_entry e = {0};
    int rc = lr_store_head(t->store, key, &e, err);
    struct delta_lines r;
    if (rc == 0)
        rc = delta_lines_open(&r, t->store, key, key, e.size, err);
    lr_store_entry_free(&e);
    free(key);
    if (rc < 0)
        return rc;
    for (;;) {
        json_t *line = NULL;
        rc = delta_lines_next(&r, &line, err);
        if (rc <= 0)
            break;
        json_t *ci = json_object_get(line, "commitInfo");
        if (json_is_object(ci)) {
            *out = json_incref(ci);
            json_decref(line);
            rc = 0;
            break;
        }
        json_decref(line);
    }
    delta_lines_close(&r);
    return rc < 0 ? rc : 0;
}

int lr_delta_restore_commit(struct lr_delta_table *t, const struct lr_delta_restore_plan *plan,
                            const struct lr_delta_commit_options *copts, int64_t *version_out,
                            struct lr_error *err)
{
    *version_out = -1;
    if (plan->refusal_count > 0)
        return lr_error_set(err, LR_EREFUSED, "restore refused: %s",
                            plan->refusals[0].message);
    char *text = NULL;
    size_t len = 0;
    int rc = lr_delta_restore_commit_text(&text, &len, plan, copts, err);
    if (rc < 0)
        return rc;
    int64_t v = plan->read_version + 1;
    rc = lr_delta_commit_put(t, v, text, len, err);
    free(text);
    if (rc == LR_EEXISTS) {
        json_t *ci = NULL;
        struct lr_error e2;
        int r2 = winner_info(t, v, &ci, &e2);
        const char *txn = delta_json_str(ci, "txnId");
        const char *tag = delta_json_str(json_object_get(ci, "tags"), "lakerewindRunId");
        if (r2 == 0 && ((txn && strcmp(txn, copts->run_id) == 0) ||
                        (tag && strcmp(tag, copts->run_id) == 0))) {
            rc = 0; /* our own commit: the put's response was lost */
        } else {
            const char *op = delta_json_str(ci, "operation");
            rc = lr_error_set(err, LR_ECONFLICT, "table changed since plan: version %lld by %s; "
                              "nothing was written: plan the restore again to see the new "
                              "commits", (long long)v, op ? op : "an unknown operation");
        }
        json_decref(ci);
    }
    if (rc < 0)
        return rc;
    *version_out = v;
    if (copts->write_checkpoint) {
        struct lr_delta_snapshot s;
        int64_t interval = 10;
        const char *iv = delta_json_str(json_object_get(plan->metadata, "configuration"),
                                        "delta.checkpointInterval");
        if (iv && (!lr_parse_int64(iv, &interval) || interval <= 0))
            interval = 10;
        if (v % interval == 0) {
            rc = lr_delta_snapshot_open(&s, t, v, err);
            if (rc == 0) {
                rc = lr_delta_checkpoint_write(t, &s, err);
                lr_delta_snapshot_free(&s);
            }
            if (rc < 0)
                return lr_error_context(err, "the restore commit %lld is written; writing its "
                                        "checkpoint failed (harmless: readers replay the JSON)",
                                        (long long)v);
        }
    }
    return 0;
}

int lr_delta_restore_rehearse(struct lr_delta_table *t, const struct lr_delta_snapshot *current,
                              const struct lr_delta_restore_plan *plan,
                              const struct lr_delta_commit_options *copts,
                              struct lr_delta_snapshot *after, int64_t *version_out,
                              struct lr_error *err)
{
    memset(after, 0, sizeof *after);
    *version_out = -1;
    if (plan->refusal_count > 0)
        return lr_error_set(err, LR_EREFUSED, "restore refused: %s", plan->refusals[0].message);
    if (current->version != plan->read_version)
        return lr_error_set(err, LR_EINVAL, "the snapshot given (version %lld) is not the one "
                            "the plan was built on (version %lld)",
                            (long long)current->version, (long long)plan->read_version);
    char *text = NULL;
    size_t len = 0;
    int rc = lr_delta_restore_commit_text(&text, &len, plan, copts, err);
    if (rc < 0)
        return rc;
    int64_t v = plan->read_version + 1;
    /* The put-if-absent the real commit would do, asked as a question: is v still free? */
    json_t *ci = NULL;
    struct lr_error e2;
    int found = winner_info(t, v, &ci, &e2);
    if (found == 0) {
        const char *op = delta_json_str(ci, "operation");
        rc = lr_error_set(err, LR_ECONFLICT, "table changed since plan: version %lld by %s; "
                          "a restore would not be written: plan it again to see the new "
                          "commits", (long long)v, op ? op : "an unknown operation");
    } else if (found != LR_ENOTFOUND) {
        *err = e2;
        rc = lr_error_context(err, "checking that version %lld is still free", (long long)v);
    }
    json_decref(ci);
    if (rc == 0)
        rc = lr_delta_snapshot_apply(after, current, text, len, err);
    free(text);
    if (rc < 0)
        return rc;
    *version_out = v;
    return 0;
}

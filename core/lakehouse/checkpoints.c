/* checkpoints.c - creating, listing and finding named checkpoints in CheckpointHistory, and the
 * lakehouse's table list (discovered or configured, metadata tables excluded). */
#include "lakerewind/checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/confirm.h"
#include "lakerewind/delta.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/lakehouse.h"
#include "lakerewind/metadata.h"
#include "lakerewind/parallel.h"

#define DAY_MS (86400000LL)

static const char *tables_loc(const struct lr_lakehouse_ctx *c)
{
    return c->tables_location ? c->tables_location : "Tables";
}

static const char *meta_loc(const struct lr_lakehouse_ctx *c)
{
    return c->metadata_location ? c->metadata_location : LR_METADATA_DEFAULT_LOCATION;
}

char *lr_lakehouse_table_prefix(const struct lr_lakehouse_ctx *ctx, const char *name)
{
    return lr_path_join(tables_loc(ctx), name);
}

int lr_lakehouse_tables(const struct lr_lakehouse_ctx *ctx, struct lr_strvec *out,
                        struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (ctx->table_count > 0) {
        for (size_t i = 0; i < ctx->table_count; i++)
            if (lr_strvec_push(out, ctx->tables[i]) < 0)
                return lr_error_set(err, LR_ENOMEM, "out of memory");
        lr_strvec_sort(out);
        return 0;
    }
    struct lr_table_list list = {0};
    int rc = lr_lakehouse_discover(ctx->store, tables_loc(ctx), &list, err);
    if (rc < 0)
        return rc;
    char *meta = lr_asprintf("%s/", meta_loc(ctx));
    for (size_t i = 0; rc == 0 && i < list.count; i++) {
        char *pfx = lr_asprintf("%s/", list.items[i].prefix);
        bool is_meta = pfx && meta && lr_str_starts_with(pfx, meta);
        free(pfx);
        if (!is_meta && lr_strvec_push(out, list.items[i].name) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    free(meta);
    lr_table_list_free(&list);
    lr_strvec_sort(out);
    return rc;
}

int lr_checkpoint_type_check(const char *type, struct lr_error *err)
{
    static const char *types[] = {"Daily", "PrePurge", "PreDeployment", "Manual",
                                  "PostRollback"};
    for (size_t i = 0; type && i < 5; i++)
        if (strcmp(type, types[i]) == 0)
            return 0;
    return lr_error_set(err, LR_EINVAL, "checkpoint type '%s' is not one of Daily, PrePurge, "
                                        "PreDeployment, Manual, PostRollback",
                        type ? type : "");
}

void lr_checkpoint_free(struct lr_checkpoint *cp)
{
    if (!cp)
        return;
    free(cp->id);
    free(cp->name);
    free(cp->type);
    free(cp->created_by);
    free(cp->validation_status);
    free(cp->notes);
    free(cp->run_id);
    for (size_t i = 0; i < cp->table_count; i++)
        free(cp->tables[i].name);
    free(cp->tables);
    memset(cp, 0, sizeof *cp);
}

void lr_checkpoint_list_free(struct lr_checkpoint_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        lr_checkpoint_free(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

/* Snapshot one table for a checkpoint and check its version stays reconstructable. */
static int snapshot_table(const struct lr_lakehouse_ctx *ctx, const char *name,
                          struct lr_checkpoint_table *out, bool *is_valid, struct lr_error *err)
{
    char *prefix = lr_lakehouse_table_prefix(ctx, name);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_delta_retention ret;
    bool has_snap = false;
    memset(&ret, 0, sizeof ret);
    int rc = prefix ? lr_delta_table_open(&t, ctx->store, prefix, err)
                    : lr_error_set(err, LR_ENOMEM, "out of memory");
    if (rc == 0)
        rc = lr_delta_snapshot_open(&snap, t, -1, err);
    if (rc < 0)
        goto done;
    has_snap = true;
    out->name = lr_strdup(name);
    out->version = snap.version;
    out->timestamp_ms = snap.timestamp_ms;
    out->record_count = snap.num_records;
    out->file_count = (int64_t)snap.num_files;
    out->size_bytes = snap.size_bytes;
    rc = lr_delta_retention_check(t, snap.version, &snap, lr_event_now_ms(), &ret, err);
    if (rc < 0)
        goto done;
    *is_valid = ret.is_reconstructable && ret.missing_files == 0;
done:
    if (rc < 0)
        lr_error_context(err, "table %s", name);
    if (has_snap)
        lr_delta_snapshot_free(&snap);
    lr_delta_retention_free(&ret);
    lr_delta_table_close(t);
    free(prefix);
    return rc;
}

#define SNAPSHOT_THREADS 8

struct snap_job {
    const struct lr_lakehouse_ctx *ctx;
    const struct lr_strvec *names;
    struct lr_checkpoint_table *tables;
    int *rcs;
    bool *oks;
    struct lr_error *errs;
};

static void snapshot_one(size_t i, void *payload)
{
    struct snap_job *j = payload;
    j->rcs[i] = snapshot_table(j->ctx, j->names->items[i], &j->tables[i], &j->oks[i],
                               &j->errs[i]);
}

static json_t *checkpoint_row(const struct lr_checkpoint *cp, const struct lr_checkpoint_table *t)
{
    json_t *row = json_object();
    json_object_set_new(row, "CheckpointId", json_string(cp->id));
    json_object_set_new(row, "CheckpointName", json_string(cp->name));
    json_object_set_new(row, "CheckpointType", json_string(cp->type));
    json_object_set_new(row, "TableName", json_string(t->name));
    json_object_set_new(row, "DeltaVersion", json_integer(t->version));
    json_object_set_new(row, "CreatedDate", lr_md_time(cp->created_ms));
    json_object_set_new(row, "CreatedBy", cp->created_by ? json_string(cp->created_by)
                                                         : json_null());
    json_object_set_new(row, "IsActive", json_boolean(cp->is_active));
    json_object_set_new(row, "ValidationStatus", json_string(cp->validation_status));
    json_object_set_new(row, "RetentionDays", cp->retention_days >= 0
                                                  ? json_integer(cp->retention_days)
                                                  : json_null());
    json_object_set_new(row, "ExpiryDate", lr_md_time(cp->expiry_ms));
    json_object_set_new(row, "RecordCount", t->record_count >= 0 ? json_integer(t->record_count)
                                                                 : json_null());
    json_object_set_new(row, "FileCount", json_integer(t->file_count));
    json_object_set_new(row, "SizeBytes", json_integer(t->size_bytes));
    json_object_set_new(row, "Notes", cp->notes ? json_string(cp->notes) : json_null());
    json_object_set_new(row, "PipelineRunId", cp->run_id ? json_string(cp->run_id)
                                                         : json_null());
    return row;
}

static bool in_vec(const struct lr_strvec *v, const char *s)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i], s) == 0)
            return true;
    return false;
}

int lr_checkpoint_create(const struct lr_lakehouse_ctx *ctx,
                         const struct lr_checkpoint_create_options *o, struct lr_checkpoint *out,
                         struct lr_error *err)
{
    struct lr_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    struct lr_strvec all = {0};
    struct lr_checkpoint_list existing = {0};
    json_t *rows = NULL;
    int64_t started = lr_event_now_ms();
    char id[LR_RUN_ID_LEN + 1];
    char run[LR_RUN_ID_LEN + 1];
    int rc = lr_checkpoint_name_check(o->name, err);
    if (rc == 0)
        rc = lr_checkpoint_type_check(o->type, err);
    if (rc == 0)
        rc = lr_checkpoint_list(ctx, &existing, err);
    if (rc < 0)
        goto done;
    const struct lr_checkpoint *same = lr_checkpoint_find(&existing, o->name);
    if (same && same->is_active) {
        char when[40];
        lr_event_format_time(same->created_ms, when, sizeof when);
        rc = lr_error_set(err, LR_EEXISTS, "an active checkpoint named %s already exists "
                                           "(created %s); choose another name",
                          o->name, when);
        goto done;
    }
    rc = lr_lakehouse_tables(ctx, &all, err);
    if (rc < 0)
        goto done;
    struct lr_strvec scope = {0};
    for (size_t i = 0; rc == 0 && i < o->table_count; i++) {
        if (!in_vec(&all, o->tables[i]))
            rc = lr_error_set(err, LR_EINVAL, "table %s is not in the lakehouse (tables: see "
                                              "`lakerewind checkpoints create --help`)",
                              o->tables[i]);
        else
            rc = lr_strvec_push(&scope, o->tables[i]);
    }
    if (rc == 0 && o->table_count == 0)
        for (size_t i = 0; rc == 0 && i < all.count; i++)
            rc = lr_strvec_push(&scope, all.items[i]);
    lr_strvec_free(&all);
    all = scope;
    lr_strvec_sort(&all);
    if (rc < 0)
        goto done;
    if (all.count == 0) {
        rc = lr_error_set(err, LR_EINVAL, "the lakehouse has no tables under %s/ to checkpoint",
                          tables_loc(ctx));
        goto done;
    }
    if (lr_run_id_new(id, err) < 0 || (!o->run_id && lr_run_id_new(run, err) < 0)) {
        rc = err->code;
        goto done;
    }
    cp.id = lr_strdup(id);
    cp.name = lr_strdup(o->name);
    cp.type = lr_strdup(o->type);
    cp.created_ms = started;
    cp.created_by = lr_strdup(ctx->operator_name);
    cp.is_active = true;
    cp.retention_days = o->retention_days > 0 ? o->retention_days : 30;
    cp.expiry_ms = started + cp.retention_days * DAY_MS;
    cp.notes = lr_strdup(o->notes);
    cp.run_id = lr_strdup(o->run_id ? o->run_id : run);
    cp.tables = calloc(all.count, sizeof *cp.tables);
    if (!cp.id || !cp.name || !cp.type || !cp.run_id || !cp.tables) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    bool valid = true;
    struct snap_job job = {ctx, &all, cp.tables, calloc(all.count, sizeof(int)),
                           calloc(all.count, sizeof(bool)),
                           calloc(all.count, sizeof(struct lr_error))};
    if (!job.rcs || !job.oks || !job.errs) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    } else if (o->facts) {
        cp.table_count = all.count;
        valid = o->facts_valid;
        for (size_t i = 0; rc == 0 && i < all.count; i++) {
            const struct lr_checkpoint_table *f = NULL;
            for (size_t k = 0; !f && k < o->table_count; k++)
                if (strcmp(o->facts[k].name, all.items[i]) == 0)
                    f = &o->facts[k];
            if (!f) {
                rc = lr_error_set(err, LR_EINVAL, "no facts given for table %s", all.items[i]);
                break;
            }
            cp.tables[i] = *f;
            cp.tables[i].name = lr_strdup(f->name);
            if (!cp.tables[i].name)
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        }
    } else {
        /* Tables are independent: a few at a time (requests to a cloud store overlap). */
        lr_parallel_for(all.count, SNAPSHOT_THREADS, snapshot_one, &job);
        cp.table_count = all.count;
        for (size_t i = 0; rc == 0 && i < all.count; i++) {
            rc = job.rcs[i];
            if (rc < 0)
                *err = job.errs[i];
            valid = valid && job.oks[i];
        }
    }
    free(job.rcs);
    free(job.oks);
    free(job.errs);
    if (rc < 0)
        goto done;
    cp.validation_status = lr_strdup(valid ? "Validated" : "Failed");
    rows = json_array();
    for (size_t i = 0; i < cp.table_count; i++)
        json_array_append_new(rows, checkpoint_row(&cp, &cp.tables[i]));
    struct lr_append_options ao = {.run_id = cp.run_id, .operator_name = ctx->operator_name};
    rc = lr_md_append(ctx->store, ctx->metadata_location, LR_MD_CHECKPOINT_HISTORY, rows, &ao,
                      err);
    if (rc < 0)
        goto done;
    json_decref(rows);
    json_t *details = json_pack("{s:s,s:s,s:I,s:s}", "checkpoint_id", cp.id, "type", cp.type,
                                "tables", (json_int_t)cp.table_count, "validation_status",
                                cp.validation_status);
    struct lr_audit_entry a = {cp.run_id, "CheckpointCreated", NULL, "Succeeded",
                               -1, started, lr_event_now_ms(), ctx->operator_name, cp.name,
                               false, NULL, details};
    rows = json_array();
    json_array_append_new(rows, lr_audit_row(&a));
    json_decref(details);
    rc = lr_md_append(ctx->store, ctx->metadata_location, LR_MD_SYNC_AUDIT_LOG, rows, &ao, err);
done:
    if (rc < 0)
        lr_error_context(err, "creating checkpoint %s", o->name ? o->name : "");
    json_decref(rows);
    lr_strvec_free(&all);
    lr_checkpoint_list_free(&existing);
    if (rc == 0 && out)
        *out = cp;
    else
        lr_checkpoint_free(&cp);
    return rc;
}

/* ---- listing ---- */

static const char *cell_str(json_t *row, const char *k)
{
    return json_string_value(json_object_get(row, k));
}

static int64_t cell_int(json_t *row, const char *k)
{
    json_t *v = json_object_get(row, k);
    return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static struct lr_checkpoint *find_id(struct lr_checkpoint_list *l, const char *id)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

static int add_row(struct lr_checkpoint_list *l, json_t *row)
{
    const char *id = cell_str(row, "CheckpointId");
    const char *table = cell_str(row, "TableName");
    if (!id || !table)
        return 0; /* not ours to interpret */
    int64_t created = lr_md_time_ms(json_object_get(row, "CreatedDate"));
    struct lr_checkpoint *cp = find_id(l, id);
    if (!cp) {
        struct lr_checkpoint *grown = realloc(l->items, (l->count + 1) * sizeof *grown);
        if (!grown)
            return LR_ENOMEM;
        l->items = grown;
        cp = &l->items[l->count++];
        memset(cp, 0, sizeof *cp);
        cp->id = lr_strdup(id);
        cp->created_ms = -1;
    }
    /* Rows arrive oldest first: the first row of a checkpoint gives its creation, and each
     * later row (validation, deactivation) overrides its state. */
    if (cp->created_ms < 0) {
        cp->created_ms = created;
        cp->created_by = lr_strdup(cell_str(row, "CreatedBy"));
    }
    free(cp->name);
    free(cp->type);
    free(cp->validation_status);
    free(cp->notes);
    free(cp->run_id);
    cp->name = lr_strdup(cell_str(row, "CheckpointName"));
    cp->type = lr_strdup(cell_str(row, "CheckpointType"));
    cp->validation_status = lr_strdup(cell_str(row, "ValidationStatus"));
    cp->notes = lr_strdup(cell_str(row, "Notes"));
    cp->run_id = lr_strdup(cell_str(row, "PipelineRunId"));
    cp->is_active = json_is_true(json_object_get(row, "IsActive"));
    cp->retention_days = cell_int(row, "RetentionDays");
    cp->expiry_ms = lr_md_time_ms(json_object_get(row, "ExpiryDate"));
    struct lr_checkpoint_table *t = NULL;
    for (size_t i = 0; i < cp->table_count; i++)
        if (strcmp(cp->tables[i].name, table) == 0)
            t = &cp->tables[i];
    if (!t) {
        struct lr_checkpoint_table *grown = realloc(cp->tables,
                                                    (cp->table_count + 1) * sizeof *grown);
        if (!grown)
            return LR_ENOMEM;
        cp->tables = grown;
        t = &cp->tables[cp->table_count++];
        memset(t, 0, sizeof *t);
        t->name = lr_strdup(table);
        t->timestamp_ms = -1;
    }
    t->version = cell_int(row, "DeltaVersion");
    t->record_count = cell_int(row, "RecordCount");
    t->file_count = cell_int(row, "FileCount");
    t->size_bytes = cell_int(row, "SizeBytes");
    return cp->id && t->name ? 0 : LR_ENOMEM;
}

static int cmp_tables(const void *a, const void *b)
{
    return strcmp(((const struct lr_checkpoint_table *)a)->name,
                  ((const struct lr_checkpoint_table *)b)->name);
}

static int cmp_newest(const void *a, const void *b)
{
    const struct lr_checkpoint *x = a;
    const struct lr_checkpoint *y = b;
    if (x->created_ms != y->created_ms)
        return x->created_ms > y->created_ms ? -1 : 1;
    return strcmp(x->id, y->id);
}

int lr_checkpoint_list(const struct lr_lakehouse_ctx *ctx, struct lr_checkpoint_list *out,
                       struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *rows = NULL;
    int rc = lr_md_read(ctx->store, ctx->metadata_location, LR_MD_CHECKPOINT_HISTORY, &rows, err);
    if (rc < 0)
        return lr_error_context(err, "listing checkpoints");
    /* Rows in CreatedDate order so the latest row per (id, table) is applied last. */
    size_t n = json_array_size(rows);
    json_t **sorted = calloc(n ? n : 1, sizeof *sorted);
    if (!sorted) {
        json_decref(rows);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = json_array_get(rows, i);
    for (size_t i = 1; i < n; i++) { /* insertion sort: stable, lists are small */
        json_t *cur = sorted[i];
        int64_t t = lr_md_time_ms(json_object_get(cur, "CreatedDate"));
        size_t j = i;
        while (j > 0 && lr_md_time_ms(json_object_get(sorted[j - 1], "CreatedDate")) > t) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = cur;
    }
    for (size_t i = 0; i < n && rc == 0; i++)
        if (add_row(out, sorted[i]) < 0)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    free(sorted);
    json_decref(rows);
    /* qsort's array may not be NULL even for 0 elements (UBSan): an empty list skips it. */
    for (size_t i = 0; i < out->count; i++)
        if (out->items[i].table_count > 1)
            qsort(out->items[i].tables, out->items[i].table_count,
                  sizeof *out->items[i].tables, cmp_tables);
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, cmp_newest);
    if (rc < 0)
        lr_checkpoint_list_free(out);
    return rc;
}

const struct lr_checkpoint *lr_checkpoint_find(const struct lr_checkpoint_list *list,
                                               const char *name)
{
    const struct lr_checkpoint *inactive = NULL;
    for (size_t i = 0; name && i < list->count; i++) {
        const struct lr_checkpoint *cp = &list->items[i];
        if (!cp->name || strcmp(cp->name, name) != 0)
            continue;
        if (cp->is_active)
            return cp;
        if (!inactive)
            inactive = cp;
    }
    return inactive;
}

json_t *lr_checkpoint_list_json(const struct lr_checkpoint_list *l)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < l->count; i++) {
        const struct lr_checkpoint *cp = &l->items[i];
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(cp->name ? cp->name : ""));
        json_object_set_new(o, "type", cp->type ? json_string(cp->type) : json_null());
        json_object_set_new(o, "created", lr_md_time(cp->created_ms));
        json_object_set_new(o, "is_active", json_boolean(cp->is_active));
        json_object_set_new(o, "validation_status", cp->validation_status
                                                        ? json_string(cp->validation_status)
                                                        : json_null());
        json_object_set_new(o, "expires", lr_md_time(cp->expiry_ms));
        json_t *tables = json_array();
        for (size_t k = 0; k < cp->table_count; k++) {
            const struct lr_checkpoint_table *t = &cp->tables[k];
            json_t *to = json_object();
            json_object_set_new(to, "name", json_string(t->name));
            json_object_set_new(to, "version", json_integer(t->version));
            json_object_set_new(to, "record_count", t->record_count >= 0
                                                        ? json_integer(t->record_count)
                                                        : json_null());
            json_object_set_new(to, "file_count", json_integer(t->file_count));
            json_object_set_new(to, "size_bytes", json_integer(t->size_bytes));
            json_array_append_new(tables, to);
        }
        json_object_set_new(o, "tables", tables);
        json_object_set_new(o, "id", json_string(cp->id));
        json_object_set_new(o, "created_by", cp->created_by ? json_string(cp->created_by)
                                                            : json_null());
        json_object_set_new(o, "notes", cp->notes ? json_string(cp->notes) : json_null());
        json_object_set_new(o, "retention_days", cp->retention_days >= 0
                                                     ? json_integer(cp->retention_days)
                                                     : json_null());
        json_object_set_new(o, "run_id", cp->run_id ? json_string(cp->run_id) : json_null());
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Append a new row per table of `cp` with its state changed (validation, deactivation). */
static int append_state(const struct lr_lakehouse_ctx *ctx, const struct lr_checkpoint *cp,
                        const char *operation, const char *detail, struct lr_error *err)
{
    int64_t now = lr_event_now_ms();
    struct lr_checkpoint row_cp = *cp;
    row_cp.created_ms = now; /* readers take the latest row by CreatedDate */
    json_t *rows = json_array();
    for (size_t i = 0; i < cp->table_count; i++)
        json_array_append_new(rows, checkpoint_row(&row_cp, &cp->tables[i]));
    struct lr_append_options ao = {.run_id = cp->run_id, .operator_name = ctx->operator_name};
    int rc = lr_md_append(ctx->store, ctx->metadata_location, LR_MD_CHECKPOINT_HISTORY, rows,
                          &ao, err);
    json_decref(rows);
    if (rc < 0)
        return rc;
    json_t *details = json_pack("{s:s,s:s}", "checkpoint_id", cp->id, "result", detail);
    struct lr_audit_entry a = {cp->run_id, operation, NULL, "Succeeded", -1, now,
                               lr_event_now_ms(), ctx->operator_name, cp->name, false, NULL,
                               details};
    rows = json_array();
    json_array_append_new(rows, lr_audit_row(&a));
    json_decref(details);
    rc = lr_md_append(ctx->store, ctx->metadata_location, LR_MD_SYNC_AUDIT_LOG, rows, &ao, err);
    json_decref(rows);
    return rc;
}

/* Whether `version` of table `name` is still reconstructable with its files present. */
static int version_ok(const struct lr_lakehouse_ctx *ctx, const char *name, int64_t version,
                      bool *ok, char *why, size_t cap, struct lr_error *err)
{
    char *prefix = lr_lakehouse_table_prefix(ctx, name);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_delta_retention ret;
    memset(&ret, 0, sizeof ret);
    struct lr_error terr;
    *ok = false;
    int rc = prefix ? lr_delta_table_open(&t, ctx->store, prefix, err)
                    : lr_error_set(err, LR_ENOMEM, "out of memory");
    if (rc == 0) {
        if (lr_delta_snapshot_open(&snap, t, version, &terr) < 0) {
            snprintf(why, cap, "%s: version %lld cannot be rebuilt: %s", name,
                     (long long)version, terr.message);
        } else {
            if (lr_delta_retention_check(t, version, &snap, lr_event_now_ms(), &ret, &terr) < 0)
                snprintf(why, cap, "%s: %s", name, terr.message);
            else if (!ret.is_reconstructable || ret.missing_files > 0)
                snprintf(why, cap, "%s: version %lld has %zu missing data files", name,
                         (long long)version, ret.missing_files);
            else
                *ok = true;
            lr_delta_retention_free(&ret);
            lr_delta_snapshot_free(&snap);
        }
    }
    lr_delta_table_close(t);
    free(prefix);
    return rc;
}

int lr_checkpoint_revalidate(const struct lr_lakehouse_ctx *ctx, const char *name,
                             struct lr_strvec *problems, struct lr_error *err)
{
    struct lr_checkpoint_list list = {0};
    int rc = lr_checkpoint_list(ctx, &list, err);
    if (rc < 0)
        return rc;
    const struct lr_checkpoint *found = lr_checkpoint_find(&list, name);
    if (!found) {
        rc = lr_error_set(err, LR_ENOTFOUND, "no checkpoint named %s (see `lakerewind "
                                             "checkpoints list`)", name);
        goto done;
    }
    struct lr_checkpoint cp = *found;
    bool all_ok = true;
    for (size_t i = 0; rc == 0 && i < cp.table_count; i++) {
        bool ok = false;
        char why[LR_ERROR_MAX + 64] = "";
        rc = version_ok(ctx, cp.tables[i].name, cp.tables[i].version, &ok, why, sizeof why,
                        err);
        if (rc == 0 && !ok) {
            all_ok = false;
            if (problems)
                lr_strvec_push(problems, why);
        }
    }
    if (rc < 0)
        goto done;
    cp.validation_status = (char *)(all_ok ? "Validated" : "Failed");
    rc = append_state(ctx, &cp, "CheckpointValidation", cp.validation_status, err);
    if (rc == 0)
        rc = all_ok ? 0 : 1;
done:
    lr_checkpoint_list_free(&list);
    return rc;
}

int lr_checkpoint_deactivate(const struct lr_lakehouse_ctx *ctx, const char *name,
                             struct lr_error *err)
{
    struct lr_checkpoint_list list = {0};
    int rc = lr_checkpoint_list(ctx, &list, err);
    if (rc < 0)
        return rc;
    const struct lr_checkpoint *found = lr_checkpoint_find(&list, name);
    if (!found || !found->is_active) {
        rc = lr_error_set(err, LR_ENOTFOUND, "no active checkpoint named %s", name);
    } else {
        struct lr_checkpoint cp = *found;
        cp.is_active = false;
        rc = append_state(ctx, &cp, "CheckpointDeactivated", "inactive", err);
    }
    lr_checkpoint_list_free(&list);
    return rc;
}

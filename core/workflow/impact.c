/* impact.c - per-table and total impact of a rollback, related-table and CDF/streaming warnings,
 * the plan digest and phrase, and the impact JSON document. Pure; see impact.h. */
#include "lakerewind/impact.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"

static bool schemas_differ(const char *a, const char *b)
{
    if (!a || !b)
        return false; /* unknown is not a change */
    if (strcmp(a, b) == 0)
        return false;
    json_error_t jerr;
    json_t *ja = json_loads(a, 0, &jerr);
    json_t *jb = json_loads(b, 0, &jerr);
    bool differ = true;
    if (ja && jb)
        differ = !json_equal(ja, jb);
    json_decref(ja);
    json_decref(jb);
    return differ;
}

static int cmp_count_by(const void *a, const void *b)
{
    const struct lr_count_by *x = a;
    const struct lr_count_by *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* Add one to `key`'s count in the (small) array. Takes ownership of key. */
static int count_key(struct lr_count_by **arr, size_t *n, char *key)
{
    if (!key)
        return LR_ENOMEM;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*arr)[i].key, key) == 0) {
            (*arr)[i].count++;
            free(key);
            return 0;
        }
    }
    struct lr_count_by *grown = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!grown) {
        free(key);
        return LR_ENOMEM;
    }
    *arr = grown;
    grown[*n].key = key;
    grown[*n].count = 1;
    (*n)++;
    return 0;
}

static char *writer_of(const struct lr_commit_summary *c)
{
    bool has_user = c->user && *c->user;
    bool has_engine = c->engine && *c->engine;
    if (has_user && has_engine)
        return lr_asprintf("%s (%s)", c->user, c->engine);
    if (has_user)
        return lr_strdup(c->user);
    if (has_engine)
        return lr_strdup(c->engine);
    return lr_strdup("unknown");
}

static int table_commits(struct lr_table_impact *t, const struct lr_impact_input *in)
{
    t->first_undone_ms = -1;
    t->last_undone_ms = -1;
    t->time_span_ms = -1;
    int64_t undone = 0;
    for (size_t i = 0; i < in->commit_count; i++) {
        const struct lr_commit_summary *c = &in->commits[i];
        if (c->version <= t->target_version || c->version > t->current_version)
            continue; /* not undone by this rollback */
        undone++;
        if (c->timestamp_ms >= 0) {
            if (t->first_undone_ms < 0 || c->timestamp_ms < t->first_undone_ms)
                t->first_undone_ms = c->timestamp_ms;
            if (t->last_undone_ms < 0 || c->timestamp_ms > t->last_undone_ms)
                t->last_undone_ms = c->timestamp_ms;
        }
        const char *op = c->operation && *c->operation ? c->operation : "unknown";
        int rc = count_key(&t->by_operation, &t->by_operation_count, lr_strdup(op));
        if (rc == 0)
            rc = count_key(&t->by_writer, &t->by_writer_count, writer_of(c));
        if (rc < 0)
            return rc;
    }
    /* The log is the authority on how many versions lie between; commits the caller could not
     * summarise still count. */
    int64_t span = t->current_version - t->target_version;
    t->commits_undone = span > undone ? span : undone;
    if (in->is_already_restored)
        t->commits_undone = 0; /* the versions between are undone by our own RESTORE commit */
    if (t->commits_undone < 0)
        t->commits_undone = 0;
    if (t->first_undone_ms >= 0)
        t->time_span_ms = t->last_undone_ms - t->first_undone_ms;
    if (t->by_operation_count > 1)
        qsort(t->by_operation, t->by_operation_count, sizeof *t->by_operation, cmp_count_by);
    if (t->by_writer_count > 1)
        qsort(t->by_writer, t->by_writer_count, sizeof *t->by_writer, cmp_count_by);
    return 0;
}

static int push_fmt(struct lr_strvec *v, char *s)
{
    return s ? lr_strvec_push_owned(v, s) : LR_ENOMEM;
}

static int table_impact(struct lr_table_impact *t, const struct lr_impact_input *in,
                        const struct lr_risk_thresholds *th, struct lr_error *err)
{
    int rc = 0;
    t->name = lr_strdup(in->name);
    if (!t->name)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    t->current_version = in->now.version;
    t->target_version = in->then.version;
    t->is_already_restored = in->is_already_restored;
    t->rows_now = in->now.num_records;
    t->rows_then = in->then.num_records;
    t->delta_rows_known = t->rows_now >= 0 && t->rows_then >= 0;
    t->delta_rows = t->delta_rows_known ? t->rows_now - t->rows_then : 0;
    t->files_now = in->now.num_files;
    t->files_then = in->then.num_files;
    t->bytes_now = in->now.size_bytes;
    t->bytes_then = in->then.size_bytes;
    t->files_to_add = in->plan.files_to_add;
    t->files_to_remove = in->plan.files_to_remove;
    t->bytes_to_add = in->plan.bytes_to_add;
    t->bytes_to_remove = in->plan.bytes_to_remove;
    t->schema_changed = schemas_differ(in->now.schema_string, in->then.schema_string);
    t->has_cdf = in->now.has_cdf;
    t->has_streaming_readers = in->has_streaming_readers;

    rc = table_commits(t, in);
    for (size_t i = 0; i < in->blocker_count && rc == 0; i++)
        rc = lr_strvec_push(&t->blockers, in->blockers[i]);
    if (rc == 0 && t->target_version > t->current_version)
        rc = push_fmt(&t->blockers,
                      lr_asprintf("the table is at version %lld, older than the checkpoint's "
                                  "version %lld (was it dropped and recreated?)",
                                  (long long)t->current_version, (long long)t->target_version));
    if (rc == 0 && in->plan.missing_files > 0)
        rc = push_fmt(&t->blockers,
                      lr_asprintf("%lld data file%s of version %lld no longer exist in the store "
                                  "(vacuumed?)",
                                  (long long)in->plan.missing_files,
                                  in->plan.missing_files == 1 ? "" : "s",
                                  (long long)t->target_version));
    if (rc == 0 && in->now.is_append_only && t->files_to_remove > 0)
        rc = push_fmt(&t->blockers,
                      lr_asprintf("append-only table (delta.appendOnly=true): restoring would "
                                  "remove %lld file%s", (long long)t->files_to_remove,
                                  t->files_to_remove == 1 ? "" : "s"));
    if (rc == 0 && t->has_cdf && t->commits_undone > 0)
        rc = push_fmt(&t->warnings,
                      lr_asprintf("%s has change data feed enabled: its change-feed readers "
                                  "will see the restored rows as new changes", t->name));
    if (rc == 0 && t->has_streaming_readers && t->commits_undone > 0)
        rc = push_fmt(&t->warnings,
                      lr_asprintf("%s feeds streaming readers: restored rows will be read "
                                  "again downstream", t->name));
    if (rc == 0 && !t->delta_rows_known && t->commits_undone > 0)
        rc = push_fmt(&t->warnings,
                      lr_asprintf("row counts of %s are unknown (files without statistics)",
                                  t->name));
    if (rc < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");

    struct lr_risk_facts f;
    lr_risk_facts_init(&f);
    f.rows_now = t->rows_now;
    f.rows_then = t->rows_then;
    f.rows_to_add = in->plan.rows_to_add;
    f.rows_to_remove = in->plan.rows_to_remove;
    f.bytes_to_add = t->bytes_to_add;
    f.bytes_to_remove = t->bytes_to_remove;
    f.commits_undone = t->commits_undone;
    f.time_span_ms = t->time_span_ms;
    f.missing_files = 0;      /* already a blocker */
    f.is_append_only = false; /* already a blocker when it matters */
    f.schema_changed = t->schema_changed;
    f.has_cdf = t->has_cdf;
    f.has_streaming_readers = t->has_streaming_readers;
    f.blockers = (const char *const *)t->blockers.items;
    f.blocker_count = t->blockers.count;
    f.restored_version = in->is_already_restored ? in->now.version : -1;
    if (lr_risk_score(&t->risk, &f, th) < 0)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return 0;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

static bool in_scope(const struct lr_impact *im, const char *name)
{
    for (size_t i = 0; i < im->table_count; i++)
        if (strcmp(im->tables[i].name, name) == 0)
            return true;
    return false;
}

static bool has_string(const struct lr_strvec *v, const char *s)
{
    for (size_t i = 0; i < v->count; i++)
        if (strcmp(v->items[i], s) == 0)
            return true;
    return false;
}

static int related_warnings(struct lr_impact *im, const struct lr_impact_options *o)
{
    for (size_t i = 0; i < o->relationship_count; i++) {
        const struct lr_relationship *r = &o->relationships[i];
        if (!r->table || !r->related)
            continue;
        /* Relationships are symmetric: either side in scope without the other. */
        const char *pairs[2][2] = {{r->table, r->related}, {r->related, r->table}};
        for (int k = 0; k < 2; k++) {
            const char *in = pairs[k][0];
            const char *out = pairs[k][1];
            if (!in_scope(im, in) || in_scope(im, out))
                continue;
            if (o->known_table_count > 0 &&
                !in_list(out, o->known_tables, o->known_table_count))
                continue;
            char *w = lr_asprintf("%s is related to %s (config relationships) but is not in "
                                  "scope: it stays at its current version while %s rolls back",
                                  out, in, in);
            if (!w)
                return LR_ENOMEM;
            if (has_string(&im->warnings, w)) {
                free(w);
                continue;
            }
            if (lr_strvec_push_owned(&im->warnings, w) < 0)
                return LR_ENOMEM;
        }
    }
    return 0;
}

static int cmp_input_ptr(const void *a, const void *b)
{
    const struct lr_impact_input *const *x = a;
    const struct lr_impact_input *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

int lr_impact_build(struct lr_impact *out, const struct lr_impact_input *inputs, size_t count,
                    const struct lr_impact_options *opts, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct lr_risk_thresholds defaults;
    lr_risk_thresholds_default(&defaults);
    const struct lr_risk_thresholds *th = opts->thresholds ? opts->thresholds : &defaults;
    const struct lr_impact_input **sorted = NULL;
    struct lr_plan_table *plan_tables = NULL;
    int rc = 0;

    for (size_t i = 0; i < count; i++)
        if (!inputs[i].name || !*inputs[i].name) {
            rc = lr_error_set(err, LR_EINVAL, "impact input %zu has no table name", i);
            goto done;
        }
    sorted = calloc(count ? count : 1, sizeof *sorted);
    out->tables = calloc(count ? count : 1, sizeof *out->tables);
    out->run_id = lr_strdup(opts->run_id ? opts->run_id : "");
    out->checkpoint = lr_strdup(opts->checkpoint ? opts->checkpoint : "");
    if (!sorted || !out->tables || !out->run_id || !out->checkpoint) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    out->is_dry_run = opts->is_dry_run;
    out->kind = opts->kind;
    for (size_t i = 0; i < count; i++)
        sorted[i] = &inputs[i];
    qsort(sorted, count, sizeof *sorted, cmp_input_ptr);
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && strcmp(sorted[i - 1]->name, sorted[i]->name) == 0) {
            rc = lr_error_set(err, LR_EINVAL, "table %s is in scope twice", sorted[i]->name);
            goto done;
        }
        out->table_count = i + 1;
        rc = table_impact(&out->tables[i], sorted[i], th, err);
        if (rc < 0) {
            lr_error_context(err, "table %s", sorted[i]->name);
            goto done;
        }
        const struct lr_table_impact *t = &out->tables[i];
        struct lr_impact_totals *tot = &out->totals;
        tot->tables++;
        tot->delta_rows += t->delta_rows;
        tot->files_to_add += t->files_to_add > 0 ? t->files_to_add : 0;
        tot->files_to_remove += t->files_to_remove > 0 ? t->files_to_remove : 0;
        tot->bytes_to_add += t->bytes_to_add > 0 ? t->bytes_to_add : 0;
        tot->bytes_to_remove += t->bytes_to_remove > 0 ? t->bytes_to_remove : 0;
        tot->commits_undone += t->commits_undone;
        if (t->risk.level == LR_RISK_HIGH)
            tot->high++;
        else if (t->risk.level == LR_RISK_MEDIUM)
            tot->medium++;
        else
            tot->low++;
        if (t->blockers.count > 0)
            tot->blocked++;
    }
    if (related_warnings(out, opts) < 0) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }

    plan_tables = calloc(out->table_count ? out->table_count : 1, sizeof *plan_tables);
    if (!plan_tables) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    struct lr_plan plan;
    lr_impact_plan(out, &plan, plan_tables);
    if (*out->checkpoint) {
        rc = lr_plan_digest(out->plan_digest, &plan, err);
        if (rc < 0)
            goto done;
        out->confirmation_phrase = lr_confirm_phrase(&plan, out->plan_digest);
        if (!out->confirmation_phrase) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
done:
    free(sorted);
    free(plan_tables);
    if (rc < 0)
        lr_impact_free(out);
    return rc;
}

void lr_impact_plan(const struct lr_impact *im, struct lr_plan *plan,
                    struct lr_plan_table *tables)
{
    for (size_t i = 0; i < im->table_count; i++) {
        tables[i].name = im->tables[i].name;
        tables[i].current_version = im->tables[i].current_version;
        tables[i].target_version = im->tables[i].target_version;
    }
    plan->kind = im->kind;
    plan->target = im->checkpoint;
    plan->tables = tables;
    plan->count = im->table_count;
    plan->high_risk_count = im->totals.high;
}

enum lr_confirm_verdict lr_impact_confirm_check(const struct lr_impact *im, const char *typed,
                                                char *why, size_t cap)
{
    struct lr_plan_table *tables = calloc(im->table_count + 1, sizeof *tables);
    if (!tables) {
        snprintf(why, cap, "out of memory");
        return LR_CONFIRM_MALFORMED;
    }
    struct lr_plan plan;
    lr_impact_plan(im, &plan, tables);
    enum lr_confirm_verdict v = lr_confirm_check(&plan, im->plan_digest, typed, why, cap);
    free(tables);
    return v;
}

static void free_counts(struct lr_count_by *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(c[i].key);
    free(c);
}

void lr_impact_free(struct lr_impact *im)
{
    if (!im)
        return;
    for (size_t i = 0; i < im->table_count; i++) {
        struct lr_table_impact *t = &im->tables[i];
        free(t->name);
        free_counts(t->by_operation, t->by_operation_count);
        free_counts(t->by_writer, t->by_writer_count);
        lr_strvec_free(&t->blockers);
        lr_strvec_free(&t->warnings);
        lr_risk_free(&t->risk);
    }
    free(im->tables);
    free(im->run_id);
    free(im->checkpoint);
    free(im->confirmation_phrase);
    lr_strvec_free(&im->warnings);
    memset(im, 0, sizeof *im);
}

static json_t *count_or_null(int64_t v)
{
    return v >= 0 ? json_integer(v) : json_null();
}

static json_t *strings(const struct lr_strvec *v)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < v->count; i++)
        json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static json_t *counts(const struct lr_count_by *c, size_t n, const char *key_name)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *o = json_object();
        json_object_set_new(o, key_name, json_string(c[i].key));
        json_object_set_new(o, "count", json_integer(c[i].count));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *time_or_null(int64_t ms)
{
    char buf[40];
    return ms >= 0 ? json_string(lr_event_format_time(ms, buf, sizeof buf)) : json_null();
}

static json_t *table_json(const struct lr_table_impact *t)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "name", json_string(t->name));
    json_object_set_new(o, "current_version", json_integer(t->current_version));
    json_object_set_new(o, "target_version", json_integer(t->target_version));
    json_object_set_new(o, "rows_now", count_or_null(t->rows_now));
    json_object_set_new(o, "rows_then", count_or_null(t->rows_then));
    json_object_set_new(o, "delta_rows", t->delta_rows_known ? json_integer(t->delta_rows)
                                                             : json_null());
    json_object_set_new(o, "files_to_add", count_or_null(t->files_to_add));
    json_object_set_new(o, "files_to_remove", count_or_null(t->files_to_remove));
    json_object_set_new(o, "bytes_to_add", count_or_null(t->bytes_to_add));
    json_object_set_new(o, "bytes_to_remove", count_or_null(t->bytes_to_remove));
    json_object_set_new(o, "commits_undone", json_integer(t->commits_undone));
    json_object_set_new(o, "risk", json_string(lr_risk_level_name(t->risk.level)));
    json_object_set_new(o, "reasons", strings(&t->risk.reasons));
    json_object_set_new(o, "blockers", strings(&t->blockers));
    /* Detail beyond the documented shape, after it. */
    if (t->is_already_restored)
        json_object_set_new(o, "already_restored", json_true());
    json_object_set_new(o, "commits_by_operation",
                        counts(t->by_operation, t->by_operation_count, "operation"));
    json_object_set_new(o, "commits_by_writer", counts(t->by_writer, t->by_writer_count,
                                                       "writer"));
    json_object_set_new(o, "first_undone", time_or_null(t->first_undone_ms));
    json_object_set_new(o, "last_undone", time_or_null(t->last_undone_ms));
    json_object_set_new(o, "time_span_ms", count_or_null(t->time_span_ms));
    json_object_set_new(o, "schema_changed", json_boolean(t->schema_changed));
    json_object_set_new(o, "warnings", strings(&t->warnings));
    return o;
}

char *lr_impact_to_json(const struct lr_impact *im)
{
    json_t *doc = json_object();
    json_t *tables = json_array();
    json_t *totals = json_object();
    char *s = NULL;
    if (!doc || !tables || !totals)
        goto done;
    json_object_set_new(doc, "run_id", json_string(im->run_id ? im->run_id : ""));
    json_object_set_new(doc, "checkpoint", json_string(im->checkpoint ? im->checkpoint : ""));
    json_object_set_new(doc, "dry_run", json_boolean(im->is_dry_run));
    json_object_set_new(doc, "plan_digest", json_string(im->plan_digest));
    json_object_set_new(doc, "confirmation_phrase",
                        im->confirmation_phrase ? json_string(im->confirmation_phrase)
                                                : json_null());
    for (size_t i = 0; i < im->table_count; i++)
        json_array_append_new(tables, table_json(&im->tables[i]));
    json_object_set(doc, "tables", tables);
    const struct lr_impact_totals *t = &im->totals;
    json_object_set_new(totals, "tables", json_integer((json_int_t)t->tables));
    json_object_set_new(totals, "delta_rows", json_integer(t->delta_rows));
    json_object_set_new(totals, "files_to_add", json_integer(t->files_to_add));
    json_object_set_new(totals, "files_to_remove", json_integer(t->files_to_remove));
    json_object_set_new(totals, "bytes_to_add", json_integer(t->bytes_to_add));
    json_object_set_new(totals, "bytes_to_remove", json_integer(t->bytes_to_remove));
    json_object_set_new(totals, "commits_undone", json_integer(t->commits_undone));
    json_object_set_new(totals, "high_risk", json_integer((json_int_t)t->high));
    json_object_set_new(totals, "medium_risk", json_integer((json_int_t)t->medium));
    json_object_set_new(totals, "low_risk", json_integer((json_int_t)t->low));
    json_object_set_new(totals, "blocked", json_integer((json_int_t)t->blocked));
    json_object_set(doc, "totals", totals);
    json_object_set_new(doc, "warnings", strings(&im->warnings));
    json_object_set_new(doc, "kind", json_string(im->kind == LR_PLAN_UNDO     ? "undo"
                                                 : im->kind == LR_PLAN_RESUME ? "resume"
                                                                              : "rollback"));
    s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
done:
    json_decref(tables);
    json_decref(totals);
    json_decref(doc);
    return s;
}

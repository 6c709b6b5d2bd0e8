/* sandbox.c - building a drill's sandbox lakehouse: the demo variation (tables, incident,
 * schema change), then the scenario's setup through the real components (good syncs after the
 * incident, a vacuum, the retention job, an expiring checkpoint, a wrong or interrupted run),
 * and the DrillStarted audit row that marks the start of the trainee's work. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/demo.h"
#include "lakerewind/drill.h"
#include "lakerewind/event.h"
#include "lakerewind/identity.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"

#define DAY_MS (24LL * 3600000LL)

static size_t count_of(const char *const *list)
{
    size_t n = 0;
    while (n < LR_DRILL_MAX_TABLES && list[n])
        n++;
    return n;
}

static struct lr_lakehouse_ctx ctx_of(struct lr_store *store, const char *op)
{
    return (struct lr_lakehouse_ctx){store, NULL, NULL, op, NULL, 0};
}

/* A demo table as a lr_table_def, for appends of later good syncs. */
static int def_of(const struct lr_demo_table *t, struct lr_column_def *cols,
                  struct lr_table_def *def, struct lr_error *err)
{
    for (size_t i = 0; i < t->ncolumns; i++) {
        enum lr_col_type ty;
        switch (t->columns[i].type) {
        case LR_DEMO_STRING: ty = LR_COL_STRING; break;
        case LR_DEMO_INT: ty = LR_COL_INTEGER; break;
        case LR_DEMO_LONG: ty = LR_COL_LONG; break;
        case LR_DEMO_DOUBLE: ty = LR_COL_DOUBLE; break;
        case LR_DEMO_BOOL: ty = LR_COL_BOOLEAN; break;
        case LR_DEMO_TIMESTAMP: ty = LR_COL_TIMESTAMP; break;
        default:
            return lr_error_set(err, LR_EINVAL, "table %s: column %s has a type a drill sync "
                                "cannot append", t->name, t->columns[i].name);
        }
        cols[i] = (struct lr_column_def){t->columns[i].name, ty, i > 0 && t->columns[i].nullable,
                                         NULL};
    }
    *def = (struct lr_table_def){t->name, "row", cols, t->ncolumns};
    return 0;
}

/* One sync batch of `n` new rows on `table`, committed now by `who`. */
static int sync_batch(struct lr_store *store, const char *table, uint32_t first_row, size_t n,
                      const char *who, uint64_t seed, struct lr_error *err)
{
    const struct lr_demo_table *t = lr_demo_table_find(table);
    if (!t)
        return lr_error_set(err, LR_EINVAL, "drill: no demo table %s", table);
    if (t->partition_by)
        return lr_error_set(err, LR_EINVAL, "drill: %s is partitioned; later syncs go to "
                            "unpartitioned tables", table);
    struct lr_column_def cols[LR_DEMO_MAX_COLUMNS];
    struct lr_table_def def;
    int rc = def_of(t, cols, &def, err);
    if (rc < 0)
        return rc;
    json_t *rows = json_array();
    int64_t now_us = (int64_t)time(NULL) * 1000000;
    for (size_t i = 0; rows && i < n; i++) {
        json_t *r = lr_demo_row(t, first_row + i, 90, now_us, seed);
        if (!r || json_array_append_new(rows, r) < 0) {
            json_decref(rows);
            rows = NULL;
        }
    }
    if (!rows)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_append_options ao = {.operation = "WRITE", .operator_name = who};
    rc = prefix ? lr_table_append_rows(store, prefix, &def, rows, &ao, NULL, err)
                : lr_error_set(err, LR_ENOMEM, "out of memory");
    free(prefix);
    json_decref(rows);
    if (rc < 0)
        lr_error_context(err, "drill: a sync batch on %s", table);
    return rc;
}

int lr_drill_writer_commit(struct lr_store *store, const struct lr_drill_scenario *sc,
                           struct lr_error *err)
{
    if (!sc->writer || !sc->incident_tables[0])
        return lr_error_set(err, LR_EINVAL, "scenario %s has no running writer", sc->id);
    uint32_t batch = (uint32_t)(time(NULL) % 100000);
    return sync_batch(store, sc->incident_tables[0], 800000 + 10 * batch, 5,
                      "sync-job (still running)", 42, err);
}

static const struct lr_checkpoint_table *cp_table(const struct lr_checkpoint *cp,
                                                  const char *name)
{
    for (size_t i = 0; i < cp->table_count; i++)
        if (strcmp(cp->tables[i].name, name) == 0)
            return &cp->tables[i];
    return NULL;
}

/* VACUUM gone wrong: the files `table` had at the good checkpoint that are no longer live. */
static int vacuum(struct lr_store *store, const struct lr_checkpoint *good, const char *table,
                  struct lr_error *err)
{
    const struct lr_checkpoint_table *ct = cp_table(good, table);
    if (!ct)
        return lr_error_set(err, LR_EINVAL, "drill: %s is not in checkpoint %s", table,
                            good->name);
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot then = {0}, now = {0};
    int rc = prefix ? lr_delta_table_open(&t, store, prefix, err)
                    : lr_error_set(err, LR_ENOMEM, "out of memory");
    bool opened_then = false, opened_now = false;
    if (rc == 0)
        opened_then = (rc = lr_delta_snapshot_open(&then, t, ct->version, err)) == 0;
    if (rc == 0)
        opened_now = (rc = lr_delta_snapshot_open(&now, t, -1, err)) == 0;
    for (size_t i = 0; rc == 0 && i < then.num_files; i++) {
        bool live = false;
        for (size_t k = 0; k < now.num_files && !live; k++)
            live = strcmp(now.files[k]->path, then.files[i]->path) == 0;
        if (live)
            continue;
        char *key = lr_asprintf("%s/%s", prefix, then.files[i]->path);
        rc = key ? lr_store_delete(store, key, err) : lr_error_set(err, LR_ENOMEM, "oom");
        free(key);
    }
    if (opened_then)
        lr_delta_snapshot_free(&then);
    if (opened_now)
        lr_delta_snapshot_free(&now);
    lr_delta_table_close(t);
    free(prefix);
    return rc;
}

/* The retention job: every checkpoint past its expiry is deactivated (a newer row per table,
 * CreatedDate + 1 ms, IsActive false); `short_lived` was taken with a one-day retention. */
static int expire(struct lr_store *store, const char *short_lived, struct lr_error *err)
{
    json_t *rows = NULL;
    int rc = lr_md_read(store, NULL, LR_MD_CHECKPOINT_HISTORY, &rows, err);
    if (rc < 0)
        return rc;
    int64_t now = (int64_t)time(NULL) * 1000;
    json_t *out = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *name = json_string_value(json_object_get(row, "CheckpointName"));
        int64_t created = lr_md_time_ms(json_object_get(row, "CreatedDate"));
        int64_t expiry = lr_md_time_ms(json_object_get(row, "ExpiryDate"));
        bool is_short = name && strcmp(name, short_lived) == 0;
        if (is_short)
            expiry = created + DAY_MS;
        if (expiry < 0 || expiry >= now || !json_is_true(json_object_get(row, "IsActive")))
            continue;
        json_t *copy = json_deep_copy(row);
        if (!copy)
            continue;
        /* readers take the newest row per checkpoint and table: one millisecond later */
        json_object_set_new(copy, "CreatedDate", lr_md_time(created + 1));
        json_object_set_new(copy, "IsActive", json_false());
        json_object_set_new(copy, "ExpiryDate", lr_md_time(expiry));
        if (is_short)
            json_object_set_new(copy, "RetentionDays", json_integer(1));
        json_object_set_new(copy, "Notes",
                            json_string("expired: deactivated by the retention job"));
        json_array_append_new(out, copy);
    }
    struct lr_append_options ao = {.is_append_only = true, .operator_name = "retention-job"};
    rc = out ? lr_md_append(store, NULL, LR_MD_CHECKPOINT_HISTORY, out, &ao, err)
             : lr_error_set(err, LR_ENOMEM, "out of memory");
    json_decref(out);
    json_decref(rows);
    return rc;
}

static int checkpoint_load(const struct lr_lakehouse_ctx *ctx, const char *name,
                           struct lr_checkpoint_list *list, const struct lr_checkpoint **out,
                           struct lr_error *err)
{
    int rc = lr_checkpoint_list(ctx, list, err);
    if (rc < 0)
        return rc;
    *out = lr_checkpoint_find(list, name);
    return *out ? 0 : lr_error_set(err, LR_ENOTFOUND, "drill: no checkpoint %s", name);
}

/* The newest active Daily checkpoint. */
static int daily_last(const struct lr_lakehouse_ctx *ctx, char *out, size_t size,
                      struct lr_error *err)
{
    struct lr_checkpoint_list list = {0};
    int rc = lr_checkpoint_list(ctx, &list, err);
    const struct lr_checkpoint *best = NULL;
    for (size_t i = 0; rc == 0 && i < list.count; i++) {
        const struct lr_checkpoint *c = &list.items[i];
        if (c->is_active && c->type && strcmp(c->type, "Daily") == 0 &&
            (!best || c->created_ms > best->created_ms))
            best = c;
    }
    if (rc == 0 && !best)
        rc = lr_error_set(err, LR_ENOTFOUND, "drill: the sandbox has no active Daily checkpoint");
    if (rc == 0)
        snprintf(out, size, "%s", best->name);
    lr_checkpoint_list_free(&list);
    return rc;
}

/* A rollback through the workflow: dry run for the phrase, then the execution. */
static int run_rollback(const struct lr_lakehouse_ctx *ctx, const char *checkpoint,
                        const char *const *tables, size_t ntables, struct lr_event_sink *sink,
                        int parallel, char run_id[40], struct lr_error *err)
{
    struct lr_rollback_config cfg = {0};
    cfg.parallel = parallel;
    struct lr_rollback_request req = {checkpoint, tables, ntables, false, NULL, false, NULL};
    struct lr_run_result dry, res;
    int rc = lr_rollback_run(ctx, &cfg, &req, NULL, &dry, err);
    if (rc < 0)
        return rc;
    if (dry.status != LR_RUN_DRY_RUN || !dry.has_impact || !dry.impact.confirmation_phrase) {
        rc = lr_error_set(err, LR_ESTATE, "drill setup: the dry run of %s was %s: %s",
                          checkpoint, lr_run_status_name(dry.status),
                          dry.refusal ? dry.refusal : "no phrase");
        lr_run_result_free(&dry);
        return rc;
    }
    req.execute = true;
    req.confirm = dry.impact.confirmation_phrase;
    struct lr_emitter em;
    lr_emitter_init(&em, sink, NULL);
    rc = lr_rollback_run(ctx, &cfg, &req, sink ? &em : NULL, &res, err);
    lr_emitter_destroy(&em);
    lr_run_result_free(&dry);
    if (rc < 0)
        return rc;
    if (res.status != LR_RUN_SUCCEEDED)
        rc = lr_error_set(err, LR_ESTATE, "drill setup: the rollback to %s was %s", checkpoint,
                          lr_run_status_name(res.status));
    snprintf(run_id, 40, "%s", res.run_id);
    lr_run_result_free(&res);
    return rc;
}

/* The power cut: the child process running the rollback dies as soon as its first table is
 * restored (VALIDATING), before the run is finished; it tells the parent its run id first. */
struct cut {
    int fd;
};
static void cut_sink(const struct lr_event *ev, void *payload)
{
    const struct cut *c = payload;
    if (ev->kind == LR_EV_TABLE_STATE && ev->u.table.state == LR_TABLE_VALIDATING) {
        char id[40] = {0};
        snprintf(id, sizeof id, "%s", ev->run_id ? ev->run_id : "");
        ssize_t w = write(c->fd, id, sizeof id);
        (void)w;
        _exit(0);
    }
}

static int interrupted_run(const struct lr_lakehouse_ctx *ctx, const char *checkpoint,
                           const char *const *tables, size_t ntables, char run_id[40],
                           struct lr_error *err)
{
    int fds[2];
    if (pipe(fds) < 0)
        return lr_error_set(err, LR_EIO, "drill setup: pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return lr_error_set(err, LR_EIO, "drill setup: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(fds[0]);
        struct cut c = {fds[1]};
        struct lr_event_sink sink = {cut_sink, &c};
        char id[40];
        struct lr_error cerr;
        run_rollback(ctx, checkpoint, tables, ntables, &sink, 1, id, &cerr);
        _exit(3); /* the run ended without being cut: the setup failed */
    }
    close(fds[1]);
    char id[40] = {0};
    ssize_t n = read(fds[0], id, sizeof id);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (n != (ssize_t)sizeof id || !id[0] || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return lr_error_set(err, LR_ESTATE, "drill setup: the rollback to be interrupted was "
                            "not cut after its first table");
    memcpy(run_id, id, 40);
    run_id[39] = '\0';
    return 0;
}

static const char config_text[] =
    "# lakerewind.yaml of the related-tables drill: which tables reference which.\n"
    "default_profile: drill\n"
    "profiles:\n"
    "  drill:\n"
    "    lakehouse: %s\n"
    "    relationships:\n"
    "      donation: [account, contact]\n"
    "      opportunity: [account, contact]\n"
    "      contact: [account]\n"
    "    primary_keys:\n"
    "      account: accountid\n"
    "      contact: contactid\n"
    "      donation: donationid\n";

static int mark_start(struct lr_store *store, const struct lr_drill_scenario *sc,
                      const struct lr_drill_options *o, struct lr_drill_sandbox *out,
                      struct lr_error *err)
{
    int rc = lr_run_id_new(out->drill_id, err);
    if (rc < 0)
        return rc;
    out->started_ms = lr_event_now_ms();
    json_t *details = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "scenario", sc->id,
                                "checkpoint", out->checkpoint, "setup_run", out->setup_run,
                                "config", out->config_path, "scale",
                                (json_int_t)(o && o->scale_pct ? o->scale_pct : 5), "seed",
                                (json_int_t)(o && o->seed ? o->seed : 42));
    struct lr_audit_entry a = {out->drill_id, "DrillStarted", NULL, "Started", -1,
                               out->started_ms, out->started_ms, "drill", out->checkpoint,
                               false, NULL, details};
    json_t *rows = json_array();
    json_t *row = lr_audit_row(&a);
    json_decref(details);
    if (!rows || !row || json_array_append_new(rows, row) < 0) {
        json_decref(rows);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    struct lr_append_options ao = {.is_append_only = true, .run_id = out->drill_id,
                                   .operator_name = "drill"};
    rc = lr_md_append(store, NULL, LR_MD_SYNC_AUDIT_LOG, rows, &ao, err);
    json_decref(rows);
    return rc;
}

int lr_drill_build(struct lr_store *store, const struct lr_drill_scenario *sc,
                   const struct lr_drill_options *o, struct lr_drill_sandbox *out,
                   struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    int64_t anchor = o && o->anchor_ms ? o->anchor_ms : 0;
    if (!anchor) {
        int64_t now = (int64_t)time(NULL) * 1000;
        anchor = now - now % DAY_MS;
    }
    struct lr_demo_options d = {0};
    d.seed = o && o->seed ? o->seed : 42;
    d.scale_pct = o && o->scale_pct ? o->scale_pct : 5;
    d.anchor_ms = anchor - (int64_t)sc->anchor_shift_days * DAY_MS;
    d.only_tables = sc->tables;
    d.only_table_count = count_of(sc->tables);
    d.incident_tables = sc->incident_tables;
    d.incident_table_count = count_of(sc->incident_tables);
    d.schema_change_table = sc->schema_change_table;
    struct lr_demo_summary sum;
    int rc = lr_demo_build(store, &d, &sum, err);
    const char *op = o && o->operator_name ? o->operator_name : "drill-setup";
    struct lr_lakehouse_ctx ctx = ctx_of(store, op);
    for (size_t i = 0; rc == 0 && i < count_of(sc->later_sync_tables); i++)
        rc = sync_batch(store, sc->later_sync_tables[i], 700000 + 100 * (uint32_t)i, 4,
                        "sync-job", d.seed, err);
    if (rc == 0 && sc->vacuumed_table) {
        struct lr_checkpoint_list list = {0};
        const struct lr_checkpoint *good = NULL;
        rc = checkpoint_load(&ctx, "before-nightly-sync", &list, &good, err);
        if (rc == 0)
            rc = vacuum(store, good, sc->vacuumed_table, err);
        lr_checkpoint_list_free(&list);
    }
    if (rc == 0 && sc->expire_checkpoints)
        rc = expire(store, "before-nightly-sync", err);
    if (rc == 0 && sc->expiring_checkpoint) {
        struct lr_checkpoint_create_options co = {sc->expiring_checkpoint, "PreDeployment", NULL,
                                                  0, 1, "before release 43 (one-day retention)",
                                                  NULL, NULL, false};
        rc = lr_checkpoint_create(&ctx, &co, NULL, err);
    }
    if (rc == 0 && sc->wrong_checkpoint)
        rc = run_rollback(&ctx, sc->wrong_checkpoint, NULL, 0, NULL, 0, out->setup_run, err);
    if (rc == 0 && sc->interrupted)
        rc = interrupted_run(&ctx, sc->checkpoint, sc->scope, count_of(sc->scope),
                             out->setup_run, err);
    if (rc == 0 && sc->relationships) {
        char *text = lr_asprintf(config_text, lr_store_uri(store));
        rc = text ? lr_store_put(store, "lakerewind.yaml", text, strlen(text), err)
                  : lr_error_set(err, LR_ENOMEM, "out of memory");
        free(text);
        snprintf(out->config_path, sizeof out->config_path, "lakerewind.yaml");
    }
    if (rc == 0 && strcmp(sc->checkpoint, "@daily-last") == 0)
        rc = daily_last(&ctx, out->checkpoint, sizeof out->checkpoint, err);
    else if (rc == 0)
        snprintf(out->checkpoint, sizeof out->checkpoint, "%s", sc->checkpoint);
    if (rc == 0)
        rc = mark_start(store, sc, o, out, err);
    if (rc < 0)
        lr_error_context(err, "building the sandbox of drill %s", sc->id);
    return rc;
}

int lr_drill_sandbox_load(struct lr_store *store, const struct lr_drill_scenario *sc,
                          struct lr_drill_sandbox *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    json_t *rows = NULL;
    int rc = lr_md_read(store, NULL, LR_MD_SYNC_AUDIT_LOG, &rows, err);
    if (rc < 0)
        return rc;
    json_t *best = NULL;
    int64_t best_ms = -1;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *op = json_string_value(json_object_get(row, "Operation"));
        int64_t t = lr_md_time_ms(json_object_get(row, "StartTime"));
        if (op && strcmp(op, "DrillStarted") == 0 && t >= best_ms) {
            best = row;
            best_ms = t;
        }
    }
    json_t *details = NULL;
    if (!best) {
        rc = lr_error_set(err, LR_ENOTFOUND, "%s holds no drill: build one with `lakerewind "
                          "drill run %s --dir DIR`", lr_store_uri(store), sc->id);
    } else {
        const char *text = json_string_value(json_object_get(best, "Details"));
        details = text ? json_loads(text, 0, NULL) : NULL;
        const char *scen = json_string_value(json_object_get(details, "scenario"));
        if (!scen || strcmp(scen, sc->id) != 0)
            rc = lr_error_set(err, LR_EINVAL, "the sandbox %s holds drill %s, not %s",
                              lr_store_uri(store), scen ? scen : "(unknown)", sc->id);
    }
    if (rc == 0) {
        snprintf(out->drill_id, sizeof out->drill_id, "%s",
                 json_string_value(json_object_get(best, "PipelineRunId")));
        snprintf(out->checkpoint, sizeof out->checkpoint, "%s",
                 json_string_value(json_object_get(details, "checkpoint")));
        const char *s = json_string_value(json_object_get(details, "setup_run"));
        snprintf(out->setup_run, sizeof out->setup_run, "%s", s ? s : "");
        s = json_string_value(json_object_get(details, "config"));
        snprintf(out->config_path, sizeof out->config_path, "%s", s ? s : "");
        out->started_ms = best_ms;
    }
    json_decref(details);
    json_decref(rows);
    return rc;
}

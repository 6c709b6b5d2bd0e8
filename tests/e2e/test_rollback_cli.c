/* test_rollback_cli.c - the end-to-end story through the real CLI ($LR_BIN), on the local store
 * or, when $LR_E2E_LAKEHOUSE names a store URI (tests/e2e/rollback_azurite.test.sh sets an
 * az:// one on Azurite), on that store: create CRM-like tables with our writer, take a
 * checkpoint, make a "bad sync" (duplicate rows appended, rows with null keys, a file
 * deleted), dry-run the rollback (nothing changes but the audit log), refuse a wrong phrase and a plan that changed since review, then
 * execute with the printed phrase and check every table is back at the checkpoint's content
 * with every validation passed, and the metadata tables hold the run's rows; undo brings back the
 * bad-sync state and a second rollback works. A second test has a writer append to one table
 * while the run is under way (between the analysis and that table's restore commit): its
 * commit is never undone, the table is skipped and reported, the others restore. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/rollback.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"
#include "testsupport.h"

static const struct lr_column_def crm_cols[] = {
    {"id", LR_COL_STRING, true, "primary key"},
    {"name", LR_COL_STRING, true, NULL},
    {"amount", LR_COL_LONG, true, NULL},
    {"SinkModifiedOn", LR_COL_TIMESTAMP, true, "sync time"},
};
static const struct lr_table_def crm = {"crm", "row", crm_cols, 4};

static char *lake;    /* the lakehouse URI (a local folder by default) */
static char *scratch; /* a local folder for stderr, config and DuckDB's copies */
static struct lr_store *store;

/* Open the lakehouse: $LR_E2E_LAKEHOUSE/<tag> when set, else a fresh local folder. */
static void open_lakehouse(const char *tag)
{
    scratch = lr_test_tmpdir(tag);
    const char *base = getenv("LR_E2E_LAKEHOUSE");
    lake = base && *base ? lr_asprintf("%s/%s-%d", base, tag, (int)getpid()) : lr_strdup(scratch);
    struct lr_error err;
    if (lr_store_open(&store, lake, NULL, &err) < 0)
        fail_msg("open %s: %s", lake, err.message);
}

static void close_lakehouse(void)
{
    lr_store_close(store);
    store = NULL;
    free(lake);
    free(scratch);
}

static void append(const char *table, int first, int n, bool null_key, const char *when)
{
    json_t *rows = json_array();
    for (int i = first; i < first + n; i++) {
        char id[32];
        char name[32];
        snprintf(id, sizeof id, "%s-%d", table, i);
        snprintf(name, sizeof name, "name %d", i);
        json_array_append_new(rows, json_pack("{s:o,s:s,s:I,s:s}", "id",
                                              null_key ? json_null() : json_string(id), "name",
                                              name, "amount", (json_int_t)i * 10,
                                              "SinkModifiedOn", when));
    }
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_error err;
    if (lr_table_append_rows(store, prefix, &crm, rows, NULL, NULL, &err) < 0)
        fail_msg("append %s: %s", table, err.message);
    free(prefix);
    json_decref(rows);
}

static struct lr_delta_snapshot snap_of(const char *table)
{
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    if (lr_delta_snapshot_open(&s, t, -1, &err) < 0)
        fail_msg("snapshot %s: %s", table, err.message);
    lr_delta_table_close(t);
    free(prefix);
    return s;
}

/* The live file set, one path a line (the log's order is sorted). Caller frees. */
static char *files_of(const char *table)
{
    struct lr_delta_snapshot s = snap_of(table);
    struct lr_buf b = LR_BUF_INIT;
    for (size_t i = 0; i < s.num_files; i++)
        lr_buf_printf(&b, NULL, "%s\n", s.files[i]->path);
    lr_buf_append(&b, "", 0, NULL);
    lr_delta_snapshot_free(&s);
    return (char *)lr_buf_take(&b, NULL);
}

/* Rows of every metadata table but SyncAuditLog, and whether any run journal exists. */
static size_t non_audit_rows(void)
{
    size_t n = 0;
    for (int m = 0; m < LR_MD_TABLE_COUNT; m++) {
        if (m == LR_MD_SYNC_AUDIT_LOG)
            continue;
        json_t *rows = NULL;
        struct lr_error err;
        assert_int_equal(lr_md_read(store, NULL, (enum lr_md_table)m, &rows, &err), 0);
        n += json_array_size(rows);
        json_decref(rows);
    }
    struct lr_store_page page = {0};
    struct lr_error err;
    assert_int_equal(lr_store_list(store, "Files/", NULL, &page, &err), 0);
    n += page.count * 1000;
    lr_store_page_free(&page);
    return n;
}

static int64_t version_of(const char *table)
{
    struct lr_delta_snapshot s = snap_of(table);
    int64_t v = s.version;
    lr_delta_snapshot_free(&s);
    return v;
}

/* Run the CLI; returns its exit status and its stdout (caller frees). */
static int cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli(char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    const char *bin = getenv("LR_BIN");
    assert_non_null(bin);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "LAKEREWIND_CONFIG=/nonexistent XDG_CONFIG_HOME=%s/no-config "
                              "'%s' --lakehouse '%s' %s 2>%s/stderr.txt",
             scratch, bin, lake, args, scratch);
    return lr_test_run(cmd, out);
}

static size_t count_ops(const char *op)
{
    json_t *rows = NULL;
    struct lr_error err;
    assert_int_equal(lr_md_read(store, NULL, LR_MD_SYNC_AUDIT_LOG, &rows, &err), 0);
    size_t n = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
        n += strcmp(json_string_value(json_object_get(row, "Operation")), op) == 0;
    json_decref(rows);
    return n;
}

/* DuckDB (test-only, npm) over the live Parquet files our log lists for a metadata table
 * (fetched through the store into the scratch folder, so a cloud lakehouse is read the same
 * way): returns the value of `select` (one row, one column "v") as JSON, or NULL when DuckDB is
 * not installed. */
static json_t *duckdb_value(const char *table, const char *select)
{
    const char *src = getenv("LR_SOURCE_DIR");
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/tests/support/node_modules/@duckdb", src ? src : ".");
    if (!src || access(probe, F_OK) != 0)
        return NULL;
    char *prefix = lr_asprintf("Tables/metadata/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&snap, t, -1, &err), 0);
    struct lr_buf list = LR_BUF_INIT;
    for (size_t i = 0; i < snap.num_files; i++) {
        char *key = lr_asprintf("%s/%s", prefix, snap.files[i]->path);
        char *local = lr_asprintf("%s/duck/%s", scratch, key);
        struct lr_buf data = LR_BUF_INIT;
        if (lr_store_get(store, key, &data, &err) < 0)
            fail_msg("fetch %s: %s", key, err.message);
        lr_test_write_file(local, data.data, data.len);
        lr_buf_printf(&list, NULL, "%s'%s'", i ? "," : "", local);
        lr_buf_free(&data);
        free(key);
        free(local);
    }
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    char *cmd = lr_asprintf("node %s/tests/support/duckdb.js \"SELECT %s AS v FROM "
                            "read_parquet([%s])\"", src, select, (char *)list.data);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[4096] = "";
    assert_non_null(fgets(line, sizeof line, p));
    assert_int_equal(pclose(p), 0);
    json_error_t jerr;
    json_t *row = json_loads(line, 0, &jerr);
    assert_non_null(row);
    json_t *v = json_incref(json_object_get(row, "v"));
    json_decref(row);
    free(cmd);
    lr_buf_free(&list);
    free(prefix);
    return v;
}

static void test_e2e_checkpoint_bad_sync_dry_run_refusals_execute(void **state)
{
    (void)state;
    open_lakehouse("e2e");
    struct lr_error err;
    const char *tables[] = {"account", "contact", "donation"};
    for (int t = 0; t < 3; t++)
        for (int batch = 0; batch < 3; batch++)
            append(tables[t], batch * 10, 10, false, "2025-01-15T09:00:00.000Z");
    char *out = NULL;

    /* Checkpoint. */
    assert_int_equal(cli(&out, "checkpoints create cp-1 --type Manual --json"), 0);
    json_t *cp = lr_test_json(out);
    assert_string_equal(json_string_value(json_object_get(cp, "validation_status")),
                        "Validated");
    assert_int_equal(json_array_size(json_object_get(cp, "tables")), 3);
    json_decref(cp);
    free(out);
    assert_int_equal(cli(&out, "checkpoints create cp-1 --type Manual"), 3); /* name taken */
    free(out);
    assert_int_equal(cli(&out, "checkpoints create cp-2 --type Weekly"), 2);
    free(out);
    assert_int_equal(cli(&out, "checkpoints list --json"), 0);
    json_t *list = lr_test_json(out);
    assert_int_equal(json_array_size(list), 1);
    json_t *c0 = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(c0, "name")), "cp-1");
    assert_string_equal(json_string_value(json_object_get(c0, "type")), "Manual");
    assert_true(json_is_true(json_object_get(c0, "is_active")));
    assert_non_null(json_string_value(json_object_get(c0, "expires")));
    json_t *t0 = json_array_get(json_object_get(c0, "tables"), 0);
    assert_string_equal(json_string_value(json_object_get(t0, "name")), "account");
    assert_int_equal(json_integer_value(json_object_get(t0, "version")), 2);
    json_decref(list);
    free(out);

    /* The bad sync: duplicates in account, null keys in contact, a deleted file in donation. */
    append("account", 0, 10, false, "2025-01-16T09:00:00.000Z");
    append("account", 10, 5, false, "2025-01-16T09:05:00.000Z");
    append("contact", 100, 4, true, "2025-01-16T09:00:00.000Z");
    struct lr_delta_snapshot d = snap_of("donation");
    const char *victim = d.files[0]->path;
    assert_int_equal(lr_table_remove_files(store, "Tables/donation", &victim, 1, NULL, NULL,
                                           &err), 0);
    lr_delta_snapshot_free(&d);
    int64_t bad[3] = {version_of("account"), version_of("contact"), version_of("donation")};
    char *bad_files[3] = {files_of("account"), files_of("contact"), files_of("donation")};
    size_t others_before = non_audit_rows();
    assert_int_equal(bad[0], 4);

    /* Dry run: the impact document, nothing written but audit rows. */
    assert_int_equal(cli(&out, "rollback cp-1 --dry-run --json"), 5);
    json_t *im = lr_test_json(out);
    free(out);
    assert_true(json_is_true(json_object_get(im, "dry_run")));
    assert_string_equal(json_string_value(json_object_get(im, "checkpoint")), "cp-1");
    json_t *ta = json_array_get(json_object_get(im, "tables"), 0);
    assert_string_equal(json_string_value(json_object_get(ta, "name")), "account");
    assert_int_equal(json_integer_value(json_object_get(ta, "current_version")), 4);
    assert_int_equal(json_integer_value(json_object_get(ta, "target_version")), 2);
    assert_int_equal(json_integer_value(json_object_get(ta, "rows_now")), 45);
    assert_int_equal(json_integer_value(json_object_get(ta, "rows_then")), 30);
    assert_int_equal(json_integer_value(json_object_get(ta, "delta_rows")), 15);
    assert_int_equal(json_integer_value(json_object_get(ta, "files_to_remove")), 2);
    assert_int_equal(json_integer_value(json_object_get(ta, "commits_undone")), 2);
    json_t *td = json_array_get(json_object_get(im, "tables"), 2);
    assert_int_equal(json_integer_value(json_object_get(td, "files_to_add")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(im, "totals"),
                                                        "tables")), 3);
    char phrase[512];
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    assert_true(strncmp(phrase, "ROLLBACK 3 TABLES TO cp-1 ", 26) == 0);
    json_decref(im);
    assert_int_equal(version_of("account"), bad[0]);
    assert_int_equal(version_of("contact"), bad[1]);
    assert_int_equal(version_of("donation"), bad[2]);
    assert_int_equal(count_ops("DryRun"), 1);
    assert_int_equal(non_audit_rows(), others_before); /* nor any journal */

    /* Refusals: a wrong phrase, an unknown checkpoint. Nothing is written. */
    assert_int_equal(cli(&out, "rollback cp-1 --execute --confirm 'ROLLBACK 2 TABLES TO cp-1 "
                               "000000'"), 3);
    free(out);
    assert_int_equal(cli(&out, "rollback cp-9 --dry-run"), 3);
    free(out);
    assert_int_equal(version_of("account"), bad[0]);

    /* A writer appends after the review: the reviewed phrase no longer applies. */
    append("contact", 200, 1, false, "2025-01-16T10:00:00.000Z");
    free(bad_files[1]);
    bad_files[1] = files_of("contact"); /* that append is part of the state undo brings back */
    assert_int_equal(cli(&out, "rollback cp-1 --execute --confirm '%s' --json", phrase), 3);
    json_t *ref = lr_test_json(out);
    assert_non_null(strstr(json_string_value(json_object_get(ref, "refusal")),
                           "the plan changed since you reviewed it"));
    json_decref(ref);
    free(out);
    assert_int_equal(version_of("account"), bad[0]);

    /* Review again and execute. */
    assert_int_equal(cli(&out, "rollback cp-1 --json"), 5);
    im = lr_test_json(out);
    free(out);
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    json_decref(im);
    assert_int_equal(cli(&out, "rollback cp-1 --execute --confirm '%s' --json", phrase), 0);
    json_t *run = lr_test_json(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(run, "status")), "succeeded");
    json_t *rt;
    size_t i;
    json_array_foreach(json_object_get(run, "tables"), i, rt) {
        assert_string_equal(json_string_value(json_object_get(rt, "status")), "done");
        assert_true(json_integer_value(json_object_get(rt, "version_written")) > 0);
        assert_true(json_real_value(json_object_get(rt, "quality_score")) == 100.0);
        json_t *v;
        size_t k;
        json_array_foreach(json_object_get(rt, "validations"), k, v)
            assert_true(json_is_true(json_object_get(v, "passed")));
    }
    assert_non_null(json_string_value(json_object_get(run, "post_rollback_checkpoint")));
    char run_id[64];
    snprintf(run_id, sizeof run_id, "%s", json_string_value(json_object_get(run, "run_id")));
    json_decref(run);
    for (int t = 0; t < 3; t++) {
        struct lr_delta_snapshot s = snap_of(tables[t]);
        assert_int_equal(s.num_records, 30);
        assert_string_equal(json_string_value(json_object_get(s.commit_info, "operation")),
                            "RESTORE");
        lr_delta_snapshot_free(&s);
    }
    assert_int_equal(count_ops("RollbackCompleted"), 1);
    assert_int_equal(count_ops("TableRestore"), 3);
    json_t *rows = NULL;
    assert_int_equal(lr_md_read(store, NULL, LR_MD_DATA_VALIDATION, &rows, &err), 0);
    assert_true(json_array_size(rows) >= 9);
    json_decref(rows);
    assert_int_equal(lr_md_read(store, NULL, LR_MD_COMPARISON_REPORTS, &rows, &err), 0);
    assert_int_equal(json_array_size(rows), 3);
    json_decref(rows);
    assert_int_equal(lr_md_read(store, NULL, LR_MD_STATE_SNAPSHOTS, &rows, &err), 0);
    assert_int_equal(json_array_size(rows), 6);
    json_decref(rows);
    assert_int_equal(cli(&out, "checkpoints list --json"), 0);
    list = lr_test_json(out);
    assert_int_equal(json_array_size(list), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "type")),
                        "PostRollback");
    /* It records the restored versions, taken from the snapshots the validation read. */
    json_t *post = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(post, "validation_status")),
                        "Validated");
    json_t *pt;
    size_t pi;
    json_array_foreach(json_object_get(post, "tables"), pi, pt)
        assert_int_equal(json_integer_value(json_object_get(pt, "version")),
                         version_of(json_string_value(json_object_get(pt, "name"))));
    assert_int_equal(json_array_size(json_object_get(post, "tables")), 3);
    json_decref(list);
    free(out);

    /* The run is listed; undo puts the bad-sync state back; rolling back again works. */
    assert_int_equal(cli(&out, "runs --json"), 0);
    json_t *runs = lr_test_json(out);
    free(out);
    assert_int_equal(json_array_size(runs), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(runs, 0), "status")),
                        "succeeded");
    json_decref(runs);
    assert_int_equal(cli(&out, "runs show %s --json", run_id), 0);
    json_t *shown = lr_test_json(out);
    free(out);
    assert_true(json_array_size(json_object_get(shown, "audit")) >= 8);
    json_decref(shown);
    assert_int_equal(cli(&out, "undo %s --json", run_id), 5);
    im = lr_test_json(out);
    free(out);
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    char expect[64];
    snprintf(expect, sizeof expect, "UNDO 3 TABLES OF RUN %.8s ", run_id);
    assert_true(strncmp(phrase, expect, strlen(expect)) == 0);
    json_decref(im);
    assert_int_equal(cli(&out, "undo %s --execute --confirm 'ROLLBACK 3 TABLES TO cp-1 abcdef'",
                         run_id), 3);
    free(out);
    assert_int_equal(cli(&out, "undo %s --execute --confirm '%s' --json", run_id, phrase), 0);
    run = lr_test_json(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(run, "status")), "succeeded");
    json_decref(run);
    int64_t bad_rows[3] = {45, 35, 20};
    for (int t = 0; t < 3; t++) {
        struct lr_delta_snapshot s = snap_of(tables[t]);
        assert_int_equal(s.num_records, bad_rows[t]);
        lr_delta_snapshot_free(&s);
        char *now = files_of(tables[t]);
        assert_string_equal(now, bad_files[t]); /* exactly the bad-sync file set */
        free(now);
        free(bad_files[t]);
    }
    assert_int_equal(count_ops("RollbackUndone"), 1);
    assert_int_equal(cli(&out, "rollback cp-1 --json"), 5);
    im = lr_test_json(out);
    free(out);
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    json_decref(im);
    assert_int_equal(cli(&out, "rollback cp-1 --execute --confirm '%s' --json", phrase), 0);
    free(out);
    for (int t = 0; t < 3; t++) {
        struct lr_delta_snapshot s = snap_of(tables[t]);
        assert_int_equal(s.num_records, 30);
        lr_delta_snapshot_free(&s);
    }

    /* Every metadata table, read back by DuckDB from the live files our log lists, holds what
     * our own reader sees. */
    for (int m = 0; m < LR_MD_TABLE_COUNT; m++) {
        const struct lr_table_def *def = lr_md_table_def((enum lr_md_table)m);
        json_t *v = duckdb_value(def->name, "count(*)");
        if (!v) {
            print_message("DuckDB not installed (./dev deps): metadata read-back skipped\n");
            break;
        }
        assert_int_equal(lr_md_read(store, NULL, (enum lr_md_table)m, &rows, &err), 0);
        assert_int_equal(json_integer_value(v), (json_int_t)json_array_size(rows));
        assert_true(json_array_size(rows) > 0);
        json_decref(rows);
        json_decref(v);
    }
    json_t *undone = duckdb_value("SyncAuditLog", "count(*) FILTER (WHERE Operation = "
                                                  "'RollbackUndone' AND IsDryRun = false)");
    if (undone) {
        assert_int_equal(json_integer_value(undone), 1);
        json_decref(undone);
    }
    json_t *failed = duckdb_value("DataValidation", "count(*) FILTER (WHERE NOT Passed)");
    if (failed) {
        assert_int_equal(json_integer_value(failed), 0);
        json_decref(failed);
    }
    close_lakehouse();
}

/* ---- a concurrent writer ----
 * A store that wraps the lakehouse's and, the first time the run creates a commit file of the
 * watched table, lets "another writer" append a row through the plain store first: that writer
 * takes the version the restore wanted, exactly as a sync job committing mid-run would. */
struct interloper {
    struct lr_store base; /* first member */
    struct lr_store *inner;
    const char *watch;    /* "Tables/contact/_delta_log/" */
    bool has_fired;
};

static int i_get(struct lr_store *s, const char *key, bool whole, uint64_t off, uint64_t len,
                 struct lr_buf *out, struct lr_error *err)
{
    struct interloper *k = (struct interloper *)s;
    return whole ? lr_store_get(k->inner, key, out, err)
                 : lr_store_get_range(k->inner, key, off, len, out, err);
}

static int i_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                  struct lr_error *err)
{
    return lr_store_head(((struct interloper *)s)->inner, key, out, err);
}

static int i_list(struct lr_store *s, const char *prefix, const char *start_after,
                  const char *token, size_t max_keys, struct lr_store_page *out,
                  struct lr_error *err)
{
    return lr_store_list_page(((struct interloper *)s)->inner, prefix, start_after, token,
                              max_keys, out, err);
}

static int i_put(struct lr_store *s, const char *key, const void *data, size_t len,
                 bool if_absent, struct lr_error *err)
{
    struct interloper *k = (struct interloper *)s;
    size_t n = strlen(k->watch);
    if (if_absent && !k->has_fired && strncmp(key, k->watch, n) == 0 &&
        strlen(key + n) == 25 && strcmp(key + n + 20, ".json") == 0) {
        k->has_fired = true;
        append("contact", 300, 2, false, "2025-01-16T11:00:00.000Z");
    }
    return if_absent ? lr_store_put_if_absent(k->inner, key, data, len, err)
                     : lr_store_put(k->inner, key, data, len, err);
}

static int i_del(struct lr_store *s, const char *key, struct lr_error *err)
{
    return lr_store_delete(((struct interloper *)s)->inner, key, err);
}

static void i_destroy(struct lr_store *s)
{
    free(s->display_uri);
    free(s);
}

static const struct lr_store_ops interloper_ops = {
    .version = LR_STORE_OPS_VERSION, .name = "interloper", .get = i_get, .head = i_head,
    .list_page = i_list, .put = i_put, .del = i_del, .destroy = i_destroy,
};

static void test_e2e_writer_appending_during_the_run_is_never_undone(void **state)
{
    (void)state;
    open_lakehouse("e2e-writer");
    const char *tables[] = {"account", "contact", "donation"};
    for (int t = 0; t < 3; t++)
        for (int batch = 0; batch < 2; batch++)
            append(tables[t], batch * 10, 10, false, "2025-01-15T09:00:00.000Z");
    char *out = NULL;
    assert_int_equal(cli(&out, "checkpoints create cp-w --type Manual"), 0);
    free(out);
    for (int t = 0; t < 3; t++)
        append(tables[t], 100, 3, false, "2025-01-16T09:00:00.000Z");

    struct interloper *k = calloc(1, sizeof *k);
    assert_non_null(k);
    k->base.ops = &interloper_ops;
    k->base.caps = lr_store_caps(store);
    k->base.display_uri = lr_strdup(lake);
    k->inner = store;
    k->watch = "Tables/contact/_delta_log/";
    struct lr_lakehouse_ctx ctx = {&k->base, NULL, NULL, "e2e-test", NULL, 0};
    struct lr_risk_thresholds th;
    lr_risk_thresholds_default(&th);
    struct lr_rollback_config cfg = {0};
    cfg.thresholds = &th;
    cfg.parallel = 1;
    struct lr_rollback_request req = {"cp-w", NULL, 0, false, NULL, false, NULL};
    struct lr_run_result res;
    struct lr_error err;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_int_equal(res.status, LR_RUN_DRY_RUN);
    char *phrase = lr_strdup(res.impact.confirmation_phrase);
    lr_run_result_free(&res);
    assert_false(k->has_fired); /* a dry run creates no commit in contact */
    int64_t contact_before = version_of("contact");

    req.execute = true;
    req.confirm = phrase;
    assert_int_equal(lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err), 0);
    assert_true(k->has_fired);
    assert_int_equal(res.status, LR_RUN_PARTIAL);
    char run_id[64];
    snprintf(run_id, sizeof run_id, "%s", res.run_id);
    for (size_t i = 0; i < res.table_count; i++) {
        const struct lr_table_result *r = &res.tables[i];
        if (strcmp(r->name, "contact") == 0) {
            assert_int_equal(r->state, LR_TABLE_SKIPPED);
            assert_non_null(strstr(r->error, "changed since the impact analysis"));
            assert_int_equal(r->version_written, -1);
        } else {
            assert_int_equal(r->state, LR_TABLE_DONE);
            assert_true(r->has_validation && r->validation.passed);
        }
    }
    lr_run_result_free(&res);
    free(phrase);

    /* The writer's commit is the latest of contact and nothing was written over it. */
    struct lr_delta_snapshot c = snap_of("contact");
    assert_int_equal(c.version, contact_before + 1);
    assert_string_equal(json_string_value(json_object_get(c.commit_info, "operation")),
                        "WRITE");
    assert_int_equal(c.num_records, 25);
    lr_delta_snapshot_free(&c);
    struct lr_delta_snapshot a = snap_of("account");
    assert_int_equal(a.num_records, 20);
    lr_delta_snapshot_free(&a);

    /* The trail says so: the run is partial and contact is skipped with the reason. */
    assert_int_equal(cli(&out, "runs show %s --json", run_id), 0);
    json_t *shown = lr_test_json(out);
    free(out);
    assert_string_equal(json_string_value(json_object_get(shown, "status")), "partial");
    size_t i;
    json_t *e;
    bool seen = false;
    json_array_foreach(json_object_get(shown, "tables"), i, e) {
        if (strcmp(json_string_value(json_object_get(e, "name")), "contact") == 0) {
            seen = true;
            assert_string_equal(json_string_value(json_object_get(e, "state")), "skipped");
        }
    }
    assert_true(seen);
    json_decref(shown);
    assert_int_equal(count_ops("RollbackPartial"), 1);
    k->base.ops->destroy(&k->base);
    close_lakehouse();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_e2e_checkpoint_bad_sync_dry_run_refusals_execute),
        cmocka_unit_test(test_e2e_writer_appending_during_the_run_is_never_undone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

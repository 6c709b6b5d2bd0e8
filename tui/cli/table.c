/* table.c - `lakerewind table show|history|restore URI ...`: one Delta table from the command
 * line. Opens the store at the table root (local path, file:// or a store URI) with prefix "".
 * JSON shapes are the ones in docs/product.md ("Shapes scripts rely on"). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "lakerewind/delta.h"
#include "lakerewind/identity.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

struct table_args {
    const struct tui_global *g;
    const char *uri;
    int64_t version;     /* -1 = not given */
    const char *timestamp;
    size_t limit;
    bool files;
    bool json;
    bool execute;
    bool ignore_missing;
    bool allow_append_only;
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: lakerewind table show URI [--version N | --timestamp TS] [--files] [--json]\n"
            "       lakerewind table history URI [--limit N] [--json]\n"
            "       lakerewind table restore URI (--version N | --timestamp TS) [--execute] "
            "[--json]\n"
            "                              [--ignore-missing-files] [--allow-append-only]\n"
            "  URI: the table root (a folder holding _delta_log/, file://..., or a store URI)\n"
            "  TS:  2025-01-15T10:00:00Z, 2025-01-15 10:00:00 (UTC), or epoch milliseconds\n");
}

static int parse_args(int argc, char **argv, struct table_args *a)
{
    static const struct option opts[] = {
        {"version", required_argument, NULL, 'v'}, {"timestamp", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},   {"files", no_argument, NULL, 'f'},
        {"json", no_argument, NULL, 'j'},          {"execute", no_argument, NULL, 'x'},
        {"ignore-missing-files", no_argument, NULL, 'i'},
        {"allow-append-only", no_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->version = -1;
    a->limit = 50;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'v':
            if (!lr_parse_int64(optarg, &a->version) || a->version < 0) {
                fprintf(stderr, "lakerewind table: --version needs a version number, got "
                        "\"%s\"\n", optarg);
                return -1;
            }
            break;
        case 't': a->timestamp = optarg; break;
        case 'l': {
            int64_t n;
            if (!lr_parse_int64(optarg, &n) || n <= 0) {
                fprintf(stderr, "lakerewind table: --limit needs a positive number\n");
                return -1;
            }
            a->limit = (size_t)n;
            break;
        }
        case 'f': a->files = true; break;
        case 'j': a->json = true; break;
        case 'x': a->execute = true; break;
        case 'i': a->ignore_missing = true; break;
        case 'a': a->allow_append_only = true; break;
        case 'h': usage(stdout); return 1;
        default:
            fprintf(stderr, "lakerewind table: unknown option %s\n", argv[optind - 1]);
            return -1;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "lakerewind table: expected exactly one table URI\n");
        return -1;
    }
    a->uri = argv[optind];
    if (a->version >= 0 && a->timestamp) {
        fprintf(stderr, "lakerewind table: give --version or --timestamp, not both\n");
        return -1;
    }
    return 0;
}

struct opened {
    struct lr_store *store;
    struct lr_delta_table *table;
};

static int open_table(struct opened *o, const struct table_args *a, struct lr_error *err)
{
    memset(o, 0, sizeof *o);
    int rc = tui_open_store(a->g, a->uri, &o->store, err);
    if (rc < 0)
        return rc;
    rc = lr_delta_table_open(&o->table, o->store, "", err);
    if (rc < 0) {
        lr_store_close(o->store);
        o->store = NULL;
    }
    return rc;
}

static void close_table(struct opened *o)
{
    lr_delta_table_close(o->table);
    lr_store_close(o->store);
}

static json_t *json_int_or_null(int64_t v)
{
    return v < 0 ? json_null() : json_integer(v);
}

static json_t *json_ts_or_null(int64_t ms)
{
    if (ms < 0)
        return json_null();
    char buf[40];
    lr_delta_format_timestamp(ms, buf, sizeof buf);
    return json_string(buf);
}

static json_t *strvec_json(const struct lr_strvec *v)
{
    json_t *a = json_array();
    for (size_t i = 0; i < v->count; i++)
        json_array_append_new(a, json_string(v->items[i]));
    return a;
}

static json_t *snapshot_json(const struct lr_delta_snapshot *s, bool files)
{
    json_t *o = json_object();
    json_object_set_new(o, "version", json_integer(s->version));
    json_object_set_new(o, "timestamp", json_ts_or_null(s->timestamp_ms));
    json_object_set_new(o, "num_files", json_integer((json_int_t)s->num_files));
    json_object_set_new(o, "size_bytes", json_integer(s->size_bytes));
    json_object_set_new(o, "num_records", json_int_or_null(s->num_records));
    json_t *p = json_object();
    json_object_set_new(p, "min_reader_version", json_integer(s->protocol.min_reader_version));
    json_object_set_new(p, "min_writer_version", json_integer(s->protocol.min_writer_version));
    json_object_set_new(p, "reader_features", strvec_json(&s->protocol.reader_features));
    json_object_set_new(p, "writer_features", strvec_json(&s->protocol.writer_features));
    json_object_set_new(o, "protocol", p);
    json_t *m = json_object();
    json_object_set_new(m, "id", json_string(s->metadata_id));
    json_object_set(m, "partition_columns", s->partition_columns);
    json_object_set(m, "configuration", s->configuration);
    json_object_set_new(m, "schema_string",
                        s->schema_string ? json_string(s->schema_string) : json_null());
    json_object_set_new(o, "metadata", m);
    if (files) {
        json_t *arr = json_array();
        for (size_t i = 0; i < s->num_files; i++) {
            const struct lr_delta_file *f = s->files[i];
            json_t *fo = json_object();
            json_object_set_new(fo, "path", json_string(f->path));
            json_object_set_new(fo, "size", json_integer(f->size));
            json_object_set_new(fo, "num_records", json_int_or_null(lr_delta_file_rows(f)));
            json_t *pv = lr_delta_file_partition_values(f);
            json_object_set_new(fo, "partition_values", lr_delta_snapshot_partition_values(s, pv));
            json_decref(pv);
            json_t *dv = lr_delta_file_dv_id(f) ? lr_delta_file_field(f, "deletionVector") : NULL;
            json_object_set_new(fo, "deletion_vector", dv ? dv : json_null());
            json_array_append_new(arr, fo);
        }
        json_object_set_new(o, "files", arr);
    }
    return o;
}

static int print_json(json_t *o)
{
    char *text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!text) {
        fprintf(stderr, "lakerewind: out of memory\n");
        return TUI_EXIT_ERROR;
    }
    puts(text);
    free(text);
    return TUI_EXIT_OK;
}

static int fail(const struct lr_error *err)
{
    fprintf(stderr, "lakerewind: %s\n", err->message);
    return err->code == LR_EREFUSED ? TUI_EXIT_REFUSED : TUI_EXIT_ERROR;
}

/* Resolve --version / --timestamp into a version (-1 = latest). */
static int resolve_version(struct opened *o, const struct table_args *a, bool allow_latest,
                           int64_t *out, int64_t *ts_out, struct lr_error *err)
{
    *out = a->version;
    *ts_out = -1;
    if (!a->timestamp)
        return 0;
    int64_t ms;
    int rc = lr_delta_parse_timestamp(a->timestamp, &ms, err);
    if (rc < 0)
        return rc;
    *ts_out = ms;
    return lr_delta_version_at(o->table, ms, allow_latest, out, err);
}

static void print_snapshot_text(const struct lr_delta_snapshot *s, bool files)
{
    char ts[40] = "unknown";
    if (s->timestamp_ms >= 0)
        lr_delta_format_timestamp(s->timestamp_ms, ts, sizeof ts);
    printf("version      %" PRId64 "  (%s)\n", s->version, ts);
    printf("files        %zu  (%" PRId64 " bytes)\n", s->num_files, s->size_bytes);
    if (s->num_records >= 0)
        printf("records      %" PRId64 "\n", s->num_records);
    else
        printf("records      unknown (some files have no statistics)\n");
    printf("protocol     reader %d, writer %d", s->protocol.min_reader_version,
           s->protocol.min_writer_version);
    for (size_t i = 0; i < s->protocol.writer_features.count; i++)
        printf("%s%s", i ? ", " : "  features: ", s->protocol.writer_features.items[i]);
    printf("\nid           %s\n", s->metadata_id);
    printf("partitions   ");
    size_t i;
    json_t *c;
    if (json_array_size(s->partition_columns) == 0)
        printf("(none)");
    json_array_foreach(s->partition_columns, i, c)
        printf("%s%s", i ? ", " : "", json_string_value(c));
    printf("\n");
    if (s->checkpoint_version >= 0)
        printf("checkpoint   %" PRId64 "\n", s->checkpoint_version);
    if (files) {
        for (size_t k = 0; k < s->num_files; k++) {
            const struct lr_delta_file *f = s->files[k];
            int64_t rows = lr_delta_file_rows(f);
            char rbuf[24] = "?";
            if (rows >= 0)
                snprintf(rbuf, sizeof rbuf, "%" PRId64, rows);
            printf("  %12" PRId64 " B  %10s rows  %s%s\n", f->size, rbuf, f->path,
                   lr_delta_file_dv_id(f) ? "  (deletion vector)" : "");
        }
    }
}

static int cmd_show(const struct table_args *a)
{
    struct lr_error err;
    lr_error_clear(&err);
    struct opened o;
    struct lr_delta_snapshot s;
    memset(&s, 0, sizeof s);
    int ret = TUI_EXIT_ERROR;
    if (open_table(&o, a, &err) < 0)
        return fail(&err);
    int64_t v, ts;
    if (resolve_version(&o, a, false, &v, &ts, &err) < 0 ||
        lr_delta_snapshot_open(&s, o.table, v, &err) < 0) {
        ret = fail(&err);
        goto done;
    }
    if (a->json) {
        ret = print_json(snapshot_json(&s, a->files));
    } else {
        print_snapshot_text(&s, a->files);
        struct lr_delta_retention r;
        if (lr_delta_retention_check(o.table, s.version, &s, 0, &r, &err) == 0) {
            char until[40] = "unknown";
            if (r.log_expires_ms >= 0)
                lr_delta_format_timestamp(r.log_expires_ms, until, sizeof until);
            printf("retention    log: reconstructable (earliest version %" PRId64 "), kept at "
                   "least until %s (delta.logRetentionDuration %" PRId64 " h)\n",
                   r.earliest_reconstructable, r.log_expires_ms >= 0 ? until : "forever",
                   r.log_retention_ms / 3600000);
            if (r.missing_files > 0)
                printf("             files: %zu of this version's files are gone (%" PRIu64
                       " bytes), e.g. %s\n", r.missing_files, r.missing_bytes,
                       r.missing_paths.count ? r.missing_paths.items[0] : "?");
            else if (r.outside_files == 0)
                printf("             files: all present\n");
            if (r.outside_files > 0)
                printf("             files: %zu named outside the table root (absolute URI), "
                       "not checked, e.g. %s\n", r.outside_files, r.outside_paths.items[0]);
            if (r.beyond_deleted_file_retention)
                printf("             older than delta.deletedFileRetentionDuration (%" PRId64
                       " h): VACUUM may remove its files\n",
                       r.deleted_file_retention_ms / 3600000);
            lr_delta_retention_free(&r);
        }
        ret = TUI_EXIT_OK;
    }
done:
    lr_delta_snapshot_free(&s);
    close_table(&o);
    return ret;
}

static int cmd_history(const struct table_args *a)
{
    struct lr_error err;
    lr_error_clear(&err);
    struct opened o;
    struct lr_delta_history h;
    memset(&h, 0, sizeof h);
    int ret = TUI_EXIT_ERROR;
    if (open_table(&o, a, &err) < 0)
        return fail(&err);
    if (lr_delta_history_read(o.table, -1, a->limit, &h, &err) < 0) {
        ret = fail(&err);
        goto done;
    }
    if (a->json) {
        json_t *arr = json_array();
        for (size_t i = 0; i < h.count; i++) {
            const struct lr_delta_history_entry *e = &h.entries[i];
            json_t *x = json_object();
            json_object_set_new(x, "version", json_integer(e->version));
            json_object_set_new(x, "timestamp", json_ts_or_null(e->timestamp_ms));
            json_object_set_new(x, "operation",
                                e->operation ? json_string(e->operation) : json_null());
            json_t *ci = e->commit_info;
            json_t *params = json_object_get(ci, "operationParameters");
            json_t *metrics = json_object_get(ci, "operationMetrics");
            const char *engine = ci ? json_string_value(json_object_get(ci, "engineInfo")) : NULL;
            const char *user = ci ? json_string_value(json_object_get(ci, "userName")) : NULL;
            json_object_set_new(x, "operation_parameters",
                                params ? json_incref(params) : json_object());
            json_object_set_new(x, "operation_metrics",
                                metrics ? json_incref(metrics) : json_object());
            json_object_set_new(x, "engine_info", engine ? json_string(engine) : json_null());
            json_object_set_new(x, "user_name", user ? json_string(user) : json_null());
            json_object_set_new(x, "commit_info", ci ? json_incref(ci) : json_null());
            json_array_append_new(arr, x);
        }
        ret = print_json(arr);
    } else {
        printf("%-8s %-24s %-20s %s\n", "VERSION", "TIMESTAMP", "OPERATION", "ENGINE");
        for (size_t i = 0; i < h.count; i++) {
            const struct lr_delta_history_entry *e = &h.entries[i];
            char ts[40] = "unknown";
            if (e->timestamp_ms >= 0)
                lr_delta_format_timestamp(e->timestamp_ms, ts, sizeof ts);
            const char *engine = e->commit_info
                ? json_string_value(json_object_get(e->commit_info, "engineInfo")) : NULL;
            printf("%-8" PRId64 " %-24s %-20s %s\n", e->version, ts,
                   e->operation ? e->operation : "-", engine ? engine : "-");
        }
        if (h.next_before >= 0)
            printf("(older commits exist: raise --limit)\n");
        ret = TUI_EXIT_OK;
    }
done:
    lr_delta_history_free(&h);
    close_table(&o);
    return ret;
}

static json_t *plan_json(const struct lr_delta_restore_plan *p, const char *run_id, bool dry,
                         int64_t written)
{
    json_t *o = json_object();
    json_object_set_new(o, "run_id", json_string(run_id));
    json_object_set_new(o, "dry_run", json_boolean(dry));
    json_object_set_new(o, "current_version", json_integer(p->read_version));
    json_object_set_new(o, "target_version", json_integer(p->target_version));
    json_object_set_new(o, "files_to_add", json_integer(p->num_restored_files));
    json_object_set_new(o, "files_to_remove", json_integer(p->num_removed_files));
    json_object_set_new(o, "bytes_to_add", json_integer(p->restored_bytes));
    json_object_set_new(o, "bytes_to_remove", json_integer(p->removed_bytes));
    json_object_set_new(o, "rows_before", json_int_or_null(p->rows_before));
    json_object_set_new(o, "rows_after", json_int_or_null(p->rows_after));
    json_object_set_new(o, "rows_added", json_int_or_null(p->rows_added));
    json_object_set_new(o, "rows_removed", json_int_or_null(p->rows_removed));
    json_object_set(o, "metrics", p->metrics);
    json_t *r = json_array();
    for (size_t i = 0; i < p->refusal_count; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "kind", json_string(p->refusals[i].kind));
        json_object_set_new(x, "message", json_string(p->refusals[i].message));
        json_array_append_new(r, x);
    }
    json_object_set_new(o, "refusals", r);
    json_object_set_new(o, "warnings", strvec_json(&p->warnings));
    json_object_set_new(o, "version_written", json_int_or_null(written));
    return o;
}

static void plan_text(const struct lr_delta_restore_plan *p, bool dry)
{
    printf("restore plan: version %" PRId64 " -> %" PRId64 "%s\n", p->read_version,
           p->target_version, dry ? " (dry run: nothing is written; add --execute)" : "");
    printf("  files to add back  %" PRId64 "  (%" PRId64 " bytes)\n", p->num_restored_files,
           p->restored_bytes);
    printf("  files to remove    %" PRId64 "  (%" PRId64 " bytes)\n", p->num_removed_files,
           p->removed_bytes);
    printf("  files after        %" PRId64 "  (%" PRId64 " bytes)\n", p->files_after,
           p->bytes_after);
    if (p->rows_before >= 0 && p->rows_after >= 0)
        printf("  rows               %" PRId64 " -> %" PRId64 "\n", p->rows_before,
               p->rows_after);
    else
        printf("  rows               unknown (files without statistics)\n");
    for (size_t i = 0; i < p->warnings.count; i++)
        printf("  warning: %s\n", p->warnings.items[i]);
    for (size_t i = 0; i < p->refusal_count; i++)
        printf("  REFUSED (%s): %s\n", p->refusals[i].kind, p->refusals[i].message);
}

static int cmd_restore(const struct table_args *a)
{
    struct lr_error err;
    lr_error_clear(&err);
    struct opened o;
    struct lr_delta_restore_plan plan;
    memset(&plan, 0, sizeof plan);
    int ret = TUI_EXIT_ERROR;
    if (a->version < 0 && !a->timestamp) {
        fprintf(stderr, "lakerewind table restore: give --version N or --timestamp TS\n");
        return TUI_EXIT_USAGE;
    }
    if (open_table(&o, a, &err) < 0)
        return fail(&err);
    int64_t v, ts;
    char run_id[40];
    if (resolve_version(&o, a, true, &v, &ts, &err) < 0 ||
        lr_delta_new_run_id(run_id, sizeof run_id, &err) < 0) {
        ret = fail(&err);
        goto done;
    }
    struct lr_delta_restore_options ro = {0};
    ro.ignore_missing_files = a->ignore_missing;
    ro.allow_append_only = a->allow_append_only;
    ro.by_timestamp = a->timestamp != NULL;
    ro.target_timestamp_ms = ts;
    if (lr_delta_restore_plan_make(&plan, o.table, v, &ro, &err) < 0) {
        ret = fail(&err);
        goto done;
    }
    bool nothing = plan.refusal_count == 1 && strcmp(plan.refusals[0].kind, "nothing-to-do") == 0;
    int64_t written = -1;
    if (a->execute && plan.refusal_count == 0) {
        struct lr_delta_commit_options co = {0};
        /* The same operator as the workflow's audit rows: the credential's identity, else
         * the profile's operator, else the login name. */
        char *token_identity = NULL;
        struct lr_error ierr;
        if (lr_store_identity(o.store, &token_identity, &ierr) < 0)
            token_identity = NULL;
        char login[128];
        const struct lr_profile *p = a->g->settings ? &a->g->settings->profile : NULL;
        struct lr_identity_inputs in = {token_identity, p ? p->operator_name : NULL,
                                        lr_login_name(login, sizeof login)};
        char user[256];
        snprintf(user, sizeof user, "%s", lr_operator_resolve(&in, NULL));
        free(token_identity);
        co.operator_name = user;
        co.run_id = run_id;
        co.write_checkpoint = true;
        int rc = lr_delta_restore_commit(o.table, &plan, &co, &written, &err);
        if (rc < 0 && written < 0) {
            ret = fail(&err);
            goto done;
        }
        if (rc < 0)
            fprintf(stderr, "lakerewind: warning: %s\n", err.message);
    }
    if (a->json) {
        print_json(plan_json(&plan, run_id, !a->execute, written));
    } else {
        plan_text(&plan, !a->execute);
        if (written >= 0)
            printf("restored: wrote version %" PRId64 " (run %s)\n", written, run_id);
    }
    if (nothing)
        ret = TUI_EXIT_OK;
    else if (plan.refusal_count > 0)
        ret = TUI_EXIT_REFUSED;
    else
        ret = a->execute ? TUI_EXIT_OK : TUI_EXIT_DRY_RUN;
done:
    lr_delta_restore_plan_free(&plan);
    close_table(&o);
    return ret;
}

int tui_cmd_table(int argc, char **argv, const struct tui_global *g)
{
    if (argc < 2) {
        usage(stderr);
        return TUI_EXIT_USAGE;
    }
    const char *sub = argv[1];
    struct table_args a;
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc != 0)
        return rc > 0 ? TUI_EXIT_OK : (usage(stderr), TUI_EXIT_USAGE);
    a.g = g;
    if (strcmp(sub, "show") == 0)
        return cmd_show(&a);
    if (strcmp(sub, "history") == 0)
        return cmd_history(&a);
    if (strcmp(sub, "restore") == 0)
        return cmd_restore(&a);
    fprintf(stderr, "lakerewind table: unknown subcommand '%s'\n", sub);
    usage(stderr);
    return TUI_EXIT_USAGE;
}

/* test_checkpoint_list.c - `checkpoints list` filters (type, active/inactive, status, date
 * range, table; text and JSON), bad filter values refused as usage errors, and the retention
 * warnings through the CLI: short-retention flags at create with the exact property, a dated
 * file-retention warning once a later commit removed a checkpoint file, files-missing once it
 * is vacuumed, and the expiry warning of a one-day checkpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static char *lake;
static struct lr_store *store;

static void append(const char *table, int first, int n)
{
    char *prefix = lr_asprintf("Tables/%s", table);
    lr_test_append_id_rows(store, prefix, first, n);
    free(prefix);
}

/* A commit that changes only the table's configuration (as ALTER TABLE SET TBLPROPERTIES). */
static void set_properties(const char *table, const char *k1, const char *v1, const char *k2,
                           const char *v2)
{
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot s;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&s, t, -1, &err), 0);
    json_t *meta = json_deep_copy(s.metadata);
    json_t *conf = json_object_get(meta, "configuration");
    json_object_set_new(conf, k1, json_string(v1));
    json_object_set_new(conf, k2, json_string(v2));
    json_t *m = json_pack("{s:o}", "metaData", meta);
    char *line = json_dumps(m, JSON_COMPACT);
    char *text = lr_asprintf("{\"commitInfo\":{\"timestamp\":%lld,\"operation\":\"SET "
                             "TBLPROPERTIES\"}}\n%s\n",
                             (long long)time(NULL) * 1000, line);
    char *key = lr_asprintf("%s/_delta_log/%020lld.json", prefix, (long long)s.version + 1);
    assert_int_equal(lr_store_put_if_absent(store, key, text, strlen(text), &err), 0);
    free(key);
    free(text);
    free(line);
    json_decref(m);
    lr_delta_snapshot_free(&s);
    lr_delta_table_close(t);
    free(prefix);
}

static int cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli(char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME=%s/no-config '%s' --lakehouse '%s' %s 2>&1",
             lake, getenv("LR_BIN"), lake, args);
    return lr_test_run(cmd, out);
}

static json_t *cli_json(int want_rc, const char *args)
{
    char *out = NULL;
    int rc = cli(&out, "%s", args);
    if (rc != want_rc)
        fail_msg("%s: exit %d, wanted %d: %s", args, rc, want_rc, out);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    if (!j)
        fail_msg("%s: not JSON: %s", args, out);
    free(out);
    return j;
}

/* The names in a `checkpoints list --json` array, comma-joined in order. */
static void names_of(json_t *arr, char *buf, size_t cap)
{
    buf[0] = '\0';
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        size_t used = strlen(buf);
        snprintf(buf + used, cap - used, "%s%s", i ? "," : "",
                 json_string_value(json_object_get(o, "name")));
    }
}

static void expect_names(const char *filter, const char *want)
{
    char args[512];
    snprintf(args, sizeof args, "checkpoints list --json %s", filter);
    json_t *j = cli_json(0, args);
    char got[1024];
    names_of(j, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("list %s: got [%s], wanted [%s]", filter, got, want);
    json_decref(j);
}

static const json_t *warning_of(json_t *cp, const char *kind, const char *table)
{
    size_t i;
    json_t *w;
    json_array_foreach(json_object_get(cp, "warnings"), i, w) {
        const char *t = json_string_value(json_object_get(w, "table"));
        if (strcmp(json_string_value(json_object_get(w, "kind")), kind) == 0 &&
            (table ? t && strcmp(t, table) == 0 : !t))
            return w;
    }
    return NULL;
}

static void test_list_filters_and_retention_warnings(void **state)
{
    (void)state;
    lake = lr_test_tmpdir("cplist");
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, lake, NULL, &err), 0);
    append("account", 0, 10);
    append("account", 10, 10);
    append("contact", 0, 10);
    /* account keeps removed files 2 days and its log 40 days; contact has the defaults */
    set_properties("account", "delta.deletedFileRetentionDuration", "interval 2 days",
                   "delta.logRetentionDuration", "interval 40 days");

    /* create: the short file retention of both tables is flagged with the property */
    char *out = NULL;
    assert_int_equal(cli(&out, "checkpoints create cp-a --type PreDeployment"), 0);
    assert_non_null(strstr(out, "fix: ALTER TABLE account SET TBLPROPERTIES "
                                "('delta.deletedFileRetentionDuration' = 'interval 30 days')"));
    assert_non_null(strstr(out, "fix: ALTER TABLE contact SET TBLPROPERTIES "
                                "('delta.deletedFileRetentionDuration' = 'interval 30 days')"));
    assert_null(strstr(out, "delta.logRetentionDuration' = ")); /* 40 and 30 days suffice */
    free(out);
    json_t *cp = cli_json(0, "checkpoints create cp-b --type Daily --retention-days 1 --json");
    const json_t *w = warning_of(cp, "expiry", NULL);
    assert_non_null(w);
    assert_true(json_is_true(json_object_get(w, "is_due")));
    assert_null(warning_of(cp, "short-file-retention", "account")); /* 2 days >= 1 day */
    json_decref(cp);
    assert_int_equal(cli(&out, "checkpoints create cp-c --type Manual --tables account"), 0);
    free(out);
    assert_int_equal(cli(&out, "checkpoints deactivate cp-c"), 0);
    free(out);

    /* filters */
    expect_names("", "cp-c,cp-b,cp-a");
    expect_names("--type Daily", "cp-b");
    expect_names("--active", "cp-b,cp-a");
    expect_names("--inactive", "cp-c");
    expect_names("--status Validated", "cp-c,cp-b,cp-a");
    expect_names("--status Failed", "");
    expect_names("--table contact", "cp-b,cp-a");
    expect_names("--table contact --type PreDeployment --active", "cp-a");
    char today[16];
    char tomorrow[16];
    time_t now = time(NULL);
    time_t later = now + 86400;
    strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
    strftime(tomorrow, sizeof tomorrow, "%Y-%m-%d", gmtime(&later));
    char f[128];
    snprintf(f, sizeof f, "--since %s --until %s", today, today);
    expect_names(f, "cp-c,cp-b,cp-a");
    snprintf(f, sizeof f, "--since %s", tomorrow);
    expect_names(f, "");
    snprintf(f, sizeof f, "--until %sT00:00:00Z", today);
    expect_names(f, "");
    assert_int_equal(cli(&out, "checkpoints list --type Daily"), 0);
    assert_non_null(strstr(out, "cp-b"));
    assert_null(strstr(out, "cp-a"));
    free(out);
    assert_int_equal(cli(&out, "checkpoints list --inactive --table contact"), 0);
    assert_non_null(strstr(out, "no checkpoint matches the filter"));
    free(out);

    /* bad filter values: usage errors naming the problem */
    struct {
        const char *args;
        const char *says;
    } bad[] = {
        {"checkpoints list --status ok", "not one of Pending, Validated, Failed"},
        {"checkpoints list --type Weekly", "not one of Daily"},
        {"checkpoints list --since yesterday", "is not a date"},
        {"checkpoints list --until 2025-02-30x", "is not a date"},
        {"checkpoints list --since 2025-02-02 --until 2025-02-01", "--since is after --until"},
        {"checkpoints list --active --inactive", "exclude each other"},
        {"checkpoints list --tables account", "--table NAME"},
        {"checkpoints show cp-a --status Failed", "filters `checkpoints list` only"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = cli(&out, "%s", bad[i].args);
        if (rc != 2 || !strstr(out, bad[i].says))
            fail_msg("%s: exit %d: %s", bad[i].args, rc, out);
        free(out);
    }

    /* a later commit removes a checkpoint file: VACUUM may delete it 2 days later, before
     * cp-a expires, so a dated warning (due: within the 7-day window) with the property */
    char *prefix = lr_asprintf("Tables/account");
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot s;
    assert_int_equal(lr_delta_table_open(&t, store, prefix, &err), 0);
    assert_int_equal(lr_delta_snapshot_open(&s, t, -1, &err), 0);
    const char *path = s.files[0]->path;
    assert_int_equal(lr_table_remove_files(store, prefix, &path, 1, NULL, NULL, &err), 0);
    cp = cli_json(0, "checkpoints show cp-a --json");
    w = warning_of(cp, "file-retention", "account");
    assert_non_null(w);
    assert_true(json_is_true(json_object_get(w, "is_due")));
    assert_true(json_is_false(json_object_get(w, "has_happened")));
    assert_non_null(json_string_value(json_object_get(w, "when")));
    assert_non_null(strstr(json_string_value(json_object_get(w, "fix")),
                           "'delta.deletedFileRetentionDuration' = 'interval 30 days'"));
    assert_null(warning_of(cp, "short-file-retention", "account"));
    assert_non_null(warning_of(cp, "short-file-retention", "contact"));
    json_decref(cp);
    assert_int_equal(cli(&out, "checkpoints list"), 0);
    assert_non_null(strstr(out, "! cp-a"));
    assert_non_null(strstr(out, "! account: files of version"));
    free(out);

    /* ... and once it is vacuumed, the checkpoint says the files are gone */
    char *key = lr_path_join(prefix, path);
    assert_int_equal(lr_store_delete(store, key, &err), 0);
    free(key);
    cp = cli_json(0, "checkpoints show cp-a --json");
    w = warning_of(cp, "files-missing", "account");
    assert_non_null(w);
    assert_true(json_is_true(json_object_get(w, "has_happened")));
    json_decref(cp);
    assert_int_equal(cli(&out, "checkpoints show cp-a"), 0);
    assert_non_null(strstr(out, "account: 1 file of version"));
    free(out);

    /* the inactive checkpoint is not checked */
    cp = cli_json(0, "checkpoints show cp-c --json");
    assert_int_equal(json_array_size(json_object_get(cp, "warnings")), 0);
    json_decref(cp);

    lr_delta_snapshot_free(&s);
    lr_delta_table_close(t);
    free(prefix);
    lr_store_close(store);
    free(lake);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_filters_and_retention_warnings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

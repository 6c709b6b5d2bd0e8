/* test_cp_warnings.c - the pure parts of checkpoint health: list filters and their values, and
 * the expiry / log / file retention warnings built from table facts (checkpoint_health.h). */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint_health.h"
#include "testsupport.h"

#define DAY (86400000LL)
#define NOW (1764000000000LL) /* 2025-11-24T16:00:00Z */

static struct lr_checkpoint_table tables[] = {
    {"account", 41, -1, 10, 1, 1},
    {"contact", 7, -1, 10, 1, 1},
};

static struct lr_checkpoint make(const char *name, const char *type, bool active,
                                 const char *status, int64_t created, int64_t days)
{
    struct lr_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    cp.name = (char *)name;
    cp.type = (char *)type;
    cp.is_active = active;
    cp.validation_status = (char *)status;
    cp.created_ms = created;
    cp.retention_days = days;
    cp.expiry_ms = created + days * DAY;
    cp.tables = tables;
    cp.table_count = 2;
    return cp;
}

static void test_filter_values_are_checked(void **state)
{
    (void)state;
    struct lr_error err;
    int64_t ms = 0;
    assert_int_equal(lr_checkpoint_status_check("Validated", &err), 0);
    assert_int_equal(lr_checkpoint_status_check("validated", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "Pending, Validated, Failed"));
    assert_int_equal(lr_checkpoint_parse_date("2025-01-15", false, &ms, &err), 0);
    assert_int_equal(ms, 1736899200000LL);
    assert_int_equal(lr_checkpoint_parse_date("2025-01-15", true, &ms, &err), 0);
    assert_int_equal(ms, 1736899200000LL + DAY - 1);
    assert_int_equal(lr_checkpoint_parse_date("2025-01-15T10:00:00Z", true, &ms, &err), 0);
    assert_int_equal(ms, 1736899200000LL + 10 * 3600000LL);
    assert_int_equal(lr_checkpoint_parse_date("1736899200000", false, &ms, &err), LR_EINVAL);
    assert_int_equal(lr_checkpoint_parse_date("yesterday", false, &ms, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "2025-01-15T10:00:00Z"));
    struct lr_checkpoint_filter f;
    lr_checkpoint_filter_init(&f);
    f.type = "Weekly";
    assert_int_equal(lr_checkpoint_filter_check(&f, &err), LR_EINVAL);
    lr_checkpoint_filter_init(&f);
    f.since_ms = 10;
    f.until_ms = 5;
    assert_int_equal(lr_checkpoint_filter_check(&f, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "--since is after --until"));
}

static void test_filter_keeps_matching_checkpoints(void **state)
{
    (void)state;
    struct lr_checkpoint a = make("a", "Daily", true, "Validated", NOW - 3 * DAY, 7);
    struct lr_checkpoint b = make("b", "Manual", false, "Failed", NOW - DAY, 30);
    struct lr_checkpoint_filter f;
    lr_checkpoint_filter_init(&f);
    assert_true(lr_checkpoint_filter_match(&f, &a));
    f.type = "Daily";
    assert_true(lr_checkpoint_filter_match(&f, &a));
    assert_false(lr_checkpoint_filter_match(&f, &b));
    lr_checkpoint_filter_init(&f);
    f.is_active = 0;
    assert_false(lr_checkpoint_filter_match(&f, &a));
    assert_true(lr_checkpoint_filter_match(&f, &b));
    lr_checkpoint_filter_init(&f);
    f.status = "Failed";
    assert_true(lr_checkpoint_filter_match(&f, &b));
    assert_false(lr_checkpoint_filter_match(&f, &a));
    lr_checkpoint_filter_init(&f);
    f.since_ms = NOW - 2 * DAY;
    assert_false(lr_checkpoint_filter_match(&f, &a));
    assert_true(lr_checkpoint_filter_match(&f, &b));
    f.until_ms = NOW - DAY - 1;
    assert_false(lr_checkpoint_filter_match(&f, &b));
    lr_checkpoint_filter_init(&f);
    f.table = "contact";
    assert_true(lr_checkpoint_filter_match(&f, &a));
    f.table = "lead";
    assert_false(lr_checkpoint_filter_match(&f, &a));
}

static struct lr_cp_table_retention fact(const char *table, int64_t version, int64_t ts)
{
    struct lr_cp_table_retention f;
    memset(&f, 0, sizeof f);
    f.table = table;
    f.version = version;
    f.is_reconstructable = true;
    f.version_timestamp_ms = ts;
    f.log_retention_ms = 30 * DAY;
    f.file_retention_ms = 7 * DAY;
    f.first_removal_ms = -1;
    return f;
}

static const struct lr_cp_warning *find(const struct lr_cp_warnings *w,
                                        enum lr_cp_warning_kind k, const char *table)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->items[i].kind == k &&
            (table ? w->items[i].table && strcmp(w->items[i].table, table) == 0
                   : !w->items[i].table))
            return &w->items[i];
    return NULL;
}

static void test_expiry_within_window_and_expired(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_cp_warnings w = {0};
    struct lr_checkpoint cp = make("d", "Daily", true, "Validated", NOW - 2 * DAY, 7);
    struct lr_cp_table_retention f[2] = {fact("account", 41, NOW - 2 * DAY),
                                         fact("contact", 7, NOW - 2 * DAY)};
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    const struct lr_cp_warning *x = find(&w, LR_CPW_EXPIRY, NULL);
    assert_non_null(x);
    assert_false(x->has_happened);
    assert_true(x->is_due);
    assert_int_equal(x->when_ms, NOW + 5 * DAY);
    assert_non_null(strstr(x->message, "in 5 days"));
    assert_null(find(&w, LR_CPW_SHORT_FILE_RETENTION, "account")); /* 7 days >= 7 days */
    lr_cp_warnings_free(&w);

    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 2 * DAY, &err), 0);
    assert_null(find(&w, LR_CPW_EXPIRY, NULL)); /* outside a 2-day window */
    lr_cp_warnings_free(&w);

    cp = make("old", "Daily", true, "Validated", NOW - 9 * DAY, 7);
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    x = find(&w, LR_CPW_EXPIRY, NULL);
    assert_non_null(x);
    assert_true(x->has_happened);
    lr_cp_warnings_free(&w);

    cp.is_active = false; /* inactive: nothing */
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    assert_int_equal(w.count, 0);
}

static void test_short_retention_flags_name_the_property(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_cp_warnings w = {0};
    struct lr_checkpoint cp = make("pre", "PreDeployment", true, "Validated", NOW, 30);
    struct lr_cp_table_retention f[2] = {fact("account", 41, NOW), fact("dbo/contact", 7, NOW)};
    f[1].log_retention_ms = 60 * DAY;
    f[1].file_retention_ms = 30 * DAY;
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    const struct lr_cp_warning *x = find(&w, LR_CPW_SHORT_FILE_RETENTION, "account");
    assert_non_null(x);
    assert_false(x->is_due);
    assert_string_equal(x->fix, "ALTER TABLE account SET TBLPROPERTIES "
                                "('delta.deletedFileRetentionDuration' = 'interval 30 days')");
    assert_non_null(strstr(x->alternative, "--retention-days 7"));
    assert_null(find(&w, LR_CPW_SHORT_FILE_RETENTION, "dbo/contact"));
    assert_null(find(&w, LR_CPW_SHORT_LOG_RETENTION, "dbo/contact"));
    lr_cp_warnings_free(&w);

    char *s = lr_cp_property_statement("dbo/contact", "delta.logRetentionDuration", 45);
    assert_string_equal(s, "ALTER TABLE dbo.contact SET TBLPROPERTIES "
                           "('delta.logRetentionDuration' = 'interval 45 days')");
    free(s);
}

static void test_dated_log_and_file_retention(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_cp_warnings w = {0};
    struct lr_checkpoint cp = make("pre", "PreDeployment", true, "Validated", NOW - DAY, 30);
    /* account: its version is 10 days older than the checkpoint; files removed a day ago */
    struct lr_cp_table_retention f[2] = {fact("account", 41, NOW - 11 * DAY),
                                         fact("contact", 7, NOW - DAY)};
    f[0].first_removal_ms = NOW - DAY;
    f[1].log_retention_ms = 14 * DAY;
    f[1].is_log_cleanup_off = true; /* no log expiry at all */
    f[1].file_retention_ms = 60 * DAY;
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    const struct lr_cp_warning *x = find(&w, LR_CPW_LOG_RETENTION, "account");
    assert_non_null(x);
    /* the midnight after version time + 30 days, before the expiry (created + 30 days) */
    int64_t exp = NOW - 11 * DAY + 30 * DAY;
    exp += DAY - exp % DAY;
    assert_int_equal(x->when_ms, exp);
    assert_false(x->is_due);
    assert_non_null(strstr(x->fix, "'delta.logRetentionDuration' = 'interval 40 days'"));
    assert_null(find(&w, LR_CPW_SHORT_LOG_RETENTION, "account"));
    x = find(&w, LR_CPW_FILE_RETENTION, "account");
    assert_non_null(x);
    assert_int_equal(x->when_ms, NOW + 6 * DAY);
    assert_true(x->is_due);
    assert_false(x->has_happened);
    assert_non_null(strstr(x->fix, "'delta.deletedFileRetentionDuration' = 'interval 30 days'"));
    assert_null(find(&w, LR_CPW_SHORT_FILE_RETENTION, "account"));
    assert_null(find(&w, LR_CPW_LOG_RETENTION, "contact"));
    assert_null(find(&w, LR_CPW_SHORT_LOG_RETENTION, "contact"));
    lr_cp_warnings_free(&w);

    /* already happened: not reconstructable, files gone, tombstones expired */
    f[0].is_reconstructable = false;
    f[1].missing_files = 3;
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    x = find(&w, LR_CPW_LOG_RETENTION, "account");
    assert_true(x->has_happened);
    assert_non_null(strstr(x->message, "can no longer be rebuilt"));
    x = find(&w, LR_CPW_FILES_MISSING, "contact");
    assert_non_null(x);
    assert_true(x->has_happened);
    assert_non_null(strstr(x->message, "3 files of version 7"));
    lr_cp_warnings_free(&w);

    f[0] = fact("account", 41, NOW - DAY);
    f[0].has_old_removal = true;
    f[1].error = "table gone";
    assert_int_equal(lr_cp_warnings_build(&w, &cp, f, 2, NOW, 7 * DAY, &err), 0);
    x = find(&w, LR_CPW_FILE_RETENTION, "account");
    assert_true(x->has_happened);
    assert_int_equal(x->when_ms, -1);
    assert_non_null(find(&w, LR_CPW_UNCHECKED, "contact"));
    json_t *j = lr_cp_warnings_json(&w);
    assert_int_equal(json_array_size(j), w.count);
    assert_string_equal(json_string_value(json_object_get(json_array_get(j, 0), "kind")),
                        lr_cp_warning_kind_name(w.items[0].kind));
    json_decref(j);
    lr_cp_warnings_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_values_are_checked),
        cmocka_unit_test(test_filter_keeps_matching_checkpoints),
        cmocka_unit_test(test_expiry_within_window_and_expired),
        cmocka_unit_test(test_short_retention_flags_name_the_property),
        cmocka_unit_test(test_dated_log_and_file_retention),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_validate.c - post-rollback checks over facts and the quality score formula. */
#include <math.h>
#include <string.h>

#include "lakerewind/validate.h"
#include "testsupport.h"

#define CP_TIME 1736935200000LL

static const char *cp_files[] = {"part-2.parquet", "part-1.parquet", "region=EU/part-3.parquet"};
static const char *schema = "{\"type\":\"struct\",\"fields\":[]}";
static const struct lr_column_fact pks[] = {{"accountid", 0, -1, NULL}};
static const struct lr_column_fact tracking[] = {{"SinkModifiedOn", -1, CP_TIME - 1000, NULL}};

static struct lr_validation_facts good(void)
{
    static const char *live[] = {"part-1.parquet", "region=EU/part-3.parquet",
                                 "part-2.parquet"};
    struct lr_validation_facts f = {0};
    f.record_count = 1000;
    f.checkpoint_record_count = 1000;
    f.live_files = live;
    f.live_file_count = 3;
    f.checkpoint_files = cp_files;
    f.checkpoint_file_count = 3;
    f.has_file_sets = true;
    f.schema_now = "{ \"type\": \"struct\", \"fields\": [] }";
    f.schema_checkpoint = schema;
    f.primary_keys = pks;
    f.primary_key_count = 1;
    f.tracking = tracking;
    f.tracking_count = 1;
    f.checkpoint_time_ms = CP_TIME;
    return f;
}

static const struct lr_validation *find(const struct lr_table_validation *v,
                                        enum lr_validation_type t)
{
    for (size_t i = 0; i < v->count; i++)
        if (v->items[i].type == t)
            return &v->items[i];
    fail_msg("no %s check", lr_validation_type_name(t));
    return NULL;
}

static void test_validate_all_pass_scores_100(void **state)
{
    (void)state;
    struct lr_validation_facts f = good();
    struct lr_table_validation v;
    struct lr_error err;
    assert_int_equal(lr_validate_table(&v, "account", &f, &err), 0);
    assert_int_equal(v.count, 5);
    assert_true(v.passed);
    assert_true(fabs(v.quality_score - 100.0) < 1e-9);
    const struct lr_validation *c = find(&v, LR_VAL_RECORD_COUNT);
    assert_string_equal(c->expected, "1000");
    assert_string_equal(c->actual, "1000");
    assert_string_equal(lr_severity_name(c->severity), "Info");
    const struct lr_validation *t = find(&v, LR_VAL_TRACKING_COLUMN);
    assert_string_equal(t->column, "SinkModifiedOn");
    assert_string_equal(t->expected, "<= 2025-01-15T10:00:00.000Z");
    lr_table_validation_free(&v);
}

static void test_validate_failures_and_score_formula(void **state)
{
    (void)state;
    static const char *live[] = {"part-1.parquet", "part-9.parquet", "part-2.parquet"};
    static const struct lr_column_fact nullpk[] = {{"accountid", 3, -1, NULL}};
    static const struct lr_column_fact newer[] = {{"SinkModifiedOn", -1, CP_TIME + 60000, NULL}};
    struct lr_validation_facts f = good();
    f.record_count = 1002;
    f.live_files = live;
    f.primary_keys = nullpk;
    f.tracking = newer;
    struct lr_table_validation v;
    struct lr_error err;
    assert_int_equal(lr_validate_table(&v, "account", &f, &err), 0);
    assert_false(v.passed);
    /* weights: count 4 (fail), files 4 (fail), schema 4 (pass), pk 2 (fail), tracking 1 (fail) */
    assert_true(fabs(v.quality_score - 100.0 * 4.0 / 15.0) < 1e-9);
    const struct lr_validation *files = find(&v, LR_VAL_FILE_SET);
    assert_false(files->passed);
    assert_string_equal(files->actual, "3 files, 2 differ");
    assert_non_null(strstr(files->details, "1 live file not in the checkpoint version (e.g. "
                                           "part-9.parquet)"));
    assert_non_null(strstr(files->details, "region=EU/part-3.parquet"));
    assert_non_null(strstr(find(&v, LR_VAL_RECORD_COUNT)->details, "difference +2"));
    assert_string_equal(lr_severity_name(find(&v, LR_VAL_RECORD_COUNT)->severity), "Error");
    assert_string_equal(lr_severity_name(find(&v, LR_VAL_TRACKING_COLUMN)->severity), "Warning");
    assert_non_null(strstr(find(&v, LR_VAL_NULL_PRIMARY_KEY)->details, "3 nulls"));
    assert_non_null(strstr(find(&v, LR_VAL_TRACKING_COLUMN)->details, "newer than the "
                                                                      "checkpoint"));
    assert_string_equal(find(&v, LR_VAL_TRACKING_COLUMN)->actual, "2025-01-15T10:01:00.000Z");
    lr_table_validation_free(&v);
}

static void test_validate_unknown_facts_count_half_and_do_not_fail(void **state)
{
    (void)state;
    static const struct lr_column_fact unknown_pk[] = {{"accountid", -1, -1, NULL}};
    struct lr_validation_facts f = good();
    f.record_count = -1;
    f.primary_keys = unknown_pk;
    struct lr_table_validation v;
    struct lr_error err;
    assert_int_equal(lr_validate_table(&v, "account", &f, &err), 0);
    assert_true(v.passed);
    /* 15 total; count (4) and pk (2) half: 100 * (15 - 3) / 15 = 80 */
    assert_true(fabs(v.quality_score - 80.0) < 1e-9);
    const struct lr_validation *c = find(&v, LR_VAL_RECORD_COUNT);
    assert_false(c->is_evaluated);
    assert_false(c->passed);
    assert_string_equal(lr_severity_name(c->severity), "Warning");
    assert_string_equal(c->actual, "unknown");
    lr_table_validation_free(&v);

    struct lr_table_validation two[2];
    f = good();
    assert_int_equal(lr_validate_table(&two[0], "a", &f, &err), 0);
    f.schema_now = "{\"type\":\"struct\",\"fields\":[{\"name\":\"x\"}]}";
    assert_int_equal(lr_validate_table(&two[1], "b", &f, &err), 0);
    assert_false(two[1].passed);
    assert_true(fabs(lr_validation_overall(two, 2) - (100.0 + 100.0 * 11.0 / 15.0) / 2) < 1e-9);
    assert_true(fabs(lr_validation_overall(NULL, 0) - 100.0) < 1e-9);
    lr_table_validation_free(&two[0]);
    lr_table_validation_free(&two[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validate_all_pass_scores_100),
        cmocka_unit_test(test_validate_failures_and_score_formula),
        cmocka_unit_test(test_validate_unknown_facts_count_half_and_do_not_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_risk.c - risk levels and reasons from per-table facts and thresholds. */
#include <string.h>

#include "lakerewind/risk.h"
#include "testsupport.h"

static struct lr_risk_thresholds th;

static int setup(void **state)
{
    (void)state;
    lr_risk_thresholds_default(&th);
    return 0;
}

static struct lr_risk_facts small_change(void)
{
    struct lr_risk_facts f;
    lr_risk_facts_init(&f);
    f.rows_now = 1010;
    f.rows_then = 1000;
    f.rows_to_add = 0;
    f.rows_to_remove = 10;
    f.bytes_to_add = 0;
    f.bytes_to_remove = 4096;
    f.commits_undone = 2;
    f.time_span_ms = 60 * 1000;
    f.missing_files = 0;
    return f;
}

static bool has_reason(const struct lr_risk *r, const char *needle)
{
    for (size_t i = 0; i < r->reasons.count; i++)
        if (strstr(r->reasons.items[i], needle))
            return true;
    return false;
}

static void test_risk_low_when_within_thresholds(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_LOW);
    assert_int_equal(r.reasons.count, 1);
    assert_true(has_reason(&r, "2 commits undone, within every threshold"));
    lr_risk_free(&r);
}

static void test_risk_low_when_already_at_checkpoint(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    f.commits_undone = 0;
    f.rows_to_remove = 0;
    f.rows_now = 1000;
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_LOW);
    assert_true(has_reason(&r, "already at the checkpoint"));
    lr_risk_free(&r);
}

static void test_risk_high_on_row_percentage_with_medium_reasons_after(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    f.rows_now = 1300;
    f.rows_to_remove = 300; /* net 300 of 1000 = 30% */
    f.commits_undone = 16;  /* medium */
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_true(strstr(r.reasons.items[0], "30.0% of rows changed (300 of 1000)") != NULL);
    assert_true(has_reason(&r, "16 commits undone, threshold 10"));
    assert_false(has_reason(&r, "within every threshold"));
    lr_risk_free(&r);
}

static void test_risk_thresholds_are_inclusive_and_configurable(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    f.commits_undone = 10;
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    lr_risk_free(&r);
    f.commits_undone = 9;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_LOW);
    lr_risk_free(&r);
    struct lr_risk_thresholds strict = th;
    strict.high_commits = 5;
    assert_int_equal(lr_risk_score(&r, &f, &strict), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_true(has_reason(&r, "9 commits undone, threshold 5"));
    lr_risk_free(&r);
}

static void test_risk_high_on_blockers_missing_files_append_only(void **state)
{
    (void)state;
    const char *blockers[] = {"version 41 is no longer reconstructable"};
    struct lr_risk_facts f = small_change();
    f.blockers = blockers;
    f.blocker_count = 1;
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_string_equal(r.reasons.items[0], "blocker: version 41 is no longer reconstructable");
    lr_risk_free(&r);

    f = small_change();
    f.missing_files = 3;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_true(has_reason(&r, "3 data files of the checkpoint version missing"));
    lr_risk_free(&r);

    f = small_change();
    f.is_append_only = true;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_true(has_reason(&r, "append-only"));
    lr_risk_free(&r);
}

static void test_risk_schema_change_cdf_and_streaming(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    f.schema_changed = true;
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    lr_risk_free(&r);
    struct lr_risk_thresholds lenient = th;
    lenient.schema_change_is_high = false;
    assert_int_equal(lr_risk_score(&r, &f, &lenient), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    lr_risk_free(&r);

    f = small_change();
    f.has_cdf = true;
    f.has_streaming_readers = true;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    assert_true(has_reason(&r, "change data feed"));
    assert_true(has_reason(&r, "streaming readers"));
    lr_risk_free(&r);
}

static void test_risk_bytes_span_absolute_rows_and_unknown_counts(void **state)
{
    (void)state;
    struct lr_risk_facts f = small_change();
    f.bytes_to_add = 11LL * 1024 * 1024 * 1024;
    struct lr_risk r;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_HIGH);
    assert_true(has_reason(&r, "GiB of data files"));
    lr_risk_free(&r);

    f = small_change();
    f.time_span_ms = 2LL * 24 * 3600 * 1000;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    assert_true(has_reason(&r, "span 2.0 days"));
    lr_risk_free(&r);

    f = small_change();
    f.rows_now = 100000000;
    f.rows_then = 100000000;
    f.rows_now = 100020000;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    assert_true(has_reason(&r, "20000 rows changed, threshold 10000"));
    lr_risk_free(&r);

    lr_risk_facts_init(&f);
    f.commits_undone = 3;
    assert_int_equal(lr_risk_score(&r, &f, &th), 0);
    assert_int_equal(r.level, LR_RISK_MEDIUM);
    assert_true(has_reason(&r, "row counts unknown"));
    lr_risk_free(&r);
}

static void test_risk_level_names_round_trip(void **state)
{
    (void)state;
    enum lr_risk_level l;
    assert_true(lr_risk_level_parse("high", &l));
    assert_int_equal(l, LR_RISK_HIGH);
    assert_string_equal(lr_risk_level_name(LR_RISK_MEDIUM), "Medium");
    assert_false(lr_risk_level_parse("severe", &l));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_risk_low_when_within_thresholds),
        cmocka_unit_test(test_risk_low_when_already_at_checkpoint),
        cmocka_unit_test(test_risk_high_on_row_percentage_with_medium_reasons_after),
        cmocka_unit_test(test_risk_thresholds_are_inclusive_and_configurable),
        cmocka_unit_test(test_risk_high_on_blockers_missing_files_append_only),
        cmocka_unit_test(test_risk_schema_change_cdf_and_streaming),
        cmocka_unit_test(test_risk_bytes_span_absolute_rows_and_unknown_counts),
        cmocka_unit_test(test_risk_level_names_round_trip),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}

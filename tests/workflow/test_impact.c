/* test_impact.c - the impact model from plain inputs, its totals and warnings, and the JSON
 * document's shape (product.md). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/impact.h"
#include "testsupport.h"

#define T0 1736935200000LL /* 2025-01-15T10:00:00Z */
#define MIN 60000LL

static const char *schema_a = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":"
                              "\"long\",\"nullable\":true,\"metadata\":{}}]}";
static const char *schema_a_spaced = "{ \"type\": \"struct\", \"fields\": [ { \"name\": \"id\", "
                                     "\"type\": \"long\", \"nullable\": true, \"metadata\": {} "
                                     "} ] }";
static const char *schema_b = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":"
                              "\"long\",\"nullable\":true,\"metadata\":{}},{\"name\":\"x\","
                              "\"type\":\"string\",\"nullable\":true,\"metadata\":{}}]}";

static struct lr_commit_summary account_commits[16];

static void fill_account(struct lr_impact_input *in)
{
    memset(in, 0, sizeof *in);
    in->name = "account";
    in->now = (struct lr_snapshot_summary){57, T0 + 16 * MIN, 10, 50000, 1200, schema_a, false,
                                           false};
    in->then = (struct lr_snapshot_summary){41, T0, 8, 40000, 1000, schema_a_spaced, false,
                                            false};
    for (int i = 0; i < 16; i++) {
        account_commits[i].version = 42 + i;
        account_commits[i].timestamp_ms = T0 + (i + 1) * MIN;
        account_commits[i].operation = i % 4 == 0 ? "MERGE" : "WRITE";
        account_commits[i].engine = "Apache-Spark/3.5.0 Delta-Lake/3.1.0";
        account_commits[i].user = i < 10 ? "sync-svc" : NULL;
    }
    in->commits = account_commits;
    in->commit_count = 16;
    in->plan = (struct lr_restore_metrics){3, 5, 1234, 2345, 50, 250, 0};
}

static struct lr_commit_summary contact_commits[2] = {
    {11, T0 + 5 * MIN, "DELETE", NULL, "alice"},
    {12, T0 + 6 * MIN, "WRITE", NULL, "alice"},
};

static void fill_contact(struct lr_impact_input *in)
{
    memset(in, 0, sizeof *in);
    in->name = "contact";
    in->now = (struct lr_snapshot_summary){12, T0 + 6 * MIN, 4, 4000, 480, schema_b, false, true};
    in->then = (struct lr_snapshot_summary){10, T0, 4, 4000, 500, schema_b, false, true};
    in->commits = contact_commits;
    in->commit_count = 2;
    in->plan = (struct lr_restore_metrics){1, 1, 300, 280, 500, 480, 0};
}

static void fill_donation(struct lr_impact_input *in)
{
    memset(in, 0, sizeof *in);
    in->name = "donation";
    in->now = (struct lr_snapshot_summary){99, T0, 20, 9000, 2030, schema_b, true, false};
    in->then = (struct lr_snapshot_summary){80, T0, 17, 7000, -1, schema_a, true, false};
    in->plan = (struct lr_restore_metrics){3, 3, 100, 200, -1, -1, 2};
}

static void build(struct lr_impact *im, struct lr_impact_input *in, size_t n,
                  const struct lr_impact_options *opts)
{
    struct lr_error err;
    if (lr_impact_build(im, in, n, opts, &err) < 0)
        fail_msg("impact: %s", err.message);
}

static struct lr_impact_options default_opts(void)
{
    struct lr_impact_options o = {0};
    o.run_id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    o.checkpoint = "cp-2025-01-15";
    o.is_dry_run = true;
    return o;
}

static void test_impact_per_table_numbers_and_grouping(void **state)
{
    (void)state;
    struct lr_impact_input in[3];
    fill_donation(&in[0]);
    fill_account(&in[1]);
    fill_contact(&in[2]);
    struct lr_impact_options o = default_opts();
    struct lr_impact im;
    build(&im, in, 3, &o);
    assert_int_equal(im.table_count, 3);
    const struct lr_table_impact *a = &im.tables[0];
    assert_string_equal(a->name, "account"); /* sorted */
    assert_int_equal(a->delta_rows, 200);
    assert_int_equal(a->commits_undone, 16);
    assert_int_equal(a->time_span_ms, 15 * MIN);
    assert_false(a->schema_changed); /* same schema, different spacing */
    assert_int_equal(a->by_operation_count, 2);
    assert_string_equal(a->by_operation[0].key, "WRITE");
    assert_int_equal(a->by_operation[0].count, 12);
    assert_string_equal(a->by_operation[1].key, "MERGE");
    assert_int_equal(a->by_writer_count, 2);
    assert_string_equal(a->by_writer[0].key, "sync-svc (Apache-Spark/3.5.0 Delta-Lake/3.1.0)");
    assert_int_equal(a->by_writer[0].count, 10);
    assert_int_equal(a->risk.level, LR_RISK_HIGH); /* 200 of 1000 = 20%, as product.md */

    const struct lr_table_impact *c = &im.tables[1];
    assert_int_equal(c->delta_rows, -20);
    assert_int_equal(c->commits_undone, 2);
    assert_int_equal(c->warnings.count, 1);
    assert_non_null(strstr(c->warnings.items[0], "change data feed"));

    const struct lr_table_impact *d = &im.tables[2];
    assert_false(d->delta_rows_known);
    assert_true(d->schema_changed);
    assert_int_equal(d->commits_undone, 19); /* from the versions, no summaries given */
    assert_int_equal(d->blockers.count, 2);
    assert_non_null(strstr(d->blockers.items[0], "2 data files of version 80 no longer exist"));
    assert_non_null(strstr(d->blockers.items[1], "append-only"));
    assert_int_equal(d->risk.level, LR_RISK_HIGH);

    assert_int_equal(im.totals.tables, 3);
    assert_int_equal(im.totals.delta_rows, 180);
    assert_int_equal(im.totals.files_to_add, 7);
    assert_int_equal(im.totals.files_to_remove, 9);
    assert_int_equal(im.totals.high, 2);
    assert_int_equal(im.totals.medium, 1);
    assert_int_equal(im.totals.blocked, 1);
    assert_string_equal(im.confirmation_phrase + strlen("ROLLBACK 3 TABLES TO cp-2025-01-15 "
                                                        "xxxxxx"),
                        " I ACCEPT HIGH RISK ON 2 TABLES");
    lr_impact_free(&im);
}

static void test_impact_digest_matches_plan_and_checker(void **state)
{
    (void)state;
    struct lr_impact_input in[2];
    fill_account(&in[0]);
    fill_contact(&in[1]);
    struct lr_impact_options o = default_opts();
    struct lr_impact im;
    build(&im, in, 2, &o);
    struct lr_plan_table pt[2];
    struct lr_plan plan;
    lr_impact_plan(&im, &plan, pt);
    char d[LR_DIGEST_LEN + 1];
    struct lr_error err;
    assert_int_equal(lr_plan_digest(d, &plan, &err), 0);
    assert_string_equal(d, im.plan_digest);
    char why[512];
    assert_int_equal(lr_confirm_check(&plan, d, im.confirmation_phrase, why, sizeof why),
                     LR_CONFIRM_OK);
    /* A new commit on contact after review changes the digest. */
    in[1].now.version = 13;
    struct lr_impact later;
    build(&later, in, 2, &o);
    assert_string_not_equal(later.plan_digest, im.plan_digest);
    lr_impact_plan(&later, &plan, pt);
    assert_int_equal(lr_confirm_check(&plan, later.plan_digest, im.confirmation_phrase, why,
                                      sizeof why),
                     LR_CONFIRM_WRONG_DIGEST);
    lr_impact_free(&later);
    lr_impact_free(&im);
}

static void test_impact_related_tables_out_of_scope_warn(void **state)
{
    (void)state;
    struct lr_impact_input in[1];
    fill_account(&in[0]);
    struct lr_relationship rel[] = {{"contact", "account"}, {"account", "donation"},
                                    {"account", "ghost"}, {"lead", "opportunity"}};
    const char *known[] = {"account", "contact", "donation"};
    struct lr_impact_options o = default_opts();
    o.relationships = rel;
    o.relationship_count = 4;
    o.known_tables = known;
    o.known_table_count = 3;
    struct lr_impact im;
    build(&im, in, 1, &o);
    assert_int_equal(im.warnings.count, 2);
    assert_string_equal(im.warnings.items[0],
                        "contact is related to account (config relationships) but is not in "
                        "scope: it stays at its current version while account rolls back");
    assert_non_null(strstr(im.warnings.items[1], "donation is related to account"));
    assert_non_null(strstr(im.confirmation_phrase, "ROLLBACK 1 TABLE TO"));
    lr_impact_free(&im);
}

static void test_impact_rejects_duplicates_and_unnamed(void **state)
{
    (void)state;
    struct lr_impact_input in[2];
    fill_account(&in[0]);
    fill_account(&in[1]);
    struct lr_impact_options o = default_opts();
    struct lr_impact im;
    struct lr_error err;
    assert_int_equal(lr_impact_build(&im, in, 2, &o, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "in scope twice"));
    in[1].name = NULL;
    assert_int_equal(lr_impact_build(&im, in, 2, &o, &err), LR_EINVAL);
}

static void test_impact_json_has_product_shape_in_order(void **state)
{
    (void)state;
    struct lr_impact_input in[3];
    fill_account(&in[0]);
    fill_contact(&in[1]);
    fill_donation(&in[2]);
    struct lr_impact_options o = default_opts();
    struct lr_impact im;
    build(&im, in, 3, &o);
    char *s = lr_impact_to_json(&im);
    assert_non_null(s);
    json_error_t jerr;
    json_t *doc = json_loads(s, JSON_PRESERVE_ORDER, &jerr);
    assert_non_null(doc);
    const char *top[] = {"run_id", "checkpoint", "dry_run", "plan_digest",
                         "confirmation_phrase", "tables", "totals"};
    const char *key;
    json_t *val;
    size_t i = 0;
    json_object_foreach(doc, key, val) {
        if (i < 7)
            assert_string_equal(key, top[i]);
        i++;
    }
    assert_string_equal(json_string_value(json_object_get(doc, "run_id")),
                        "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
    assert_true(json_is_true(json_object_get(doc, "dry_run")));
    assert_string_equal(json_string_value(json_object_get(doc, "plan_digest")), im.plan_digest);
    json_t *t0 = json_array_get(json_object_get(doc, "tables"), 0);
    const char *tkeys[] = {"name", "current_version", "target_version", "rows_now", "rows_then",
                           "delta_rows", "files_to_add", "files_to_remove", "bytes_to_add",
                           "bytes_to_remove", "commits_undone", "risk", "reasons", "blockers"};
    i = 0;
    json_object_foreach(t0, key, val) {
        if (i < 14)
            assert_string_equal(key, tkeys[i]);
        i++;
    }
    assert_int_equal(json_integer_value(json_object_get(t0, "current_version")), 57);
    assert_int_equal(json_integer_value(json_object_get(t0, "target_version")), 41);
    assert_int_equal(json_integer_value(json_object_get(t0, "rows_now")), 1200);
    assert_int_equal(json_integer_value(json_object_get(t0, "rows_then")), 1000);
    assert_int_equal(json_integer_value(json_object_get(t0, "delta_rows")), 200);
    assert_int_equal(json_integer_value(json_object_get(t0, "files_to_add")), 3);
    assert_int_equal(json_integer_value(json_object_get(t0, "files_to_remove")), 5);
    assert_int_equal(json_integer_value(json_object_get(t0, "bytes_to_add")), 1234);
    assert_int_equal(json_integer_value(json_object_get(t0, "bytes_to_remove")), 2345);
    assert_int_equal(json_integer_value(json_object_get(t0, "commits_undone")), 16);
    assert_string_equal(json_string_value(json_object_get(t0, "risk")), "High");
    assert_true(json_array_size(json_object_get(t0, "reasons")) >= 1);
    assert_int_equal(json_array_size(json_object_get(t0, "blockers")), 0);
    json_t *t2 = json_array_get(json_object_get(doc, "tables"), 2);
    assert_true(json_is_null(json_object_get(t2, "rows_then")));
    assert_true(json_is_null(json_object_get(t2, "delta_rows")));
    json_t *tot = json_object_get(doc, "totals");
    const char *totkeys[] = {"tables", "delta_rows", "files_to_add", "files_to_remove"};
    i = 0;
    json_object_foreach(tot, key, val) {
        if (i < 4)
            assert_string_equal(key, totkeys[i]);
        i++;
    }
    assert_int_equal(json_integer_value(json_object_get(tot, "tables")), 3);
    assert_int_equal(json_integer_value(json_object_get(tot, "delta_rows")), 180);
    assert_int_equal(json_integer_value(json_object_get(tot, "files_to_add")), 7);
    assert_int_equal(json_integer_value(json_object_get(tot, "files_to_remove")), 9);
    json_decref(doc);
    free(s);
    lr_impact_free(&im);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_impact_per_table_numbers_and_grouping),
        cmocka_unit_test(test_impact_digest_matches_plan_and_checker),
        cmocka_unit_test(test_impact_related_tables_out_of_scope_warn),
        cmocka_unit_test(test_impact_rejects_duplicates_and_unnamed),
        cmocka_unit_test(test_impact_json_has_product_shape_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_catalog.c - the drill catalog is consistent: at least ten scenarios with distinct ids,
 * every story/task/answer written, every table a scenario names is a demo table the sandbox
 * builds, later syncs go to unpartitioned tables (the append cannot partition), the expected
 * scope lies within the built tables, and each move has the setup it needs. Also the
 * DrillResults schema and the score JSON shape. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/demo.h"
#include "lakerewind/drill.h"
#include "testsupport.h"

static bool listed(const char *const *list, const char *name)
{
    for (size_t i = 0; i < LR_DRILL_MAX_TABLES && list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

static void test_catalog_is_consistent(void **state)
{
    (void)state;
    size_t n;
    const struct lr_drill_scenario *cat = lr_drill_catalog(&n);
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        const struct lr_drill_scenario *sc = &cat[i];
        assert_ptr_equal(lr_drill_find(sc->id), sc);
        for (size_t k = i + 1; k < n; k++)
            assert_string_not_equal(sc->id, cat[k].id);
        assert_true(strlen(sc->title) > 10 && strlen(sc->story) > 40);
        assert_true(strlen(sc->task) > 20 && strlen(sc->answer) > 20);
        assert_non_null(sc->checkpoint);
        for (size_t k = 0; k < LR_DRILL_MAX_TABLES && sc->tables[k]; k++)
            assert_non_null(lr_demo_table_find(sc->tables[k]));
        for (size_t k = 0; k < LR_DRILL_MAX_TABLES && sc->incident_tables[k]; k++)
            assert_true(listed(sc->tables, sc->incident_tables[k]));
        for (size_t k = 0; k < LR_DRILL_MAX_TABLES && sc->later_sync_tables[k]; k++) {
            const struct lr_demo_table *t = lr_demo_table_find(sc->later_sync_tables[k]);
            assert_non_null(t);
            assert_null(t->partition_by);
            assert_true(listed(sc->tables, t->name));
            /* a table that keeps syncing after the incident is never part of the answer */
            assert_false(listed(sc->scope, t->name));
        }
        for (size_t k = 0; k < LR_DRILL_MAX_TABLES && sc->scope[k]; k++)
            assert_true(listed(sc->tables, sc->scope[k]));
        if (sc->vacuumed_table) {
            assert_true(listed(sc->incident_tables, sc->vacuumed_table));
            assert_false(listed(sc->scope, sc->vacuumed_table));
        }
        if (sc->move == LR_DRILL_UNDO_THEN_ROLLBACK)
            assert_non_null(sc->wrong_checkpoint);
        if (sc->move == LR_DRILL_RESUME)
            assert_true(sc->interrupted);
        if (sc->move == LR_DRILL_RETAIN)
            assert_non_null(sc->expiring_checkpoint);
        if (sc->writer)
            assert_non_null(sc->incident_tables[0]);
        assert_string_not_equal(lr_drill_move_name(sc->move), "?");
    }
    assert_null(lr_drill_find("no-such-drill"));
    assert_null(lr_drill_find(NULL));
}

static void test_results_schema_and_score_json(void **state)
{
    (void)state;
    const struct lr_table_def *def = lr_drill_results_def();
    assert_string_equal(def->name, "DrillResults");
    bool has_score = false, has_debrief = false;
    for (size_t i = 0; i < def->column_count; i++) {
        has_score |= !strcmp(def->columns[i].name, "Score");
        has_debrief |= !strcmp(def->columns[i].name, "Debrief");
    }
    assert_true(has_score && has_debrief);

    struct lr_drill_score s = {0};
    snprintf(s.drill_id, sizeof s.drill_id, "d-1");
    s.scenario = lr_drill_find("bad-sync-three");
    s.score = 55;
    s.duration_ms = 1234;
    json_t *o = lr_drill_score_json(&s);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "scenario")), "bad-sync-three");
    assert_int_equal(json_integer_value(json_object_get(o, "score")), 55);
    assert_true(json_is_false(json_object_get(o, "passed")));
    assert_true(json_is_null(json_object_get(o, "checkpoint_used")));
    assert_int_equal(json_array_size(json_object_get(o, "points")), 0);
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_catalog_is_consistent),
        cmocka_unit_test(test_results_schema_and_score_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_model.c - the overview's rows: names and paths sanitised on arrival, facts applied to
 * the right row with their strings sanitised, unknown facts left unknown; core's checkpoint
 * health applied to the checkpoint rows and turned into each table's retention (tui/model.c). */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/checkpoint_health.h"
#include "lakerewind/str.h"
#include "model.h"
#include "testsupport.h"

static void test_view_sanitises_table_names_and_paths(void **state)
{
    (void)state;
    struct lr_table_ref refs[2] = {
        {"account", "Tables/account"},
        {"evil\x1b]0;pwned\x07", "Tables/evil\x1b]0;pwned\x07"},
    };
    struct lr_table_list list = {refs, 2};
    struct tui_lakehouse_view v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tui_view_set_tables(&v, &list), 0);
    assert_int_equal(v.state, TUI_LOAD_DONE);
    assert_int_equal(v.count, 2);
    assert_string_equal(v.rows[1].name, "evil\\e]0;pwned\\a");
    assert_string_equal(v.rows[1].path, "Tables/evil\\e]0;pwned\\a");
    /* Nothing is known until a worker reports. */
    assert_false(v.rows[0].has_facts);
    assert_false(v.rows[0].has_version);
    assert_false(v.rows[0].has_rows);
    assert_int_equal(v.rows[0].retention, TUI_HEALTH_UNKNOWN);
    tui_view_free(&v);
}

static void test_view_finds_tables_by_shown_or_raw_name(void **state)
{
    (void)state;
    struct lr_table_ref refs[2] = {
        {"account", "Tables/account"},
        {"evil\x1b[2J", "Tables/evil\x1b[2J"},
    };
    struct lr_table_list list = {refs, 2};
    struct tui_lakehouse_view v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tui_view_set_tables(&v, &list), 0);
    assert_string_equal(tui_view_find_table(&v, "account"), "account");
    /* The raw name goes to core/; the sanitised one is what the operator can type. */
    assert_string_equal(v.rows[1].key, "evil\x1b[2J");
    assert_string_equal(tui_view_find_table(&v, "evil\\e[2J"), "evil\x1b[2J");
    assert_string_equal(tui_view_find_table(&v, "evil\x1b[2J"), "evil\x1b[2J");
    assert_null(tui_view_find_table(&v, "acc"));
    assert_null(tui_view_find_table(&v, NULL));
    tui_view_free(&v);
}

static void test_view_applies_facts_to_the_right_row(void **state)
{
    (void)state;
    struct lr_table_ref refs[2] = {{"a", "Tables/a"}, {"b", "Tables/b"}};
    struct lr_table_list list = {refs, 2};
    struct tui_lakehouse_view v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tui_view_set_tables(&v, &list), 0);
    struct tui_table_facts f;
    memset(&f, 0, sizeof f);
    f.has_version = true;
    f.version = 57;
    f.has_rows = true;
    f.rows = 1200;
    f.retention = TUI_HEALTH_WARN;
    f.retention_days_left = 3;
    f.last_operation = lr_strdup("MERGE\x1b[2J");
    f.retention_note = lr_strdup("oldest checkpoint v41: log cleanup may drop it in 3 days");
    assert_int_equal(tui_view_set_facts(&v, 1, &f), 0);
    assert_true(v.rows[1].has_facts);
    assert_int_equal(v.rows[1].version, 57);
    assert_int_equal(v.rows[1].rows, 1200);
    assert_false(v.rows[1].has_size); /* not reported: stays unknown */
    assert_string_equal(v.rows[1].last_operation, "MERGE\\e[2J");
    assert_non_null(strstr(v.rows[1].retention_note, "3 days"));
    assert_false(v.rows[0].has_facts);
    assert_int_equal(tui_view_set_facts(&v, 2, &f), LR_ERANGE);
    tui_table_facts_free(&f);
    tui_view_set_error(&v, "cannot list\x07");
    assert_int_equal(v.state, TUI_LOAD_FAILED);
    assert_string_equal(v.error, "cannot list\\a");
    tui_view_free(&v);
}


static struct lr_cp_warning warning(enum lr_cp_warning_kind kind, const char *table, bool due,
                                    int64_t when, const char *message, const char *fix)
{
    struct lr_cp_warning w;
    memset(&w, 0, sizeof w);
    w.kind = kind;
    w.table = table ? lr_strdup(table) : NULL;
    w.when_ms = when;
    w.is_due = due;
    w.has_happened = due && when < 0;
    w.message = lr_strdup(message);
    w.fix = fix ? lr_strdup(fix) : NULL;
    return w;
}

static void test_health_marks_checkpoints_and_derives_table_retention(void **state)
{
    (void)state;
    const int64_t day = 86400000LL, now = 1795651200000LL;
    struct lr_table_ref refs[4] = {
        {"a", "Tables/a"}, {"b", "Tables/b"}, {"c", "Tables/c"}, {"d", "Tables/d"}};
    struct lr_table_list tl = {refs, 4};
    struct lr_checkpoint_table t1[3] = {{.name = "a"}, {.name = "b"}, {.name = "c"}};
    struct lr_checkpoint cps[2];
    memset(cps, 0, sizeof cps);
    cps[0].name = "cp\x1b[2J";
    cps[0].type = "Manual";
    cps[0].created_by = "me";
    cps[0].validation_status = "Validated";
    cps[0].is_active = true;
    cps[0].expiry_ms = -1;
    cps[0].tables = t1;
    cps[0].table_count = 3;
    cps[1] = cps[0];
    cps[1].name = "old";
    cps[1].is_active = false;
    cps[1].table_count = 3;
    struct lr_checkpoint_list list = {cps, 2};
    struct lr_cp_warning *w0 = calloc(3, sizeof *w0);
    assert_non_null(w0);
    w0[0] = warning(LR_CPW_LOG_RETENTION, "a", true, now + 3 * day + 5,
                    "a: version 1 leaves log retention", "ALTER TABLE a SET TBLPROPERTIES");
    w0[1] = warning(LR_CPW_FILES_MISSING, "b", true, -1, "b: files gone", NULL);
    w0[2] = warning(LR_CPW_SHORT_FILE_RETENTION, "c", false, -1, "c: short file retention",
                    "ALTER TABLE c SET TBLPROPERTIES");
    struct lr_cp_warnings warns[2] = {{w0, 3}, {NULL, 0}};

    struct tui_lakehouse_view v;
    memset(&v, 0, sizeof v);
    assert_int_equal(tui_view_set_tables(&v, &tl), 0);
    assert_int_equal(tui_view_set_checkpoints(&v, &list), 0);
    assert_false(v.checkpoints[0].is_checked);
    assert_int_equal(tui_view_set_health(&v, &list, warns, now), 0);

    const struct tui_checkpoint_row *c = &v.checkpoints[0];
    assert_true(c->is_checked);
    assert_int_equal(c->warning_count, 3);
    assert_int_equal(c->due_count, 2);
    assert_true(c->is_unusable);
    assert_string_equal(c->first_warning, "a: version 1 leaves log retention");
    assert_int_equal(c->health_line_count, 5); /* three warnings, two fixes */
    assert_string_equal(c->health_lines[0], "! a: version 1 leaves log retention");
    assert_string_equal(c->health_lines[1], "    fix: ALTER TABLE a SET TBLPROPERTIES");
    assert_string_equal(c->health_lines[3], "- c: short file retention");
    assert_true(v.checkpoints[1].is_checked);
    assert_int_equal(v.checkpoints[1].warning_count, 0);

    assert_int_equal(v.rows[0].retention, TUI_HEALTH_WARN); /* a: due log warning, 3 days */
    assert_int_equal(v.rows[0].retention_days_left, 3);
    assert_false(v.rows[0].is_vacuum_risk);
    assert_int_equal(v.rows[1].retention, TUI_HEALTH_BAD); /* b: files gone */
    assert_string_equal(v.rows[1].retention_note, "b: files gone");
    assert_int_equal(v.rows[2].retention, TUI_HEALTH_OK); /* c: only a note, not due */
    assert_string_equal(v.rows[2].retention_note, "c: short file retention");
    assert_int_equal(v.rows[3].retention, TUI_HEALTH_NONE); /* d: in no active checkpoint */

    /* facts arriving after the health keep it */
    struct tui_table_facts f;
    memset(&f, 0, sizeof f);
    f.retention = TUI_HEALTH_UNKNOWN;
    assert_int_equal(tui_view_set_facts(&v, 1, &f), 0);
    assert_int_equal(v.rows[1].retention, TUI_HEALTH_BAD);
    tui_view_free(&v);
    lr_cp_warnings_free(&warns[0]);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_sanitises_table_names_and_paths),
        cmocka_unit_test(test_view_applies_facts_to_the_right_row),
        cmocka_unit_test(test_view_finds_tables_by_shown_or_raw_name),
        cmocka_unit_test(test_health_marks_checkpoints_and_derives_table_retention),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

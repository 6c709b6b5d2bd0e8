/* test_model.c - the overview's rows: names and paths sanitised on arrival, facts applied to
 * the right row with their strings sanitised, unknown facts left unknown (tui/model.c). */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

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

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_view_sanitises_table_names_and_paths),
        cmocka_unit_test(test_view_applies_facts_to_the_right_row),
        cmocka_unit_test(test_view_finds_tables_by_shown_or_raw_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

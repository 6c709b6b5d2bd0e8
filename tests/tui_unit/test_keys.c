/* test_keys.c - key tables: parsing and naming keys, lookup, and the config rebinding hook
 * refusing unknown actions, unknown keys and conflicts (tui/keys.c). */
#include <string.h>

#include "keys.h"
#include "testsupport.h"

static const struct tui_key_binding defaults[] = {
    {'/', TUI_ACT_FILTER, "filter", false},
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "open", false},
    {'R', TUI_ACT_RESTORE, "restore", false},
    {TUI_KEY_UP, TUI_ACT_UP, "up", true},
    {'k', TUI_ACT_UP, "up", true},
};

static void test_key_parse_and_name_round_trip(void **state)
{
    (void)state;
    const char *specs[] = {"q",  "?",    "Enter", "Esc",  "Space", "Tab", "S-Tab", "Up",
                           "PgDn", "Home", "F1",  "F12", "C-l",   ":",   "\xC3\xA9"};
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        int key = 0;
        if (!tui_key_parse(specs[i], &key))
            fail_msg("cannot parse '%s'", specs[i]);
        char name[32];
        assert_string_equal(tui_key_name(key, name, sizeof name), specs[i]);
    }
    int key;
    assert_true(tui_key_parse("C-r", &key));
    assert_int_equal(key, 18);
    assert_true(tui_key_parse("Space", &key));
    assert_int_equal(key, ' ');
    assert_false(tui_key_parse("", &key));
    assert_false(tui_key_parse("F13", &key));
    assert_false(tui_key_parse("Bogus", &key));
    assert_false(tui_key_parse("ab", &key));
    assert_false(tui_key_parse(" ", &key)); /* spell it Space */
}

static void test_keymap_dispatches_from_the_table(void **state)
{
    (void)state;
    struct tui_keymap m;
    tui_keymap_init(&m, "overview", defaults, sizeof defaults / sizeof defaults[0]);
    assert_int_equal(tui_keymap_lookup(&m, '/'), TUI_ACT_FILTER);
    assert_int_equal(tui_keymap_lookup(&m, 'k'), TUI_ACT_UP);
    assert_int_equal(tui_keymap_lookup(&m, TUI_KEY_UP), TUI_ACT_UP);
    assert_int_equal(tui_keymap_lookup(&m, 'x'), TUI_ACT_NONE);
    assert_int_equal(tui_keymap_find(&m, TUI_ACT_OPEN)->key, TUI_KEY_ENTER);
    assert_null(tui_keymap_find(&m, TUI_ACT_UNDO));
}

static void test_keymap_bind_rebinds_an_action(void **state)
{
    (void)state;
    struct tui_keymap m;
    struct lr_error err;
    tui_keymap_init(&m, "overview", defaults, sizeof defaults / sizeof defaults[0]);
    assert_int_equal(tui_keymap_bind(&m, "filter", "f", &err), 0);
    assert_int_equal(tui_keymap_lookup(&m, 'f'), TUI_ACT_FILTER);
    assert_int_equal(tui_keymap_lookup(&m, '/'), TUI_ACT_NONE);
    /* Both bindings of an action move together. */
    assert_int_equal(tui_keymap_bind(&m, "up", "C-p", &err), 0);
    assert_int_equal(tui_keymap_lookup(&m, TUI_KEY_CTRL('p')), TUI_ACT_UP);
    assert_int_equal(tui_keymap_lookup(&m, 'k'), TUI_ACT_NONE);
}

static void test_keymap_bind_refuses_conflicts_and_unknowns(void **state)
{
    (void)state;
    struct tui_keymap m;
    struct lr_error err;
    tui_keymap_init(&m, "overview", defaults, sizeof defaults / sizeof defaults[0]);
    assert_int_equal(tui_keymap_bind(&m, "restore", "Enter", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "already bound to 'open'"));
    assert_int_equal(tui_keymap_lookup(&m, TUI_KEY_ENTER), TUI_ACT_OPEN);
    assert_int_equal(tui_keymap_bind(&m, "explode", "x", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "unknown action 'explode'"));
    assert_int_equal(tui_keymap_bind(&m, "filter", "Hyper-x", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "unknown key 'Hyper-x'"));
    assert_int_equal(tui_keymap_bind(&m, "undo", "U", &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "the overview keys have no such action"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_parse_and_name_round_trip),
        cmocka_unit_test(test_keymap_dispatches_from_the_table),
        cmocka_unit_test(test_keymap_bind_rebinds_an_action),
        cmocka_unit_test(test_keymap_bind_refuses_conflicts_and_unknowns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_theme.c - theme YAML parsing, errors with file:line:column and key, the shipped themes,
 * the fallback to the default theme, and colour reduction (tui/theme_parse.c, tui/theme.c). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* setenv */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testsupport.h"
#include "theme.h"
#include "theme_parse.h"

static char *theme_path(const char *name)
{
    const char *src = getenv("LR_SOURCE_DIR");
    static char path[4096];
    snprintf(path, sizeof path, "%s/themes/%s.yaml", src ? src : ".", name);
    return path;
}

static int parse(struct tui_theme *t, const char *yaml, struct lr_error *err)
{
    return tui_theme_parse(t, yaml, strlen(yaml), "t.yaml", err);
}

static void assert_same_theme(const struct tui_theme *a, const struct tui_theme *b)
{
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (a->roles[r].fg != b->roles[r].fg || a->roles[r].bg != b->roles[r].bg ||
            a->roles[r].attrs != b->roles[r].attrs)
            fail_msg("role %s differs: %d/%d/%u vs %d/%d/%u", tui_role_key((enum tui_role)r),
                     a->roles[r].fg, a->roles[r].bg, a->roles[r].attrs, b->roles[r].fg,
                     b->roles[r].bg, b->roles[r].attrs);
    }
}

static void test_theme_default_file_matches_builtin(void **state)
{
    (void)state;
    struct tui_theme file;
    struct tui_theme builtin;
    struct lr_error err;
    int rc = tui_theme_load_file(&file, theme_path("default"), &err);
    if (rc < 0)
        fail_msg("%s", err.message);
    tui_theme_builtin(&builtin);
    assert_same_theme(&file, &builtin);
    assert_string_equal(file.name, "default");
}

static void test_theme_monochrome_file_matches_builtin_and_has_no_colour(void **state)
{
    (void)state;
    struct tui_theme file;
    struct tui_theme builtin;
    struct lr_error err;
    int rc = tui_theme_load_file(&file, theme_path("monochrome"), &err);
    if (rc < 0)
        fail_msg("%s", err.message);
    tui_theme_monochrome(&builtin);
    assert_same_theme(&file, &builtin);
    assert_false(tui_theme_has_color(&file));
}

static void test_theme_every_shipped_theme_parses_and_sets_every_role(void **state)
{
    (void)state;
    const char *names[] = {"default", "high-contrast", "colorblind", "monochrome"};
    for (size_t i = 0; i < 4; i++) {
        char *path = theme_path(names[i]);
        size_t len = 0;
        char *text = lr_test_read_file(path, &len);
        assert_non_null(text);
        for (int r = 0; r < ROLE_COUNT; r++) {
            char key[64];
            snprintf(key, sizeof key, "\n  %s:", tui_role_key((enum tui_role)r));
            if (!strstr(text, key))
                fail_msg("%s does not set role %s", names[i], tui_role_key((enum tui_role)r));
        }
        free(text);
        struct tui_theme t;
        struct lr_error err;
        if (tui_theme_load_file(&t, path, &err) < 0)
            fail_msg("%s", err.message);
        assert_string_equal(t.name, names[i]);
    }
}

static bool is_red_or_green(short c)
{
    if (c == TUI_COLOR_DEFAULT)
        return false;
    short r16 = tui_color_reduce(c, 16);
    return r16 == 1 || r16 == 2 || r16 == 9 || r16 == 10;
}

static void test_theme_colorblind_uses_no_red_or_green(void **state)
{
    (void)state;
    struct tui_theme t;
    struct lr_error err;
    if (tui_theme_load_file(&t, theme_path("colorblind"), &err) < 0)
        fail_msg("%s", err.message);
    for (int r = 0; r < ROLE_COUNT; r++) {
        if (is_red_or_green(t.roles[r].fg) || is_red_or_green(t.roles[r].bg))
            fail_msg("colorblind role %s uses red or green", tui_role_key((enum tui_role)r));
    }
    /* Risk levels stay distinguishable without red/green. */
    assert_int_not_equal(t.roles[ROLE_RISK_HIGH].fg, t.roles[ROLE_RISK_LOW].fg);
    assert_int_not_equal(t.roles[ROLE_RISK_HIGH].fg, t.roles[ROLE_RISK_MEDIUM].fg);
}

static void test_theme_parses_names_numbers_and_attributes(void **state)
{
    (void)state;
    struct tui_theme t;
    struct lr_error err;
    int rc = parse(&t,
                   "name: mine\n"
                   "roles:\n"
                   "  header: { fg: bright-white, bg: 24, attrs: [bold, underline] }\n"
                   "  dim: { fg: default, attrs: dim }\n",
                   &err);
    if (rc < 0)
        fail_msg("%s", err.message);
    assert_string_equal(t.name, "mine");
    assert_int_equal(t.roles[ROLE_HEADER].fg, 15);
    assert_int_equal(t.roles[ROLE_HEADER].bg, 24);
    assert_int_equal(t.roles[ROLE_HEADER].attrs, TUI_ATTR_BOLD | TUI_ATTR_UNDERLINE);
    assert_int_equal(t.roles[ROLE_DIM].fg, TUI_COLOR_DEFAULT);
    assert_int_equal(t.roles[ROLE_DIM].attrs, TUI_ATTR_DIM);
    /* Roles left out keep the built-in default style. */
    struct tui_theme d;
    tui_theme_builtin(&d);
    assert_int_equal(t.roles[ROLE_SELECTION].bg, d.roles[ROLE_SELECTION].bg);
}

static void expect_error(const char *yaml, const char *where, const char *key, const char *got)
{
    struct tui_theme t;
    struct lr_error err;
    int rc = parse(&t, yaml, &err);
    assert_int_equal(rc, LR_ECORRUPT);
    if (strncmp(err.message, where, strlen(where)) != 0)
        fail_msg("want '%s...', got '%s'", where, err.message);
    if (key && !strstr(err.message, key))
        fail_msg("no key '%s' in '%s'", key, err.message);
    if (got && !strstr(err.message, got))
        fail_msg("no '%s' in '%s'", got, err.message);
}

static void test_theme_errors_name_file_line_column_and_key(void **state)
{
    (void)state;
    expect_error("name: x\nroles:\n  header: { fg: purple }\n", "t.yaml:3:17:",
                 "key 'roles.header.fg'", "got 'purple'");
    expect_error("name: x\nroles:\n  header: { fg: 256 }\n", "t.yaml:3:17:",
                 "roles.header.fg", "'256'");
    expect_error("name: x\nroles:\n  headr: { fg: red }\n", "t.yaml:3:3:", "roles.headr",
                 "got 'headr'");
    expect_error("name: x\nroles:\n  header: { fg: red, attrs: [bold, blinky] }\n",
                 "t.yaml:3:36:", "roles.header.attrs", "blinky");
    expect_error("name: x\nroles:\n  header: { colour: red }\n", "t.yaml:3:13:",
                 "roles.header.colour", NULL);
    expect_error("name: x\nroles:\n  header: red\n", "t.yaml:3:11:", "roles.header", NULL);
    expect_error("name: x\n", "t.yaml:1:1:", "'roles'", NULL);
    expect_error("name: x\ncolours: {}\nroles: {}\n", "t.yaml:2:1:", "colours", NULL);
    expect_error("- a\n- b\n", "t.yaml:1:1:", NULL, NULL);
    expect_error("name: x\nroles:\n  header: { fg: red\n", "t.yaml:", NULL, NULL);
    expect_error("", "t.yaml:1:1:", NULL, NULL);
}

static void test_theme_select_falls_back_to_default_with_the_reason(void **state)
{
    (void)state;
    char *dir = lr_test_tmpdir("theme");
    char path[4096];
    snprintf(path, sizeof path, "%s/broken.yaml", dir);
    const char *bad = "name: broken\nroles:\n  selection: { fg: purple }\n";
    lr_test_write_file(path, bad, strlen(bad));
    struct tui_theme t;
    char problem[4096];
    assert_true(tui_theme_select(&t, path, problem, sizeof problem) < 0);
    struct tui_theme d;
    tui_theme_builtin(&d);
    assert_same_theme(&t, &d);
    assert_non_null(strstr(problem, "broken.yaml:3:"));
    assert_non_null(strstr(problem, "roles.selection.fg"));
    assert_non_null(strstr(problem, "using the default theme"));

    assert_true(tui_theme_select(&t, "no-such-theme", problem, sizeof problem) < 0);
    assert_non_null(strstr(problem, "no theme named 'no-such-theme'"));
    assert_true(tui_theme_select(&t, "../etc", problem, sizeof problem) < 0);

    /* Names resolve through LAKEREWIND_THEME_DIR. */
    const char *src = getenv("LR_SOURCE_DIR");
    char tdir[4096];
    snprintf(tdir, sizeof tdir, "%s/themes", src ? src : ".");
    setenv("LAKEREWIND_THEME_DIR", tdir, 1);
    assert_int_equal(tui_theme_select(&t, "colorblind", problem, sizeof problem), 0);
    assert_string_equal(t.name, "colorblind");
    assert_string_equal(problem, "");
    assert_int_equal(tui_theme_select(&t, NULL, problem, sizeof problem), 0);
    assert_string_equal(t.name, "default");
    free(dir);
}

static void test_color_reduce_for_16_8_and_no_colour(void **state)
{
    (void)state;
    assert_int_equal(tui_color_reduce(196, 256), 196);
    assert_int_equal(tui_color_reduce(196, 16), 9);  /* pure red -> bright red */
    assert_int_equal(tui_color_reduce(21, 16), 4);   /* pure blue -> blue */
    assert_int_equal(tui_color_reduce(232, 16), 0);  /* darkest grey -> black */
    assert_int_equal(tui_color_reduce(9, 8), 1);     /* bright red -> red */
    assert_int_equal(tui_color_reduce(8, 8), 7);     /* grey -> white, never invisible black */
    assert_int_equal(tui_color_reduce(208, 8), 3);   /* orange -> yellow */
    assert_int_equal(tui_color_reduce(4, 8), 4);
    assert_int_equal(tui_color_reduce(4, 0), TUI_COLOR_DEFAULT);
    assert_int_equal(tui_color_reduce(TUI_COLOR_DEFAULT, 256), TUI_COLOR_DEFAULT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_theme_default_file_matches_builtin),
        cmocka_unit_test(test_theme_monochrome_file_matches_builtin_and_has_no_colour),
        cmocka_unit_test(test_theme_every_shipped_theme_parses_and_sets_every_role),
        cmocka_unit_test(test_theme_colorblind_uses_no_red_or_green),
        cmocka_unit_test(test_theme_parses_names_numbers_and_attributes),
        cmocka_unit_test(test_theme_errors_name_file_line_column_and_key),
        cmocka_unit_test(test_theme_select_falls_back_to_default_with_the_reason),
        cmocka_unit_test(test_color_reduce_for_16_8_and_no_colour),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_sanitize.c - every lake string is made safe for the terminal (tui/sanitize.c). */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "testsupport.h"

static char *san(const char *s, bool ascii)
{
    char *out = tui_sanitize(s, strlen(s), ascii);
    assert_non_null(out);
    return out;
}

static void check(const char *in, const char *want)
{
    char *out = san(in, false);
    assert_string_equal(out, want);
    free(out);
}

static void test_sanitize_keeps_plain_text(void **state)
{
    (void)state;
    check("account", "account");
    check("dbo/account 2024", "dbo/account 2024");
    check("h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC", "h\xC3\xA9llo \xE6\x97\xA5\xE6\x9C\xAC");
}

static void test_sanitize_neutralises_osc_and_csi(void **state)
{
    (void)state;
    check("evil\x1b]0;pwned\x07\x1b[31mred", "evil\\e]0;pwned\\a\\e[31mred");
    check("x\x1b]8;;http://a\x1b\\y", "x\\e]8;;http://a\\e\\y");
    check("\x1bP1$r\x1b\\", "\\eP1$r\\e\\");
}

static void test_sanitize_replaces_c0_c1_and_del(void **state)
{
    (void)state;
    check("a\tb\nc\rd", "a\\tb\\nc\\rd");
    check("a\x01z\x7f", "a\\x01z\\x7f");
    check("csi\xC2\x9B" "31m", "csi\\u009b31m");      /* C1 CSI encoded as UTF-8 */
    check("nel\xC2\x85", "nel\\u0085");
    char *out = tui_sanitize("a\0b", 3, false); /* a NUL inside the data */
    assert_string_equal(out, "a\\x00b");
    free(out);
}

static void test_sanitize_replaces_invalid_utf8(void **state)
{
    (void)state;
    check("raw\x9b" "31m", "raw\xEF\xBF\xBD" "31m"); /* a raw 8-bit CSI byte */
    check("\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD");   /* overlong '/' */
    check("\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"); /* a surrogate */
    check("cut\xE6\x97", "cut\xEF\xBF\xBD\xEF\xBF\xBD");           /* truncated sequence */
    char *out = san("raw\x9b", true);
    assert_string_equal(out, "raw?");
    free(out);
}

static void test_sanitize_shows_bidi_and_invisible_characters(void **state)
{
    (void)state;
    check("abc\xE2\x80\xAE" "fed", "abc\\u202efed");      /* RIGHT-TO-LEFT OVERRIDE */
    check("zero\xE2\x80\x8Bwidth", "zero\\u200bwidth");   /* ZERO WIDTH SPACE */
}

static void test_sanitize_ascii_mode_is_7bit(void **state)
{
    (void)state;
    char *out = san("h\xC3\xA9llo\x1b[0m", true);
    assert_string_equal(out, "h?llo\\e[0m");
    free(out);
}

/* Property: whatever the bytes, the output is valid UTF-8 with no C0, DEL or C1. */
static void test_sanitize_output_is_always_safe(void **state)
{
    (void)state;
    uint32_t seed = 12345;
    for (int round = 0; round < 5000; round++) {
        unsigned char in[64];
        size_t len = (size_t)(round % 64);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (unsigned char)(seed >> 16);
        }
        char *out = tui_sanitize((const char *)in, len, round % 2);
        assert_non_null(out);
        const unsigned char *p = (const unsigned char *)out;
        while (*p) {
            assert_true(*p >= 0x20 && *p != 0x7f);
            if (*p < 0x80) {
                p++;
                continue;
            }
            assert_false(round % 2); /* ASCII mode never emits non-ASCII */
            size_t n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
            if (n == 2)
                assert_false(p[0] == 0xC2 && p[1] < 0xA0); /* no C1 */
            for (size_t i = 1; i < n; i++)
                assert_int_equal(p[i] & 0xC0, 0x80);
            p += n;
        }
        free(out);
    }
}

static void test_text_width_counts_columns(void **state)
{
    (void)state;
    assert_int_equal(tui_text_width("abc"), 3);
    assert_int_equal(tui_text_width("h\xC3\xA9llo"), 5);
    assert_int_equal(tui_text_width("\xE6\x97\xA5\xE6\x9C\xAC"), 4);
    assert_int_equal(tui_text_width(""), 0);
}

static void test_text_fit_cuts_by_columns_with_ellipsis(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(tui_text_fit(buf, sizeof buf, "abcdef", 4, false), 4);
    assert_string_equal(buf, "abc\xE2\x80\xA6");
    assert_int_equal(tui_text_fit(buf, sizeof buf, "abcdef", 4, true), 4);
    assert_string_equal(buf, "abc~");
    assert_int_equal(tui_text_fit(buf, sizeof buf, "abcd", 4, false), 4);
    assert_string_equal(buf, "abcd");
    /* A double-width character is never split. */
    assert_int_equal(tui_text_fit(buf, sizeof buf, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 5,
                                  false), 5);
    assert_string_equal(buf, "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
    assert_int_equal(tui_text_fit(buf, sizeof buf, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 4,
                                  false), 3);
    assert_string_equal(buf, "\xE6\x97\xA5\xE2\x80\xA6");
    assert_int_equal(tui_text_fit(buf, sizeof buf, "abc", 0, false), 0);
    assert_string_equal(buf, "");
    /* A small buffer still ends in a whole character and a NUL. */
    assert_true(tui_text_fit(buf, 6, "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E", 40, false) <= 6);
    assert_true(strlen(buf) < 6);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize_keeps_plain_text),
        cmocka_unit_test(test_sanitize_neutralises_osc_and_csi),
        cmocka_unit_test(test_sanitize_replaces_c0_c1_and_del),
        cmocka_unit_test(test_sanitize_replaces_invalid_utf8),
        cmocka_unit_test(test_sanitize_shows_bidi_and_invisible_characters),
        cmocka_unit_test(test_sanitize_ascii_mode_is_7bit),
        cmocka_unit_test(test_sanitize_output_is_always_safe),
        cmocka_unit_test(test_text_width_counts_columns),
        cmocka_unit_test(test_text_fit_cuts_by_columns_with_ellipsis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

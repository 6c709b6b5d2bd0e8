/* test_widgets.c - the pure halves of the widgets: table layout, selection, scrolling and
 * stable sorting; the line editor; sparkline and progress proportions; number formatting;
 * word wrap; the log ring (tui/widgets/). */
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "keys.h"
#include "testsupport.h"
#include "widgets/chart.h"
#include "widgets/lineedit.h"
#include "widgets/logring.h"
#include "widgets/table_model.h"
#include "widgets/textwrap.h"

static void test_table_layout_fills_width_by_flex(void **state)
{
    (void)state;
    const struct tui_column cols[3] = {{"A", 10, 1, false}, {"B", 5, 0, true}, {"C", 8, 1, false}};
    int w[3];
    assert_int_equal(tui_table_layout(cols, 3, 40, w), 40);
    assert_int_equal(w[0] + w[1] + w[2] + 2, 40);
    assert_int_equal(w[1], 5);
    assert_true(w[0] >= 10 && w[2] >= 8);
    /* Too narrow: earlier columns keep their minimum, later ones shrink. */
    tui_table_layout(cols, 3, 18, w);
    assert_int_equal(w[0], 10);
    assert_int_equal(w[1], 5);
    assert_int_equal(w[2], 1);
}

static void test_table_move_clamps_and_scrolls(void **state)
{
    (void)state;
    struct tui_table_state t = {.sort_column = -1};
    tui_table_set_count(&t, 100, 10);
    tui_table_move(&t, 1, 10);
    assert_int_equal(t.selected, 1);
    assert_int_equal(t.top, 0);
    tui_table_move(&t, 15, 10);
    assert_int_equal(t.selected, 16);
    assert_int_equal(t.top, 7);
    tui_table_move(&t, 1000, 10);
    assert_int_equal(t.selected, 99);
    assert_int_equal(t.top, 90);
    tui_table_move(&t, -1000, 10);
    assert_int_equal(t.selected, 0);
    assert_int_equal(t.top, 0);
    /* Rows going away clamp the selection. */
    tui_table_move(&t, 50, 10);
    tui_table_set_count(&t, 5, 10);
    assert_int_equal(t.selected, 4);
    assert_int_equal(t.top, 0);
    tui_table_set_count(&t, 0, 10);
    assert_int_equal(t.selected, 0);
}

static const int values[] = {3, 1, 2, 1, 3};

static int cmp_values(size_t a, size_t b, int column, void *payload)
{
    (void)column;
    (void)payload;
    return values[a] - values[b];
}

static void test_table_sort_is_stable_both_ways(void **state)
{
    (void)state;
    size_t idx[5] = {0, 1, 2, 3, 4};
    tui_table_sort(idx, 5, 0, false, cmp_values, NULL);
    size_t asc[5] = {1, 3, 2, 0, 4};
    assert_memory_equal(idx, asc, sizeof asc);
    size_t idx2[5] = {0, 1, 2, 3, 4};
    tui_table_sort(idx2, 5, 0, true, cmp_values, NULL);
    size_t desc[5] = {0, 4, 2, 1, 3};
    assert_memory_equal(idx2, desc, sizeof desc);
    struct tui_table_state t = {.sort_column = -1};
    tui_table_sort_next(&t, 3);
    assert_int_equal(t.sort_column, 0);
    tui_table_sort_flip(&t);
    assert_true(t.sort_desc);
    tui_table_sort_next(&t, 3);
    assert_int_equal(t.sort_column, 1);
    assert_false(t.sort_desc);
    tui_table_sort_next(&t, 2);
    assert_int_equal(t.sort_column, 0);
}

static void type(struct tui_line *l, const char *ascii)
{
    for (const char *p = ascii; *p; p++)
        assert_int_equal(tui_line_key(l, (unsigned char)*p), TUI_LINE_EDITING);
}

static void test_line_editor_edits_utf8(void **state)
{
    (void)state;
    struct tui_line l;
    tui_line_clear(&l);
    type(&l, "table ");
    tui_line_key(&l, 0xE9); /* é */
    tui_line_key(&l, 0x65E5); /* 日 */
    assert_string_equal(l.text, "table \xC3\xA9\xE6\x97\xA5");
    assert_int_equal(tui_line_cursor_col(&l), 9);
    tui_line_key(&l, TUI_KEY_BACKSPACE);
    assert_string_equal(l.text, "table \xC3\xA9");
    tui_line_key(&l, TUI_KEY_LEFT);
    tui_line_key(&l, TUI_KEY_LEFT);
    tui_line_key(&l, 'X');
    assert_string_equal(l.text, "tableX \xC3\xA9");
    tui_line_key(&l, TUI_KEY_DELETE);
    assert_string_equal(l.text, "tableX\xC3\xA9");
    tui_line_key(&l, TUI_KEY_END);
    tui_line_key(&l, TUI_KEY_CTRL('w'));
    assert_string_equal(l.text, "");
    type(&l, "a b");
    tui_line_key(&l, TUI_KEY_CTRL('a'));
    tui_line_key(&l, TUI_KEY_CTRL('u'));
    assert_string_equal(l.text, "a b");
    tui_line_key(&l, TUI_KEY_F1); /* function keys do not insert */
    tui_line_key(&l, 0x1b5b);     /* nor do ESC-looking code points below 0x20 */
    tui_line_key(&l, 7);
    assert_int_equal(tui_line_key(&l, TUI_KEY_ENTER), TUI_LINE_SUBMIT);
    assert_int_equal(tui_line_key(&l, TUI_KEY_ESC), TUI_LINE_CANCEL);
    /* Full lines refuse more input rather than overflow. */
    tui_line_clear(&l);
    for (int i = 0; i < 400; i++)
        tui_line_key(&l, 'x');
    assert_int_equal(l.len, TUI_LINE_MAX - 1);
    tui_line_set(&l, "filter \xC3\xA9");
    assert_string_equal(l.text, "filter \xC3\xA9");
    assert_int_equal(l.cursor, l.len);
}

static void test_sparkline_scales_and_marks(void **state)
{
    (void)state;
    char out[256];
    const int64_t v[] = {0, 7, 14, 7};
    tui_sparkline(out, sizeof out, v, 4, 4, -1, true);
    assert_string_equal(out, "_=@=");
    tui_sparkline(out, sizeof out, v, 4, 6, 1, true);
    assert_string_equal(out, "  _|@=");
    tui_sparkline(out, sizeof out, v, 4, 2, -1, true); /* the newest values */
    assert_string_equal(out, "@_");
    tui_sparkline(out, sizeof out, v, 4, 4, -1, false);
    assert_string_equal(out, "\u2581\u2584\u2588\u2584");
    const int64_t flat[] = {5, 5};
    tui_sparkline(out, sizeof out, flat, 2, 2, -1, true);
    assert_string_equal(out, "==");
}

static void test_sparkline_counts_skip_unknown_and_columns(void **state)
{
    (void)state;
    char out[256];
    const int64_t v[] = {10, -1, 24, 17};
    tui_sparkline_counts(out, sizeof out, v, 4, 4, true);
    assert_string_equal(out, "_ @=");
    tui_sparkline_counts(out, sizeof out, v, 4, 6, true);
    assert_string_equal(out, "  _ @=");
    assert_int_equal(tui_sparkline_column(4, 6, 0), 2);
    assert_int_equal(tui_sparkline_column(4, 6, 3), 5);
    assert_int_equal(tui_sparkline_column(4, 2, 1), -1); /* older than the shown values */
    assert_int_equal(tui_sparkline_column(4, 2, 2), 0);
    assert_int_equal(tui_sparkline_column(4, 2, 4), -1);
    const int64_t none[] = {-1, -1};
    tui_sparkline_counts(out, sizeof out, none, 2, 2, false);
    assert_string_equal(out, "  ");
}

static void test_table_row_at_maps_clicks_to_rows(void **state)
{
    (void)state;
    struct tui_table_state t = {.count = 30, .selected = 12, .top = 10, .sort_column = -1};
    size_t row = 99;
    assert_true(tui_table_row_at(&t, 5, 8, 5, &row));
    assert_int_equal(row, 10);
    assert_true(tui_table_row_at(&t, 5, 8, 12, &row));
    assert_int_equal(row, 17);
    assert_false(tui_table_row_at(&t, 5, 8, 4, &row));  /* the header */
    assert_false(tui_table_row_at(&t, 5, 8, 13, &row)); /* under the list */
    t.count = 12;
    assert_false(tui_table_row_at(&t, 5, 8, 7, &row)); /* past the last row */
}

static void test_progress_cells_and_formats(void **state)
{
    (void)state;
    assert_int_equal(tui_progress_cells(0, 10, 20), 0);
    assert_int_equal(tui_progress_cells(5, 10, 20), 10);
    assert_int_equal(tui_progress_cells(999, 1000, 20), 19); /* full only when done */
    assert_int_equal(tui_progress_cells(10, 10, 20), 20);
    assert_int_equal(tui_progress_cells(3, 0, 20), 0);
    char buf[32];
    tui_format_bytes(buf, sizeof buf, 512);
    assert_string_equal(buf, "512 B");
    tui_format_bytes(buf, sizeof buf, 1536);
    assert_string_equal(buf, "1.5 KiB");
    tui_format_bytes(buf, sizeof buf, (uint64_t)3 << 30);
    assert_string_equal(buf, "3.0 GiB");
    tui_format_count(buf, sizeof buf, 1234567);
    assert_string_equal(buf, "1,234,567");
    tui_format_count(buf, sizeof buf, -1000);
    assert_string_equal(buf, "-1,000");
    tui_format_count(buf, sizeof buf, 999);
    assert_string_equal(buf, "999");
}

static void test_wrap_breaks_at_spaces_and_newlines(void **state)
{
    (void)state;
    const char *s = "restore three tables\nnow";
    size_t skip;
    size_t n = tui_wrap_next(s, 10, &skip);
    assert_int_equal(n, 7); /* "restore" */
    assert_int_equal(skip, 1);
    assert_int_equal(tui_wrap_count(s, 10), 4); /* restore|three|tables|now */
    assert_int_equal(tui_wrap_count("abcdefghij", 4), 3); /* long words are cut */
    assert_int_equal(tui_wrap_count("", 4), 0);
    assert_int_equal(tui_wrap_count("\xE6\x97\xA5\xE6\x97\xA5\xE6\x97\xA5", 4), 2);
}

static void test_log_ring_keeps_newest_and_sanitises(void **state)
{
    (void)state;
    static struct tui_logring r;
    memset(&r, 0, sizeof r);
    tui_log_add(&r, TUI_LOG_ERROR, 1, "bad \x1b[2Jname");
    assert_string_equal(tui_log_get(&r, 0)->text, "bad \\e[2Jname");
    for (int i = 0; i < TUI_LOGRING_SIZE + 5; i++) {
        char msg[32];
        snprintf(msg, sizeof msg, "line %d", i);
        tui_log_add(&r, TUI_LOG_INFO, 2, msg);
    }
    assert_int_equal(r.count, TUI_LOGRING_SIZE);
    assert_string_equal(tui_log_get(&r, 0)->text, "line 5");
    char last[32];
    snprintf(last, sizeof last, "line %d", TUI_LOGRING_SIZE + 4);
    assert_string_equal(tui_log_get(&r, TUI_LOGRING_SIZE - 1)->text, last);
    assert_null(tui_log_get(&r, TUI_LOGRING_SIZE));
    /* A long line is cut on a character boundary. */
    char longs[TUI_LOGLINE_MAX * 2];
    size_t o = 0;
    while (o + 2 < sizeof longs - 1) {
        longs[o++] = (char)0xC3;
        longs[o++] = (char)0xA9;
    }
    longs[o] = '\0';
    tui_log_add(&r, TUI_LOG_INFO, 3, longs);
    const char *t = tui_log_get(&r, TUI_LOGRING_SIZE - 1)->text;
    assert_int_equal(strlen(t) % 2, 0);
}

static void test_table_navigate_shared_moves(void **state)
{
    (void)state;
    struct tui_table_state t = {0};
    tui_table_set_count(&t, 30, 10);
    assert_true(tui_table_navigate(&t, TUI_ACT_DOWN, 10));
    assert_int_equal(t.selected, 1);
    assert_true(tui_table_navigate(&t, TUI_ACT_PAGE_DOWN, 10));
    assert_int_equal(t.selected, 10); /* a page is visible - 1 rows */
    assert_true(tui_table_navigate(&t, TUI_ACT_END, 10));
    assert_int_equal(t.selected, 29);
    assert_int_equal(t.top, 20);
    assert_true(tui_table_navigate(&t, TUI_ACT_PAGE_UP, 10));
    assert_int_equal(t.selected, 20);
    assert_true(tui_table_navigate(&t, TUI_ACT_HOME, 10));
    assert_int_equal(t.selected, 0);
    assert_int_equal(t.top, 0);
    assert_true(tui_table_navigate(&t, TUI_ACT_UP, 10));
    assert_int_equal(t.selected, 0);
    /* anything else is the screen's own */
    assert_false(tui_table_navigate(&t, TUI_ACT_OPEN, 10));
    assert_false(tui_table_navigate(&t, TUI_ACT_DETAIL, 10));
    assert_int_equal(t.selected, 0);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_layout_fills_width_by_flex),
        cmocka_unit_test(test_table_move_clamps_and_scrolls),
        cmocka_unit_test(test_table_navigate_shared_moves),
        cmocka_unit_test(test_table_sort_is_stable_both_ways),
        cmocka_unit_test(test_line_editor_edits_utf8),
        cmocka_unit_test(test_sparkline_scales_and_marks),
        cmocka_unit_test(test_sparkline_counts_skip_unknown_and_columns),
        cmocka_unit_test(test_table_row_at_maps_clicks_to_rows),
        cmocka_unit_test(test_progress_cells_and_formats),
        cmocka_unit_test(test_wrap_breaks_at_spaces_and_newlines),
        cmocka_unit_test(test_log_ring_keeps_newest_and_sanitises),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

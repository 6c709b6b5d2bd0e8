/* chart.c - sparkline strings, progress bar proportions, byte and count formatting. */
#include "chart.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void tui_sparkline(char *out, size_t cap, const int64_t *values, size_t n, int width,
                   long mark, bool ascii)
{
    static const char *const bars_utf8[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                             "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char bars_ascii[8] = {'_', '.', '-', '=', '+', '*', '#', '@'};
    size_t o = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    if (width <= 0)
        return;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int64_t lo = 0;
    int64_t hi = 0;
    for (size_t i = first; i < n; i++) {
        if (i == first || values[i] < lo)
            lo = values[i];
        if (i == first || values[i] > hi)
            hi = values[i];
    }
    int pad = (int)((size_t)width - (n - first));
    for (int i = 0; i < pad && o + 1 < cap; i++)
        out[o++] = ' ';
    for (size_t i = first; i < n; i++) {
        const char *s;
        char one[2] = {0, 0};
        if ((long)i == mark) {
            s = ascii ? "|" : "\u2502";
        } else {
            int level = hi == lo ? 3 : (int)((values[i] - lo) * 7 / (hi - lo));
            if (ascii) {
                one[0] = bars_ascii[level];
                s = one;
            } else {
                s = bars_utf8[level];
            }
        }
        size_t len = strlen(s);
        if (o + len + 1 > cap)
            break;
        memcpy(out + o, s, len);
        o += len;
    }
    out[o] = '\0';
}

void tui_sparkline_counts(char *out, size_t cap, const int64_t *values, size_t n, int width,
                          bool ascii)
{
    static const char *const bars_utf8[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                             "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char bars_ascii[8] = {'_', '.', '-', '=', '+', '*', '#', '@'};
    size_t o = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    if (width <= 0)
        return;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    int64_t lo = -1;
    int64_t hi = -1;
    for (size_t i = first; i < n; i++) {
        if (values[i] < 0)
            continue;
        if (lo < 0 || values[i] < lo)
            lo = values[i];
        if (hi < 0 || values[i] > hi)
            hi = values[i];
    }
    int pad = (int)((size_t)width - (n - first));
    for (int i = 0; i < pad && o + 1 < cap; i++)
        out[o++] = ' ';
    for (size_t i = first; i < n; i++) {
        char one[2] = {' ', 0};
        const char *s = one;
        if (values[i] >= 0) {
            int level = hi == lo ? 3 : (int)((values[i] - lo) * 7 / (hi - lo));
            if (ascii)
                one[0] = bars_ascii[level];
            else
                s = bars_utf8[level];
        }
        size_t len = strlen(s);
        if (o + len + 1 > cap)
            break;
        memcpy(out + o, s, len);
        o += len;
    }
    out[o] = '\0';
}

int tui_sparkline_column(size_t n, int width, size_t index)
{
    if (width <= 0 || index >= n)
        return -1;
    size_t first = n > (size_t)width ? n - (size_t)width : 0;
    if (index < first)
        return -1;
    int pad = (int)((size_t)width - (n - first));
    return pad + (int)(index - first);
}

int tui_progress_cells(uint64_t done, uint64_t total, int width)
{
    if (total == 0 || width <= 0)
        return 0;
    if (done >= total)
        return width;
    int cells = (int)((long double)done * width / total);
    return cells >= width ? width - 1 : cells;
}

void tui_format_bytes(char *out, size_t cap, uint64_t bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024) {
        snprintf(out, cap, "%" PRIu64 " B", bytes);
        return;
    }
    double v = (double)bytes / 1024.0;
    size_t u = 0;
    while (v >= 1024.0 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024.0;
        u++;
    }
    snprintf(out, cap, "%.1f %s", v, units[u]);
}

void tui_format_count(char *out, size_t cap, int64_t n)
{
    char digits[32];
    uint64_t m = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    snprintf(digits, sizeof digits, "%" PRIu64, m);
    char buf[48];
    size_t o = 0;
    if (n < 0)
        buf[o++] = '-';
    size_t len = strlen(digits);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    snprintf(out, cap, "%s", buf);
}

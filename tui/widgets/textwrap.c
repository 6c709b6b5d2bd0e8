/* textwrap.c - greedy word wrap by display columns. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "textwrap.h"

#include <stdbool.h>
#include <string.h>
#include <wchar.h>

static size_t char_len(const unsigned char *p)
{
    if (*p < 0x80)
        return 1;
    if ((*p & 0xE0) == 0xC0)
        return 2;
    if ((*p & 0xF0) == 0xE0)
        return 3;
    return 4;
}

static int char_width(const unsigned char *p, size_t n)
{
    wchar_t wc;
    mbstate_t st;
    memset(&st, 0, sizeof st);
    if (mbrtowc(&wc, (const char *)p, n, &st) > n)
        return 1;
    int w = wcwidth(wc);
    return w < 0 ? 1 : w;
}

size_t tui_wrap_next(const char *s, int width, size_t *skip)
{
    const unsigned char *p = (const unsigned char *)s;
    *skip = 0;
    if (!*p)
        return 0;
    if (width < 1)
        width = 1;
    size_t i = 0;
    int used = 0;
    size_t last_space = 0;
    bool has_space = false;
    while (p[i]) {
        if (p[i] == '\n') {
            *skip = 1;
            return i;
        }
        size_t n = char_len(p + i);
        int w = char_width(p + i, n);
        if (used + w > width) {
            if (p[i] == ' ') {
                *skip = 1;
                return i;
            }
            if (has_space) {
                *skip = 1;
                return last_space;
            }
            return i > 0 ? i : n;
        }
        if (p[i] == ' ') {
            last_space = i;
            has_space = true;
        }
        used += w;
        i += n;
    }
    return i;
}

int tui_wrap_count(const char *s, int width)
{
    int lines = 0;
    while (*s) {
        size_t skip;
        size_t n = tui_wrap_next(s, width, &skip);
        lines++;
        s += n + skip;
    }
    return lines;
}

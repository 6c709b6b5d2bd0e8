/* sanitize.c - lake text -> printable text, and column-aware measuring and cutting.
 * Owns the stand-in rules listed in sanitize.h; knows nothing about curses. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700
#endif
#include "sanitize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decode one strict UTF-8 sequence (no overlongs, no surrogates, <= U+10FFFF). Returns its
 * length and sets *cp, or 0 when the bytes at `s` are not valid UTF-8. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v;
    uint32_t min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Unicode format characters that reorder or hide text (Trojan-source style). */
static bool is_invisible_format(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0x061C || cp == 0x00AD;
}

static size_t put_str(char *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o, s, n);
    return n;
}

static size_t put_c0(char *o, unsigned char c)
{
    switch (c) {
    case 0x1B: return put_str(o, "\\e");
    case 0x07: return put_str(o, "\\a");
    case 0x09: return put_str(o, "\\t");
    case 0x0A: return put_str(o, "\\n");
    case 0x0D: return put_str(o, "\\r");
    default: break;
    }
    char tmp[8];
    snprintf(tmp, sizeof tmp, "\\x%02x", c);
    return put_str(o, tmp);
}

char *tui_sanitize(const char *in, size_t len, bool ascii)
{
    /* Worst case per input byte: an invalid byte becomes U+FFFD (3 bytes) or "\xNN" (4). */
    char *out = malloc(len * 4 + 1);
    if (!out)
        return NULL;
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x20 || c == 0x7F) {
            o += put_c0(out + o, c);
            i++;
            continue;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        uint32_t cp = 0;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            o += put_str(out + o, ascii ? "?" : "\xEF\xBF\xBD");
            i++;
            continue;
        }
        char tmp[16];
        if (cp <= 0x9F) {
            snprintf(tmp, sizeof tmp, "\\u%04x", (unsigned)cp);
            o += put_str(out + o, tmp);
        } else if (is_invisible_format(cp) || wcwidth((wchar_t)cp) < 0) {
            /* At most 10 bytes for a 4-byte sequence: within the 4x bound. */
            snprintf(tmp, sizeof tmp, cp > 0xFFFF ? "\\U%08x" : "\\u%04x", (unsigned)cp);
            o += put_str(out + o, tmp);
        } else if (ascii) {
            out[o++] = '?';
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return out;
}

char *tui_sanitize_str(const char *in, bool ascii)
{
    if (!in)
        in = "";
    return tui_sanitize(in, strlen(in), ascii);
}

static int cp_width(uint32_t cp)
{
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int tui_text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    int w = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = utf8_decode(p + i, n - i, &cp);
        if (k == 0) {
            w++;
            i++;
            continue;
        }
        w += cp_width(cp);
        i += k;
    }
    return w;
}

int tui_text_fit(char *out, size_t cap, const char *s, int width, bool ascii)
{
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (width <= 0)
        return 0;
    const char *ell = ascii ? "~" : "\xE2\x80\xA6";
    bool must_cut = tui_text_width(s) > width;
    int budget = must_cut ? width - 1 : width;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    size_t i = 0;
    size_t o = 0;
    int used = 0;
    while (i < n) {
        uint32_t cp = 0;
        size_t k = utf8_decode(p + i, n - i, &cp);
        int w = 1;
        if (k == 0)
            k = 1;
        else
            w = cp_width(cp);
        if (used + w > budget || o + k + 4 > cap)
            break;
        memcpy(out + o, p + i, k);
        o += k;
        used += w;
        i += k;
    }
    if (i < n && o + strlen(ell) < cap) {
        o += put_str(out + o, ell);
        used++;
    }
    out[o] = '\0';
    return used;
}

/* str.c - small string helpers (see str.h). */
#include "lakerewind/str.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/error.h"

char *lr_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

char *lr_strndup(const char *s, size_t n)
{
    return s ? strndup(s, n) : NULL;
}

char *lr_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = NULL;
    int n = vasprintf(&out, fmt, ap);
    va_end(ap);
    return n < 0 ? NULL : out;
}

char *lr_path_join(const char *a, const char *b)
{
    size_t la = strlen(a);
    while (la > 0 && a[la - 1] == '/')
        la--;
    while (*b == '/')
        b++;
    if (la == 0)
        return a[0] == '/' ? lr_asprintf("/%s", b) : lr_strdup(b);
    if (!*b)
        return lr_strndup(a, la);
    return lr_asprintf("%.*s/%s", (int)la, a, b);
}

bool lr_str_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool lr_str_ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

bool lr_parse_int64(const char *s, int64_t *out)
{
    if (!s || !*s)
        return false;
    errno = 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || s[0] == ' ' || s[0] == '+')
        return false;
    *out = v;
    return true;
}

bool lr_parse_uint64(const char *s, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static int grow(struct lr_strvec *v)
{
    if (v->count < v->cap)
        return 0;
    size_t cap = v->cap ? v->cap * 2 : 8;
    char **p = realloc(v->items, cap * sizeof *p);
    if (!p)
        return LR_ENOMEM;
    v->items = p;
    v->cap = cap;
    return 0;
}

int lr_strvec_push_owned(struct lr_strvec *v, char *s)
{
    if (!s || grow(v) < 0) {
        free(s);
        return LR_ENOMEM;
    }
    v->items[v->count++] = s;
    return 0;
}

int lr_strvec_push(struct lr_strvec *v, const char *s)
{
    return lr_strvec_push_owned(v, lr_strdup(s));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void lr_strvec_sort(struct lr_strvec *v)
{
    if (v->count > 1)
        qsort(v->items, v->count, sizeof *v->items, cmp_str);
}

void lr_strvec_free(struct lr_strvec *v)
{
    for (size_t i = 0; i < v->count; i++)
        free(v->items[i]);
    free(v->items);
    v->items = NULL;
    v->count = v->cap = 0;
}

/* xml.c - the small XML scanner used for listings and error bodies (see xml.h). */
#include "xml.h"

#include <stdint.h>
#include <string.h>

#include "lakerewind/buf.h"

#define MAX_DEPTH 32
#define MAX_PATH 512

struct scan {
    const char *p, *end;
    char path[MAX_PATH];
    size_t depth;
    size_t seglen[MAX_DEPTH];
    struct lr_buf text;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int is_name_char(char c)
{
    return c && !is_space(c) && c != '>' && c != '/' && c != '=' && c != '<';
}

static int put_utf8(struct lr_buf *b, uint32_t cp, struct lr_error *err)
{
    uint8_t u[4];
    size_t n;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    if (cp < 0x80) {
        u[0] = (uint8_t)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (uint8_t)(0xC0 | (cp >> 6));
        u[1] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (uint8_t)(0xE0 | (cp >> 12));
        u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (uint8_t)(0xF0 | (cp >> 18));
        u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (uint8_t)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return lr_buf_append(b, u, n, err);
}

/* Append text [p, end) decoding entities. -1 on a bad entity. */
static int decode_into(struct lr_buf *b, const char *p, const char *end, struct lr_error *err)
{
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp ? amp : end;
        if (stop > p && lr_buf_append(b, p, (size_t)(stop - p), err) < 0)
            return -1;
        if (!amp)
            return 0;
        const char *semi = memchr(amp, ';', (size_t)(end - amp));
        if (!semi || semi - amp > 12)
            return -1;
        size_t n = (size_t)(semi - amp - 1);
        const char *e = amp + 1;
        int rc;
        if (n == 2 && !memcmp(e, "lt", 2))
            rc = lr_buf_append(b, "<", 1, err);
        else if (n == 2 && !memcmp(e, "gt", 2))
            rc = lr_buf_append(b, ">", 1, err);
        else if (n == 3 && !memcmp(e, "amp", 3))
            rc = lr_buf_append(b, "&", 1, err);
        else if (n == 4 && !memcmp(e, "quot", 4))
            rc = lr_buf_append(b, "\"", 1, err);
        else if (n == 4 && !memcmp(e, "apos", 4))
            rc = lr_buf_append(b, "'", 1, err);
        else if (n >= 2 && e[0] == '#') {
            uint32_t cp = 0;
            int hex = e[1] == 'x' || e[1] == 'X';
            const char *d = e + (hex ? 2 : 1);
            if (d >= semi)
                return -1;
            for (; d < semi; d++) {
                int v;
                if (*d >= '0' && *d <= '9')
                    v = *d - '0';
                else if (hex && *d >= 'a' && *d <= 'f')
                    v = *d - 'a' + 10;
                else if (hex && *d >= 'A' && *d <= 'F')
                    v = *d - 'A' + 10;
                else
                    return -1;
                cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
                if (cp > 0x10FFFF)
                    return -1;
            }
            rc = put_utf8(b, cp, err);
        } else {
            return -1;
        }
        if (rc < 0)
            return -1;
        p = semi + 1;
    }
    return 0;
}

static const char *find(const char *p, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (; p + n <= end; p++)
        if (!memcmp(p, needle, n))
            return p;
    return NULL;
}

static int corrupt(struct lr_error *err, const char *what, const char *why)
{
    return lr_error_set(err, LR_ECORRUPT, "malformed XML in %s: %s", what, why);
}

int lr_xml_scan(const char *data, size_t len, const struct lr_xml_handler *h, const char *what,
                struct lr_error *err)
{
    struct scan s;
    memset(&s, 0, sizeof s);
    s.p = data;
    s.end = data + len;
    lr_buf_init(&s.text, 16u << 20);
    int rc = 0;
    int seen_root = 0;
    while (s.p < s.end) {
        const char *lt = memchr(s.p, '<', (size_t)(s.end - s.p));
        if (!lt) {
            for (; s.p < s.end; s.p++)
                if (!is_space(*s.p)) {
                    rc = corrupt(err, what, "text after the document");
                    goto done;
                }
            break;
        }
        if (s.depth > 0) {
            if (decode_into(&s.text, s.p, lt, err) < 0) {
                rc = corrupt(err, what, "bad character reference");
                goto done;
            }
        }
        s.p = lt;
        if (s.end - s.p >= 4 && !memcmp(s.p, "<!--", 4)) {
            const char *e = find(s.p + 4, s.end, "-->");
            if (!e) {
                rc = corrupt(err, what, "unterminated comment");
                goto done;
            }
            s.p = e + 3;
            continue;
        }
        if (s.end - s.p >= 9 && !memcmp(s.p, "<![CDATA[", 9)) {
            const char *e = find(s.p + 9, s.end, "]]>");
            if (!e || s.depth == 0) {
                rc = corrupt(err, what, "bad CDATA section");
                goto done;
            }
            if (lr_buf_append(&s.text, s.p + 9, (size_t)(e - s.p - 9), err) < 0) {
                rc = err ? err->code : LR_ENOMEM;
                goto done;
            }
            s.p = e + 3;
            continue;
        }
        if (s.end - s.p >= 2 && (s.p[1] == '?' || s.p[1] == '!')) {
            const char *e = memchr(s.p, '>', (size_t)(s.end - s.p));
            if (!e) {
                rc = corrupt(err, what, "unterminated declaration");
                goto done;
            }
            s.p = e + 1;
            continue;
        }
        const char *gt = memchr(s.p, '>', (size_t)(s.end - s.p));
        if (!gt) {
            rc = corrupt(err, what, "unterminated tag");
            goto done;
        }
        int closing = s.p[1] == '/';
        const char *n = s.p + 1 + closing;
        const char *ne = n;
        while (ne < gt && is_name_char(*ne))
            ne++;
        if (ne == n) {
            rc = corrupt(err, what, "tag without a name");
            goto done;
        }
        const char *colon = memchr(n, ':', (size_t)(ne - n));
        const char *local = colon ? colon + 1 : n;
        size_t llen = (size_t)(ne - local);
        if (closing) {
            if (s.depth == 0) {
                rc = corrupt(err, what, "closing tag without an opening one");
                goto done;
            }
            size_t sl = s.seglen[s.depth - 1];
            size_t plen = strlen(s.path);
            if (sl != llen || memcmp(s.path + plen - sl, local, llen) != 0) {
                rc = corrupt(err, what, "mismatched closing tag");
                goto done;
            }
            if (h && h->close) {
                rc = h->close(h->ctx, s.path, s.text.data ? (char *)s.text.data : "",
                              s.text.len);
                if (rc < 0)
                    goto done;
            }
            lr_buf_reset(&s.text);
            size_t cut = plen - sl;
            if (cut > 0)
                cut--; /* the '/' before the segment */
            s.path[cut] = '\0';
            s.depth--;
            s.p = gt + 1;
            continue;
        }
        int empty = gt > n && gt[-1] == '/';
        if (s.depth == 0 && seen_root) {
            rc = corrupt(err, what, "two root elements");
            goto done;
        }
        if (s.depth >= MAX_DEPTH) {
            rc = corrupt(err, what, "elements nested too deeply");
            goto done;
        }
        size_t plen = strlen(s.path);
        if (plen + llen + 2 > MAX_PATH) {
            rc = corrupt(err, what, "element path too long");
            goto done;
        }
        if (plen)
            s.path[plen++] = '/';
        memcpy(s.path + plen, local, llen);
        s.path[plen + llen] = '\0';
        s.seglen[s.depth++] = llen;
        seen_root = 1;
        lr_buf_reset(&s.text);
        const char *attrs = ne;
        const char *attrs_end = empty ? gt - 1 : gt;
        if (h && h->open) {
            rc = h->open(h->ctx, s.path, attrs, (size_t)(attrs_end - attrs));
            if (rc < 0)
                goto done;
        }
        s.p = gt + 1;
        if (empty) {
            if (h && h->close) {
                rc = h->close(h->ctx, s.path, "", 0);
                if (rc < 0)
                    goto done;
            }
            size_t cut = strlen(s.path) - llen;
            if (cut > 0)
                cut--;
            s.path[cut] = '\0';
            s.depth--;
        }
    }
    if (s.depth != 0)
        rc = corrupt(err, what, "document ends inside an element");
    else if (!seen_root)
        rc = corrupt(err, what, "no root element");
done:
    lr_buf_free(&s.text);
    return rc;
}

int lr_xml_attr(const char *attrs, size_t attrs_len, const char *name, char *buf, size_t cap)
{
    size_t nl = strlen(name);
    const char *p = attrs, *end = attrs + attrs_len;
    while (p < end) {
        while (p < end && is_space(*p))
            p++;
        const char *n = p;
        while (p < end && *p != '=' && !is_space(*p))
            p++;
        size_t len = (size_t)(p - n);
        while (p < end && is_space(*p))
            p++;
        if (p >= end || *p != '=')
            return -1;
        p++;
        while (p < end && is_space(*p))
            p++;
        if (p >= end || (*p != '"' && *p != '\''))
            return -1;
        char q = *p++;
        const char *v = p;
        while (p < end && *p != q)
            p++;
        if (p >= end)
            return -1;
        if (len == nl && !memcmp(n, name, nl)) {
            size_t vl = (size_t)(p - v);
            if (vl + 1 > cap)
                return -1;
            memcpy(buf, v, vl);
            buf[vl] = '\0';
            return 0;
        }
        p++;
    }
    return -1;
}

struct first_ctx {
    const char *name;
    char *buf;
    size_t cap;
    int found;
};

static int first_close(void *ctx, const char *path, const char *text, size_t len)
{
    struct first_ctx *f = ctx;
    const char *slash = strrchr(path, '/');
    const char *last = slash ? slash + 1 : path;
    if (!f->found && strcmp(last, f->name) == 0) {
        size_t n = len < f->cap - 1 ? len : f->cap - 1;
        memcpy(f->buf, text, n);
        f->buf[n] = '\0';
        f->found = 1;
    }
    return 0;
}

int lr_xml_first_text(const char *data, size_t len, const char *name, char *buf, size_t cap)
{
    if (cap == 0)
        return -1;
    struct first_ctx f = {name, buf, cap, 0};
    struct lr_xml_handler h = {NULL, first_close, &f};
    lr_xml_scan(data, len, &h, "an error body", NULL);
    return f.found ? 0 : -1;
}

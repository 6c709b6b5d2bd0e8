/* sigv4.c - AWS SigV4 request signing on OpenSSL (see sigv4.h). */
#include "sigv4.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "lakerewind/str.h"

struct pair {
    char *a;
    char *b;
};

static int cmp_pair(const void *x, const void *y)
{
    const struct pair *p = x, *q = y;
    int c = strcmp(p->a, q->a);
    return c ? c : strcmp(p->b, q->b);
}

static void free_pairs(struct pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].a);
        free(p[i].b);
    }
    free(p);
}

/* name=value&... sorted; a name without '=' gets an empty value. */
static int canonical_query(const char *q, struct lr_buf *out, struct lr_error *err)
{
    if (!q || !*q)
        return 0;
    size_t n = 1;
    for (const char *c = q; *c; c++)
        n += *c == '&';
    struct pair *ps = calloc(n, sizeof *ps);
    if (!ps)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t k = 0;
    int rc = 0;
    const char *p = q;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            ps[k].a = lr_strndup(p, eq ? (size_t)(eq - p) : len);
            ps[k].b = eq ? lr_strndup(eq + 1, len - (size_t)(eq - p) - 1) : lr_strdup("");
            if (!ps[k].a || !ps[k].b) {
                k++;
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                goto done;
            }
            k++;
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    qsort(ps, k, sizeof *ps, cmp_pair);
    for (size_t i = 0; i < k && rc == 0; i++)
        rc = lr_buf_printf(out, err, "%s%s=%s", i ? "&" : "", ps[i].a, ps[i].b);
done:
    free_pairs(ps, k);
    return rc;
}

/* Trim and collapse runs of spaces. */
static char *clean_value(const char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    char *o = malloc(n + 1);
    if (!o)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i] == '\t' ? ' ' : v[i];
        if (c == ' ' && j > 0 && o[j - 1] == ' ')
            continue;
        o[j++] = c;
    }
    while (j > 0 && o[j - 1] == ' ')
        j--;
    o[j] = '\0';
    return o;
}

int lr_sigv4_sign(const struct lr_sigv4_input *in, char **authorization, struct lr_buf *canonical,
                  struct lr_buf *string_to_sign, struct lr_error *err)
{
    *authorization = NULL;
    struct lr_buf creq = LR_BUF_INIT, sts = LR_BUF_INIT, signed_hdrs = LR_BUF_INIT;
    struct pair *hs = NULL;
    size_t nh = in->header_count;
    int rc = 0;
    if (strlen(in->amz_date) != 16)
        return lr_error_set(err, LR_EINVAL, "SigV4 date '%s' is not YYYYMMDDTHHMMSSZ",
                            in->amz_date);
    hs = calloc(nh ? nh : 1, sizeof *hs);
    if (!hs)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < nh; i++) {
        hs[i].a = lr_strdup(in->headers[i].name);
        hs[i].b = clean_value(in->headers[i].value);
        if (!hs[i].a || !hs[i].b) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        for (char *c = hs[i].a; *c; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    /* Stable by name only: repeated names keep their given order when joined. */
    for (size_t i = 1; i < nh; i++) {
        struct pair t = hs[i];
        size_t j = i;
        while (j > 0 && strcmp(hs[j - 1].a, t.a) > 0) {
            hs[j] = hs[j - 1];
            j--;
        }
        hs[j] = t;
    }
    if ((rc = lr_buf_printf(&creq, err, "%s\n%s\n", in->method,
                            in->path && *in->path ? in->path : "/")) < 0)
        goto done;
    if ((rc = canonical_query(in->query, &creq, err)) < 0)
        goto done;
    if ((rc = lr_buf_append_str(&creq, "\n", err)) < 0)
        goto done;
    for (size_t i = 0; i < nh; i++) {
        bool first = i == 0 || strcmp(hs[i - 1].a, hs[i].a) != 0;
        bool last = i + 1 == nh || strcmp(hs[i + 1].a, hs[i].a) != 0;
        if (first) {
            rc = lr_buf_printf(&creq, err, "%s:%s", hs[i].a, hs[i].b);
            if (rc == 0)
                rc = lr_buf_printf(&signed_hdrs, err, "%s%s", signed_hdrs.len ? ";" : "",
                                   hs[i].a);
        } else {
            rc = lr_buf_printf(&creq, err, ",%s", hs[i].b);
        }
        if (rc == 0 && last)
            rc = lr_buf_append_str(&creq, "\n", err);
        if (rc < 0)
            goto done;
    }
    if ((rc = lr_buf_printf(&creq, err, "\n%s\n%s", signed_hdrs.data ? (char *)signed_hdrs.data : "",
                            in->payload_hash)) < 0)
        goto done;
    char creq_hash[65];
    lr_sha256_hex(creq.data, creq.len, creq_hash);
    char day[9];
    memcpy(day, in->amz_date, 8);
    day[8] = '\0';
    if ((rc = lr_buf_printf(&sts, err, "AWS4-HMAC-SHA256\n%s\n%s/%s/%s/aws4_request\n%s",
                            in->amz_date, day, in->region, in->service, creq_hash)) < 0)
        goto done;
    uint8_t k1[32], k2[32], k3[32], k4[32], sig[32];
    char *ksecret = lr_asprintf("AWS4%s", in->secret_key);
    if (!ksecret) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    int hr = lr_hmac_sha256(ksecret, strlen(ksecret), day, 8, k1);
    memset(ksecret, 0, strlen(ksecret));
    free(ksecret);
    if (hr < 0 || lr_hmac_sha256(k1, 32, in->region, strlen(in->region), k2) < 0 ||
        lr_hmac_sha256(k2, 32, in->service, strlen(in->service), k3) < 0 ||
        lr_hmac_sha256(k3, 32, "aws4_request", 12, k4) < 0 ||
        lr_hmac_sha256(k4, 32, sts.data, sts.len, sig) < 0) {
        rc = lr_error_set(err, LR_EINVAL, "HMAC-SHA256 failed while signing");
        goto done;
    }
    char sighex[65];
    lr_hex_lower(sig, 32, sighex);
    *authorization =
        lr_asprintf("AWS4-HMAC-SHA256 Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
                    "Signature=%s",
                    in->access_key, day, in->region, in->service, (char *)signed_hdrs.data,
                    sighex);
    if (!*authorization) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (canonical && (rc = lr_buf_append(canonical, creq.data, creq.len, err)) < 0)
        goto done;
    if (string_to_sign && (rc = lr_buf_append(string_to_sign, sts.data, sts.len, err)) < 0)
        goto done;
done:
    if (rc < 0) {
        free(*authorization);
        *authorization = NULL;
    }
    free_pairs(hs, nh);
    lr_buf_free(&creq);
    lr_buf_free(&sts);
    lr_buf_free(&signed_hdrs);
    return rc;
}

/* digest.c - HMAC-SHA256, SHA-256, hex, base64 and URL encoding for request signing. */
#include "digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

int lr_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                   uint8_t out[32])
{
    unsigned int n = 32;
    if (key_len > (size_t)0x7fffffff)
        return -1;
    if (!HMAC(EVP_sha256(), key, (int)key_len, msg, msg_len, out, &n) || n != 32)
        return -1;
    return 0;
}

void lr_hex_lower(const uint8_t *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void lr_sha256_hex(const void *data, size_t len, char hex[65])
{
    uint8_t d[32];
    SHA256(data, len, d);
    lr_hex_lower(d, 32, hex);
}

char *lr_base64_encode(const uint8_t *in, size_t n)
{
    size_t olen = 4 * ((n + 2) / 3);
    char *out = malloc(olen + 1);
    if (!out)
        return NULL;
    if (n > (size_t)0x7fffffff) {
        free(out);
        return NULL;
    }
    int w = EVP_EncodeBlock((unsigned char *)out, in, (int)n);
    if (w < 0) {
        free(out);
        return NULL;
    }
    out[w] = '\0';
    return out;
}

static int b64val(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

int lr_base64_decode(const char *in, uint8_t **out, size_t *out_len)
{
    size_t n = strlen(in);
    *out = NULL;
    *out_len = 0;
    if (n == 0 || n % 4 != 0)
        return -1;
    uint8_t *o = malloc(n / 4 * 3 + 1);
    if (!o)
        return -1;
    size_t j = 0;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = in[i + k];
            if (c == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad) {
                goto bad;
            } else {
                v[k] = b64val(c);
                if (v[k] < 0)
                    goto bad;
            }
        }
        uint32_t t = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 |
                     (uint32_t)v[3];
        o[j++] = (uint8_t)(t >> 16);
        if (pad < 2)
            o[j++] = (uint8_t)(t >> 8);
        if (pad < 1)
            o[j++] = (uint8_t)t;
    }
    *out = o;
    *out_len = j;
    return 0;
bad:
    free(o);
    return -1;
}

char *lr_url_encode(const char *s, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(s);
    char *out = malloc(3 * n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
            out[j++] = (char)c;
        } else {
            out[j++] = '%';
            out[j++] = hex[c >> 4];
            out[j++] = hex[c & 15];
        }
    }
    out[j] = '\0';
    return out;
}

int lr_random_bytes(void *buf, size_t n)
{
    if (n > (size_t)0x7fffffff)
        return -1;
    return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

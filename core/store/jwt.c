/* jwt.c - the caller named by a bearer token's JWT payload (claim order in jwt.h). Decoding
 * only: the store's service verifies the token; we merely read who it says the caller is. */
#include "jwt.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "lakerewind/str.h"

#define MAX_PAYLOAD (64 * 1024)

/* base64url (no padding) -> standard base64 with padding, then decode. */
static json_t *decode_payload(const char *p, size_t n)
{
    if (n == 0 || n > MAX_PAYLOAD)
        return NULL;
    char *std = malloc(n + 4);
    if (!std)
        return NULL;
    for (size_t i = 0; i < n; i++)
        std[i] = p[i] == '-' ? '+' : p[i] == '_' ? '/' : p[i];
    size_t len = n;
    while (len % 4)
        std[len++] = '=';
    std[len] = '\0';
    uint8_t *raw = NULL;
    size_t raw_len = 0;
    json_t *j = NULL;
    if (lr_base64_decode(std, &raw, &raw_len) == 0)
        j = json_loadb((const char *)raw, raw_len, 0, NULL);
    free(std);
    free(raw);
    if (j && !json_is_object(j)) {
        json_decref(j);
        j = NULL;
    }
    return j;
}

static const char *claim(json_t *payload, const char *name)
{
    const char *v = json_string_value(json_object_get(payload, name));
    return v && *v ? v : NULL;
}

char *lr_jwt_identity(const char *token)
{
    if (!token)
        return NULL;
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (!dot2)
        return NULL;
    json_t *payload = decode_payload(dot1 + 1, (size_t)(dot2 - dot1 - 1));
    if (!payload)
        return NULL;
    static const char *person[] = {"upn", "preferred_username", "unique_name"};
    char *out = NULL;
    for (size_t i = 0; !out && i < 3; i++)
        if (claim(payload, person[i]))
            out = lr_strdup(claim(payload, person[i]));
    if (!out && claim(payload, "appid"))
        out = lr_asprintf("app:%s", claim(payload, "appid"));
    if (!out && claim(payload, "azp"))
        out = lr_asprintf("app:%s", claim(payload, "azp"));
    if (!out && claim(payload, "oid"))
        out = lr_asprintf("oid:%s", claim(payload, "oid"));
    json_decref(payload);
    return out;
}

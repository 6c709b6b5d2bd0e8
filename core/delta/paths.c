/* paths.c - from logged paths and deletion-vector descriptors to object keys.
 *
 * add.path is a URI relative to the table root, encoded once more than the object key
 * (PROTOCOL.md; partition dirs are Hive-escaped, then the whole path URI-encoded): decode
 * exactly once, '+' stays a plus. DV files ('u') are named by a Z85-encoded UUID. */
#include <stdlib.h>
#include <string.h>

#include "delta/internal.h"
#include "lakerewind/str.h"
#include "lakerewind/uri.h"

char *lr_delta_path_to_key(const char *path)
{
    if (!path || !*path || path[0] == '/')
        return NULL;
    const char *colon = strchr(path, ':');
    const char *slash = strchr(path, '/');
    if (colon && (!slash || colon < slash))
        return NULL; /* scheme-qualified absolute URI */
    char *k = lr_uri_percent_decode(path);
    if (!k)
        return NULL;
    /* reject keys the store would refuse (., .., empty segments) */
    if (lr_store_key_check(k, NULL) < 0) {
        free(k);
        return NULL;
    }
    return k;
}

static const char Z85[] =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

static int z85_value(char c)
{
    const char *p = c ? strchr(Z85, c) : NULL;
    return p ? (int)(p - Z85) : -1;
}

/* Decode 20 Z85 characters into 16 bytes. */
static bool z85_decode16(const char *in, unsigned char out[16])
{
    for (int g = 0; g < 4; g++) {
        uint64_t v = 0;
        for (int i = 0; i < 5; i++) {
            int d = z85_value(in[g * 5 + i]);
            if (d < 0)
                return false;
            v = v * 85 + (uint64_t)d;
        }
        if (v > 0xffffffffu)
            return false;
        out[g * 4] = (unsigned char)(v >> 24);
        out[g * 4 + 1] = (unsigned char)(v >> 16);
        out[g * 4 + 2] = (unsigned char)(v >> 8);
        out[g * 4 + 3] = (unsigned char)v;
    }
    return true;
}

char *lr_delta_dv_key(json_t *dv)
{
    const char *st = delta_json_str(dv, "storageType");
    const char *p = delta_json_str(dv, "pathOrInlineDv");
    if (!st || !p)
        return NULL;
    if (strcmp(st, "p") == 0)
        return lr_delta_path_to_key(p);
    if (strcmp(st, "u") != 0)
        return NULL;
    size_t n = strlen(p);
    unsigned char u[16];
    if (n < 20 || !z85_decode16(p + n - 20, u))
        return NULL;
    char uuid[37];
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            uuid[o++] = '-';
        uuid[o++] = hex[u[i] >> 4];
        uuid[o++] = hex[u[i] & 15];
    }
    uuid[o] = '\0';
    if (n > 20)
        return lr_asprintf("%.*s/deletion_vector_%s.bin", (int)(n - 20), p, uuid);
    return lr_asprintf("deletion_vector_%s.bin", uuid);
}

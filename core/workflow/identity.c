/* identity.c - run ids (UUID v4 from OpenSSL RAND) and the operator resolution order. */
#include "lakerewind/identity.h"

#include <ctype.h>
#include <openssl/rand.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int lr_run_id_new(char out[LR_RUN_ID_LEN + 1], struct lr_error *err)
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        return lr_error_set(err, LR_EIO, "the random number generator failed creating a run id");
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(out, LR_RUN_ID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    return 0;
}

bool lr_run_id_valid(const char *s)
{
    if (!s || strlen(s) != LR_RUN_ID_LEN)
        return false;
    for (size_t i = 0; i < LR_RUN_ID_LEN; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

int lr_run_id_check(const char *s, struct lr_error *err)
{
    if (lr_run_id_valid(s))
        return 0;
    return lr_error_set(err, LR_EINVAL,
                        "'%.64s' is not a run id: expected 36 characters like "
                        "1b4e28ba-2fa1-41d2-883f-0016d3cca427 (see `lakerewind runs`)",
                        s ? s : "");
}

static bool present(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

const char *lr_operator_resolve(const struct lr_identity_inputs *in,
                                enum lr_identity_source *source)
{
    enum lr_identity_source src = LR_IDENTITY_UNKNOWN;
    const char *who = "unknown";
    if (present(in->token_identity)) {
        src = LR_IDENTITY_TOKEN;
        who = in->token_identity;
    } else if (present(in->configured_operator)) {
        src = LR_IDENTITY_CONFIG;
        who = in->configured_operator;
    } else if (present(in->login_name)) {
        src = LR_IDENTITY_LOGIN;
        who = in->login_name;
    }
    if (source)
        *source = src;
    return who;
}

const char *lr_identity_source_name(enum lr_identity_source s)
{
    static const char *n[] = {"token", "config", "login", "unknown"};
    return (size_t)s < 4 ? n[s] : "unknown";
}

char *lr_login_name(char *out, size_t cap)
{
    out[0] = '\0';
    struct passwd pw;
    struct passwd *res = NULL;
    char buf[4096];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &res) == 0 && res && res->pw_name &&
        *res->pw_name) {
        snprintf(out, cap, "%s", res->pw_name);
        return out;
    }
    const char *env = getenv("USER");
    if (!env || !*env)
        env = getenv("LOGNAME");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return out;
    }
    return NULL;
}

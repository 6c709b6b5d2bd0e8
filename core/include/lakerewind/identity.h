/* identity.h - run ids and the operator recorded in every audit row.
 *
 * A run id is a random (version 4) UUID in lower-case canonical form, 36 characters:
 * "1b4e28ba-2fa1-41d2-883f-0016d3cca427". The operator is who actually acted, resolved in this
 * order: the identity in the Entra token or AWS credentials when there is one, else the
 * configured operator name, else the login name, else "unknown". */
#ifndef LAKEREWIND_IDENTITY_H
#define LAKEREWIND_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/error.h"

#define LR_RUN_ID_LEN 36

/* A fresh run id from OpenSSL's CSPRNG into out (LR_RUN_ID_LEN + NUL). LR_EIO when the random
 * generator fails. */
int lr_run_id_new(char out[LR_RUN_ID_LEN + 1], struct lr_error *err);

/* true when `s` is a canonical lower-case UUID (any version; ids from elsewhere are accepted). */
bool lr_run_id_valid(const char *s);

/* Check a run id the operator typed; LR_EINVAL saying what a run id looks like. */
int lr_run_id_check(const char *s, struct lr_error *err);

enum lr_identity_source {
    LR_IDENTITY_TOKEN = 0, /* the credential's identity (lr_store_identity: Entra token claims,
                              "aws:<access key id>") */
    LR_IDENTITY_CONFIG,    /* the configured operator name */
    LR_IDENTITY_LOGIN,     /* the login name of the process */
    LR_IDENTITY_UNKNOWN,   /* nothing known: "unknown" */
};

struct lr_identity_inputs {
    const char *token_identity;      /* borrowed; NULL or "" when the credential names nobody */
    const char *configured_operator; /* borrowed; NULL or "" when not configured */
    const char *login_name;          /* borrowed; NULL or "" when unknown */
};

/* The operator name by the order above. Returns one of the input strings (borrowed) or the
 * static "unknown"; *source (may be NULL) says which. Whitespace-only values count as empty. */
const char *lr_operator_resolve(const struct lr_identity_inputs *in,
                                enum lr_identity_source *source);

/* "token", "config", "login", "unknown". Static storage. */
const char *lr_identity_source_name(enum lr_identity_source s);

/* The login name of this process (getpwuid of the real uid, else $USER / $LOGNAME) into out.
 * Returns out, or NULL (out = "") when none is known. */
char *lr_login_name(char *out, size_t cap);

#endif

/* azure_auth.h - internal: Azure Storage authorization.
 *
 * Shared Key: lr_azure_string_to_sign() builds the Blob-service string-to-sign (pure, tested
 * against a request Azurite accepted) and lr_azure_shared_key() signs it with the decoded
 * account key. Bearer tokens: an lr_az_token source (static token, service principal client
 * credentials against an authority host, Azure CLI, managed identity) caches the token and
 * fetches a new one `refresh_margin_ms` before it expires. Tokens and secrets are registered
 * with lr_redact_register() as soon as they are known. */
#ifndef LR_STORE_AZURE_AUTH_H
#define LR_STORE_AZURE_AUTH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "lakerewind/buf.h"
#include "lakerewind/error.h"

struct lr_az_header {
    const char *name;
    const char *value;
};

/* VERB, the standard headers in their fixed slots (Content-Length "" when 0), canonicalised
 * x-ms-* headers, then "/account" + url_path + each query parameter (lower-cased name, decoded
 * value, sorted). `query` is the raw encoded query without '?' and without any SAS. */
int lr_azure_string_to_sign(const char *method, const char *account, const char *url_path,
                            const char *query, const struct lr_az_header *headers, size_t n,
                            struct lr_buf *out, struct lr_error *err);

/* "SharedKey account:base64(HMAC-SHA256(key, sts))" into a malloc'd *out. */
int lr_azure_shared_key(const char *account, const uint8_t *key, size_t key_len,
                        const struct lr_buf *sts, char **out, struct lr_error *err);

enum lr_az_token_kind { LR_AZ_TOKEN_STATIC = 1, LR_AZ_TOKEN_CLIENT_SECRET, LR_AZ_TOKEN_CLI,
                        LR_AZ_TOKEN_MSI, LR_AZ_TOKEN_WORKLOAD };

struct lr_az_token {
    enum lr_az_token_kind kind;
    char *authority_host; /* client secret: "https://login.microsoftonline.com" by default */
    char *tenant_id;
    char *client_id;
    char *client_secret;
    char *federated_token_file; /* workload identity: the assertion, re-read on every fetch */
    char *msi_endpoint;   /* IMDS or IDENTITY_ENDPOINT */
    char *msi_header;     /* IDENTITY_HEADER, NULL for IMDS */
    char *resource;       /* "https://storage.azure.com" */
    long refresh_margin_ms;
    struct lr_http *http; /* borrowed */
    pthread_mutex_t lock;
    char *token;          /* cached */
    int64_t expires_ms;   /* wall clock, ms since the epoch */
    unsigned fetches;     /* how many tokens were obtained (for tests and --stats) */
};

/* The current token (malloc'd copy), fetching or refreshing it when needed. */
int lr_az_token_get(struct lr_az_token *t, char **out, struct lr_error *err);
void lr_az_token_free(struct lr_az_token *t);
/* A short name of the source for messages ("service principal", "Azure CLI", ...). */
const char *lr_az_token_kind_name(enum lr_az_token_kind k);

#endif

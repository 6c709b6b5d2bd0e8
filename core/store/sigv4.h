/* sigv4.h - internal: AWS Signature Version 4 for S3 requests, as a pure function.
 *
 * The caller builds the request (path already percent-encoded as it will be sent, query in any
 * order with names and values already percent-encoded) and lists every header to sign,
 * including host, x-amz-date, x-amz-content-sha256 and any x-amz-security-token. The signer
 * canonicalises (query sorted by name then value; header names lower-cased, values trimmed with
 * inner runs of spaces collapsed, repeated names comma-joined, sorted), and returns the
 * Authorization header value. Tested against AWS's published SigV4 test-suite vectors. */
#ifndef LR_STORE_SIGV4_H
#define LR_STORE_SIGV4_H

#include <stddef.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"

struct lr_sigv4_header {
    const char *name;
    const char *value;
};

struct lr_sigv4_input {
    const char *method;
    const char *path;  /* as sent, e.g. "/bucket/a%20b.json"; "" means "/" */
    const char *query; /* as sent without '?', may be NULL or "" */
    const struct lr_sigv4_header *headers;
    size_t header_count;
    const char *payload_hash; /* hex SHA-256 of the body, or "UNSIGNED-PAYLOAD" */
    const char *amz_date;     /* "YYYYMMDDTHHMMSSZ", the x-amz-date value */
    const char *region;
    const char *service;
    const char *access_key;
    const char *secret_key;
};

/* Sign. *authorization gets a malloc'd "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
 * Signature=..." value. When not NULL, canonical and string_to_sign receive those texts (for
 * tests and for a debug dump that never includes the secret). */
int lr_sigv4_sign(const struct lr_sigv4_input *in, char **authorization, struct lr_buf *canonical,
                  struct lr_buf *string_to_sign, struct lr_error *err);

#endif

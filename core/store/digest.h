/* digest.h - internal: the hashing and encoding helpers request signing needs (OpenSSL). */
#ifndef LR_STORE_DIGEST_H
#define LR_STORE_DIGEST_H

#include <stddef.h>
#include <stdint.h>

/* HMAC-SHA256 of msg under key into out[32]. 0 or -1. */
int lr_hmac_sha256(const void *key, size_t key_len, const void *msg, size_t msg_len,
                   uint8_t out[32]);
/* Lower-case hex SHA-256 of data into hex[65]. */
void lr_sha256_hex(const void *data, size_t len, char hex[65]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void lr_hex_lower(const uint8_t *in, size_t n, char *out);
/* Standard base64 with padding; caller frees. NULL on ENOMEM. */
char *lr_base64_encode(const uint8_t *in, size_t n);
/* Decode standard base64 (padding required, whitespace refused); caller frees *out.
 * 0, or -1 on bad input / ENOMEM. */
int lr_base64_decode(const char *in, uint8_t **out, size_t *out_len);
/* Percent-encode for URLs: unreserved characters (A-Z a-z 0-9 - . _ ~) stay, '/' stays when
 * keep_slash, everything else becomes %XX with upper-case hex. Caller frees. */
char *lr_url_encode(const char *s, int keep_slash);
/* Fill buf with n random bytes from the OS (getrandom) or OpenSSL; 0 or -1. */
int lr_random_bytes(void *buf, size_t n);

#endif

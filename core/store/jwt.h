/* jwt.h - internal: naming the caller of an Entra ID (Azure AD) bearer token from its JWT
 * payload, for lr_store_identity(). */
#ifndef LR_STORE_JWT_H
#define LR_STORE_JWT_H

/* The identity a JWT names: the payload (second dot-separated part, base64url without
 * padding) decoded as JSON WITHOUT verifying the signature, then the first non-empty string
 * claim of upn, preferred_username, unique_name (returned as is), appid, azp ("app:<id>"),
 * oid ("oid:<id>"). NULL when the token is not a JWT or names nobody, or on ENOMEM. Never
 * returns or keeps any part of the token but that claim. Caller frees. */
char *lr_jwt_identity(const char *token);

#endif

/* uri.h - parsing the lakehouse and table URIs the tool accepts.
 *
 *   /abs/path, rel/path, file:///abs/path            -> LR_URI_LOCAL  (path made absolute)
 *   abfss://container@account.dfs.core.windows.net/p -> LR_URI_AZURE  (also abfs://, wasbs://)
 *   abfss://ws@onelake.dfs.fabric.microsoft.com/x.Lakehouse/p -> LR_URI_AZURE, is_onelake
 *   az://container/p, azure://container/p            -> LR_URI_AZURE  (account from config/env)
 *   https://account.blob.core.windows.net/container/p -> LR_URI_AZURE (also *.dfs.*)
 *   s3://bucket/p, s3a://bucket/p                     -> LR_URI_S3
 *
 * Ownership: lr_uri_parse fills a caller-owned struct; release its strings with lr_uri_free(). */
#ifndef LAKEREWIND_URI_H
#define LAKEREWIND_URI_H

#include <stdbool.h>

#include "lakerewind/error.h"

enum lr_uri_kind { LR_URI_LOCAL = 1, LR_URI_AZURE, LR_URI_S3 };

struct lr_uri {
    enum lr_uri_kind kind;
    char *scheme;     /* as written, lower-cased: "file", "abfss", "az", "https", "s3", ... */
    char *account;    /* Azure storage account ("onelake" for OneLake); NULL when not in the URI */
    char *container;  /* Azure container / OneLake workspace / S3 bucket; NULL for local */
    char *host;       /* host as written (e.g. "account.dfs.core.windows.net"), NULL if none */
    char *path;       /* local: absolute directory; cloud: key prefix without leading or
                         trailing '/', "" for the container root */
    bool is_onelake;
};

/* Parse `text`. Errors: LR_EINVAL with a message naming the URI and the expected forms. */
int lr_uri_parse(struct lr_uri *out, const char *text, struct lr_error *err);
void lr_uri_free(struct lr_uri *uri);

/* Percent-decode `in` (for file:// URIs); caller frees. NULL on bad escapes or NUL bytes. */
char *lr_uri_percent_decode(const char *in);

#endif

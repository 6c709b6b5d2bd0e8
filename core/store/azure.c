/* azure.c - the Azure Blob Storage backend (also ADLS Gen2 accounts and OneLake, through the
 * Blob endpoint, as delta-rs does).
 *
 * Configuration comes from store options and, when allowed, the object_store environment
 * variables (AZURE_STORAGE_ACCOUNT_NAME, ..._ACCOUNT_KEY, ..._SAS_TOKEN, ..._TOKEN,
 * AZURE_STORAGE_USE_EMULATOR + AZURITE_BLOB_STORAGE_URL, AZURE_ALLOW_HTTP, AZURE_TENANT_ID,
 * AZURE_CLIENT_ID, AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST, AZURE_USE_AZURE_CLI, ...).
 * Credential order (object_store's): static bearer token, account key (Shared Key), service
 * principal client secret, SAS, Azure CLI (when asked for), managed identity. Every request
 * carries x-ms-version 2023-11-03. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "azure_auth.h"
#include "cloud_common.h"
#include "digest.h"
#include "http.h"
#include "jwt.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "xml.h"

#define AZ_VERSION "2023-11-03"
#define EMULATOR_ACCOUNT "devstoreaccount1"
#define EMULATOR_KEY                                                                           \
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

enum az_auth { AZ_AUTH_KEY = 1, AZ_AUTH_SAS, AZ_AUTH_TOKEN };

struct az_store {
    struct lr_cloud_store cloud; /* first */
    char *base_url;  /* scheme://host[:port][/account] without trailing '/' */
    char *base_path; /* the path part of base_url ("" or "/account") */
    char *account;
    char *container;
    char *root; /* key prefix inside the container, "" for the root */
    enum az_auth auth;
    uint8_t *key;
    size_t key_len;
    char *sas; /* without leading '?' */
    struct lr_az_token token;
    bool token_init;
};

static const struct lr_store_ops azure_ops;

static int az_prepare(void *ctx, const struct lr_http_req *req, struct curl_slist **hdrs,
                      struct lr_error *err)
{
    (void)req;
    struct lr_cloud_call *c = ctx;
    struct az_store *s = (struct az_store *)c->store;
    char date[32];
    lr_http_now_dates(date, NULL);
    char clen[32];
    snprintf(clen, sizeof clen, "%zu", c->body_len);
    struct lr_az_header h[8];
    size_t n = 0;
    h[n++] = (struct lr_az_header){"x-ms-date", date};
    h[n++] = (struct lr_az_header){"x-ms-version", AZ_VERSION};
    if (c->put) {
        h[n++] = (struct lr_az_header){"x-ms-blob-type", "BlockBlob"};
        h[n++] = (struct lr_az_header){"Content-Type", "application/octet-stream"};
        h[n++] = (struct lr_az_header){"Content-Length", clen};
    }
    if (c->if_none_match)
        h[n++] = (struct lr_az_header){"If-None-Match", "*"};
    if (c->range[0])
        h[n++] = (struct lr_az_header){"Range", c->range};
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = lr_cloud_add_header(hdrs, h[i].name, h[i].value, err);
    if (rc < 0)
        return rc;
    if (s->auth == AZ_AUTH_KEY) {
        struct lr_buf sts = LR_BUF_INIT;
        char *auth = NULL;
        rc = lr_azure_string_to_sign(c->method, s->account, c->path, c->query, h, n, &sts, err);
        if (rc == 0)
            rc = lr_azure_shared_key(s->account, s->key, s->key_len, &sts, &auth, err);
        if (rc == 0)
            rc = lr_cloud_add_header(hdrs, "Authorization", auth, err);
        free(auth);
        lr_buf_free(&sts);
    } else if (s->auth == AZ_AUTH_TOKEN) {
        char *tok = NULL;
        rc = lr_az_token_get(&s->token, &tok, err);
        if (rc == 0) {
            char *v = lr_asprintf("Bearer %s", tok);
            rc = v ? lr_cloud_add_header(hdrs, "Authorization", v, err)
                   : lr_error_set(err, LR_ENOMEM, "out of memory");
            if (v)
                memset(v, 0, strlen(v));
            free(v);
        }
        if (tok)
            memset(tok, 0, strlen(tok));
        free(tok);
    }
    return rc;
}

/* Build the call and its URL for `key` (NULL: the container itself). */
static int az_build(struct lr_store *st, struct lr_cloud_call *c, const char *method,
                    const char *key, const char *query, char **url, struct lr_error *err)
{
    struct az_store *s = (struct az_store *)st;
    memset(c, 0, sizeof *c);
    c->store = st;
    c->method = method;
    char *enc_container = lr_url_encode(s->container, 0);
    char *enc_blob = NULL;
    if (key) {
        char *full = lr_cloud_join(s->root, key);
        enc_blob = full ? lr_url_encode(full, 1) : NULL;
        free(full);
    }
    if (!enc_container || (key && !enc_blob)) {
        free(enc_container);
        free(enc_blob);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    c->path = key ? lr_asprintf("%s/%s/%s", s->base_path, enc_container, enc_blob)
                  : lr_asprintf("%s/%s", s->base_path, enc_container);
    free(enc_container);
    free(enc_blob);
    c->query = query ? lr_strdup(query) : NULL;
    const char *q = query && *query ? query : NULL;
    const char *sas = s->auth == AZ_AUTH_SAS ? s->sas : NULL;
    /* base_url already contains base_path: append the rest of the path */
    const char *rest = c->path ? c->path + strlen(s->base_path) : NULL;
    *url = rest ? lr_asprintf("%s%s%s%s%s%s", s->base_url, rest, (q || sas) ? "?" : "",
                              q ? q : "", (q && sas) ? "&" : "", sas ? sas : "")
                : NULL;
    if (!c->path || !*url || (query && !c->query)) {
        free(*url);
        *url = NULL;
        lr_cloud_call_free(c);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

static void az_service_error(const struct lr_http_resp *r, char *code, size_t ccap, char *msg,
                             size_t mcap)
{
    code[0] = msg[0] = '\0';
    if (lr_http_header(r, "x-ms-error-code", code, ccap) < 0 && r->body.len)
        lr_xml_first_text((const char *)r->body.data, r->body.len, "Code", code, ccap);
    if (r->body.len)
        lr_xml_first_text((const char *)r->body.data, r->body.len, "Message", msg, mcap);
}

struct list_ctx {
    struct lr_store_page *page;
    size_t cap;
    const char *root_prefix; /* "root/" or "" */
    const char *start_after;
    char name[2048];
    bool name_encoded;
    bool is_dir;
    uint64_t size;
    int64_t mtime;
    char *next;
    struct lr_error *err;
};

static int list_open(void *ctx, const char *path, const char *attrs, size_t alen)
{
    struct list_ctx *l = ctx;
    if (!strcmp(path, "EnumerationResults/Blobs/Blob")) {
        l->name[0] = '\0';
        l->name_encoded = false;
        l->is_dir = false;
        l->size = 0;
        l->mtime = -1;
    } else if (!strcmp(path, "EnumerationResults/Blobs/Blob/Name")) {
        char v[16];
        l->name_encoded = lr_xml_attr(attrs, alen, "Encoded", v, sizeof v) == 0 &&
                          !strcasecmp(v, "true");
    }
    return 0;
}

static int list_close(void *ctx, const char *path, const char *text, size_t len)
{
    struct list_ctx *l = ctx;
    if (!strcmp(path, "EnumerationResults/Blobs/Blob/Name")) {
        if (len >= sizeof l->name)
            return lr_error_set(l->err, LR_ELIMIT, "a blob name in the listing is too long");
        memcpy(l->name, text, len);
        l->name[len] = '\0';
        if (l->name_encoded) {
            char *d = lr_uri_percent_decode(l->name);
            if (!d)
                return lr_error_set(l->err, LR_ECORRUPT, "bad encoded blob name in a listing");
            snprintf(l->name, sizeof l->name, "%s", d);
            free(d);
        }
    } else if (!strcmp(path, "EnumerationResults/Blobs/Blob/Properties/Content-Length")) {
        if (!lr_parse_uint64(text, &l->size))
            return lr_error_set(l->err, LR_ECORRUPT, "bad Content-Length '%s' in a listing",
                                text);
    } else if (!strcmp(path, "EnumerationResults/Blobs/Blob/Properties/Last-Modified")) {
        l->mtime = lr_http_parse_date(text);
    } else if (!strcmp(path, "EnumerationResults/Blobs/Blob/Properties/ResourceType")) {
        l->is_dir = !strcmp(text, "directory");
    } else if (!strcmp(path, "EnumerationResults/Blobs/Blob")) {
        size_t rl = strlen(l->root_prefix);
        if (l->is_dir || strncmp(l->name, l->root_prefix, rl) != 0)
            return 0;
        const char *rel = l->name + rl;
        if (!*rel || (l->start_after && strcmp(rel, l->start_after) <= 0))
            return 0;
        return lr_cloud_page_push(l->page, &l->cap, rel, l->size, l->mtime, l->err);
    } else if (!strcmp(path, "EnumerationResults/NextMarker")) {
        free(l->next);
        l->next = len ? lr_strndup(text, len) : NULL;
        if (len && !l->next)
            return lr_error_set(l->err, LR_ENOMEM, "out of memory");
    }
    return 0;
}

static int az_list_page(struct lr_store *st, const char *prefix, const char *start_after,
                        const char *token, size_t max_keys, struct lr_store_page *out,
                        struct lr_error *err)
{
    struct az_store *s = (struct az_store *)st;
    char *root_prefix = *s->root ? lr_asprintf("%s/", s->root) : lr_strdup("");
    char *full_prefix = root_prefix ? lr_asprintf("%s%s", root_prefix, prefix) : NULL;
    char *marker = token ? lr_strdup(token) : NULL;
    int rc = 0;
    if (!full_prefix || (token && !marker)) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    if (max_keys == 0 || max_keys > 5000)
        max_keys = 5000;
    struct list_ctx l;
    memset(&l, 0, sizeof l);
    l.page = out;
    l.root_prefix = root_prefix;
    l.start_after = start_after;
    l.err = err;
    for (int round = 0;; round++) {
        char *ep = lr_url_encode(full_prefix, 0);
        char *em = marker ? lr_url_encode(marker, 0) : NULL;
        char *q = ep ? lr_asprintf("restype=container&comp=list&prefix=%s&maxresults=%zu%s%s",
                                   ep, max_keys, em ? "&marker=" : "", em ? em : "")
                     : NULL;
        free(ep);
        free(em);
        if (!q) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        struct lr_cloud_call c;
        char *url = NULL;
        rc = az_build(st, &c, "GET", NULL, q, &url, err);
        free(q);
        if (rc < 0)
            goto done;
        if (round > 0) {
            atomic_fetch_add(&st->counters.requests, 1);
            atomic_fetch_add(&st->counters.lists, 1);
        }
        struct lr_http_resp resp;
        rc = lr_cloud_do(&s->cloud, &c, url, "List Blobs", NULL, 0, &resp, err);
        if (rc == 0 && resp.status != 200)
            rc = lr_cloud_fail(&s->cloud, &resp, "List Blobs", err);
        if (rc == 0) {
            struct lr_xml_handler h = {list_open, list_close, &l};
            rc = lr_xml_scan((const char *)resp.body.data, resp.body.len, &h,
                             "a List Blobs answer", err);
        }
        lr_http_resp_free(&resp);
        lr_cloud_call_free(&c);
        free(url);
        if (rc < 0)
            goto done;
        free(marker);
        marker = l.next;
        l.next = NULL;
        /* start_after is applied client-side: keep going while it filtered a whole page */
        if (out->count > 0 || !marker)
            break;
    }
    lr_cloud_page_sort(out);
    out->next_token = marker;
    marker = NULL;
done:
    free(marker);
    free(root_prefix);
    free(full_prefix);
    return rc;
}

/* Only bearer tokens name a caller; shared keys and SAS tokens name an account or nobody. */
static int az_identity(struct lr_store *st, char **out, struct lr_error *err)
{
    struct az_store *s = (struct az_store *)st;
    *out = NULL;
    if (s->auth != AZ_AUTH_TOKEN || !s->token_init)
        return 0;
    char *tok = NULL;
    int rc = lr_az_token_get(&s->token, &tok, err);
    if (rc < 0)
        return rc;
    *out = lr_jwt_identity(tok);
    memset(tok, 0, strlen(tok));
    free(tok);
    return 0;
}

static void az_destroy(struct lr_store *st)
{
    struct az_store *s = (struct az_store *)st;
    lr_http_free(s->cloud.http);
    free(s->base_url);
    free(s->base_path);
    free(s->account);
    free(s->container);
    free(s->root);
    if (s->key)
        memset(s->key, 0, s->key_len);
    free(s->key);
    if (s->sas)
        memset(s->sas, 0, strlen(s->sas));
    free(s->sas);
    if (s->token_init)
        lr_az_token_free(&s->token);
    free(s);
}

static const long az_put_ok[] = {201, 200, 0};
/* 409 BlobAlreadyExists; 412 as object_store treats it (some endpoints answer so) */
static const long az_taken[] = {409, 412, 0};

static const struct lr_cloud_backend az_backend = {
    .name = "azure",
    .service = "Azure Storage",
    .object = "blob",
    .get_what = "Get Blob",
    .head_what = "Get Blob Properties",
    .put_what = "Put Blob",
    .create_what = "Put Blob (create only)",
    .del_what = "Delete Blob",
    .put_ok = az_put_ok,
    .taken = az_taken,
    .create_retry_status = 0,
    .build = az_build,
    .prepare = az_prepare,
    .service_error = az_service_error,
};

static const struct lr_store_ops azure_ops = {
    .version = LR_STORE_OPS_VERSION,
    .name = "azure",
    .get = lr_cloud_get,
    .get_many = lr_cloud_get_many,
    .head = lr_cloud_head,
    .list_page = az_list_page,
    .put = lr_cloud_put,
    .del = lr_cloud_del,
    .identity = az_identity,
    .destroy = az_destroy,
};

#define K(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Split base_url into its path part (after scheme://host[:port]). */
static char *url_path_of(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : NULL;
    return lr_strdup(p ? p : "");
}

static int setup_token(struct az_store *s, enum lr_az_token_kind kind,
                       const struct lr_store_options *o, struct lr_error *err)
{
    struct lr_az_token *t = &s->token;
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    s->token_init = true;
    t->kind = kind;
    t->http = s->cloud.http;
    t->resource = lr_strdup("https://storage.azure.com");
    t->refresh_margin_ms = 300000;
    const char *margin = lr_cloud_opt(o, K("azure_token_refresh_margin"), NULL);
    if (margin && lr_http_parse_duration(margin, &t->refresh_margin_ms) < 0)
        return lr_error_set(err, LR_EINVAL,
                            "azure_token_refresh_margin='%s' is not a duration", margin);
    if (kind == LR_AZ_TOKEN_STATIC) {
        t->token = lr_strdup(lr_cloud_opt(o, K("azure_storage_token", "bearer_token", "token"),
                                          K("AZURE_STORAGE_TOKEN")));
        t->expires_ms = INT64_MAX;
    } else if (kind == LR_AZ_TOKEN_CLIENT_SECRET || kind == LR_AZ_TOKEN_WORKLOAD) {
        t->authority_host =
            lr_strdup(lr_cloud_opt(o, K("azure_authority_host", "azure_storage_authority_host",
                                        "authority_host"),
                                   K("AZURE_AUTHORITY_HOST", "AZURE_STORAGE_AUTHORITY_HOST")));
        t->tenant_id = lr_strdup(lr_cloud_opt(
            o, K("azure_tenant_id", "azure_storage_tenant_id", "tenant_id", "azure_authority_id"),
            K("AZURE_TENANT_ID", "AZURE_STORAGE_TENANT_ID", "AZURE_AUTHORITY_ID")));
        t->client_id = lr_strdup(lr_cloud_opt(o, K("azure_client_id", "azure_storage_client_id",
                                                   "client_id"),
                                              K("AZURE_CLIENT_ID", "AZURE_STORAGE_CLIENT_ID")));
        t->client_secret = lr_strdup(
            lr_cloud_opt(o, K("azure_client_secret", "azure_storage_client_secret",
                              "client_secret"),
                         K("AZURE_CLIENT_SECRET", "AZURE_STORAGE_CLIENT_SECRET")));
        const char *ah = t->authority_host;
        bool loopback = ah && (lr_str_starts_with(ah, "http://127.0.0.1") ||
                               lr_str_starts_with(ah, "http://localhost") ||
                               lr_str_starts_with(ah, "http://[::1]"));
        bool allow_http = lr_cloud_truthy(lr_cloud_opt(o, K("allow_http", "azure_allow_http"),
                                                       K("AZURE_ALLOW_HTTP")));
        if (ah && !lr_str_starts_with(ah, "https://") && !loopback && !allow_http)
            return lr_error_set(err, LR_EINVAL,
                                "refusing to send the client secret to authority host %s over "
                                "plain HTTP: use https",
                                ah);
        if (!t->tenant_id)
            return lr_error_set(err, LR_EAUTH,
                                "a client id and secret are configured but no tenant: set "
                                "AZURE_TENANT_ID or azure_tenant_id");
        lr_redact_register(t->client_secret);
        if (kind == LR_AZ_TOKEN_WORKLOAD)
            t->federated_token_file = lr_strdup(lr_cloud_opt(
                o, K("azure_federated_token_file", "federated_token_file"),
                K("AZURE_FEDERATED_TOKEN_FILE")));
    } else if (kind == LR_AZ_TOKEN_MSI) {
        const char *ep = lr_cloud_opt(o, K("azure_msi_endpoint", "azure_identity_endpoint",
                                           "msi_endpoint"),
                                      K("AZURE_MSI_ENDPOINT", "AZURE_IDENTITY_ENDPOINT"));
        const char *hdr = NULL;
        if (!ep) { /* App Service / Container Apps publish both */
            ep = lr_cloud_opt(o, NULL, K("IDENTITY_ENDPOINT"));
            hdr = ep ? lr_cloud_opt(o, NULL, K("IDENTITY_HEADER")) : NULL;
        }
        t->msi_endpoint =
            lr_strdup(ep ? ep : "http://169.254.169.254/metadata/identity/oauth2/token");
        t->msi_header = hdr ? lr_strdup(hdr) : NULL;
        const char *cid = lr_cloud_opt(o, K("azure_client_id", "client_id"),
                                       K("AZURE_CLIENT_ID"));
        t->client_id = cid ? lr_strdup(cid) : NULL;
    }
    if (!t->resource)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    return 0;
}

int lr_azure_store_open(struct lr_store **out, const struct lr_uri *uri,
                        const struct lr_store_options *o, struct lr_error *err)
{
    *out = NULL;
    struct az_store *s = calloc(1, sizeof *s);
    if (!s)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    s->cloud.base.ops = &azure_ops;
    s->cloud.backend = &az_backend;
    s->cloud.base.caps = LR_STORE_CAP_ATOMIC_CREATE | LR_STORE_CAP_MTIME;
    int rc = 0;
    struct lr_http_policy pol;
    bool emulator = lr_cloud_truthy(lr_cloud_opt(
        o, K("azure_storage_use_emulator", "use_emulator", "azure_use_emulator"),
        K("AZURE_STORAGE_USE_EMULATOR")));
    bool allow_http = lr_cloud_truthy(lr_cloud_opt(o, K("allow_http", "azure_allow_http"),
                                                   K("AZURE_ALLOW_HTTP")));
    const char *account = uri->is_onelake ? "onelake" : uri->account;
    if (!account)
        account = lr_cloud_opt(o, K("azure_storage_account_name", "account_name",
                                    "azure_storage_account"),
                               K("AZURE_STORAGE_ACCOUNT_NAME"));
    if (!account && emulator)
        account = EMULATOR_ACCOUNT;
    if (!account) {
        rc = lr_error_set(err, LR_EINVAL,
                          "no Azure storage account: use abfss://container@ACCOUNT.dfs.core."
                          "windows.net/..., or set AZURE_STORAGE_ACCOUNT_NAME "
                          "(azure_storage_account_name)");
        goto fail;
    }
    s->account = lr_strdup(account);
    s->container = lr_strdup(uri->container);
    s->root = lr_strdup(uri->path ? uri->path : "");
    const char *endpoint = lr_cloud_opt(o, K("azure_endpoint", "endpoint",
                                             "azure_storage_endpoint"),
                                        K("AZURE_STORAGE_ENDPOINT", "AZURE_ENDPOINT"));
    if (emulator && !endpoint) {
        const char *az = lr_cloud_opt(o, K("azurite_blob_storage_url"),
                                      K("AZURITE_BLOB_STORAGE_URL"));
        s->base_url = lr_asprintf("%s/%s", az ? az : "http://127.0.0.1:10000", account);
    } else if (endpoint) {
        s->base_url = lr_strdup(endpoint);
    } else if (uri->is_onelake) {
        s->base_url = lr_strdup("https://onelake.blob.fabric.microsoft.com");
    } else if (uri->host) {
        const char *d = strstr(uri->host, ".dfs.");
        s->base_url = d ? lr_asprintf("https://%.*s.blob.%s", (int)(d - uri->host), uri->host,
                                      d + 5)
                        : lr_asprintf("https://%s", uri->host);
    } else {
        s->base_url = lr_asprintf("https://%s.blob.core.windows.net", account);
    }
    if (!s->account || !s->container || !s->root || !s->base_url) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto fail;
    }
    size_t bl = strlen(s->base_url);
    while (bl > 0 && s->base_url[bl - 1] == '/')
        s->base_url[--bl] = '\0';
    if (strncmp(s->base_url, "https://", 8) != 0 && strncmp(s->base_url, "http://", 7) != 0) {
        rc = lr_error_set(err, LR_EINVAL, "Azure endpoint '%s' must start with https://",
                          s->base_url);
        goto fail;
    }
    s->base_path = url_path_of(s->base_url);
    if (!s->base_path) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto fail;
    }
    bool plain_http = strncmp(s->base_url, "http://", 7) == 0;

    /* credentials, in object_store's order */
    const char *tok = lr_cloud_opt(o, K("azure_storage_token", "bearer_token", "token"),
                                   K("AZURE_STORAGE_TOKEN"));
    const char *key = lr_cloud_opt(o, K("azure_storage_account_key", "account_key",
                                        "azure_storage_access_key", "access_key",
                                        "azure_storage_master_key", "master_key"),
                                   K("AZURE_STORAGE_ACCOUNT_KEY", "AZURE_STORAGE_ACCESS_KEY",
                                     "AZURE_STORAGE_MASTER_KEY"));
    const char *cid = lr_cloud_opt(o, K("azure_client_id", "azure_storage_client_id",
                                        "client_id"),
                                   K("AZURE_CLIENT_ID", "AZURE_STORAGE_CLIENT_ID"));
    const char *csecret = lr_cloud_opt(o, K("azure_client_secret",
                                            "azure_storage_client_secret", "client_secret"),
                                       K("AZURE_CLIENT_SECRET", "AZURE_STORAGE_CLIENT_SECRET"));
    const char *sas = lr_cloud_opt(o, K("azure_storage_sas_token", "azure_storage_sas_key",
                                        "sas_token", "sas_key"),
                                   K("AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_SAS_KEY"));
    const char *fed = lr_cloud_opt(o, K("azure_federated_token_file", "federated_token_file"),
                                   K("AZURE_FEDERATED_TOKEN_FILE"));
    const char *tenant = lr_cloud_opt(o, K("azure_tenant_id", "azure_storage_tenant_id",
                                           "tenant_id", "azure_authority_id"),
                                      K("AZURE_TENANT_ID", "AZURE_STORAGE_TENANT_ID",
                                        "AZURE_AUTHORITY_ID"));
    bool use_cli = lr_cloud_truthy(lr_cloud_opt(o, K("azure_use_azure_cli", "use_azure_cli"),
                                                K("AZURE_USE_AZURE_CLI")));
    if (key)
        lr_redact_register(key);
    if (sas)
        lr_redact_register(sas);
    if (tok)
        lr_redact_register(tok);
    if (csecret)
        lr_redact_register(csecret);
    if (emulator && !tok && !key && !sas && !(cid && (csecret || fed)))
        key = EMULATOR_KEY;
    if ((rc = lr_cloud_policy(o, "AZURE", &pol, err)) < 0)
        goto fail;
    const char *ca = lr_cloud_opt(o, K("ca_bundle", "azure_ca_bundle"), K("AZURE_CA_BUNDLE"));
    if ((rc = lr_http_new(&s->cloud.http, ca, &pol, err)) < 0)
        goto fail;
    if (tok) {
        s->auth = AZ_AUTH_TOKEN;
        rc = setup_token(s, LR_AZ_TOKEN_STATIC, o, err);
    } else if (key) {
        s->auth = AZ_AUTH_KEY;
        if (lr_base64_decode(key, &s->key, &s->key_len) < 0 || s->key_len == 0)
            rc = lr_error_set(err, LR_EAUTH,
                              "the Azure account key is not valid base64: copy it whole from "
                              "the portal (Access keys)");
    } else if (cid && tenant && fed) {
        s->auth = AZ_AUTH_TOKEN;
        rc = setup_token(s, LR_AZ_TOKEN_WORKLOAD, o, err);
    } else if (cid && csecret) {
        s->auth = AZ_AUTH_TOKEN;
        rc = setup_token(s, LR_AZ_TOKEN_CLIENT_SECRET, o, err);
    } else if (sas) {
        s->auth = AZ_AUTH_SAS;
        s->sas = lr_strdup(sas[0] == '?' ? sas + 1 : sas);
        if (!s->sas)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    } else if (use_cli) {
        s->auth = AZ_AUTH_TOKEN;
        rc = setup_token(s, LR_AZ_TOKEN_CLI, o, err);
    } else {
        s->auth = AZ_AUTH_TOKEN;
        rc = setup_token(s, LR_AZ_TOKEN_MSI, o, err);
    }
    if (rc < 0)
        goto fail;
    if (plain_http && !emulator && !allow_http) {
        rc = lr_error_set(err, LR_EINVAL,
                          "refusing to send Azure credentials over plain HTTP to %s: use "
                          "https, or set AZURE_ALLOW_HTTP=true (allow_http) for a test endpoint",
                          s->base_url);
        goto fail;
    }
    s->cloud.base.probe_state = uri->is_onelake ? 1 : 0;
    s->cloud.base.single_writer = lr_cloud_truthy(lr_cloud_opt(o, K("single_writer"), NULL));
    LR_DEBUG("azure: %s container %s root '%s' auth %s", s->base_url, s->container, s->root,
             s->auth == AZ_AUTH_KEY   ? "shared key"
             : s->auth == AZ_AUTH_SAS ? "SAS"
                                      : lr_az_token_kind_name(s->token.kind));
    *out = &s->cloud.base;
    return 0;
fail:
    az_destroy(&s->cloud.base);
    return rc;
}

int lr_azure_create_container(struct lr_store *st, struct lr_error *err)
{
    if (st->ops != &azure_ops)
        return lr_error_set(err, LR_EINVAL, "not an Azure store");
    struct az_store *s = (struct az_store *)st;
    struct lr_cloud_call c;
    char *url = NULL;
    int rc = az_build(st, &c, "PUT", NULL, "restype=container", &url, err);
    if (rc < 0)
        return rc;
    struct lr_http_resp resp;
    rc = lr_cloud_do(&s->cloud, &c, url, "Create Container", NULL, 0, &resp, err);
    if (rc == 0 && resp.status != 201 && resp.status != 409)
        rc = lr_cloud_fail(&s->cloud, &resp, "Create Container", err);
    lr_http_resp_free(&resp);
    lr_cloud_call_free(&c);
    free(url);
    return rc;
}

unsigned lr_azure_token_fetches(struct lr_store *st)
{
    if (st->ops != &azure_ops)
        return 0;
    struct az_store *s = (struct az_store *)st;
    if (!s->token_init)
        return 0;
    pthread_mutex_lock(&s->token.lock);
    unsigned n = s->token.fetches;
    pthread_mutex_unlock(&s->token.lock);
    return n;
}

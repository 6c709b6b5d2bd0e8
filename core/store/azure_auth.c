/* azure_auth.c - Shared Key signing and bearer-token sources for Azure Storage. */
#include "azure_auth.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "digest.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/uri.h"

extern char **environ;

struct qparam {
    char *name;
    char *value;
};

static int cmp_q(const void *a, const void *b)
{
    const struct qparam *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

static const char *find_header(const struct lr_az_header *h, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(h[i].name, name) == 0)
            return h[i].value;
    return NULL;
}

static int cmp_hdr(const void *a, const void *b)
{
    const struct lr_az_header *x = a, *y = b;
    return strcasecmp(x->name, y->name);
}

int lr_azure_string_to_sign(const char *method, const char *account, const char *url_path,
                            const char *query, const struct lr_az_header *headers, size_t n,
                            struct lr_buf *out, struct lr_error *err)
{
    static const char *slots[] = {"Content-Encoding", "Content-Language", "Content-Length",
                                  "Content-MD5",      "Content-Type",     "Date",
                                  "If-Modified-Since", "If-Match",        "If-None-Match",
                                  "If-Unmodified-Since", "Range"};
    int rc = lr_buf_printf(out, err, "%s\n", method);
    for (size_t i = 0; rc == 0 && i < sizeof slots / sizeof *slots; i++) {
        const char *v = find_header(headers, n, slots[i]);
        if (v && i == 2 && strcmp(v, "0") == 0)
            v = "";
        rc = lr_buf_printf(out, err, "%s\n", v ? v : "");
    }
    if (rc < 0)
        return rc;
    struct lr_az_header *ms = calloc(n ? n : 1, sizeof *ms);
    if (!ms)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncasecmp(headers[i].name, "x-ms-", 5) == 0)
            ms[k++] = headers[i];
    qsort(ms, k, sizeof *ms, cmp_hdr);
    for (size_t i = 0; rc == 0 && i < k; i++) {
        rc = lr_buf_append_str(out, "", err);
        for (const char *c = ms[i].name; rc == 0 && *c; c++) {
            char lc = (char)tolower((unsigned char)*c);
            rc = lr_buf_append(out, &lc, 1, err);
        }
        if (rc == 0)
            rc = lr_buf_append_str(out, ":", err);
        const char *v = ms[i].value;
        while (*v == ' ')
            v++;
        size_t vl = strlen(v);
        while (vl > 0 && v[vl - 1] == ' ')
            vl--;
        for (size_t c = 0; rc == 0 && c < vl; c++) {
            if (v[c] == ' ' && c > 0 && v[c - 1] == ' ')
                continue;
            rc = lr_buf_append(out, &v[c], 1, err);
        }
        if (rc == 0)
            rc = lr_buf_append_str(out, "\n", err);
    }
    free(ms);
    if (rc == 0)
        rc = lr_buf_printf(out, err, "/%s%s", account, url_path);
    if (rc < 0 || !query || !*query)
        return rc;
    size_t cap = 1;
    for (const char *c = query; *c; c++)
        cap += *c == '&';
    struct qparam *qs = calloc(cap, sizeof *qs);
    if (!qs)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t nq = 0;
    const char *p = query;
    while (rc == 0 && *p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len) {
            const char *eq = memchr(p, '=', len);
            char *rawn = lr_strndup(p, eq ? (size_t)(eq - p) : len);
            char *rawv = eq ? lr_strndup(eq + 1, len - (size_t)(eq - p) - 1) : lr_strdup("");
            qs[nq].name = rawn ? lr_uri_percent_decode(rawn) : NULL;
            qs[nq].value = rawv ? lr_uri_percent_decode(rawv) : NULL;
            free(rawn);
            free(rawv);
            nq++;
            if (!qs[nq - 1].name || !qs[nq - 1].value)
                rc = lr_error_set(err, LR_EINVAL, "bad query string in a request URL");
            else
                for (char *c = qs[nq - 1].name; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    if (rc == 0) {
        qsort(qs, nq, sizeof *qs, cmp_q);
        for (size_t i = 0; rc == 0 && i < nq; i++) {
            if (i > 0 && strcmp(qs[i - 1].name, qs[i].name) == 0)
                rc = lr_buf_printf(out, err, ",%s", qs[i].value);
            else
                rc = lr_buf_printf(out, err, "\n%s:%s", qs[i].name, qs[i].value);
        }
    }
    for (size_t i = 0; i < nq; i++) {
        free(qs[i].name);
        free(qs[i].value);
    }
    free(qs);
    return rc;
}

int lr_azure_shared_key(const char *account, const uint8_t *key, size_t key_len,
                        const struct lr_buf *sts, char **out, struct lr_error *err)
{
    uint8_t mac[32];
    *out = NULL;
    if (lr_hmac_sha256(key, key_len, sts->data, sts->len, mac) < 0)
        return lr_error_set(err, LR_EAUTH, "HMAC-SHA256 failed while signing");
    char *b64 = lr_base64_encode(mac, 32);
    if (!b64)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    *out = lr_asprintf("SharedKey %s:%s", account, b64);
    free(b64);
    return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
}

const char *lr_az_token_kind_name(enum lr_az_token_kind k)
{
    switch (k) {
    case LR_AZ_TOKEN_STATIC:
        return "static bearer token";
    case LR_AZ_TOKEN_CLIENT_SECRET:
        return "service principal (client secret)";
    case LR_AZ_TOKEN_CLI:
        return "Azure CLI";
    case LR_AZ_TOKEN_MSI:
        return "managed identity";
    case LR_AZ_TOKEN_WORKLOAD:
        return "workload identity (federated token)";
    }
    return "bearer token";
}

void lr_az_token_free(struct lr_az_token *t)
{
    if (!t)
        return;
    free(t->authority_host);
    free(t->tenant_id);
    free(t->client_id);
    free(t->client_secret);
    free(t->federated_token_file);
    free(t->msi_endpoint);
    free(t->msi_header);
    free(t->resource);
    free(t->token);
    pthread_mutex_destroy(&t->lock);
    memset(t, 0, sizeof *t);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A JSON number or numeric string. */
static int json_int(json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 0;
    }
    if (json_is_string(v) && lr_parse_int64(json_string_value(v), out))
        return 0;
    return -1;
}

/* Parse {"access_token": ..., "expires_in"/"expires_on": ...} (or the CLI's camelCase). */
static int parse_token_json(const char *text, size_t len, const char *source, char **token,
                            int64_t *expires_ms, struct lr_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    if (!root || !json_is_object(root)) {
        json_decref(root);
        return lr_error_set(err, LR_EAUTH, "%s returned an answer that is not a JSON object",
                            source);
    }
    json_t *tok = json_object_get(root, "access_token");
    if (!tok)
        tok = json_object_get(root, "accessToken");
    if (!json_is_string(tok) || !*json_string_value(tok)) {
        json_decref(root);
        return lr_error_set(err, LR_EAUTH, "%s returned no access_token", source);
    }
    int64_t v;
    int64_t exp = -1;
    if (json_int(json_object_get(root, "expires_on"), &v) == 0)
        exp = v * 1000;
    else if (json_int(json_object_get(root, "expires_in"), &v) == 0)
        exp = now_ms() + v * 1000;
    else if (json_is_string(json_object_get(root, "expiresOn"))) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        const char *s = json_string_value(json_object_get(root, "expiresOn"));
        if (sscanf(s, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                   &tm.tm_min, &tm.tm_sec) == 6) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            tm.tm_isdst = -1;
            time_t t = mktime(&tm); /* the CLI prints local time */
            if (t != (time_t)-1)
                exp = (int64_t)t * 1000;
        }
    }
    if (exp < 0) {
        json_decref(root);
        return lr_error_set(err, LR_EAUTH, "%s returned a token without an expiry", source);
    }
    *token = lr_strdup(json_string_value(tok));
    json_decref(root);
    if (!*token)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    lr_redact_register(*token);
    *expires_ms = exp;
    return 0;
}

static int form_append(struct lr_buf *b, const char *name, const char *value,
                       struct lr_error *err)
{
    char *ev = lr_url_encode(value, 0);
    if (!ev)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    int rc = lr_buf_printf(b, err, "%s%s=%s", b->len ? "&" : "", name, ev);
    memset(ev, 0, strlen(ev));
    free(ev);
    return rc;
}

/* A whole small file, trailing whitespace trimmed; NULL on error. */
static char *read_small_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = malloc(65536);
    ssize_t n = buf ? read(fd, buf, 65535) : -1;
    close(fd);
    if (n <= 0) {
        free(buf);
        return NULL;
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
    return buf;
}

struct hdr_ctx {
    const char *h1;
    const char *h2;
};

static int add_fixed_headers(void *ctx, const struct lr_http_req *req, struct curl_slist **hdrs,
                             struct lr_error *err)
{
    (void)req;
    struct hdr_ctx *c = ctx;
    const char *list[] = {c->h1, c->h2};
    for (size_t i = 0; i < 2; i++) {
        if (!list[i])
            continue;
        struct curl_slist *n = curl_slist_append(*hdrs, list[i]);
        if (!n)
            return lr_error_set(err, LR_ENOMEM, "out of memory");
        *hdrs = n;
    }
    return 0;
}

static int fetch_http(struct lr_az_token *t, char **token, int64_t *exp, struct lr_error *err)
{
    struct lr_buf body = LR_BUF_INIT;
    char *url = NULL, *hdr2 = NULL;
    int rc = 0;
    const char *source = lr_az_token_kind_name(t->kind);
    struct lr_http_req req;
    memset(&req, 0, sizeof req);
    struct hdr_ctx hc = {NULL, NULL};
    if (t->kind == LR_AZ_TOKEN_CLIENT_SECRET || t->kind == LR_AZ_TOKEN_WORKLOAD) {
        const char *host = t->authority_host ? t->authority_host
                                             : "https://login.microsoftonline.com";
        size_t hl = strlen(host);
        while (hl > 0 && host[hl - 1] == '/')
            hl--;
        url = lr_asprintf("%.*s/%s/oauth2/v2.0/token", (int)hl, host, t->tenant_id);
        if (!url) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        char *scope = lr_asprintf("%s/.default", t->resource);
        rc = scope ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
        if (rc == 0)
            rc = form_append(&body, "client_id", t->client_id, err);
        if (rc == 0 && t->kind == LR_AZ_TOKEN_CLIENT_SECRET)
            rc = form_append(&body, "client_secret", t->client_secret, err);
        if (rc == 0 && t->kind == LR_AZ_TOKEN_WORKLOAD) {
            char *assertion = read_small_file(t->federated_token_file);
            if (!assertion)
                rc = lr_error_set(err, LR_EAUTH, "cannot read the federated token file %s",
                                  t->federated_token_file);
            if (rc == 0)
                rc = form_append(&body, "client_assertion_type",
                                 "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", err);
            if (rc == 0) {
                lr_redact_register(assertion);
                rc = form_append(&body, "client_assertion", assertion, err);
            }
            if (assertion)
                memset(assertion, 0, strlen(assertion));
            free(assertion);
        }
        if (rc == 0)
            rc = form_append(&body, "scope", scope, err);
        if (rc == 0)
            rc = form_append(&body, "grant_type", "client_credentials", err);
        free(scope);
        if (rc < 0)
            goto done;
        req.method = "POST";
        req.body = body.data;
        req.body_len = body.len;
        hc.h1 = "Content-Type: application/x-www-form-urlencoded";
        hc.h2 = "Accept: application/json";
    } else {
        char *res = lr_url_encode(t->resource, 0);
        char *cid = t->client_id ? lr_url_encode(t->client_id, 0) : NULL;
        const char *sep = strchr(t->msi_endpoint, '?') ? "&" : "?";
        url = res ? lr_asprintf("%s%sapi-version=%s&resource=%s%s%s", t->msi_endpoint, sep,
                                t->msi_header ? "2019-08-01" : "2018-02-01", res,
                                cid ? "&client_id=" : "", cid ? cid : "")
                  : NULL;
        free(res);
        free(cid);
        if (!url) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        req.method = "GET";
        req.no_proxy = true;
        if (t->msi_header) {
            lr_redact_register(t->msi_header);
            hdr2 = lr_asprintf("X-IDENTITY-HEADER: %s", t->msi_header);
            if (!hdr2) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                goto done;
            }
            hc.h2 = hdr2;
        }
        hc.h1 = "Metadata: true";
    }
    req.url = url;
    req.prepare = add_fixed_headers;
    req.ctx = &hc;
    req.what = source;
    struct lr_http_resp resp;
    rc = lr_http_perform(t->http, &req, &resp, err);
    if (rc == 0) {
        if (resp.status == 200) {
            rc = parse_token_json((const char *)resp.body.data, resp.body.len, source, token,
                                  exp, err);
        } else {
            /* Entra answers {"error": "...", "error_description": "..."}: show the code only */
            char code[128] = "";
            json_t *j = json_loadb((const char *)resp.body.data, resp.body.len, 0, NULL);
            if (j && json_is_string(json_object_get(j, "error")))
                snprintf(code, sizeof code, " (%s)", json_string_value(json_object_get(j, "error")));
            json_decref(j);
            rc = lr_error_set(err, LR_EAUTH,
                              "%s: the token endpoint answered HTTP %ld%s; check the tenant, "
                              "client id and secret",
                              source, resp.status, code);
        }
    }
    lr_http_resp_free(&resp);
done:
    if (body.data)
        memset(body.data, 0, body.len);
    lr_buf_free(&body);
    free(url);
    free(hdr2);
    return rc;
}

static int fetch_cli(struct lr_az_token *t, char **token, int64_t *exp, struct lr_error *err)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return lr_error_errno(err, errno, "cannot run the Azure CLI");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"az", "account", "get-access-token", "--output", "json", "--resource",
                    t->resource, NULL};
    pid_t pid;
    int src = posix_spawnp(&pid, "az", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (src != 0) {
        close(fds[0]);
        return lr_error_set(err, LR_EAUTH,
                            "the Azure CLI ('az') could not be started: install it and run "
                            "'az login', or configure another credential");
    }
    struct lr_buf out = LR_BUF_INIT;
    lr_buf_init(&out, 1u << 20);
    char chunk[4096];
    int rc = 0;
    for (;;) {
        struct pollfd p = {fds[0], POLLIN, 0};
        int pr = poll(&p, 1, 60000);
        if (pr <= 0) {
            kill(pid, SIGTERM);
            rc = lr_error_set(err, LR_ETIMEOUT, "the Azure CLI did not answer within 60 s");
            break;
        }
        ssize_t r = read(fds[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (lr_buf_append(&out, chunk, (size_t)r, err) < 0) {
            rc = LR_ELIMIT;
            kill(pid, SIGTERM);
            break;
        }
    }
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc == 0 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
        rc = lr_error_set(err, LR_EAUTH,
                          "the Azure CLI failed to issue a token (exit %d): run 'az login'",
                          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    if (rc == 0)
        rc = parse_token_json((const char *)out.data, out.len, "the Azure CLI", token, exp, err);
    if (out.data)
        memset(out.data, 0, out.len);
    lr_buf_free(&out);
    return rc;
}

int lr_az_token_get(struct lr_az_token *t, char **out, struct lr_error *err)
{
    *out = NULL;
    pthread_mutex_lock(&t->lock);
    int rc = 0;
    if (!t->token || now_ms() + t->refresh_margin_ms >= t->expires_ms) {
        char *tok = NULL;
        int64_t exp = 0;
        if (t->kind == LR_AZ_TOKEN_STATIC) {
            rc = t->token ? 0
                          : lr_error_set(err, LR_EAUTH, "no bearer token configured");
            tok = NULL;
            if (rc == 0) {
                *out = lr_strdup(t->token);
                pthread_mutex_unlock(&t->lock);
                return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
            }
        } else if (t->kind == LR_AZ_TOKEN_CLI) {
            rc = fetch_cli(t, &tok, &exp, err);
        } else {
            rc = fetch_http(t, &tok, &exp, err);
        }
        if (rc == 0) {
            free(t->token);
            t->token = tok;
            t->expires_ms = exp;
            t->fetches++;
            LR_DEBUG("azure: obtained a token from %s, valid for %lld s",
                     lr_az_token_kind_name(t->kind), (long long)((exp - now_ms()) / 1000));
        }
    }
    if (rc == 0) {
        *out = lr_strdup(t->token);
        if (!*out)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    pthread_mutex_unlock(&t->lock);
    return rc;
}

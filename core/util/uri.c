/* uri.c - lakehouse/table URI parsing (forms listed in uri.h). */
#include "lakerewind/uri.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lakerewind/str.h"

static const char *forms =
    "expected a local path, file:///path, abfss://container@account.dfs.core.windows.net/path, "
    "az://container/path, https://account.blob.core.windows.net/container/path or "
    "s3://bucket/path";

void lr_uri_free(struct lr_uri *u)
{
    if (!u)
        return;
    free(u->scheme);
    free(u->account);
    free(u->container);
    free(u->host);
    free(u->path);
    memset(u, 0, sizeof *u);
}

char *lr_uri_percent_decode(const char *in)
{
    size_t n = strlen(in);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (in[i] == '%') {
            if (i + 2 >= n)
                goto bad;
            if (!isxdigit((unsigned char)in[i + 1]) || !isxdigit((unsigned char)in[i + 2]))
                goto bad;
            char hex[3] = {in[i + 1], in[i + 2], 0};
            long v = strtol(hex, NULL, 16);
            if (v == 0)
                goto bad;
            out[j++] = (char)v;
            i += 2;
        } else {
            out[j++] = in[i];
        }
    }
    out[j] = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

/* Strip leading and trailing '/' from a key prefix; returns a new string. */
static char *clean_prefix(const char *p)
{
    while (*p == '/')
        p++;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/')
        n--;
    return lr_strndup(p, n);
}

static int parse_local(struct lr_uri *out, const char *path, struct lr_error *err)
{
    if (!*path)
        return lr_error_set(err, LR_EINVAL, "empty lakehouse path: %s", forms);
    char *abs;
    if (path[0] == '/') {
        abs = lr_strdup(path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            return lr_error_set(err, LR_EIO, "cannot read the current directory for %s", path);
        abs = lr_path_join(cwd, path);
    }
    if (!abs)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    size_t n = strlen(abs);
    while (n > 1 && abs[n - 1] == '/')
        abs[--n] = '\0';
    out->kind = LR_URI_LOCAL;
    out->path = abs;
    return 0;
}

int lr_uri_parse(struct lr_uri *out, const char *text, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return lr_error_set(err, LR_EINVAL, "empty URI: %s", forms);
    const char *sep = strstr(text, "://");
    int rc = 0;
    if (!sep) {
        out->scheme = lr_strdup("file");
        rc = parse_local(out, text, err);
        goto done;
    }
    out->scheme = lr_strndup(text, (size_t)(sep - text));
    if (!out->scheme)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (char *c = out->scheme; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *rest = sep + 3;
    const char *slash = strchr(rest, '/');
    char *authority = slash ? lr_strndup(rest, (size_t)(slash - rest)) : lr_strdup(rest);
    const char *path = slash ? slash : "";
    if (!authority)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    const char *s = out->scheme;

    if (strcmp(s, "file") == 0) {
        if (*authority && strcmp(authority, "localhost") != 0) {
            rc = lr_error_set(err, LR_EINVAL, "file URI %s names host '%s': use file:///abs/path",
                              text, authority);
        } else {
            char *decoded = lr_uri_percent_decode(path);
            if (!decoded)
                rc = lr_error_set(err, LR_EINVAL, "bad percent-escape in %s", text);
            else
                rc = parse_local(out, decoded, err);
            free(decoded);
        }
    } else if (!strcmp(s, "abfss") || !strcmp(s, "abfs") || !strcmp(s, "wasbs") ||
               !strcmp(s, "wasb")) {
        char *at = strchr(authority, '@');
        if (!at || at == authority || !at[1]) {
            rc = lr_error_set(err, LR_EINVAL,
                              "%s: expected %s://container@account.dfs.core.windows.net/path", text,
                              s);
        } else {
            out->kind = LR_URI_AZURE;
            out->container = lr_strndup(authority, (size_t)(at - authority));
            out->host = lr_strdup(at + 1);
            const char *dot = strchr(at + 1, '.');
            out->account = dot ? lr_strndup(at + 1, (size_t)(dot - at - 1)) : lr_strdup(at + 1);
            out->is_onelake = strstr(out->host, "fabric.microsoft.com") != NULL;
            out->path = clean_prefix(path);
        }
    } else if (!strcmp(s, "az") || !strcmp(s, "azure") || !strcmp(s, "adl")) {
        if (!*authority) {
            rc = lr_error_set(err, LR_EINVAL, "%s: expected az://container/path", text);
        } else {
            out->kind = LR_URI_AZURE;
            out->container = lr_strdup(authority);
            out->path = clean_prefix(path);
        }
    } else if (!strcmp(s, "https") || !strcmp(s, "http")) {
        const char *dot = strchr(authority, '.');
        bool azure = strstr(authority, ".blob.") || strstr(authority, ".dfs.");
        const char *p = path;
        while (*p == '/')
            p++;
        const char *cslash = strchr(p, '/');
        if (!azure || !dot) {
            rc = lr_error_set(err, LR_EINVAL,
                              "%s: an https URI must name an Azure blob or dfs endpoint "
                              "(https://account.blob.core.windows.net/container/path)",
                              text);
        } else if (!*p) {
            rc = lr_error_set(err, LR_EINVAL, "%s: the container is missing after the host",
                              text);
        } else {
            out->kind = LR_URI_AZURE;
            out->host = lr_strdup(authority);
            out->account = lr_strndup(authority, (size_t)(dot - authority));
            out->container = cslash ? lr_strndup(p, (size_t)(cslash - p)) : lr_strdup(p);
            out->path = clean_prefix(cslash ? cslash : "");
            out->is_onelake = strstr(authority, "fabric.microsoft.com") != NULL;
        }
    } else if (!strcmp(s, "s3") || !strcmp(s, "s3a")) {
        if (!*authority) {
            rc = lr_error_set(err, LR_EINVAL, "%s: expected s3://bucket/path", text);
        } else {
            out->kind = LR_URI_S3;
            out->container = lr_strdup(authority);
            out->path = clean_prefix(path);
        }
    } else {
        rc = lr_error_set(err, LR_EINVAL, "unknown URI scheme '%s' in %s: %s", s, text, forms);
    }
    free(authority);
done:
    if (rc == 0 && !out->path)
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    if (rc < 0)
        lr_uri_free(out);
    return rc;
}

/* store_tool.c - test helper (not a test): drive one store operation from a shell test.
 *
 *   lr_store_tool [--log FILE] [--opt key=value]... URI COMMAND [ARGS]
 *     mkcontainer            create the container / bucket
 *     put KEY TEXT           lr_store_put
 *     create KEY TEXT        lr_store_put_if_absent (exit 3 when it exists)
 *     get KEY                print the object
 *     list PREFIX            print "key size" lines
 *     caps                   print "atomic_create=0|1" after lr_store_probe
 *     stats                  (after any command) printed with --stats
 *     tokens N KEY           N gets of KEY; print how many bearer tokens were fetched
 *     upload DIR             put every regular file below DIR under its relative path
 *
 * Options come from --opt and the environment. Errors go to stderr as "error: CODE: message". */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include "lakerewind/log.h"
#include "lakerewind/store.h"
#include "lakerewind/sys/store_backend.h"
#include "store/cloud_common.h"

static struct lr_store *up_store;
static size_t up_root_len;
static struct lr_error *up_err;
static size_t up_count;

static int upload_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return lr_error_set(up_err, LR_EIO, "cannot open %s", path);
    char *data = malloc((size_t)st->st_size + 1);
    size_t n = data ? fread(data, 1, (size_t)st->st_size, f) : 0;
    fclose(f);
    if (!data || n != (size_t)st->st_size) {
        free(data);
        return lr_error_set(up_err, LR_EIO, "cannot read %s", path);
    }
    int rc = lr_store_put(up_store, path + up_root_len + 1, data, n, up_err);
    free(data);
    up_count++;
    return rc < 0 ? rc : 0;
}

static int fail(const struct lr_error *err)
{
    fprintf(stderr, "error: %s: %s\n", lr_code_name(err->code), err->message);
    return err->code == LR_EEXISTS ? 3 : 1;
}

int main(int argc, char **argv)
{
    struct lr_kv kv[32];
    size_t nkv = 0;
    int i = 1;
    bool stats = false;
    struct lr_error err;
    lr_error_clear(&err);
    while (i < argc && strncmp(argv[i], "--", 2) == 0) {
        if (!strcmp(argv[i], "--log") && i + 1 < argc) {
            if (lr_log_open(argv[i + 1], LR_LOG_DEBUG, &err) < 0)
                return fail(&err);
            i += 2;
        } else if (!strcmp(argv[i], "--opt") && i + 1 < argc && nkv < 32) {
            char *eq = strchr(argv[i + 1], '=');
            if (!eq)
                return 2;
            *eq = '\0';
            kv[nkv].key = argv[i + 1];
            kv[nkv].value = eq + 1;
            nkv++;
            i += 2;
        } else if (!strcmp(argv[i], "--stats")) {
            stats = true;
            i++;
        } else {
            fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (argc - i < 2) {
        fprintf(stderr, "usage: lr_store_tool [--log F] [--opt k=v] URI COMMAND [ARGS]\n");
        return 2;
    }
    const char *uri = argv[i], *cmd = argv[i + 1];
    char **a = argv + i + 2;
    int na = argc - i - 2;
    struct lr_store_options opts = {kv, nkv, true};
    struct lr_store *s = NULL;
    if (lr_store_open(&s, uri, &opts, &err) < 0)
        return fail(&err);
    int rc = 0;
    if (!strcmp(cmd, "mkcontainer")) {
        rc = strcmp(lr_store_backend_name(s), "azure") == 0 ? lr_azure_create_container(s, &err)
                                                           : lr_s3_create_bucket(s, &err);
    } else if (!strcmp(cmd, "put") && na == 2) {
        rc = lr_store_put(s, a[0], a[1], strlen(a[1]), &err);
    } else if (!strcmp(cmd, "create") && na == 2) {
        rc = lr_store_put_if_absent(s, a[0], a[1], strlen(a[1]), &err);
    } else if (!strcmp(cmd, "get") && na == 1) {
        struct lr_buf b = LR_BUF_INIT;
        rc = lr_store_get(s, a[0], &b, &err);
        if (rc == 0)
            fwrite(b.data ? (void *)b.data : (void *)"", 1, b.len, stdout);
        lr_buf_free(&b);
    } else if (!strcmp(cmd, "list") && na == 1) {
        struct lr_store_page p;
        rc = lr_store_list(s, a[0], NULL, &p, &err);
        for (size_t k = 0; rc == 0 && k < p.count; k++)
            printf("%s %llu\n", p.entries[k].key, (unsigned long long)p.entries[k].size);
        if (rc == 0)
            lr_store_page_free(&p);
    } else if (!strcmp(cmd, "caps") && na == 0) {
        rc = lr_store_probe(s, &err);
        if (rc >= 0) {
            printf("atomic_create=%d\n", (rc & (int)LR_STORE_CAP_ATOMIC_CREATE) ? 1 : 0);
            rc = 0;
        }
    } else if (!strcmp(cmd, "upload") && na == 1) {
        up_store = s;
        up_root_len = strlen(a[0]);
        while (up_root_len > 1 && a[0][up_root_len - 1] == '/')
            up_root_len--;
        up_err = &err;
        rc = nftw(a[0], upload_one, 16, FTW_PHYS);
        if (rc > 0)
            rc = LR_EIO;
        if (rc == 0)
            printf("uploaded %zu files\n", up_count);
    } else if (!strcmp(cmd, "tokens") && na == 2) {
        long n = strtol(a[0], NULL, 10);
        for (long k = 0; rc == 0 && k < n; k++) {
            struct lr_buf b = LR_BUF_INIT;
            rc = lr_store_get(s, a[1], &b, &err);
            lr_buf_free(&b);
        }
        if (rc == 0)
            printf("tokens=%u\n", lr_azure_token_fetches(s));
    } else {
        fprintf(stderr, "unknown command or wrong arguments: %s\n", cmd);
        rc = 2;
    }
    if (stats) {
        struct lr_store_stats st;
        lr_store_stats_get(s, &st);
        printf("requests=%llu retries=%llu errors=%llu\n", (unsigned long long)st.requests,
               (unsigned long long)st.retries, (unsigned long long)st.errors);
    }
    lr_store_close(s);
    lr_log_close();
    if (rc == 2)
        return 2;
    return rc < 0 ? fail(&err) : 0;
}

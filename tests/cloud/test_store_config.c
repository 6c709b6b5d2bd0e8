/* test_store_config.c - how the Azure and S3 openers read URIs, options and the environment,
 * without a server: the endpoint each URI form maps to (read back from the debug log line the
 * opener writes), OneLake's Blob endpoint, dfs hosts served by the blob host, refusal of plain
 * HTTP with credentials, missing account / credentials, AWS profile files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lakerewind/log.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static char *logpath;

static void clear_env(void)
{
    const char *vars[] = {"AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_KEY",
                          "AZURE_STORAGE_SAS_TOKEN", "AZURE_STORAGE_TOKEN",
                          "AZURE_STORAGE_USE_EMULATOR", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET",
                          "AZURE_TENANT_ID", "AZURE_ALLOW_HTTP", "AZURITE_BLOB_STORAGE_URL",
                          "AZURE_FEDERATED_TOKEN_FILE", "AWS_ACCESS_KEY_ID",
                          "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                          "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
                          "AWS_ENDPOINT_URL_S3", "AWS_ALLOW_HTTP", "AWS_SHARED_CREDENTIALS_FILE",
                          "AWS_CONFIG_FILE"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        unsetenv(vars[i]);
}

/* Open `uri` with kv options; return the opener's debug line ("azure: ..." / "s3: ..."). */
static char *open_line(const char *uri, const struct lr_kv *kv, size_t n, int *rc_out,
                       struct lr_error *err)
{
    unlink(logpath);
    struct lr_error e;
    assert_int_equal(lr_log_open(logpath, LR_LOG_DEBUG, &e), 0);
    struct lr_store_options o = {kv, n, true};
    struct lr_store *s = NULL;
    *rc_out = lr_store_open(&s, uri, &o, err);
    lr_store_close(s);
    lr_log_close();
    size_t len = 0;
    char *text = lr_test_read_file(logpath, &len);
    return text ? text : strdup("");
}

static void test_azure_uri_forms(void **state)
{
    (void)state;
    clear_env();
    struct lr_kv key = {"azure_storage_account_key", "a2V5"};
    struct lr_error err;
    int rc;
    char *l = open_line("abfss://data@acct.dfs.core.windows.net/lake/Tables", &key, 1, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "azure: https://acct.blob.core.windows.net container data root "
                              "'lake/Tables' auth shared key"));
    free(l);
    l = open_line("https://acct.blob.core.windows.net/c/p", &key, 1, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "azure: https://acct.blob.core.windows.net container c root 'p'"));
    free(l);
    setenv("AZURE_STORAGE_ACCOUNT_NAME", "envacct", 1);
    l = open_line("az://c/x/y", &key, 1, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "azure: https://envacct.blob.core.windows.net container c root 'x/y'"));
    free(l);
    unsetenv("AZURE_STORAGE_ACCOUNT_NAME");
    setenv("AZURE_STORAGE_TOKEN", "eyJ0eXAiOiJKV1QifQ.e30.static-token-for-tests", 1);
    l = open_line("abfss://Sales@onelake.dfs.fabric.microsoft.com/Lake1.Lakehouse/Tables", NULL, 0,
                  &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "azure: https://onelake.blob.fabric.microsoft.com container Sales "
                              "root 'Lake1.Lakehouse/Tables' auth static bearer token"));
    assert_null(strstr(l, "static-token-for-tests"));
    free(l);
    clear_env();
}

static void test_azure_emulator_http_and_errors(void **state)
{
    (void)state;
    clear_env();
    struct lr_error err;
    int rc;
    setenv("AZURE_STORAGE_USE_EMULATOR", "true", 1);
    char *l = open_line("az://c", NULL, 0, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "azure: http://127.0.0.1:10000/devstoreaccount1 container c root "
                              "'' auth shared key"));
    free(l);
    clear_env();
    struct lr_kv kv[] = {{"azure_endpoint", "http://10.0.0.1:9000/acct"},
                         {"azure_storage_account_name", "acct"},
                         {"azure_storage_account_key", "a2V5"}};
    l = open_line("az://c", kv, 3, &rc, &err);
    assert_int_equal(rc, LR_EINVAL);
    assert_non_null(strstr(err.message, "plain HTTP"));
    free(l);
    struct lr_kv kv2[] = {kv[0], kv[1], kv[2], {"allow_http", "true"}};
    l = open_line("az://c", kv2, 4, &rc, &err);
    assert_int_equal(rc, 0);
    free(l);
    l = open_line("az://c", NULL, 0, &rc, &err);
    assert_int_equal(rc, LR_EINVAL);
    assert_non_null(strstr(err.message, "AZURE_STORAGE_ACCOUNT_NAME"));
    free(l);
    struct lr_kv bad = {"azure_storage_account_key", "not base64!"};
    l = open_line("abfss://c@acct.dfs.core.windows.net/", &bad, 1, &rc, &err);
    assert_int_equal(rc, LR_EAUTH);
    assert_null(strstr(err.message, "not base64!"));
    free(l);
}

static void test_s3_forms_profiles_and_errors(void **state)
{
    (void)state;
    clear_env();
    struct lr_error err;
    int rc;
    char *dir = lr_test_tmpdir("s3-config");
    char *creds = lr_asprintf("%s/credentials", dir);
    char *conf = lr_asprintf("%s/config", dir);
    const char *c = "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s1\n"
                    "[lr]\naws_access_key_id=AKIDLR\naws_secret_access_key=s2\n";
    const char *f = "[profile lr]\nregion = eu-west-3\n";
    lr_test_write_file(creds, c, strlen(c));
    lr_test_write_file(conf, f, strlen(f));
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
    setenv("AWS_CONFIG_FILE", conf, 1);
    setenv("AWS_PROFILE", "lr", 1);
    char *l = open_line("s3a://bucket/lake", NULL, 0, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "s3: https://s3.eu-west-3.amazonaws.com/bucket region eu-west-3 "
                              "root 'lake'"));
    free(l);
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9/", 1);
    l = open_line("s3://bucket", NULL, 0, &rc, &err);
    assert_int_equal(rc, LR_EINVAL);
    assert_non_null(strstr(err.message, "AWS_ALLOW_HTTP"));
    free(l);
    setenv("AWS_ALLOW_HTTP", "true", 1);
    l = open_line("s3://bucket", NULL, 0, &rc, &err);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(l, "s3: http://127.0.0.1:9/bucket"));
    free(l);
    setenv("AWS_PROFILE", "nobody", 1);
    l = open_line("s3://bucket", NULL, 0, &rc, &err);
    assert_int_equal(rc, LR_EAUTH);
    assert_non_null(strstr(err.message, "AWS_ACCESS_KEY_ID"));
    free(l);
    clear_env();
    free(creds);
    free(conf);
    free(dir);
}

int main(void)
{
    char *dir = lr_test_tmpdir("store-config");
    logpath = lr_asprintf("%s/debug.log", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_azure_uri_forms),
        cmocka_unit_test(test_azure_emulator_http_and_errors),
        cmocka_unit_test(test_s3_forms_profiles_and_errors),
    };
    int rc = cmocka_run_group_tests_name("store configuration", tests, NULL, NULL);
    free(logpath);
    free(dir);
    return rc;
}

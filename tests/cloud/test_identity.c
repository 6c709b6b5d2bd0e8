/* test_identity.c - who a store credential names (lr_store_identity): the JWT payload claims of
 * an Entra bearer token in their documented order, "aws:<access key id>" for S3, nobody for
 * shared keys, SAS and local folders; and the token itself never comes back. No network: the
 * static token needs no fetch and opening a store makes no request. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/store.h"
#include "lakerewind/str.h"
#include "store/digest.h"
#include "store/jwt.h"
#include "testsupport.h"

/* base64url without padding */
static char *b64url(const char *s)
{
    char *b = lr_base64_encode((const uint8_t *)s, strlen(s));
    assert_non_null(b);
    size_t n = strlen(b);
    while (n && b[n - 1] == '=')
        b[--n] = '\0';
    for (char *p = b; *p; p++)
        *p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    return b;
}

static char *jwt(const char *payload)
{
    char *h = b64url("{\"typ\":\"JWT\",\"alg\":\"RS256\"}");
    char *p = b64url(payload);
    char *t = lr_asprintf("%s.%s.c2lnbmF0dXJl", h, p);
    free(h);
    free(p);
    return t;
}

static void expect(const char *payload, const char *want)
{
    char *t = jwt(payload);
    char *got = lr_jwt_identity(t);
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
    free(got);
    free(t);
}

static void test_jwt_claims_in_documented_order(void **state)
{
    (void)state;
    expect("{\"upn\":\"ana@contoso.com\",\"preferred_username\":\"x\",\"unique_name\":\"y\","
           "\"appid\":\"a\",\"oid\":\"o\"}",
           "ana@contoso.com");
    expect("{\"preferred_username\":\"ben@contoso.com\",\"unique_name\":\"y\",\"oid\":\"o\"}",
           "ben@contoso.com");
    expect("{\"unique_name\":\"live.com#cy@example.org\",\"appid\":\"a\"}",
           "live.com#cy@example.org");
    expect("{\"upn\":\"\",\"appid\":\"5a1e0000-1111-4222-8333-4444c11e0001\",\"oid\":\"o\"}",
           "app:5a1e0000-1111-4222-8333-4444c11e0001");
    expect("{\"azp\":\"11112222-0000-4000-8000-000000000000\",\"oid\":\"o\"}",
           "app:11112222-0000-4000-8000-000000000000");
    expect("{\"oid\":\"9f0c0000-0000-4000-8000-00000000abcd\",\"sub\":\"s\"}",
           "oid:9f0c0000-0000-4000-8000-00000000abcd");
    expect("{\"sub\":\"only-a-subject\"}", NULL);
    expect("[1,2]", NULL);
    /* payload bytes that need '-' and '_' in base64url */
    expect("{\"upn\":\"?>?>>~~@x.org\"}", "?>?>>~~@x.org");
    assert_null(lr_jwt_identity("not-a-jwt"));
    assert_null(lr_jwt_identity("a.!!!.c"));
    assert_null(lr_jwt_identity(""));
}

static void test_store_identity_per_backend(void **state)
{
    (void)state;
    struct lr_error err;
    struct lr_store *s = NULL;
    char *who = NULL;
    char *dir = lr_test_tmpdir("identity");
    assert_int_equal(lr_store_open(&s, dir, NULL, &err), 0);
    assert_int_equal(lr_store_identity(s, &who, &err), 0);
    assert_null(who);
    lr_store_close(s);
    free(dir);

    char *token = jwt("{\"appid\":\"5a1e0000-1111-4222-8333-4444c11e0001\",\"oid\":\"o\"}");
    struct lr_kv az_tok[] = {{"azure_storage_token", token},
                             {"azure_storage_account_name", "devstoreaccount1"},
                             {"azure_endpoint", "https://127.0.0.1:1/devstoreaccount1"}};
    struct lr_store_options o = {az_tok, 3, false};
    if (lr_store_open(&s, "az://c/lake", &o, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(lr_store_identity(s, &who, &err), 0);
    assert_string_equal(who, "app:5a1e0000-1111-4222-8333-4444c11e0001");
    assert_null(strstr(who, token));
    free(who);
    lr_store_close(s);
    free(token);

    struct lr_kv az_key[] = {
        {"azure_storage_account_key", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2U"
                                      "VErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="},
        {"azure_storage_account_name", "devstoreaccount1"},
        {"azure_endpoint", "https://127.0.0.1:1/devstoreaccount1"}};
    o.kv = az_key;
    if (lr_store_open(&s, "az://c/lake", &o, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(lr_store_identity(s, &who, &err), 0);
    assert_null(who);
    lr_store_close(s);

    struct lr_kv s3[] = {{"aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"},
                         {"aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
                         {"aws_session_token", "FwoGZXIvYXdzEXAMPLE"},
                         {"aws_region", "us-east-1"},
                         {"aws_endpoint", "https://127.0.0.1:1"}};
    o.kv = s3;
    o.kv_count = 5;
    if (lr_store_open(&s, "s3://bucket/lake", &o, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(lr_store_identity(s, &who, &err), 0);
    assert_string_equal(who, "aws:AKIAIOSFODNN7EXAMPLE");
    free(who);
    lr_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jwt_claims_in_documented_order),
        cmocka_unit_test(test_store_identity_per_backend),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

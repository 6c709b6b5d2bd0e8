/* test_sigv4.c - the SigV4 signer against AWS's published test vectors: five cases of the
 * aws-sig-v4-test-suite (credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY,
 * us-east-1, service "service", 20150830T123600Z) and the S3 GetObject example of the S3 API
 * reference ("Examples: Signature Calculations in AWS Signature Version 4"). */
#include <stdlib.h>
#include <string.h>

#include "store/sigv4.h"
#include "testsupport.h"

#define SUITE_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EMPTY_HASH "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SUITE_CRED "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request"

static char *sign(const char *method, const char *path, const char *query,
                  const struct lr_sigv4_header *h, size_t n, const char *payload_hash,
                  struct lr_buf *creq, struct lr_buf *sts)
{
    struct lr_sigv4_input in = {method, path, query, h, n, payload_hash, "20150830T123600Z",
                                "us-east-1", "service", "AKIDEXAMPLE", SUITE_KEY};
    char *auth = NULL;
    struct lr_error err;
    assert_int_equal(lr_sigv4_sign(&in, &auth, creq, sts, &err), 0);
    return auth;
}

static void test_get_vanilla(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "example.amazonaws.com"},
                                  {"X-Amz-Date", "20150830T123600Z"}};
    struct lr_buf creq = LR_BUF_INIT, sts = LR_BUF_INIT;
    char *auth = sign("GET", "/", "", h, 2, EMPTY_HASH, &creq, &sts);
    assert_string_equal((char *)creq.data, "GET\n/\n\nhost:example.amazonaws.com\n"
                                           "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                                           EMPTY_HASH);
    assert_non_null(strstr((char *)sts.data, "20150830/us-east-1/service/aws4_request\n"));
    assert_string_equal(auth, SUITE_CRED ", SignedHeaders=host;x-amz-date, "
                              "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aa"
                              "e1d763fbf31");
    free(auth);
    lr_buf_free(&creq);
    lr_buf_free(&sts);
}

static void test_get_vanilla_query_order_key_case(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "example.amazonaws.com"},
                                  {"X-Amz-Date", "20150830T123600Z"}};
    struct lr_buf creq = LR_BUF_INIT;
    char *auth = sign("GET", "/", "Param2=value2&Param1=value1", h, 2, EMPTY_HASH, &creq, NULL);
    assert_non_null(strstr((char *)creq.data, "\nParam1=value1&Param2=value2\n"));
    assert_string_equal(auth, SUITE_CRED ", SignedHeaders=host;x-amz-date, "
                              "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219"
                              "ec94cdf2500");
    free(auth);
    lr_buf_free(&creq);
}

static void test_get_header_value_trim(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "example.amazonaws.com"},
                                  {"My-Header1", " value1"},
                                  {"My-Header2", "\"a   b   c\""},
                                  {"X-Amz-Date", "20150830T123600Z"}};
    struct lr_buf creq = LR_BUF_INIT;
    char *auth = sign("GET", "/", NULL, h, 4, EMPTY_HASH, &creq, NULL);
    assert_non_null(strstr((char *)creq.data, "my-header1:value1\nmy-header2:\"a b c\"\n"));
    assert_string_equal(auth, SUITE_CRED ", SignedHeaders=host;my-header1;my-header2;x-amz-date, "
                              "Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee35"
                              "9757a9c736");
    free(auth);
    lr_buf_free(&creq);
}

static void test_get_unreserved(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "example.amazonaws.com"},
                                  {"X-Amz-Date", "20150830T123600Z"}};
    char *auth = sign("GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                      NULL, h, 2, EMPTY_HASH, NULL, NULL);
    assert_string_equal(auth, SUITE_CRED ", SignedHeaders=host;x-amz-date, "
                              "Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a"
                              "65bbf5f24f");
    free(auth);
}

static void test_post_x_www_form_urlencoded(void **state)
{
    (void)state;
    /* the body "Param1=value1" hashes to 9095672b... */
    struct lr_sigv4_header h[] = {{"Content-Type", "application/x-www-form-urlencoded"},
                                  {"Host", "example.amazonaws.com"},
                                  {"X-Amz-Date", "20150830T123600Z"}};
    char *auth = sign("POST", "/", NULL, h, 3,
                      "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", NULL,
                      NULL);
    assert_string_equal(auth, SUITE_CRED ", SignedHeaders=content-type;host;x-amz-date, "
                              "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196"
                              "a0fe09473a");
    free(auth);
}

static void test_s3_get_object_example(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "examplebucket.s3.amazonaws.com"},
                                  {"Range", "bytes=0-9"},
                                  {"x-amz-content-sha256", EMPTY_HASH},
                                  {"x-amz-date", "20130524T000000Z"}};
    struct lr_sigv4_input in = {"GET", "/test.txt", NULL, h, 4, EMPTY_HASH, "20130524T000000Z",
                                "us-east-1", "s3", "AKIAIOSFODNN7EXAMPLE",
                                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
    char *auth = NULL;
    struct lr_buf sts = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_sigv4_sign(&in, &auth, NULL, &sts, &err), 0);
    assert_string_equal((char *)sts.data,
                        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    assert_string_equal(auth, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
                              "us-east-1/s3/aws4_request, SignedHeaders=host;range;"
                              "x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd"
                              "35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    free(auth);
    lr_buf_free(&sts);
}

static void test_bad_date_is_refused(void **state)
{
    (void)state;
    struct lr_sigv4_header h[] = {{"Host", "x"}};
    struct lr_sigv4_input in = {"GET", "/", NULL, h, 1, EMPTY_HASH, "2015-08-30",
                                "us-east-1", "s3", "A", "B"};
    char *auth = NULL;
    struct lr_error err;
    assert_int_equal(lr_sigv4_sign(&in, &auth, NULL, NULL, &err), LR_EINVAL);
    assert_null(auth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_vanilla),
        cmocka_unit_test(test_get_vanilla_query_order_key_case),
        cmocka_unit_test(test_get_header_value_trim),
        cmocka_unit_test(test_get_unreserved),
        cmocka_unit_test(test_post_x_www_form_urlencoded),
        cmocka_unit_test(test_s3_get_object_example),
        cmocka_unit_test(test_bad_date_is_refused),
    };
    return cmocka_run_group_tests_name("sigv4", tests, NULL, NULL);
}

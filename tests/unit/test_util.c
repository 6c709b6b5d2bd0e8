/* test_util.c - core/util: URI forms and percent decoding, error context chaining and
 * truncation, redaction patterns and registered secrets, buffer limits, strings, strvec. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lakerewind/buf.h"
#include "lakerewind/error.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/timefmt.h"
#include "lakerewind/uri.h"
#include "testsupport.h"

static void parse_ok(const char *text, struct lr_uri *u)
{
    struct lr_error err;
    if (lr_uri_parse(u, text, &err) < 0)
        fail_msg("%s: %s", text, err.message);
}

static void parse_bad(const char *text, const char *needle)
{
    struct lr_uri u;
    struct lr_error err;
    lr_error_clear(&err);
    assert_int_equal(lr_uri_parse(&u, text, &err), LR_EINVAL);
    if (!strstr(err.message, needle))
        fail_msg("%s: message lacks '%s': %s", text, needle, err.message);
    assert_null(u.path);
    assert_null(u.scheme);
}

static void test_uri_local_forms_become_absolute(void **state)
{
    (void)state;
    struct lr_uri u;
    parse_ok("/data/lake/", &u);
    assert_int_equal(u.kind, LR_URI_LOCAL);
    assert_string_equal(u.scheme, "file");
    assert_string_equal(u.path, "/data/lake");
    assert_null(u.container);
    lr_uri_free(&u);

    char cwd[PATH_MAX];
    assert_non_null(getcwd(cwd, sizeof cwd));
    parse_ok("rel/dir", &u);
    char *want = lr_path_join(cwd, "rel/dir");
    assert_string_equal(u.path, want);
    free(want);
    lr_uri_free(&u);

    parse_ok("file:///tmp/my%20lake/caf%C3%A9", &u);
    assert_int_equal(u.kind, LR_URI_LOCAL);
    assert_string_equal(u.path, "/tmp/my lake/caf\xc3\xa9");
    lr_uri_free(&u);
    parse_ok("FILE://localhost/srv/x", &u);
    assert_string_equal(u.scheme, "file");
    assert_string_equal(u.path, "/srv/x");
    lr_uri_free(&u);
    parse_ok("/", &u);
    assert_string_equal(u.path, "/");
    lr_uri_free(&u);
}

static void test_uri_cloud_forms(void **state)
{
    (void)state;
    struct lr_uri u;
    parse_ok("abfss://lake@contoso.dfs.core.windows.net/crm/raw/", &u);
    assert_int_equal(u.kind, LR_URI_AZURE);
    assert_string_equal(u.scheme, "abfss");
    assert_string_equal(u.container, "lake");
    assert_string_equal(u.account, "contoso");
    assert_string_equal(u.host, "contoso.dfs.core.windows.net");
    assert_string_equal(u.path, "crm/raw");
    assert_false(u.is_onelake);
    lr_uri_free(&u);

    parse_ok("abfss://My Workspace@onelake.dfs.fabric.microsoft.com/crm.Lakehouse", &u);
    assert_int_equal(u.kind, LR_URI_AZURE);
    assert_true(u.is_onelake);
    assert_string_equal(u.account, "onelake");
    assert_string_equal(u.container, "My Workspace");
    assert_string_equal(u.path, "crm.Lakehouse");
    lr_uri_free(&u);

    parse_ok("az://container/a/b/", &u);
    assert_int_equal(u.kind, LR_URI_AZURE);
    assert_string_equal(u.container, "container");
    assert_null(u.account); /* from config or environment */
    assert_string_equal(u.path, "a/b");
    lr_uri_free(&u);
    parse_ok("azure://c", &u);
    assert_string_equal(u.path, "");
    lr_uri_free(&u);

    parse_ok("https://acct.blob.core.windows.net/cont/x/y", &u);
    assert_int_equal(u.kind, LR_URI_AZURE);
    assert_string_equal(u.account, "acct");
    assert_string_equal(u.container, "cont");
    assert_string_equal(u.path, "x/y");
    lr_uri_free(&u);
    parse_ok("https://onelake.dfs.fabric.microsoft.com/ws/item.Lakehouse/Tables", &u);
    assert_true(u.is_onelake);
    assert_string_equal(u.container, "ws");
    assert_string_equal(u.path, "item.Lakehouse/Tables");
    lr_uri_free(&u);

    parse_ok("s3://bucket/prefix/", &u);
    assert_int_equal(u.kind, LR_URI_S3);
    assert_string_equal(u.container, "bucket");
    assert_string_equal(u.path, "prefix");
    lr_uri_free(&u);
    parse_ok("S3A://bucket", &u);
    assert_string_equal(u.scheme, "s3a");
    assert_string_equal(u.path, "");
    lr_uri_free(&u);
}

static void test_uri_errors_name_the_expected_form(void **state)
{
    (void)state;
    parse_bad("", "empty URI");
    parse_bad("ftp://host/x", "unknown URI scheme 'ftp'");
    parse_bad("ftp://host/x", "s3://bucket/path");
    parse_bad("abfss://contoso.dfs.core.windows.net/x", "container@account");
    parse_bad("abfss://@acct.dfs.core.windows.net/x", "container@account");
    parse_bad("az:///x", "az://container/path");
    parse_bad("https://example.com/c/p", "Azure blob or dfs endpoint");
    parse_bad("https://acct.blob.core.windows.net/", "container is missing");
    parse_bad("s3:///p", "s3://bucket/path");
    parse_bad("file://server/share", "names host 'server'");
    parse_bad("file:///tmp/%zz", "bad percent-escape");
    parse_bad("file:///tmp/%00x", "bad percent-escape");
}

static void test_percent_decoding(void **state)
{
    (void)state;
    char *s = lr_uri_percent_decode("a%2Fb%20c%25d");
    assert_string_equal(s, "a/b c%d");
    free(s);
    s = lr_uri_percent_decode("%e2%82%AC");
    assert_string_equal(s, "\xe2\x82\xac");
    free(s);
    s = lr_uri_percent_decode("plain");
    assert_string_equal(s, "plain");
    free(s);
    assert_null(lr_uri_percent_decode("100%"));
    assert_null(lr_uri_percent_decode("%4"));
    assert_null(lr_uri_percent_decode("%g1"));
    assert_null(lr_uri_percent_decode("%00")); /* no NUL inside a path */
}

static void test_error_context_chains_outward(void **state)
{
    (void)state;
    struct lr_error err;
    lr_error_clear(&err);
    assert_int_equal(err.code, LR_OK);
    assert_string_equal(err.message, "");
    assert_int_equal(lr_error_set(&err, LR_ENOTFOUND, "object %s missing", "a.json"),
                     LR_ENOTFOUND);
    assert_int_equal(lr_error_context(&err, "version %d", 12), LR_ENOTFOUND);
    assert_int_equal(lr_error_context(&err, "table %s", "account"), LR_ENOTFOUND);
    assert_string_equal(err.message, "table account: version 12: object a.json missing");
    assert_int_equal(err.code, LR_ENOTFOUND);
    /* NULL-safe. */
    assert_int_equal(lr_error_set(NULL, LR_EIO, "x"), LR_EIO);
    /* Context on a cleared error still reads as a failure. */
    lr_error_clear(&err);
    assert_true(lr_error_context(&err, "ctx") < 0);
    assert_string_equal(err.message, "ctx: ");
}

static void test_error_truncation_keeps_the_front(void **state)
{
    (void)state;
    struct lr_error err;
    char big[3 * LR_ERROR_MAX];
    memset(big, 'c', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    lr_error_set(&err, LR_EIO, "%s", big);
    assert_int_equal(strlen(err.message), LR_ERROR_MAX - 1);
    lr_error_context(&err, "table %s", "account");
    assert_int_equal(strlen(err.message), LR_ERROR_MAX - 1);
    assert_true(lr_str_starts_with(err.message, "table account: ccc"));
    /* A context longer than the whole message buffer is cut, never overflowing. */
    char ctx[LR_ERROR_MAX + 100];
    memset(ctx, 'x', sizeof ctx - 1);
    ctx[sizeof ctx - 1] = '\0';
    for (int i = 0; i < 5; i++)
        lr_error_context(&err, "%s", ctx);
    assert_true(strlen(err.message) <= LR_ERROR_MAX - 1);
    assert_int_equal(err.code, LR_EIO);
}

static void test_error_errno_mapping(void **state)
{
    (void)state;
    struct lr_error err;
    assert_int_equal(lr_error_errno(&err, ENOENT, "open %s", "/x"), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, "open /x: "));
    assert_int_equal(lr_error_errno(&err, ENOTDIR, "open"), LR_ENOTFOUND);
    assert_int_equal(lr_error_errno(&err, EACCES, "write /y"), LR_EPERM);
    assert_non_null(strstr(err.message, "check the file permissions"));
    assert_int_equal(lr_error_errno(&err, EROFS, "w"), LR_EPERM);
    assert_int_equal(lr_error_errno(&err, ENOSPC, "w"), LR_ENOSPC);
    assert_non_null(strstr(err.message, "free disk space"));
    assert_int_equal(lr_error_errno(&err, EDQUOT, "w"), LR_ENOSPC);
    assert_int_equal(lr_error_errno(&err, EEXIST, "w"), LR_EEXISTS);
    assert_int_equal(lr_error_errno(&err, ENOMEM, "w"), LR_ENOMEM);
    assert_int_equal(lr_error_errno(&err, EIO, "w"), LR_EIO);
    assert_int_equal(lr_error_errno(NULL, ENOENT, "w"), LR_ENOTFOUND);
    assert_string_equal(lr_code_name(LR_ENOTFOUND), "ENOTFOUND");
    assert_string_equal(lr_code_name(LR_ELIMIT), "ELIMIT");
    assert_string_equal(lr_code_name(LR_OK), "OK");
    assert_string_equal(lr_code_name(-999), "EUNKNOWN");
    for (int c = LR_ELIMIT; c <= LR_OK; c++)
        assert_string_not_equal(lr_code_name(c), "EUNKNOWN");
}

static void redacts(const char *in, const char *want)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", in);
    lr_redact(buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("redact(%s)\n  got  %s\n  want %s", in, buf, want);
}

static void test_redaction_patterns(void **state)
{
    (void)state;
    redacts("GET /c/b?sv=2021&sig=abc%2Bdef&se=x", "GET /c/b?sv=2021&sig=***&se=x");
    redacts("Authorization: SharedKey acct:c2lnbmF0dXJl\r\nHost: x",
            "Authorization: ***\r\nHost: x");
    redacts("authorization: Bearer eyJ0eXAi.x.y", "authorization: ***");
    redacts("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy==;EndpointSuffix=c",
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=***;EndpointSuffix=c");
    redacts("SharedAccessSignature=sv=1&sig=x; more", "SharedAccessSignature=***; more");
    redacts("x-amz-security-token:FQoGZXIvYXdzE\nnext", "x-amz-security-token:***\nnext");
    redacts("?X-Amz-Signature=deadbeef&X-Amz-Security-Token=tok&a=b",
            "?X-Amz-Signature=***&X-Amz-Security-Token=***&a=b");
    redacts("grant_type=client_credentials&client_secret=s3cr3t&scope=x",
            "grant_type=client_credentials&client_secret=***&scope=x");
    redacts("{\"access_token\":\"eyJabc\",\"expires_in\":3599}",
            "{\"access_token\":\"***\",\"expires_in\":3599}");
    redacts("{\"access_token\": \"eyJabc\"}", "{\"access_token\": \"***\"}");
    redacts("user=a password=hunter22 x", "user=a password=*** x");
    redacts("sig=a sig=b", "sig=*** sig=***");
    redacts("sig=***", "sig=***");
    redacts("nothing secret here", "nothing secret here");
    redacts("", "");
}

static void test_registered_secrets_are_redacted(void **state)
{
    (void)state;
    lr_redact_register("Sup3rSecretValue");
    lr_redact_register("Sup3rSecretValue"); /* twice is once */
    lr_redact_register("short");            /* too short to register safely */
    lr_redact_register(NULL);
    redacts("key Sup3rSecretValue and Sup3rSecretValue again",
            "key *** and *** again");
    redacts("a short word", "a short word");
    /* Log lines are redacted on the way to the file. */
    char *dir = lr_test_tmpdir("util-log");
    char *path = lr_asprintf("%s/debug.log", dir);
    struct lr_error err;
    assert_int_equal(lr_log_open(path, LR_LOG_INFO, &err), 0);
    lr_log(LR_LOG_INFO, "using key %s with sig=%s", "Sup3rSecretValue", "xyz");
    lr_log(LR_LOG_DEBUG, "debug line must not appear");
    lr_log_close();
    size_t len = 0;
    char *text = lr_test_read_file(path, &len);
    assert_non_null(text);
    assert_non_null(strstr(text, "INFO using key *** with sig=***"));
    assert_null(strstr(text, "Sup3rSecretValue"));
    assert_null(strstr(text, "debug line"));
    free(text);
    /* A log file that cannot be opened is an error naming it, not a crash. */
    char *bad = lr_asprintf("%s/no/such/dir/log", dir);
    assert_int_equal(lr_log_open(bad, LR_LOG_INFO, &err), LR_ENOTFOUND);
    assert_non_null(strstr(err.message, bad));
    free(bad);
    free(path);
    free(dir);
}

static void test_buf_limits_and_ownership(void **state)
{
    (void)state;
    struct lr_buf b;
    struct lr_error err;
    lr_buf_init(&b, 10);
    assert_int_equal(lr_buf_append_str(&b, "hello", &err), 0);
    assert_int_equal(lr_buf_printf(&b, &err, "%d", 12345), 0);
    assert_int_equal(b.len, 10);
    assert_string_equal((char *)b.data, "hello12345");
    assert_int_equal(lr_buf_append(&b, "x", 1, &err), LR_ELIMIT);
    assert_non_null(strstr(err.message, "10-byte limit"));
    assert_int_equal(b.len, 10); /* unchanged by the failed append */
    assert_int_equal(lr_buf_printf(&b, &err, "%s", "y"), LR_ELIMIT);
    lr_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal((char *)b.data, "");
    assert_int_equal(lr_buf_append(&b, "abc", 3, &err), 0);
    size_t len = 0;
    uint8_t *taken = lr_buf_take(&b, &len);
    assert_int_equal(len, 3);
    assert_string_equal((char *)taken, "abc");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    free(taken);
    /* No limit: grows; appending nothing to an empty buffer is fine. */
    struct lr_buf big = LR_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        assert_int_equal(lr_buf_append(&big, "0123456789", 10, &err), 0);
    assert_int_equal(big.len, 10000);
    assert_int_equal(big.data[big.len], '\0');
    assert_int_equal(lr_buf_reserve(&big, SIZE_MAX - 2, &err), LR_ELIMIT);
    lr_buf_free(&big);
    lr_buf_free(&big); /* idempotent */
}

static void test_strings_and_strvec(void **state)
{
    (void)state;
    char *p = lr_path_join("a/", "/b");
    assert_string_equal(p, "a/b");
    free(p);
    p = lr_path_join("/", "x");
    assert_string_equal(p, "/x");
    free(p);
    p = lr_path_join("", "x");
    assert_string_equal(p, "x");
    free(p);
    p = lr_path_join("a", "");
    assert_string_equal(p, "a");
    free(p);
    assert_true(lr_str_starts_with("Tables/a", "Tables/"));
    assert_false(lr_str_starts_with("Tab", "Tables"));
    assert_true(lr_str_ends_with("x.json", ".json"));
    assert_false(lr_str_ends_with("json", ".json"));
    assert_null(lr_strdup(NULL));

    int64_t i;
    uint64_t u;
    assert_true(lr_parse_int64("-42", &i));
    assert_int_equal(i, -42);
    assert_true(lr_parse_int64("9223372036854775807", &i));
    assert_false(lr_parse_int64("9223372036854775808", &i));
    assert_false(lr_parse_int64("+1", &i));
    assert_false(lr_parse_int64(" 1", &i));
    assert_false(lr_parse_int64("1x", &i));
    assert_false(lr_parse_int64("", &i));
    assert_false(lr_parse_int64(NULL, &i));
    assert_true(lr_parse_uint64("18446744073709551615", &u));
    assert_false(lr_parse_uint64("18446744073709551616", &u));
    assert_false(lr_parse_uint64("-1", &u));

    struct lr_strvec v = {0};
    assert_int_equal(lr_strvec_push(&v, "b"), 0);
    assert_int_equal(lr_strvec_push(&v, "\xc3\xa9t\xc3\xa9"), 0); /* non-ASCII sorts last */
    assert_int_equal(lr_strvec_push(&v, "B"), 0);
    assert_int_equal(lr_strvec_push_owned(&v, lr_strdup("a b")), 0);
    assert_int_equal(lr_strvec_push_owned(&v, NULL), LR_ENOMEM);
    for (int k = 0; k < 100; k++)
        assert_int_equal(lr_strvec_push(&v, "z"), 0);
    lr_strvec_sort(&v);
    assert_int_equal(v.count, 104);
    assert_string_equal(v.items[0], "B");
    assert_string_equal(v.items[1], "a b");
    assert_string_equal(v.items[2], "b");
    assert_string_equal(v.items[103], "\xc3\xa9t\xc3\xa9");
    lr_strvec_free(&v);
    assert_null(v.items);
    assert_int_equal(v.count, 0);
    lr_strvec_free(&v);
}

static void test_clock_now_fixed_by_env(void **state)
{
    (void)state;
    char buf[LR_ISO_MS_LEN];
    setenv("LAKEREWIND_NOW", "2026-11-26T19:30Z", 1);
    assert_string_equal(lr_time_format_iso_ms(lr_clock_now_ms(), buf, sizeof buf),
                        "2026-11-26T19:30:00.000Z");
    setenv("LAKEREWIND_NOW", "2025-01-15T10:00:05Z", 1);
    assert_string_equal(lr_time_format_iso_ms(lr_clock_now_ms(), buf, sizeof buf),
                        "2025-01-15T10:00:05.000Z");
    setenv("LAKEREWIND_NOW", "2025-01-15", 1);
    assert_string_equal(lr_time_format_iso_ms(lr_clock_now_ms(), buf, sizeof buf),
                        "2025-01-15T00:00:00.000Z");
    /* Malformed values fall back to the real clock (well after the fixed days above). */
    const char *bad[] = {"2025-13-01", "2025-01-15T10:00", "yesterday", "2025-01-15T10:00Zx"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("LAKEREWIND_NOW", bad[i], 1);
        assert_true(lr_clock_now_ms() > 1764000000000LL);
    }
    unsetenv("LAKEREWIND_NOW");
    assert_true(lr_clock_now_ms() > 1764000000000LL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uri_local_forms_become_absolute),
        cmocka_unit_test(test_clock_now_fixed_by_env),
        cmocka_unit_test(test_uri_cloud_forms),
        cmocka_unit_test(test_uri_errors_name_the_expected_form),
        cmocka_unit_test(test_percent_decoding),
        cmocka_unit_test(test_error_context_chains_outward),
        cmocka_unit_test(test_error_truncation_keeps_the_front),
        cmocka_unit_test(test_error_errno_mapping),
        cmocka_unit_test(test_redaction_patterns),
        cmocka_unit_test(test_registered_secrets_are_redacted),
        cmocka_unit_test(test_buf_limits_and_ownership),
        cmocka_unit_test(test_strings_and_strvec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_azure_sign.c - the Shared Key string-to-sign, the XML scanner and date parsing, without
 * a server. The List Blobs case is the request Azurite's debug log showed it accepted (from
 * object-store-notes.md, "Shared Key authorization"). */
#include <stdlib.h>
#include <string.h>

#include "store/azure_auth.h"
#include "store/digest.h"
#include "store/http.h"
#include "store/xml.h"
#include "testsupport.h"

static void test_list_blobs_string_to_sign(void **state)
{
    (void)state;
    struct lr_az_header h[] = {{"x-ms-version", "2025-11-05"},
                               {"x-ms-date", "Thu, 26 Nov 2026 16:14:25 GMT"}};
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_azure_string_to_sign(
                         "GET", "devstoreaccount1", "/devstoreaccount1/delta",
                         "restype=container&comp=list&prefix=t1%2F_delta_log%2F&maxresults=2&"
                         "marker=t1%2F_delta_log%2F00000000000000000001.json",
                         h, 2, &b, &err),
                     0);
    assert_string_equal((char *)b.data,
                        "GET\n\n\n\n\n\n\n\n\n\n\n\n"
                        "x-ms-date:Thu, 26 Nov 2026 16:14:25 GMT\n"
                        "x-ms-version:2025-11-05\n"
                        "/devstoreaccount1/devstoreaccount1/delta\n"
                        "comp:list\n"
                        "marker:t1/_delta_log/00000000000000000001.json\n"
                        "maxresults:2\n"
                        "prefix:t1/_delta_log/\n"
                        "restype:container");
    lr_buf_free(&b);
}

static void test_put_slots_and_zero_length(void **state)
{
    (void)state;
    struct lr_az_header h[] = {{"Content-Length", "0"},
                               {"Content-Type", "application/octet-stream"},
                               {"If-None-Match", "*"},
                               {"x-ms-blob-type", "BlockBlob"},
                               {"X-MS-Date", "  Thu,  26 Nov 2026 16:14:25 GMT "}};
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    assert_int_equal(lr_azure_string_to_sign("PUT", "acct", "/c/a%20b", NULL, h, 5, &b, &err),
                     0);
    /* Content-Length is empty when 0; If-None-Match in its slot; x-ms-* trimmed, collapsed */
    assert_string_equal((char *)b.data, "PUT\n\n\n\n\napplication/octet-stream\n\n\n\n*\n\n\n"
                                        "x-ms-blob-type:BlockBlob\n"
                                        "x-ms-date:Thu, 26 Nov 2026 16:14:25 GMT\n"
                                        "/acct/c/a%20b");
    uint8_t key[] = "key";
    char *auth = NULL;
    assert_int_equal(lr_azure_shared_key("acct", key, 3, &b, &auth, &err), 0);
    assert_true(strncmp(auth, "SharedKey acct:", 15) == 0);
    assert_int_equal(strlen(auth), 15 + 44);
    free(auth);
    lr_buf_free(&b);
}

struct names {
    char got[8][64];
    int n;
    char next[64];
};

static int on_close(void *ctx, const char *path, const char *text, size_t len)
{
    struct names *nm = ctx;
    (void)len;
    if (!strcmp(path, "EnumerationResults/Blobs/Blob/Name") && nm->n < 8)
        snprintf(nm->got[nm->n++], 64, "%s", text);
    if (!strcmp(path, "EnumerationResults/NextMarker"))
        snprintf(nm->next, 64, "%s", text);
    return 0;
}

static void test_xml_listing_entities_cdata_and_errors(void **state)
{
    (void)state;
    const char *doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->"
                      "<EnumerationResults ServiceEndpoint=\"http://x/\"><Blobs>"
                      "<Blob><Name>a&amp;b &lt;c&gt; &#x41;&#66;</Name><Properties/></Blob>"
                      "<Blob><Name><![CDATA[x<y]]></Name></Blob>"
                      "</Blobs><NextMarker/></EnumerationResults>";
    struct names nm;
    memset(&nm, 0, sizeof nm);
    struct lr_xml_handler h = {NULL, on_close, &nm};
    struct lr_error err;
    assert_int_equal(lr_xml_scan(doc, strlen(doc), &h, "test", &err), 0);
    assert_int_equal(nm.n, 2);
    assert_string_equal(nm.got[0], "a&b <c> AB");
    assert_string_equal(nm.got[1], "x<y");
    assert_string_equal(nm.next, "");
    const char *bad[] = {"<a><b></a></b>", "<a>", "<a>&bogus;</a>", "</a>", "<a/><b/>",
                         "<a>&#0;</a>", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(lr_xml_scan(bad[i], strlen(bad[i]), &h, "test", &err), LR_ECORRUPT);
    char code[32];
    const char *e = "<Error><Code>BlobNotFound</Code><Message>m</Message></Error>";
    assert_int_equal(lr_xml_first_text(e, strlen(e), "Code", code, sizeof code), 0);
    assert_string_equal(code, "BlobNotFound");
    char v[16];
    assert_int_equal(lr_xml_attr(" Encoded=\"true\" x='1'", 21, "Encoded", v, sizeof v), 0);
    assert_string_equal(v, "true");
}

static void test_dates_and_durations(void **state)
{
    (void)state;
    assert_int_equal(lr_http_parse_date("Thu, 26 Nov 2026 16:14:25 GMT"), 1795709665000LL);
    assert_int_equal(lr_http_parse_date("2026-11-26T16:14:25.123Z"), 1795709665123LL);
    assert_int_equal(lr_http_parse_date("yesterday"), -1);
    long ms = 0;
    assert_int_equal(lr_http_parse_duration("500ms", &ms), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(lr_http_parse_duration("2s", &ms), 0);
    assert_int_equal(ms, 2000);
    assert_int_equal(lr_http_parse_duration("soon", &ms), -1);
    uint8_t *out = NULL;
    size_t n = 0;
    assert_int_equal(lr_base64_decode("aGVsbG8=", &out, &n), 0);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "hello", 5);
    free(out);
    assert_int_equal(lr_base64_decode("aGVsbG8", &out, &n), -1);
    char *enc = lr_url_encode("a b/ü~", 1);
    assert_string_equal(enc, "a%20b/%C3%BC~");
    free(enc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_blobs_string_to_sign),
        cmocka_unit_test(test_put_slots_and_zero_length),
        cmocka_unit_test(test_xml_listing_entities_cdata_and_errors),
        cmocka_unit_test(test_dates_and_durations),
    };
    return cmocka_run_group_tests_name("azure signing, xml, dates", tests, NULL, NULL);
}

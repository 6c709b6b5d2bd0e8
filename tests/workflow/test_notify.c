/* test_notify.c - webhook messages against a real HTTP receiver on loopback (a small server
 * thread in this test): delivery, the body's Teams/Slack fields, non-2xx answers, a receiver
 * that never answers (deadline), a closed port, and that the URL's secret never leaks. */
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lakerewind/notify.h"
#include "testsupport.h"

struct receiver {
    int listen_fd;
    int port;
    int status;          /* HTTP status to answer; 0 = never answer, hold until the peer closes */
    char request[65536]; /* head + body as received */
    size_t len;
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct receiver *r = arg;
    int fd = accept(r->listen_fd, NULL, NULL);
    if (fd < 0)
        return NULL;
    size_t want = 0;
    for (;;) {
        ssize_t n = read(fd, r->request + r->len, sizeof r->request - 1 - r->len);
        if (n <= 0)
            break;
        r->len += (size_t)n;
        r->request[r->len] = '\0';
        char *end = strstr(r->request, "\r\n\r\n");
        if (end && want == 0) {
            char *cl = strcasestr(r->request, "Content-Length:");
            want = (size_t)(end + 4 - r->request) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
        }
        if (want && r->len >= want)
            break;
    }
    if (r->status > 0) {
        char resp[128];
        int n = snprintf(resp, sizeof resp, "HTTP/1.1 %d X\r\nContent-Length: 2\r\n"
                                            "Connection: close\r\n\r\nok", r->status);
        ssize_t w = write(fd, resp, (size_t)n);
        (void)w;
    } else {
        char buf[256];
        while (read(fd, buf, sizeof buf) > 0) /* until the client gives up and closes */
            ;
    }
    close(fd);
    return NULL;
}

static void receiver_start(struct receiver *r, int status)
{
    memset(r, 0, sizeof *r);
    r->status = status;
    r->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(r->listen_fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(r->listen_fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(r->listen_fd, 4), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(r->listen_fd, (struct sockaddr *)&a, &len), 0);
    r->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&r->thread, NULL, serve, r), 0);
}

static void receiver_stop(struct receiver *r)
{
    pthread_join(r->thread, NULL);
    close(r->listen_fd);
}

static const struct lr_notify_table tables[] = {
    {"account", "done", 58, 100.0, NULL},
    {"contact", "failed", -1, -1.0, "3 data files of version 10 no longer exist"},
};

static struct lr_notify_message message(void)
{
    struct lr_notify_message m = {0};
    m.kind = LR_NOTIFY_PARTIAL;
    m.run_id = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    m.checkpoint = "cp-2025-01-15";
    m.operator_name = "alice";
    m.lakehouse = "/lake";
    m.tables = tables;
    m.table_count = 2;
    return m;
}

static void test_notify_delivers_teams_and_slack_compatible_json(void **state)
{
    (void)state;
    struct receiver r;
    receiver_start(&r, 200);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/services/T000/B000/SECRETPATH", r.port);
    struct lr_notify_options o = {url, 5000, NULL};
    struct lr_notify_message m = message();
    struct lr_error err;
    assert_int_equal(lr_notify_send(&o, &m, &err), 0);
    receiver_stop(&r);
    assert_true(strncmp(r.request, "POST /services/T000/B000/SECRETPATH ", 36) == 0);
    assert_non_null(strcasestr(r.request, "Content-Type: application/json"));
    const char *body = strstr(r.request, "\r\n\r\n") + 4;
    json_error_t jerr;
    json_t *doc = json_loads(body, 0, &jerr);
    assert_non_null(doc);
    const char *text = json_string_value(json_object_get(doc, "text"));
    assert_non_null(text);
    assert_non_null(strstr(text, "rollback partially failed"));
    assert_non_null(strstr(text, "- account: done, version 58, quality 100"));
    assert_non_null(strstr(text, "- contact: failed (3 data files"));
    assert_string_equal(json_string_value(json_object_get(doc, "@type")), "MessageCard");
    json_t *lr = json_object_get(doc, "lakerewind");
    assert_string_equal(json_string_value(json_object_get(lr, "event")), "partial");
    assert_int_equal(json_array_size(json_object_get(lr, "tables")), 2);
    json_t *facts = json_object_get(json_array_get(json_object_get(doc, "sections"), 0), "facts");
    assert_int_equal(json_array_size(facts), 5);
    json_decref(doc);
}

static void test_notify_non_2xx_is_a_warning_without_the_secret(void **state)
{
    (void)state;
    struct receiver r;
    receiver_start(&r, 500);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/hook?sig=SECRETSIG", r.port);
    struct lr_notify_options o = {url, 5000, NULL};
    struct lr_notify_message m = message();
    struct lr_error err;
    assert_int_equal(lr_notify_send(&o, &m, &err), LR_EIO);
    receiver_stop(&r);
    assert_non_null(strstr(err.message, "answered HTTP 500"));
    assert_null(strstr(err.message, "SECRETSIG"));
    assert_null(strstr(err.message, "/hook"));
}

static void test_notify_deadline_and_closed_port(void **state)
{
    (void)state;
    struct receiver r;
    receiver_start(&r, 0);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/slow", r.port);
    struct lr_notify_options o = {url, 300, NULL};
    struct lr_notify_message m = message();
    struct lr_error err;
    assert_int_equal(lr_notify_send(&o, &m, &err), LR_ETIMEOUT);
    assert_non_null(strstr(err.message, "no answer within 300 ms"));
    receiver_stop(&r);
    /* The receiver is gone: its port now refuses. */
    assert_int_equal(lr_notify_send(&o, &m, &err), LR_ENET);
}

static void test_notify_disabled_and_url_rules(void **state)
{
    (void)state;
    struct lr_notify_message m = message();
    struct lr_error err;
    struct lr_notify_options none = {NULL, 0, NULL};
    assert_int_equal(lr_notify_send(&none, &m, &err), 1);
    struct lr_notify_options plain = {"http://hooks.example.com/x/SECRET", 0, NULL};
    assert_int_equal(lr_notify_send(&plain, &m, &err), LR_EINVAL);
    assert_non_null(strstr(err.message, "https://"));
    assert_null(strstr(err.message, "SECRET"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notify_delivers_teams_and_slack_compatible_json),
        cmocka_unit_test(test_notify_non_2xx_is_a_warning_without_the_secret),
        cmocka_unit_test(test_notify_deadline_and_closed_port),
        cmocka_unit_test(test_notify_disabled_and_url_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

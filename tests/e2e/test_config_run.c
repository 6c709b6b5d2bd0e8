/* test_config_run.c - a rollback driven by a configuration profile: the operator recorded in
 * the audit rows, a related table left out of scope warned about, primary-key and tracking
 * column validations from the profile, and webhook notifications (dry run, success) received
 * by a real HTTP listener on loopback (a thread in this test). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static const struct lr_column_def cols[] = {
    {"id", LR_COL_STRING, true, NULL},
    {"SinkModifiedOn", LR_COL_TIMESTAMP, true, NULL},
};
static const struct lr_table_def def = {"t", "row", cols, 2};
static char *lake;
static char *config;
static struct lr_store *store;

struct hooks {
    int fd;
    int port;
    pthread_mutex_t lock;
    int count;
    char bodies[8][8192];
    pthread_t thread;
};

static void *serve(void *arg)
{
    struct hooks *h = arg;
    for (;;) {
        int fd = accept(h->fd, NULL, NULL);
        if (fd < 0)
            return NULL;
        char req[16384];
        size_t len = 0;
        size_t want = 0;
        for (;;) {
            ssize_t n = read(fd, req + len, sizeof req - 1 - len);
            if (n <= 0)
                break;
            len += (size_t)n;
            req[len] = '\0';
            char *end = strstr(req, "\r\n\r\n");
            if (end && !want) {
                char *cl = strcasestr(req, "Content-Length:");
                want = (size_t)(end + 4 - req) + (cl ? strtoul(cl + 15, NULL, 10) : 0);
            }
            if (want && len >= want)
                break;
        }
        const char *ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        ssize_t w = write(fd, ok, strlen(ok));
        (void)w;
        close(fd);
        char *body = strstr(req, "\r\n\r\n");
        pthread_mutex_lock(&h->lock);
        if (body && h->count < 8)
            snprintf(h->bodies[h->count++], sizeof h->bodies[0], "%s", body + 4);
        pthread_mutex_unlock(&h->lock);
    }
}

static void hooks_start(struct hooks *h)
{
    memset(h, 0, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    h->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(h->fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(h->fd, 8), 0);
    socklen_t len = sizeof a;
    getsockname(h->fd, (struct sockaddr *)&a, &len);
    h->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&h->thread, NULL, serve, h), 0);
}

static void hooks_stop(struct hooks *h)
{
    shutdown(h->fd, SHUT_RDWR);
    pthread_join(h->thread, NULL);
    close(h->fd);
}

static void append(const char *table, int first, int n, bool null_id, const char *when)
{
    json_t *rows = json_array();
    for (int i = first; i < first + n; i++) {
        char id[32];
        snprintf(id, sizeof id, "%s-%d", table, i);
        json_array_append_new(rows, json_pack("{s:o,s:s}", "id",
                                              null_id ? json_null() : json_string(id),
                                              "SinkModifiedOn", when));
    }
    char *prefix = lr_asprintf("Tables/%s", table);
    struct lr_error err;
    if (lr_table_append_rows(store, prefix, &def, rows, NULL, NULL, &err) < 0)
        fail_msg("append: %s", err.message);
    free(prefix);
    json_decref(rows);
}

static int cli(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int cli(char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' --config '%s' %s 2>>%s/err", getenv("LR_BIN"), config,
             args, lake);
    return lr_test_run(cmd, out);
}

static void test_config_profile_drives_run_warnings_validations_and_webhook(void **state)
{
    (void)state;
    lake = lr_test_tmpdir("cfgrun");
    struct lr_error err;
    assert_int_equal(lr_store_open(&store, lake, NULL, &err), 0);
    struct hooks h;
    hooks_start(&h);
    config = lr_asprintf("%s/config.yaml", lake);
    char *yaml = lr_asprintf("default_profile: t\n"
                             "profiles:\n"
                             "  t:\n"
                             "    lakehouse: %s\n"
                             "    operator: oncall-test\n"
                             "    primary_keys:\n"
                             "      account: id\n"
                             "    tracking_columns: [SinkModifiedOn]\n"
                             "    relationships:\n"
                             "      account: [contact]\n"
                             "    streaming_tables: [account]\n"
                             "    risk:\n"
                             "      high:\n"
                             "        rows_changed_pct: 0\n"
                             "        rows_changed: 2\n"
                             "    webhook:\n"
                             "      url: http://127.0.0.1:%d/hook\n"
                             "      timeout: 5s\n",
                             lake, h.port);
    lr_test_write_file(config, yaml, strlen(yaml));
    chmod(config, 0600);
    free(yaml);
    append("account", 0, 10, false, "2025-01-15T09:00:00.000Z");
    append("contact", 0, 10, false, "2025-01-15T09:00:00.000Z");
    char *out = NULL;
    assert_int_equal(cli(&out, "checkpoints create cp --type Daily"), 0);
    free(out);
    /* The bad sync: rows with null keys, written after the checkpoint. */
    append("account", 100, 3, true, "2030-01-01T00:00:00.000Z");

    assert_int_equal(cli(&out, "rollback cp --tables account --json"), 5);
    json_t *im = lr_test_json(out);
    free(out);
    json_t *warnings = json_object_get(im, "warnings");
    assert_int_equal(json_array_size(warnings), 1);
    assert_non_null(strstr(json_string_value(json_array_get(warnings, 0)),
                           "contact is related to account"));
    /* streaming_tables and the risk keys of the profile reach the analysis: 3 rows changed
     * reach the profile's High threshold of 2 rows, and the streaming readers are named. */
    json_t *acc = json_array_get(json_object_get(im, "tables"), 0);
    assert_string_equal(json_string_value(json_object_get(acc, "risk")), "High");
    bool saw_rows = false, saw_stream = false;
    json_t *reason;
    size_t ri;
    json_array_foreach(json_object_get(acc, "reasons"), ri, reason) {
        saw_rows = saw_rows || strstr(json_string_value(reason), "threshold 2") != NULL;
        saw_stream = saw_stream || strstr(json_string_value(reason), "streaming") != NULL;
    }
    assert_true(saw_rows);
    assert_true(saw_stream);
    char phrase[512];
    snprintf(phrase, sizeof phrase, "%s",
             json_string_value(json_object_get(im, "confirmation_phrase")));
    json_decref(im);
    assert_int_equal(cli(&out, "rollback cp --tables account --execute --confirm '%s' --json",
                         phrase), 0);
    json_t *run = lr_test_json(out);
    free(out);
    json_t *t0 = json_array_get(json_object_get(run, "tables"), 0);
    bool saw_pk = false, saw_tracking = false;
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(t0, "validations"), i, v) {
        const char *type = json_string_value(json_object_get(v, "type"));
        assert_true(json_is_true(json_object_get(v, "passed")));
        saw_pk = saw_pk || strcmp(type, "NullPrimaryKeys") == 0;
        saw_tracking = saw_tracking || strcmp(type, "TrackingColumns") == 0;
    }
    assert_true(saw_pk);
    assert_true(saw_tracking);
    json_decref(run);

    /* The operator from the profile is in the audit rows. */
    json_t *rows = NULL;
    assert_int_equal(lr_md_read(store, NULL, LR_MD_SYNC_AUDIT_LOG, &rows, &err), 0);
    json_t *row;
    json_array_foreach(rows, i, row)
        assert_string_equal(json_string_value(json_object_get(row, "ExecutedBy")),
                            "oncall-test");
    json_decref(rows);

    /* --events: the event stream as JSON lines, from run_started to run_finished. */
    assert_int_equal(cli(&out, "rollback cp --tables account --events"), 5);
    size_t lines = 0;
    const char *first = NULL;
    const char *last = NULL;
    json_t *evs = json_array();
    for (char *line = out; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        json_array_append_new(evs, lr_test_json(line));
        lines++;
        line = nl ? nl + 1 : line + strlen(line);
    }
    first = json_string_value(json_object_get(json_array_get(evs, 0), "event"));
    last = json_string_value(json_object_get(json_array_get(evs, lines - 1), "event"));
    assert_true(lines >= 6);
    assert_string_equal(first, "run_started");
    assert_string_equal(last, "run_finished");
    assert_string_equal(json_string_value(json_object_get(json_array_get(evs, lines - 1),
                                                          "status")),
                        "dry-run");
    json_decref(evs);
    free(out);

    hooks_stop(&h);
    assert_int_equal(h.count, 3);
    assert_non_null(strstr(h.bodies[0], "\"event\":\"dry_run\""));
    assert_non_null(strstr(h.bodies[1], "\"event\":\"succeeded\""));
    assert_non_null(strstr(h.bodies[1], "\"text\":"));
    lr_store_close(store);
    free(config);
    free(lake);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_profile_drives_run_warnings_validations_and_webhook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_event.c - the emitter's stamping and serialisation across threads, names, JSON lines,
 * plain lines and deep copies. */
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"
#include "testsupport.h"

struct recorder {
    struct lr_event *events;
    size_t count;
    size_t cap;
    int in_callback; /* > 1 would mean two threads inside the sink at once */
    int max_in_callback;
};

static void record(const struct lr_event *ev, void *payload)
{
    struct recorder *r = payload;
    int now = __atomic_add_fetch(&r->in_callback, 1, __ATOMIC_SEQ_CST);
    if (now > r->max_in_callback)
        r->max_in_callback = now;
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->events = realloc(r->events, r->cap * sizeof *r->events);
        assert_non_null(r->events);
    }
    assert_int_equal(lr_event_copy(&r->events[r->count++], ev), 0);
    __atomic_sub_fetch(&r->in_callback, 1, __ATOMIC_SEQ_CST);
}

static void recorder_free(struct recorder *r)
{
    for (size_t i = 0; i < r->count; i++)
        lr_event_copy_free(&r->events[i]);
    free(r->events);
}

struct worker {
    struct lr_emitter *em;
    char table[16];
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < 200; i++) {
        lr_emit_table(w->em, w->table, LR_TABLE_RESTORING, i, -1, NULL);
        lr_emit_log(w->em, LR_LOG_INFO, w->table, "step %d", i);
    }
    return NULL;
}

static void test_emitter_serialises_threads_and_orders_seq(void **state)
{
    (void)state;
    struct recorder r = {0};
    struct lr_event_sink sink = {record, &r};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
    pthread_t th[4];
    struct worker w[4];
    for (int i = 0; i < 4; i++) {
        w[i].em = &em;
        snprintf(w[i].table, sizeof w[i].table, "t%d", i);
        assert_int_equal(pthread_create(&th[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    lr_emitter_destroy(&em);
    assert_int_equal(r.count, 4 * 400);
    assert_int_equal(r.max_in_callback, 1);
    for (size_t i = 0; i < r.count; i++) {
        assert_int_equal(r.events[i].seq, i + 1);
        assert_string_equal(r.events[i].run_id, "1b4e28ba-2fa1-41d2-883f-0016d3cca427");
        assert_true(r.events[i].time_ms > 1600000000000LL);
    }
    recorder_free(&r);
}

static void test_event_json_shape_for_table_state(void **state)
{
    (void)state;
    struct lr_event ev = {.kind = LR_EV_TABLE_STATE, .seq = 3, .time_ms = 1736935200123LL,
                          .run_id = "r1"};
    ev.u.table.table = "account";
    ev.u.table.state = LR_TABLE_DONE;
    ev.u.table.elapsed_ms = 812;
    ev.u.table.version_written = 58;
    char *s = lr_event_to_json(&ev);
    assert_non_null(s);
    assert_string_equal(s, "{\"seq\":3,\"time\":\"2025-01-15T10:00:00.123Z\",\"run_id\":\"r1\","
                           "\"event\":\"table_state\",\"table\":\"account\",\"state\":\"done\","
                           "\"elapsed_ms\":812,\"version_written\":58,\"error\":null}");
    free(s);
    char line[256];
    lr_event_format_text(&ev, line, sizeof line);
    assert_string_equal(line, "2025-01-15T10:00:00Z account: done (812 ms, v58)");
}

static void test_event_json_for_every_kind_parses(void **state)
{
    (void)state;
    struct lr_event evs[7];
    memset(evs, 0, sizeof evs);
    evs[0].kind = LR_EV_RUN_STARTED;
    evs[0].u.run_started.checkpoint = "cp";
    evs[0].u.run_started.is_dry_run = true;
    evs[1].kind = LR_EV_STEP_STARTED;
    evs[1].u.step.step = LR_STEP_IMPACT_ANALYSIS;
    evs[2].kind = LR_EV_STEP_FINISHED;
    evs[2].u.step.step = LR_STEP_RESTORE;
    evs[2].u.step.outcome = LR_STEP_WARNING;
    evs[3].kind = LR_EV_TABLE_STATE;
    evs[3].u.table.state = LR_TABLE_FAILED;
    evs[3].u.table.error = "files vacuumed";
    evs[3].u.table.version_written = -1;
    evs[4].kind = LR_EV_LOG;
    evs[4].u.log.text = "quote \" and newline \n";
    evs[5].kind = LR_EV_PROGRESS;
    evs[5].u.progress.tables_total = 3;
    evs[6].kind = LR_EV_RUN_FINISHED;
    evs[6].u.run_finished.status = LR_RUN_PARTIAL;
    const char *names[] = {"run_started", "step_started", "step_finished", "table_state", "log",
                           "progress", "run_finished"};
    for (int i = 0; i < 7; i++) {
        char *s = lr_event_to_json(&evs[i]);
        assert_non_null(s);
        assert_null(strchr(s, '\n'));
        json_error_t jerr;
        json_t *o = json_loads(s, 0, &jerr);
        assert_non_null(o);
        assert_string_equal(json_string_value(json_object_get(o, "event")), names[i]);
        json_decref(o);
        free(s);
        char line[512];
        lr_event_format_text(&evs[i], line, sizeof line);
        assert_true(strlen(line) > 20);
    }
    assert_string_equal(lr_run_status_name(LR_RUN_DRY_RUN), "dry-run");
    assert_string_equal(lr_step_name(LR_STEP_PRE_ROLLBACK_SNAPSHOT), "pre_rollback_snapshot");
    assert_string_equal(lr_table_state_name(LR_TABLE_SNAPSHOTTING), "snapshotting");
    assert_string_equal(lr_step_name((enum lr_step)42), "unknown");
}

static void test_event_copy_owns_strings(void **state)
{
    (void)state;
    char table[] = "account";
    char err[] = "boom";
    struct lr_event ev = {.kind = LR_EV_TABLE_STATE};
    ev.u.table.table = table;
    ev.u.table.error = err;
    struct lr_event c;
    assert_int_equal(lr_event_copy(&c, &ev), 0);
    table[0] = 'X';
    err[0] = 'X';
    assert_string_equal(c.u.table.table, "account");
    assert_string_equal(c.u.table.error, "boom");
    assert_null(c.run_id);
    lr_event_copy_free(&c);
}

static void test_log_event_redacts_secrets(void **state)
{
    (void)state;
    struct recorder r = {0};
    struct lr_event_sink sink = {record, &r};
    struct lr_emitter em;
    lr_emitter_init(&em, &sink, NULL);
    lr_emit_log(&em, LR_LOG_WARN, NULL, "GET https://a.blob.core.windows.net/c?sig=SECRETSIG123&x=1");
    lr_emitter_destroy(&em);
    assert_int_equal(r.count, 1);
    assert_null(strstr(r.events[0].u.log.text, "SECRETSIG123"));
    assert_null(r.events[0].run_id);
    recorder_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emitter_serialises_threads_and_orders_seq),
        cmocka_unit_test(test_event_json_shape_for_table_state),
        cmocka_unit_test(test_event_json_for_every_kind_parses),
        cmocka_unit_test(test_event_copy_owns_strings),
        cmocka_unit_test(test_log_event_redacts_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

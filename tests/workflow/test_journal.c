/* test_journal.c - the run journal on the local store: entry round trips, contiguity, conflicts
 * between processes, the crash hook, and kill/resume/undo at every point of a run.
 *
 * The crash story drives a model of Delta tables (each version has a content id; a restore
 * writes a new version whose content is the target's, tagged with the run id like the commitInfo
 * of a real restore) through the journal protocol of run.c, stops it after N side effects
 * (journal appends and table commits), then reads the journal back and checks that resume ends
 * with every table at its checkpoint content and undo with every table at its pre-rollback
 * content, and that a table another writer moved is never restored over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/journal.h"
#include "lakerewind/str.h"
#include "testsupport.h"

static struct lr_store *open_tmp_store(void)
{
    char *dir = lr_test_tmpdir("journal");
    struct lr_store *s = NULL;
    struct lr_error err;
    if (lr_store_open(&s, dir, NULL, &err) < 0)
        fail_msg("open %s: %s", dir, err.message);
    free(dir);
    return s;
}

static void new_id(char id[LR_RUN_ID_LEN + 1])
{
    struct lr_error err;
    assert_int_equal(lr_run_id_new(id, &err), 0);
}

/* ---- the table model ---- */

#define MAX_TABLES 6
#define MAX_VERSIONS 64

struct model_table {
    char name[32];
    int64_t version;               /* current */
    int content[MAX_VERSIONS];     /* content id of each version */
    char tag[MAX_VERSIONS][40];    /* run id that wrote the version, "" for others */
};

struct model {
    struct model_table t[MAX_TABLES];
    size_t count;
    int64_t pre[MAX_TABLES];
    int64_t target[MAX_TABLES];
};

static void model_init(struct model *m, size_t n)
{
    memset(m, 0, sizeof *m);
    m->count = n;
    for (size_t i = 0; i < n; i++) {
        snprintf(m->t[i].name, sizeof m->t[i].name, "table%zu", i);
        /* versions 0..10, each with its own content; the checkpoint is at 4 + i */
        for (int v = 0; v <= 10; v++)
            m->t[i].content[v] = (int)(i * 100 + (size_t)v);
        m->t[i].version = 10;
        m->pre[i] = 10;
        m->target[i] = 4 + (int64_t)i;
    }
}

/* Commit a restore of table i to `to` if it is still at `expect` (the Delta commit's
 * optimistic check). Returns the version written or -1 on conflict. */
static int64_t model_restore(struct model *m, size_t i, int64_t expect, int64_t to,
                             const char *run_id)
{
    struct model_table *t = &m->t[i];
    if (t->version != expect)
        return -1;
    int64_t v = ++t->version;
    assert_true(v < MAX_VERSIONS);
    t->content[v] = t->content[to];
    snprintf(t->tag[v], sizeof t->tag[v], "%s", run_id);
    return v;
}

static void model_external_append(struct model *m, size_t i)
{
    struct model_table *t = &m->t[i];
    int64_t v = ++t->version;
    t->content[v] = 9000 + (int)v;
    t->tag[v][0] = '\0';
}

static int64_t model_version_by_run(const struct model *m, size_t i, int64_t after,
                                    const char *run_id)
{
    const struct model_table *t = &m->t[i];
    for (int64_t v = after + 1; v <= t->version; v++)
        if (strcmp(t->tag[v], run_id) == 0)
            return v;
    return -1;
}

static int content_now(const struct model *m, size_t i)
{
    return m->t[i].content[m->t[i].version];
}

/* ---- the run protocol, stopping after `budget` side effects (-1: never) ---- */

struct driver {
    struct lr_store *store;
    const char *prefix;
    char run_id[LR_RUN_ID_LEN + 1];
    long budget;
};

static bool spend(struct driver *d)
{
    if (d->budget == 0)
        return false;
    if (d->budget > 0)
        d->budget--;
    return true;
}

static bool append(struct driver *d, struct lr_journal *j, const struct lr_journal_entry *e)
{
    if (!spend(d))
        return false;
    struct lr_error err;
    int64_t rc = lr_journal_append(j, e, &err);
    if (rc < 0)
        fail_msg("append: %s", err.message);
    return true;
}

/* Returns true when the run completed. */
static bool run_rollback(struct driver *d, struct model *m)
{
    struct lr_journal *j = NULL;
    struct lr_error err;
    assert_int_equal(lr_journal_create(&j, d->store, d->prefix, d->run_id, &err), 0);
    struct lr_journal_table tables[MAX_TABLES];
    for (size_t i = 0; i < m->count; i++) {
        tables[i].name = m->t[i].name;
        tables[i].pre_version = m->pre[i];
        tables[i].target_version = m->target[i];
    }
    struct lr_journal_entry e = {.kind = LR_J_RUN_STARTED};
    e.run_kind = LR_RUN_ROLLBACK;
    e.checkpoint = "cp-1";
    e.operator_name = "tester";
    e.plan_digest = "abcdef";
    e.tables = tables;
    e.table_count = m->count;
    bool ok = append(d, j, &e);
    struct lr_journal_entry step = {.kind = LR_J_STEP, .step = LR_STEP_PRE_ROLLBACK_SNAPSHOT};
    ok = ok && append(d, j, &step);
    for (size_t i = 0; ok && i < m->count; i++) {
        struct lr_journal_entry in = {.kind = LR_J_TABLE_INTENT};
        in.table = m->t[i].name;
        in.expected_version = m->pre[i];
        in.target_version = m->target[i];
        ok = append(d, j, &in);
        if (!ok || !spend(d)) {
            ok = false;
            break;
        }
        int64_t v = model_restore(m, i, m->pre[i], m->target[i], d->run_id);
        struct lr_journal_entry out = {.kind = v >= 0 ? LR_J_TABLE_RESTORED : LR_J_TABLE_SKIPPED};
        out.table = m->t[i].name;
        out.version_written = v;
        out.error = v >= 0 ? NULL : "changed since the impact analysis";
        ok = append(d, j, &out);
    }
    for (size_t i = 0; ok && i < m->count; i++) {
        struct lr_journal_entry val = {.kind = LR_J_TABLE_VALIDATED};
        val.table = m->t[i].name;
        val.passed = content_now(m, i) == m->t[i].content[m->target[i]];
        val.quality_score = val.passed ? 100.0 : 0.0;
        ok = append(d, j, &val);
    }
    struct lr_journal_entry fin = {.kind = LR_J_RUN_FINISHED, .status = LR_RUN_SUCCEEDED};
    ok = ok && append(d, j, &fin);
    lr_journal_close(j);
    return ok;
}

static void read_state(struct driver *d, struct lr_run_state *st)
{
    struct lr_journal_entries entries;
    struct lr_error err;
    if (lr_journal_read(d->store, d->prefix, d->run_id, &entries, &err) < 0)
        fail_msg("read: %s", err.message);
    if (lr_run_state_replay(st, &entries, &err) < 0)
        fail_msg("replay: %s", err.message);
    lr_journal_entries_free(&entries);
}

static void observe(const struct model *m, const struct lr_run_state *st,
                    struct lr_table_observation *obs)
{
    for (size_t i = 0; i < m->count; i++) {
        obs[i].name = m->t[i].name;
        obs[i].current_version = m->t[i].version;
        obs[i].version_by_run = model_version_by_run(m, i, m->pre[i], st->run_id);
    }
}

/* Apply a recovery plan to the model, journaling as the real resume/undo would. */
static void apply_plan(struct driver *d, struct model *m, const struct lr_run_state *st,
                       const struct lr_recovery_step *steps, enum lr_recovery_mode mode,
                       const char *undo_run_id)
{
    struct lr_error err;
    struct lr_journal *j = NULL;
    if (mode == LR_RECOVER_RESUME) {
        assert_int_equal(lr_journal_reopen(&j, d->store, d->prefix, st->run_id, &err), 0);
        struct lr_journal_entry r = {.kind = LR_J_RUN_RESUMED, .operator_name = "tester"};
        assert_true(lr_journal_append(j, &r, &err) > 0);
    }
    for (size_t i = 0; i < st->table_count; i++) {
        const struct lr_recovery_step *s = &steps[i];
        if (s->action == LR_RA_RESTORE) {
            int64_t v = model_restore(m, i, s->expect_version, s->restore_to,
                                      mode == LR_RECOVER_RESUME ? st->run_id : undo_run_id);
            assert_true(v >= 0);
            if (j) {
                struct lr_journal_entry e = {.kind = LR_J_TABLE_RESTORED};
                e.table = m->t[i].name;
                e.version_written = v;
                assert_true(lr_journal_append(j, &e, &err) > 0);
            }
        } else if (s->action == LR_RA_RECORD && j) {
            struct lr_journal_entry e = {.kind = LR_J_TABLE_RESTORED};
            e.table = m->t[i].name;
            e.version_written = s->recorded_version;
            assert_true(lr_journal_append(j, &e, &err) > 0);
        }
    }
    if (j) {
        struct lr_journal_entry fin = {.kind = LR_J_RUN_FINISHED, .status = LR_RUN_SUCCEEDED};
        assert_true(lr_journal_append(j, &fin, &err) > 0);
        lr_journal_close(j);
    }
}

static void crash_and_recover(size_t n_tables, bool external_writer)
{
    struct lr_store *store = open_tmp_store();
    /* Count the side effects of a complete run. */
    struct model m;
    model_init(&m, n_tables);
    struct driver d = {store, "runs", "", -1};
    new_id(d.run_id);
    long total = 0;
    {
        struct driver probe = d;
        probe.budget = 1000000;
        assert_true(run_rollback(&probe, &m));
        total = 1000000 - probe.budget;
    }
    assert_int_equal(total, 2 + 3 * (long)n_tables + (long)n_tables + 1);

    for (long k = 0; k <= total; k++) {
        for (int mode = 0; mode < 2; mode++) {
            model_init(&m, n_tables);
            struct driver run = {store, "runs", "", k};
            new_id(run.run_id);
            bool completed = run_rollback(&run, &m);
            assert_int_equal(completed, k == total);
            /* (1) at the crash point every table is at its pre-rollback or checkpoint content */
            for (size_t i = 0; i < n_tables; i++)
                assert_true(content_now(&m, i) == m.t[i].content[m.pre[i]] ||
                            content_now(&m, i) == m.t[i].content[m.target[i]]);
            if (k == 0) {
                struct lr_journal_entries none;
                struct lr_error err;
                assert_int_equal(lr_journal_read(store, "runs", run.run_id, &none, &err),
                                 LR_ENOTFOUND);
                continue;
            }
            struct lr_run_state st;
            read_state(&run, &st);
            assert_int_equal(lr_run_state_is_interrupted(&st), !completed);
            assert_int_equal(st.table_count, n_tables);
            if (external_writer)
                model_external_append(&m, n_tables - 1); /* someone writes after the crash */
            struct lr_table_observation obs[MAX_TABLES];
            observe(&m, &st, obs);
            struct lr_recovery_step steps[MAX_TABLES];
            struct lr_error err;
            enum lr_recovery_mode rm = mode == 0 ? LR_RECOVER_RESUME : LR_RECOVER_UNDO;
            assert_int_equal(lr_recovery_plan(&st, obs, n_tables, rm, steps, &err), 0);
            char undo_id[LR_RUN_ID_LEN + 1];
            new_id(undo_id);
            if (!completed || rm == LR_RECOVER_UNDO)
                apply_plan(&run, &m, &st, steps, rm, undo_id);
            for (size_t i = 0; i < n_tables; i++) {
                bool moved = external_writer && i == n_tables - 1;
                int want = rm == LR_RECOVER_RESUME ? m.t[i].content[m.target[i]]
                                                   : m.t[i].content[m.pre[i]];
                if (moved) {
                    /* never restored over the external commit (recording our own earlier
                     * commit writes nothing to the table) */
                    if (steps[i].action == LR_RA_RESTORE || steps[i].action == LR_RA_VALIDATE)
                        fail_msg("k=%ld mode=%d: %s on a moved table (%s)", k, mode,
                                 lr_recovery_action_name(steps[i].action), steps[i].reason);
                    assert_true(content_now(&m, i) >= 9000);
                } else {
                    if (content_now(&m, i) != want)
                        fail_msg("k=%ld mode=%d table %zu: content %d, want %d (%s: %s)", k,
                                 mode, i, content_now(&m, i), want,
                                 lr_recovery_action_name(steps[i].action), steps[i].reason);
                }
            }
            if (rm == LR_RECOVER_RESUME && !completed) {
                struct lr_run_state after;
                read_state(&run, &after);
                assert_true(after.is_finished);
                assert_int_equal(after.resumed, 1);
                for (size_t i = 0; i < n_tables; i++) {
                    bool moved = external_writer && i == n_tables - 1;
                    if (!moved)
                        assert_true(after.tables[i].state == LR_JT_RESTORED ||
                                    after.tables[i].state == LR_JT_VALIDATED);
                }
                lr_run_state_free(&after);
            }
            lr_run_state_free(&st);
        }
    }
    lr_store_close(store);
}

static void test_journal_kill_at_every_point_then_resume_or_undo(void **state)
{
    (void)state;
    crash_and_recover(4, false);
}

static void test_journal_kill_then_external_writer_is_never_overwritten(void **state)
{
    (void)state;
    crash_and_recover(3, true);
}

static void test_journal_entry_round_trip(void **state)
{
    (void)state;
    char id[LR_RUN_ID_LEN + 1];
    new_id(id);
    struct lr_journal_table t[2] = {{"account", 57, 41}, {"dbo/contact", 12, 10}};
    struct lr_journal_entry e = {.kind = LR_J_RUN_STARTED, .seq = 1, .time_ms = 1736935200123LL};
    e.run_kind = LR_RUN_UNDO;
    e.of_run = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    e.operator_name = "alice";
    e.plan_digest = "3f9a2c";
    e.tables = t;
    e.table_count = 2;
    char *s = lr_journal_entry_to_json(&e, id);
    assert_non_null(s);
    struct lr_journal_entry back;
    struct lr_error err;
    assert_int_equal(lr_journal_entry_from_json(&back, s, strlen(s), id, &err), 0);
    assert_int_equal(back.kind, LR_J_RUN_STARTED);
    assert_int_equal(back.run_kind, LR_RUN_UNDO);
    assert_int_equal(back.time_ms, 1736935200123LL);
    assert_string_equal(back.of_run, e.of_run);
    assert_null(back.checkpoint);
    assert_int_equal(back.table_count, 2);
    assert_string_equal(back.tables[1].name, "dbo/contact");
    assert_int_equal(back.tables[0].pre_version, 57);
    assert_int_equal(back.tables[0].target_version, 41);
    lr_journal_entry_free(&back);
    /* Another run's entry is refused. */
    char other[LR_RUN_ID_LEN + 1];
    new_id(other);
    assert_int_equal(lr_journal_entry_from_json(&back, s, strlen(s), other, &err), LR_ECORRUPT);
    free(s);

    struct lr_journal_entry f = {.kind = LR_J_TABLE_FAILED, .seq = 7, .table = "account",
                                 .error = "3 files vacuumed", .code = LR_ENOTFOUND};
    s = lr_journal_entry_to_json(&f, id);
    assert_non_null(strstr(s, "\"code\":\"ENOTFOUND\""));
    assert_int_equal(lr_journal_entry_from_json(&back, s, strlen(s), id, &err), 0);
    assert_int_equal(back.code, LR_ENOTFOUND);
    assert_string_equal(back.error, "3 files vacuumed");
    lr_journal_entry_free(&back);
    free(s);

    const char *bad[] = {"{}", "[1]", "{\"format\":\"lakerewind-journal/9\"}",
                         ("{\"format\":\"lakerewind-journal/1\",\"run_id\":\"x\",\"seq\":1,"
                          "\"entry\":\"nope\"}")};
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(lr_journal_entry_from_json(&back, bad[i], strlen(bad[i]), NULL, &err),
                         LR_ECORRUPT);
}

static void test_journal_order_rules_and_second_writer_conflict(void **state)
{
    (void)state;
    struct lr_store *store = open_tmp_store();
    char id[LR_RUN_ID_LEN + 1];
    new_id(id);
    struct lr_journal *a = NULL;
    struct lr_journal *b = NULL;
    struct lr_error err;
    assert_int_equal(lr_journal_create(&a, store, NULL, id, &err), 0);
    struct lr_journal_entry step = {.kind = LR_J_STEP, .step = LR_STEP_RESTORE};
    assert_int_equal(lr_journal_append(a, &step, &err), LR_ESTATE);
    struct lr_journal_table t = {"account", 5, 2};
    struct lr_journal_entry start = {.kind = LR_J_RUN_STARTED, .checkpoint = "cp", .tables = &t,
                                     .table_count = 1};
    assert_int_equal(lr_journal_append(a, &start, &err), 1);
    assert_int_equal(lr_journal_append(a, &start, &err), LR_ESTATE);
    /* A second process resumes the same run and races the first. */
    assert_int_equal(lr_journal_reopen(&b, store, NULL, id, &err), 0);
    assert_int_equal(lr_journal_append(b, &step, &err), 2);
    assert_int_equal(lr_journal_append(a, &step, &err), LR_ECONFLICT);
    assert_non_null(strstr(err.message, "another process"));
    /* The default prefix is under Files/ (OneLake accepts only Tables/ and Files/). */
    struct lr_store_entry head;
    char key[200];
    snprintf(key, sizeof key, "Files/_lakerewind/runs/%s/journal-000001.json", id);
    assert_int_equal(lr_store_head(store, key, &head, &err), 0);
    lr_store_entry_free(&head);
    struct lr_journal_entry fin = {.kind = LR_J_RUN_FINISHED, .status = LR_RUN_FAILED};
    assert_int_equal(lr_journal_append(b, &fin, &err), 3);
    assert_int_equal(lr_journal_append(b, &step, &err), LR_ESTATE);
    lr_journal_close(a);
    lr_journal_close(b);

    /* A gap in the trail is corruption, named as such. */
    char gap[200];
    snprintf(gap, sizeof gap, "Files/_lakerewind/runs/%s/journal-000005.json", id);
    assert_int_equal(lr_store_put(store, gap, "{}", 2, &err), 0);
    struct lr_journal_entries entries;
    assert_int_equal(lr_journal_read(store, NULL, id, &entries, &err), LR_ECORRUPT);
    assert_non_null(strstr(err.message, "missing"));
    lr_store_close(store);
}

static void test_journal_crash_hook_and_find_interrupted(void **state)
{
    (void)state;
    struct lr_store *store = open_tmp_store();
    struct lr_error err;
    char done_id[LR_RUN_ID_LEN + 1];
    char dry_id[LR_RUN_ID_LEN + 1];
    char cut_id[LR_RUN_ID_LEN + 1];
    new_id(done_id);
    new_id(dry_id);
    new_id(cut_id);
    struct lr_journal_table t = {"account", 5, 2};
    const char *ids[3] = {done_id, dry_id, cut_id};
    for (int r = 0; r < 3; r++) {
        struct lr_journal *j = NULL;
        assert_int_equal(lr_journal_create(&j, store, "meta/runs", ids[r], &err), 0);
        if (r == 2)
            lr_journal_crash_after(j, 2);
        struct lr_journal_entry start = {.kind = LR_J_RUN_STARTED, .checkpoint = "cp",
                                         .tables = &t, .table_count = 1, .is_dry_run = r == 1};
        assert_int_equal(lr_journal_append(j, &start, &err), 1);
        struct lr_journal_entry in = {.kind = LR_J_TABLE_INTENT, .table = "account",
                                      .expected_version = 5, .target_version = 2};
        if (r != 1)
            assert_int_equal(lr_journal_append(j, &in, &err), 2);
        struct lr_journal_entry res = {.kind = LR_J_TABLE_RESTORED, .table = "account",
                                       .version_written = 6};
        struct lr_journal_entry fin = {.kind = LR_J_RUN_FINISHED, .status = LR_RUN_SUCCEEDED};
        if (r == 0) {
            assert_int_equal(lr_journal_append(j, &res, &err), 3);
            assert_int_equal(lr_journal_append(j, &fin, &err), 4);
        } else if (r == 2) {
            assert_int_equal(lr_journal_append(j, &res, &err), LR_ECANCELLED);
            assert_int_equal(lr_journal_append(j, &fin, &err), LR_ECANCELLED);
        }
        lr_journal_close(j);
    }
    struct lr_run_state *runs = NULL;
    size_t n = 0;
    assert_int_equal(lr_journal_find_interrupted(store, "meta/runs", &runs, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(runs[0].run_id, cut_id);
    assert_int_equal(runs[0].tables[0].state, LR_JT_INTENT);
    assert_string_equal(runs[0].checkpoint, "cp");
    /* Its restore did land (version 6 tagged with the run): resume records it. */
    struct lr_table_observation obs = {"account", 6, 6};
    struct lr_recovery_step step;
    assert_int_equal(lr_recovery_plan(&runs[0], &obs, 1, LR_RECOVER_RESUME, &step, &err), 0);
    assert_int_equal(step.action, LR_RA_RECORD);
    assert_int_equal(step.recorded_version, 6);
    assert_int_equal(lr_recovery_plan(&runs[0], &obs, 1, LR_RECOVER_UNDO, &step, &err), 0);
    assert_int_equal(step.action, LR_RA_RESTORE);
    assert_int_equal(step.expect_version, 6);
    assert_int_equal(step.restore_to, 5);
    /* It did not land and nobody else wrote: resume restores. */
    obs.current_version = 5;
    obs.version_by_run = -1;
    assert_int_equal(lr_recovery_plan(&runs[0], &obs, 1, LR_RECOVER_RESUME, &step, &err), 0);
    assert_int_equal(step.action, LR_RA_RESTORE);
    assert_int_equal(lr_recovery_plan(&runs[0], &obs, 1, LR_RECOVER_UNDO, &step, &err), 0);
    assert_int_equal(step.action, LR_RA_NONE);
    /* Missing observation. */
    obs.name = "other";
    assert_int_equal(lr_recovery_plan(&runs[0], &obs, 1, LR_RECOVER_UNDO, &step, &err),
                     LR_EINVAL);
    for (size_t i = 0; i < n; i++)
        lr_run_state_free(&runs[i]);
    free(runs);
    lr_store_close(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_journal_entry_round_trip),
        cmocka_unit_test(test_journal_order_rules_and_second_writer_conflict),
        cmocka_unit_test(test_journal_crash_hook_and_find_interrupted),
        cmocka_unit_test(test_journal_kill_at_every_point_then_resume_or_undo),
        cmocka_unit_test(test_journal_kill_then_external_writer_is_never_overwritten),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

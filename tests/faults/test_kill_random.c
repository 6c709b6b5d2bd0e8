/* test_kill_random.c - the SIGKILL test of issue 6: a 20-table rollback killed at 30 random
 * points spread over the whole run, then `rollback --resume RUN_ID` (even points) or
 * `undo RUN_ID` (odd points) through the real CLI. After the kill and after the recovery every
 * table must be exactly at its pre-rollback version (same version, same live file set) or at
 * its checkpoint content (one RESTORE commit after the pre-rollback version, the checkpoint
 * version's live file set) - run.c invariant (4) - and the audit trail (`runs show`, the
 * journal and SyncAuditLog) must say which.
 *
 * How the kill points are chosen: the run executes in a forked child through the workflow
 * library, on a store that wraps the real local store and counts its writes (puts, creates,
 * deletes: journal entries, Parquet files, Delta commits, metadata rows). A calibration run
 * counts the writes W of an uninterrupted run; point i of 30 picks write k uniformly in the
 * i-th thirtieth of [1, W] from a seeded PRNG, and the child SIGKILLs itself just before write
 * k. The seed is printed; LR_KILL_SEED=N replays it (LR_KILL_POINTS=n runs fewer points). The
 * parallelism (1 or 3 restore threads) is drawn from the same seed; with 3 threads the write
 * order between tables may differ from one replay to the next, the kill count does not. */
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lakerewind/delta.h"
#include "lakerewind/metadata.h"
#include "lakerewind/rollback.h"
#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"
#include "testsupport.h"

#include "kill_support.h"

#define TABLES 20
#define DEFAULT_POINTS 30

/* ---- a store that dies before its k-th write ---- */

struct killer {
    struct lr_store base; /* first member: the wrappers hand us this pointer */
    struct lr_store *inner;
    long writes;
    long kill_at; /* 0: never */
};

static void before_write(struct killer *k)
{
    k->writes++;
    if (k->kill_at > 0 && k->writes >= k->kill_at)
        raise(SIGKILL);
}

static int k_get(struct lr_store *s, const char *key, bool whole, uint64_t off, uint64_t len,
                 struct lr_buf *out, struct lr_error *err)
{
    struct killer *k = (struct killer *)s;
    return whole ? lr_store_get(k->inner, key, out, err)
                 : lr_store_get_range(k->inner, key, off, len, out, err);
}

static int k_head(struct lr_store *s, const char *key, struct lr_store_entry *out,
                  struct lr_error *err)
{
    return lr_store_head(((struct killer *)s)->inner, key, out, err);
}

static int k_list(struct lr_store *s, const char *prefix, const char *start_after,
                  const char *token, size_t max_keys, struct lr_store_page *out,
                  struct lr_error *err)
{
    return lr_store_list_page(((struct killer *)s)->inner, prefix, start_after, token, max_keys,
                              out, err);
}

static int k_put(struct lr_store *s, const char *key, const void *data, size_t len,
                 bool if_absent, struct lr_error *err)
{
    struct killer *k = (struct killer *)s;
    before_write(k);
    return if_absent ? lr_store_put_if_absent(k->inner, key, data, len, err)
                     : lr_store_put(k->inner, key, data, len, err);
}

static int k_del(struct lr_store *s, const char *key, struct lr_error *err)
{
    struct killer *k = (struct killer *)s;
    before_write(k);
    return lr_store_delete(k->inner, key, err);
}

static void k_destroy(struct lr_store *s)
{
    struct killer *k = (struct killer *)s;
    lr_store_close(k->inner);
    free(k);
}

static const struct lr_store_ops killer_ops = {
    .version = LR_STORE_OPS_VERSION, .name = "local", .get = k_get, .head = k_head,
    .list_page = k_list, .put = k_put, .del = k_del, .destroy = k_destroy,
};

static struct lr_store *killer_open(const char *lake, long kill_at)
{
    struct killer *k = calloc(1, sizeof *k);
    assert_non_null(k);
    struct lr_error err;
    if (lr_store_open(&k->inner, lake, NULL, &err) < 0)
        fail_msg("open %s: %s", lake, err.message);
    k->base.ops = &killer_ops;
    k->base.caps = lr_store_caps(k->inner);
    k->base.display_uri = lr_strdup(lake);
    k->kill_at = kill_at;
    return &k->base;
}

/* ---- the lakehouse ---- */


static void append(struct lr_store *s, int table, int first, int n)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Tables/t%02d", table);
    lr_test_append_id_rows(s, prefix, first, n);
}

/* A table's version and live file set ("path\n" lines in log order, which is sorted). */
struct state {
    int64_t version;
    char *files;
    char *operation; /* commitInfo.operation of that version */
};

static void state_free(struct state *st)
{
    free(st->files);
    free(st->operation);
    memset(st, 0, sizeof *st);
}

static struct state state_of(struct lr_store *s, int table, int64_t version)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Tables/t%02d", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, s, prefix, &err), 0);
    if (lr_delta_snapshot_open(&snap, t, version, &err) < 0)
        fail_msg("snapshot t%02d: %s", table, err.message);
    struct lr_buf b = LR_BUF_INIT;
    for (size_t i = 0; i < snap.num_files; i++)
        lr_buf_printf(&b, NULL, "%s\n", snap.files[i]->path);
    lr_buf_append(&b, "", 0, NULL);
    struct state st = {snap.version, (char *)lr_buf_take(&b, NULL), NULL};
    const char *op = json_string_value(json_object_get(snap.commit_info, "operation"));
    st.operation = lr_strdup(op ? op : "");
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    return st;
}

static int cli(const char *lake, char **out, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int cli(const char *lake, char **out, const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "LAKEREWIND_CONFIG=/nonexistent XDG_CONFIG_HOME=%s/no-config "
                              "'%s' --lakehouse '%s' %s 2>>%s/err",
             lake, getenv("LR_BIN"), lake, args, lake);
    return lr_test_run(cmd, out);
}

/* ---- the fixture: built once, copied for every kill point ---- */

static char *template_dir;
static char *phrase;
static struct state pre[TABLES]; /* the bad-sync (pre-rollback) state */
static struct state cpv[TABLES]; /* the checkpoint version's state */

static void build_template(void)
{
    template_dir = lr_test_tmpdir("kill-template");
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, template_dir, NULL, &err), 0);
    for (int t = 0; t < TABLES; t++)
        for (int b = 0; b < 3; b++)
            append(s, t, b * 5, 5);
    char *out = NULL;
    assert_int_equal(cli(template_dir, &out, "checkpoints create cp --type Daily"), 0);
    free(out);
    int64_t cp_version[TABLES];
    for (int t = 0; t < TABLES; t++) {
        struct state tmp = state_of(s, t, -1);
        cp_version[t] = tmp.version;
        state_free(&tmp);
    }
    /* The bad sync: rows appended everywhere; in odd tables a file of the checkpoint is also
     * deleted, so the restore both removes and adds back files. */
    for (int t = 0; t < TABLES; t++) {
        append(s, t, 100, 4);
        if (t % 2) {
            struct state st = state_of(s, t, cp_version[t]);
            char *nl = strchr(st.files, '\n');
            *nl = '\0';
            const char *victim = st.files;
            char prefix[64];
            snprintf(prefix, sizeof prefix, "Tables/t%02d", t);
            assert_int_equal(lr_table_remove_files(s, prefix, &victim, 1, NULL, NULL, &err), 0);
            state_free(&st);
        }
    }
    for (int t = 0; t < TABLES; t++) {
        pre[t] = state_of(s, t, -1);
        cpv[t] = state_of(s, t, cp_version[t]);
        assert_string_not_equal(pre[t].files, cpv[t].files);
    }
    assert_int_equal(cli(template_dir, &out, "rollback cp --json"), 5);
    phrase = phrase_of(out);
    free(out);
    lr_store_close(s);
}

/* Run the rollback in a child that dies before write `kill_at` (0: never). Returns the
 * child's write count when it finished (kill_at 0) and -1 when it was killed. */
static long run_child(const char *lake, long kill_at, int parallel)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        struct killer *k = (struct killer *)killer_open(lake, kill_at);
        struct lr_lakehouse_ctx ctx = {&k->base, NULL, NULL, "kill-test", NULL, 0};
        struct lr_risk_thresholds th;
        lr_risk_thresholds_default(&th);
        struct lr_rollback_config cfg = {0};
        cfg.thresholds = &th;
        cfg.parallel = parallel;
        struct lr_rollback_request req = {"cp", NULL, 0, true, phrase, false, NULL};
        struct lr_run_result res;
        struct lr_error err;
        int rc = lr_rollback_run(&ctx, &cfg, &req, NULL, &res, &err);
        long writes = k->writes;
        bool ok = rc == 0 && res.status == LR_RUN_SUCCEEDED;
        if (!ok)
            fprintf(stderr, "child run: rc %d status %s %s %s\n", rc,
                    lr_run_status_name(res.status), rc < 0 ? err.message : "",
                    res.refusal ? res.refusal : "");
        lr_run_result_free(&res);
        lr_store_close(&k->base);
        if (write(fds[1], &writes, sizeof writes) != (ssize_t)sizeof writes)
            _exit(3);
        _exit(ok ? 0 : 2);
    }
    close(fds[1]);
    long writes = -1;
    ssize_t got = read(fds[0], &writes, sizeof writes);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        assert_int_equal(WTERMSIG(status), SIGKILL);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got != (ssize_t)sizeof writes)
        fail_msg("the rollback child failed (status 0x%x)", status);
    return writes;
}

/* Every table at its pre-rollback state or its checkpoint content; *at_cp[t] says which. */
static void check_tables(struct lr_store *s, const char *when, bool at_cp[TABLES])
{
    for (int t = 0; t < TABLES; t++) {
        struct state now = state_of(s, t, -1);
        bool is_pre = now.version == pre[t].version && !strcmp(now.files, pre[t].files);
        bool is_cp = now.version == pre[t].version + 1 && !strcmp(now.files, cpv[t].files) &&
                     !strcmp(now.operation, "RESTORE");
        bool is_undone = now.version > pre[t].version + 1 && !strcmp(now.files, pre[t].files) &&
                         !strcmp(now.operation, "RESTORE");
        if (!is_pre && !is_cp && !is_undone)
            fail_msg("%s: table t%02d is at version %" PRId64 " (%s) with files\n%s"
                     "neither the pre-rollback version %" PRId64 " nor the checkpoint content",
                     when, t, now.version, now.operation, now.files, pre[t].version);
        at_cp[t] = is_cp;
        state_free(&now);
    }
}

static json_t *runs_show(const char *lake, const char *id)
{
    char *out = NULL;
    assert_int_equal(cli(lake, &out, "runs show %s --json", id), 0);
    json_t *j = lr_test_json(out);
    free(out);
    return j;
}

static bool audit_has(json_t *shown, const char *op)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(shown, "audit"), i, row)
        if (!strcmp(json_string_value(json_object_get(row, "Operation")), op))
            return true;
    return false;
}

static json_t *table_entry(json_t *shown, int t)
{
    char name[16];
    snprintf(name, sizeof name, "t%02d", t);
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(shown, "tables"), i, e)
        if (!strcmp(json_string_value(json_object_get(e, "name")), name))
            return e;
    return NULL;
}

static void one_point(int i, long kill_at, int parallel, bool resume)
{
    char tag[32];
    snprintf(tag, sizeof tag, "kill-%02d", i);
    char *lake = lr_test_tmpdir(tag);
    lr_test_copy_tree(template_dir, lake);
    long r = run_child(lake, kill_at, parallel);
    assert_true(r < 0);
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, lake, NULL, &err), 0);
    char where[160];
    snprintf(where, sizeof where, "point %d (killed before write %ld, %d threads)", i, kill_at,
             parallel);
    bool at_cp[TABLES];
    check_tables(s, where, at_cp);
    int restored = 0;
    for (int t = 0; t < TABLES; t++)
        restored += at_cp[t];
    char id[128];
    run_dir(lake, id, sizeof id);
    char *out = NULL;
    if (!id[0]) {
        /* Killed before the journal's first entry: nothing may have been restored, and there
         * is no run to resume or undo (only audit rows of the analysis exist). */
        assert_int_equal(restored, 0);
        assert_int_equal(cli(lake, &out, "runs --json"), 0);
        json_t *runs = lr_test_json(out);
        assert_int_equal(json_array_size(runs), 0);
        json_decref(runs);
        free(out);
        print_message("%s: no journal yet, %d tables restored, nothing to recover\n", where,
                      restored);
        lr_store_close(s);
        free(lake);
        return;
    }
    /* The interrupted run is reported as such, and what its journal says it restored is
     * restored on the table (a restore whose journal entry was lost is found by resume/undo
     * in the log). */
    json_t *shown = runs_show(lake, id);
    assert_string_equal(json_string_value(json_object_get(shown, "status")), "interrupted");
    for (int t = 0; t < TABLES; t++) {
        json_t *e = table_entry(shown, t);
        assert_non_null(e);
        const char *st = json_string_value(json_object_get(e, "state"));
        if (!strcmp(st, "restored") || !strcmp(st, "validated"))
            assert_true(at_cp[t]);
    }
    json_decref(shown);

    int rc = resume ? cli(lake, &out, "rollback --resume %s --json", id)
                    : cli(lake, &out, "undo %s --json", id);
    if (!resume && rc == 3 && restored == 0) {
        /* Nothing restored, nothing to undo: the tables are all at the pre-rollback state. */
        free(out);
        print_message("%s: %d tables restored, undo has nothing to reverse\n", where, restored);
        lr_store_close(s);
        free(lake);
        return;
    }
    if (rc != 5)
        fail_msg("%s: %s dry run exit %d: %s", where, resume ? "resume" : "undo", rc, out);
    char *ph = phrase_of(out);
    free(out);
    rc = resume ? cli(lake, &out, "rollback --resume %s --execute --confirm '%s' --json", id, ph)
                : cli(lake, &out, "undo %s --execute --confirm '%s' --json", id, ph);
    if (rc != 0)
        fail_msg("%s: %s exit %d: %s", where, resume ? "resume" : "undo", rc, out);
    json_t *sum = lr_test_json(out);
    free(out);
    free(ph);
    char undo_id[64];
    snprintf(undo_id, sizeof undo_id, "%s",
             json_string_value(json_object_get(sum, "run_id")));
    json_decref(sum);

    bool after[TABLES];
    snprintf(where + strlen(where), sizeof where - strlen(where), " after %s",
             resume ? "resume" : "undo");
    check_tables(s, where, after);
    if (resume) {
        /* Every table at the checkpoint; the run's trail says succeeded, resumed, and each
         * table validated at the version it holds now. */
        shown = runs_show(lake, id);
        assert_string_equal(json_string_value(json_object_get(shown, "status")), "succeeded");
        assert_true(audit_has(shown, "RunResumed"));
        assert_true(audit_has(shown, "RollbackCompleted"));
        for (int t = 0; t < TABLES; t++) {
            assert_true(after[t]);
            json_t *e = table_entry(shown, t);
            assert_string_equal(json_string_value(json_object_get(e, "state")), "validated");
            struct state now = state_of(s, t, -1);
            assert_int_equal(json_integer_value(json_object_get(e, "version_written")),
                             now.version);
            state_free(&now);
        }
        json_decref(shown);
    } else {
        /* Every table back at its pre-rollback content; the undo run lists exactly the tables
         * the killed run had restored, each with the version it wrote. */
        assert_string_not_equal(undo_id, id);
        shown = runs_show(lake, undo_id);
        assert_string_equal(json_string_value(json_object_get(shown, "kind")), "undo");
        assert_string_equal(json_string_value(json_object_get(shown, "of_run")), id);
        assert_string_equal(json_string_value(json_object_get(shown, "status")), "succeeded");
        assert_true(audit_has(shown, "RollbackUndone"));
        for (int t = 0; t < TABLES; t++) {
            assert_false(after[t]);
            json_t *e = table_entry(shown, t);
            if (!at_cp[t]) {
                assert_null(e);
                continue;
            }
            assert_non_null(e);
            struct state now = state_of(s, t, -1);
            assert_int_equal(json_integer_value(json_object_get(e, "version_written")),
                             now.version);
            state_free(&now);
        }
        json_decref(shown);
    }
    print_message("%s: %2d of %d tables had been restored; now all at the %s\n", where, restored,
                  TABLES, resume ? "checkpoint" : "pre-rollback version");
    lr_store_close(s);
    free(lake);
}

static void test_kill_at_30_random_points_of_a_20_table_run(void **state)
{
    (void)state;
    build_template();
    uint64_t seed = 0;
    const char *env = getenv("LR_KILL_SEED");
    if (env && *env)
        seed = strtoull(env, NULL, 10);
    else
        seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 16);
    int points = DEFAULT_POINTS;
    env = getenv("LR_KILL_POINTS");
    if (env && *env)
        points = (int)strtol(env, NULL, 10);
    assert_true(points > 0);

    /* Calibration: an uninterrupted run on a copy counts the writes. */
    char *lake = lr_test_tmpdir("kill-calibrate");
    lr_test_copy_tree(template_dir, lake);
    long total = run_child(lake, 0, 1);
    free(lake);
    assert_true(total > points);
    print_message("seed %" PRIu64 " (replay: LR_KILL_SEED=%" PRIu64 "), %d points over %ld "
                  "store writes of an uninterrupted %d-table run\n",
                  seed, seed, points, total, TABLES);
    uint64_t rng = seed;
    for (int i = 0; i < points; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t x = rng >> 17;
        long lo = 1 + (long)((total * i) / points);
        long hi = (long)((total * (i + 1)) / points);
        long kill_at = lo + (long)(x % (uint64_t)(hi - lo + 1));
        int parallel = (x >> 20) % 2 ? 3 : 1;
        one_point(i, kill_at, parallel, i % 2 == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_30_random_points_of_a_20_table_run),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (int t = 0; t < TABLES; t++) {
        state_free(&pre[t]);
        state_free(&cpv[t]);
    }
    free(phrase);
    free(template_dir);
    return rc;
}

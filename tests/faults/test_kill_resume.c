/* test_kill_resume.c - SIGKILL an executing rollback (the real binary) at every journal point
 * of a 6-table run, then check run.c invariant (4) - every table is at its pre-rollback or its
 * checkpoint content - and that resume (even kill points) brings every table to the checkpoint
 * while undo (odd ones) brings every table back to its pre-rollback content, with the journal
 * and `runs` saying which. The kill waits on the journal entry's file, never on a timer. */
#include <dirent.h>
#include <fcntl.h>
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
#include "lakerewind/str.h"
#include "testsupport.h"

#include "kill_support.h"

#define TABLES 6


static void append(struct lr_store *s, int table, int first, int n)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Tables/t%d", table);
    lr_test_append_id_rows(s, prefix, first, n);
}

static int64_t rows_of(struct lr_store *s, int table)
{
    char prefix[64];
    snprintf(prefix, sizeof prefix, "Tables/t%d", table);
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_error err;
    assert_int_equal(lr_delta_table_open(&t, s, prefix, &err), 0);
    if (lr_delta_snapshot_open(&snap, t, -1, &err) < 0)
        fail_msg("snapshot t%d: %s", table, err.message);
    int64_t n = snap.num_records;
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    return n;
}

static int cli(const char *lake, char **out, const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "XDG_CONFIG_HOME=%s/no-config '%s' --lakehouse '%s' %s 2>>%s/err",
             lake, getenv("LR_BIN"), lake, args, lake);
    return lr_test_run(cmd, out);
}

static bool has_entry(const char *lake, int seq)
{
    char id[128];
    run_dir(lake, id, sizeof id);
    if (!id[0])
        return false;
    char path[4096];
    snprintf(path, sizeof path, "%s/Files/_lakerewind/runs/%s/journal-%06d.json", lake, id,
             seq);
    struct stat st;
    return stat(path, &st) == 0;
}

static void one_kill_point(int k)
{
    char *lake = lr_test_tmpdir("kill");
    struct lr_store *s = NULL;
    struct lr_error err;
    assert_int_equal(lr_store_open(&s, lake, NULL, &err), 0);
    for (int t = 0; t < TABLES; t++)
        for (int b = 0; b < 3; b++)
            append(s, t, b * 10, 10);
    char *out = NULL;
    assert_int_equal(cli(lake, &out, "checkpoints create cp --type Daily"), 0);
    free(out);
    for (int t = 0; t < TABLES; t++)
        append(s, t, 100, 10); /* the bad sync: 40 rows, the checkpoint had 30 */
    assert_int_equal(cli(lake, &out, "rollback cp --json"), 5);
    char *phrase = phrase_of(out);
    free(out);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char conf[1024];
        snprintf(conf, sizeof conf, "%s", phrase);
        int fd = open("/dev/null", O_WRONLY);
        dup2(fd, 1);
        dup2(fd, 2);
        execl(getenv("LR_BIN"), "lakerewind", "--lakehouse", lake, "rollback", "cp",
              "--execute", "--confirm", conf, "--parallel", "1", (char *)NULL);
        _exit(127);
    }
    int status = 0;
    bool exited = false;
    struct timespec tick = {0, 200000};
    while (!has_entry(lake, k)) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            break;
        }
        nanosleep(&tick, NULL);
    }
    if (!exited) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }

    /* (4): every table at its pre-rollback (40) or checkpoint (30) content. */
    int at_cp = 0;
    for (int t = 0; t < TABLES; t++) {
        int64_t n = rows_of(s, t);
        if (n != 30 && n != 40)
            fail_msg("kill point %d: table t%d has %lld rows", k, t, (long long)n);
        at_cp += n == 30;
    }
    print_message("kill point %2d: %s, %d of %d tables at the checkpoint\n", k,
                  exited ? "run had finished" : "killed", at_cp, TABLES);
    char id[128];
    run_dir(lake, id, sizeof id);
    assert_true(id[0] != '\0');
    char args[2048];
    bool resume = k % 2 == 0;
    snprintf(args, sizeof args, resume ? "rollback --resume %s --json" : "undo %s --json", id);
    int rc = cli(lake, &out, args);
    if (rc == 3) {
        /* Nothing to resume (the run had finished) or nothing to undo (nothing restored). */
        free(out);
        if (resume) {
            for (int t = 0; t < TABLES; t++)
                assert_int_equal(rows_of(s, t), 30);
        } else {
            assert_int_equal(at_cp, 0);
        }
    } else {
        assert_int_equal(rc, 5);
        free(phrase);
        phrase = phrase_of(out);
        if (resume) {
            /* Tables already at the checkpoint are not in a resumed plan (no blocker, no High
             * risk for tables with nothing to do). */
            json_error_t perr;
            json_t *im = json_loads(out, 0, &perr);
            assert_non_null(im);
            json_t *t;
            size_t ti;
            json_array_foreach(json_object_get(im, "tables"), ti, t)
                assert_int_equal(json_array_size(json_object_get(t, "blockers")), 0);
            json_decref(im);
        }
        free(out);
        snprintf(args, sizeof args, "%s %s --execute --confirm '%s' --json",
                 resume ? "rollback --resume" : "undo", id, phrase);
        rc = cli(lake, &out, args);
        if (rc != 0)
            fail_msg("kill point %d: %s exit %d: %s", k, resume ? "resume" : "undo", rc, out);
        if (resume) {
            /* The resumed run's post-rollback checkpoint is named after the checkpoint. */
            json_error_t rerr;
            json_t *sum = json_loads(out, 0, &rerr);
            assert_non_null(sum);
            const char *post =
                json_string_value(json_object_get(sum, "post_rollback_checkpoint"));
            assert_non_null(post);
            assert_true(strncmp(post, "cp-post-", 8) == 0);
            json_decref(sum);
        }
        free(out);
        for (int t = 0; t < TABLES; t++)
            assert_int_equal(rows_of(s, t), resume ? 30 : 40);
    }
    /* The original run's journal is readable and says how it ended. */
    snprintf(args, sizeof args, "runs show %s --json", id);
    assert_int_equal(cli(lake, &out, args), 0);
    json_error_t jerr;
    json_t *j = json_loads(out, 0, &jerr);
    assert_non_null(j);
    const char *st = json_string_value(json_object_get(j, "status"));
    assert_non_null(st);
    if (resume)
        assert_string_equal(st, "succeeded");
    json_decref(j);
    free(out);
    free(phrase);
    lr_store_close(s);
    free(lake);
}

static void test_kill_at_every_journal_point_then_resume_or_undo(void **state)
{
    (void)state;
    /* 1 run_started + 6 x (intent + restored) + 6 validated + run_finished = 20 entries. */
    for (int k = 1; k <= 2 + 3 * TABLES + 1; k++)
        one_kill_point(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_every_journal_point_then_resume_or_undo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

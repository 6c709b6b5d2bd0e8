/* restore_loop.c - test helper (not a test): many full-table restores through a faulty path, each
 * checked through a clean one.
 *
 *   lr_restore_loop [--log FILE] [--opt k=v]... [--clean-opt k=v]... URI ROUNDS VA VB
 *
 * Round i restores the table at URI to version VA (even i) or VB (odd i) the way
 * `lakerewind table restore --execute` does (plan on a freshly opened table, commit with a new
 * run id, checkpoint when due), with a store opened with the --opt options (e.g. the fault
 * proxy's endpoint and short timeouts). Then a second store, opened with the --clean-opt options
 * (straight to the service), re-reads the table from scratch and checks: the latest version is
 * N+1 where N is the version the plan was built on; N+2 does not exist; commit N+1 carries this
 * round's run id; the live file set (path, deletion vector, size) equals the target version's.
 * Every tenth round also sends its commit again with other bytes, as a restarted run would:
 * with its own run id the engine must take the existing version as its own (the run-id check
 * of core/delta/restore_commit.c), with another run id report a conflict; both leave the table
 * as it was, which the checks above then see.
 * Prints one line per round, "round I: N -> W (run ID)[ replayed]", then
 * "rounds=R versions=A..B replayed=K"; exit 1 at the first failed check (message on stderr). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/delta.h"
#include "lakerewind/log.h"
#include "lakerewind/store.h"

#define MAX_OPTS 32

struct opts {
    struct lr_kv kv[MAX_OPTS];
    size_t n;
};

static int add_opt(struct opts *o, char *arg)
{
    char *eq = strchr(arg, '=');
    if (!eq || o->n == MAX_OPTS)
        return -1;
    *eq = '\0';
    o->kv[o->n].key = arg;
    o->kv[o->n].value = eq + 1;
    o->n++;
    return 0;
}

static int fail(const char *what, const struct lr_error *err)
{
    fprintf(stderr, "restore_loop: %s: %s: %s\n", what, lr_code_name(err->code), err->message);
    return 1;
}

/* The live files of `version` (< 0 latest) as "path\tdv\tsize" lines in `out`; also the
 * snapshot's version and commit's txnId (copied into txn, may be empty). */
static int file_set(struct lr_store *s, int64_t version, struct lr_buf *out, int64_t *v_out,
                    char *txn, size_t txn_size, struct lr_error *err)
{
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    memset(&snap, 0, sizeof snap);
    int rc = lr_delta_table_open(&t, s, "", err);
    if (rc == 0)
        rc = lr_delta_snapshot_open(&snap, t, version, err);
    for (size_t i = 0; rc == 0 && i < snap.num_files; i++) {
        const struct lr_delta_file *f = snap.files[i];
        char size[32];
        snprintf(size, sizeof size, "\t%" PRId64 "\n", f->size);
        rc = lr_buf_append_str(out, f->path, err);
        if (rc == 0)
            rc = lr_buf_append(out, "\t", 1, err);
        if (rc == 0 && lr_delta_file_dv_id(f))
            rc = lr_buf_append_str(out, lr_delta_file_dv_id(f), err);
        if (rc == 0)
            rc = lr_buf_append_str(out, size, err);
    }
    if (rc == 0) {
        *v_out = snap.version;
        json_t *id = snap.commit_info ? json_object_get(snap.commit_info, "txnId") : NULL;
        snprintf(txn, txn_size, "%s", json_is_string(id) ? json_string_value(id) : "");
    }
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
    return rc;
}

/* Send the commit of `plan` again with other bytes (another clock), as a restarted run would:
 * with the same run id the engine must recognise the taken version as its own (success, same
 * version); with another run id it must report a conflict. 0 when both hold. */
static int replay(struct lr_delta_table *t, const struct lr_delta_restore_plan *plan,
                  const char *run_id, int64_t written, struct lr_error *err)
{
    struct lr_delta_commit_options co = {0};
    co.run_id = run_id;
    co.operator_name = "restore-loop (replayed)";
    co.now_ms = 1; /* other bytes than the commit that landed */
    int64_t v = -1;
    int rc = lr_delta_restore_commit(t, plan, &co, &v, err);
    if (rc < 0)
        return lr_error_context(err, "replaying commit %" PRId64 " with its own run id", written);
    if (v != written)
        return lr_error_set(err, LR_ECORRUPT, "the replay with our run id wrote version %" PRId64
                            ", not %" PRId64, v, written);
    char other[40];
    if ((rc = lr_delta_new_run_id(other, sizeof other, err)) < 0)
        return rc;
    co.run_id = other;
    struct lr_error e2;
    rc = lr_delta_restore_commit(t, plan, &co, &v, &e2);
    if (rc != LR_ECONFLICT)
        return lr_error_set(err, LR_ECORRUPT, "a replay with another run id gave %s, not a "
                            "conflict: %s", lr_code_name(rc), rc < 0 ? e2.message : "success");
    return 0;
}

/* One restore through `faulty` to `target`; from and to: the versions read and written. With
 * `replays`, the commit is then sent again (replay()). */
static int restore_once(struct lr_store *faulty, int64_t target, const char *run_id,
                        bool replays, int64_t *from, int64_t *to, struct lr_error *err)
{
    struct lr_delta_table *t = NULL;
    struct lr_delta_restore_plan plan;
    memset(&plan, 0, sizeof plan);
    int rc = lr_delta_table_open(&t, faulty, "", err);
    struct lr_delta_restore_options ro = {0};
    if (rc == 0)
        rc = lr_delta_restore_plan_make(&plan, t, target, &ro, err);
    if (rc == 0 && plan.refusal_count > 0)
        rc = lr_error_set(err, LR_EREFUSED, "plan refused (%s): %s", plan.refusals[0].kind,
                          plan.refusals[0].message);
    if (rc == 0) {
        *from = plan.read_version;
        struct lr_delta_commit_options co = {0};
        co.run_id = run_id;
        co.operator_name = "restore-loop";
        co.write_checkpoint = true;
        rc = lr_delta_restore_commit(t, &plan, &co, to, err);
        if (rc < 0 && *to >= 0) { /* committed; only the checkpoint failed (as the CLI warns) */
            fprintf(stderr, "restore_loop: warning: %s\n", err->message);
            rc = 0;
        }
        if (rc == 0 && replays)
            rc = replay(t, &plan, run_id, *to, err);
    }
    lr_delta_restore_plan_free(&plan);
    lr_delta_table_close(t);
    return rc;
}

int main(int argc, char **argv)
{
    struct opts faulty_o = {0}, clean_o = {0};
    int i = 1;
    struct lr_error err;
    lr_error_clear(&err);
    while (i + 1 < argc && strncmp(argv[i], "--", 2) == 0) {
        if (!strcmp(argv[i], "--log")) {
            if (lr_log_open(argv[i + 1], LR_LOG_DEBUG, &err) < 0)
                return fail("opening the log", &err);
            i += 2;
            continue;
        }
        struct opts *o = !strcmp(argv[i], "--opt") ? &faulty_o
                         : !strcmp(argv[i], "--clean-opt") ? &clean_o : NULL;
        if (!o || add_opt(o, argv[i + 1]) < 0) {
            fprintf(stderr, "restore_loop: bad option %s %s\n", argv[i], argv[i + 1]);
            return 2;
        }
        i += 2;
    }
    if (argc - i != 4) {
        fprintf(stderr, "usage: lr_restore_loop [--log FILE] [--opt k=v]... "
                        "[--clean-opt k=v]... URI ROUNDS VA VB\n");
        return 2;
    }
    const char *uri = argv[i];
    long rounds = strtol(argv[i + 1], NULL, 10);
    int64_t targets[2] = {strtoll(argv[i + 2], NULL, 10), strtoll(argv[i + 3], NULL, 10)};
    struct lr_store_options co = {clean_o.kv, clean_o.n, true};
    struct lr_store *clean = NULL;
    if (lr_store_open(&clean, uri, &co, &err) < 0)
        return fail("opening the clean store", &err);
    struct lr_buf want[2] = {LR_BUF_INIT, LR_BUF_INIT};
    char txn[64];
    int64_t v;
    int ret = 1;
    for (int k = 0; k < 2; k++)
        if (file_set(clean, targets[k], &want[k], &v, txn, sizeof txn, &err) < 0) {
            fail("reading a target version", &err);
            goto out;
        }
    if (want[0].len == want[1].len && memcmp(want[0].data, want[1].data, want[0].len) == 0) {
        fprintf(stderr, "restore_loop: versions %s and %s hold the same files: pick two that "
                        "differ\n", argv[i + 2], argv[i + 3]);
        goto out;
    }
    int64_t first = -1, last = -1;
    long replayed = 0;
    for (long r = 0; r < rounds; r++) {
        int64_t target = targets[r % 2];
        char run_id[40];
        if (lr_delta_new_run_id(run_id, sizeof run_id, &err) < 0) {
            fail("run id", &err);
            goto out;
        }
        struct lr_store_options fo = {faulty_o.kv, faulty_o.n, true};
        struct lr_store *faulty = NULL;
        int64_t from = -1, to = -1;
        int rc = lr_store_open(&faulty, uri, &fo, &err);
        if (rc == 0)
            rc = restore_once(faulty, target, run_id, r % 10 == 9, &from, &to, &err);
        lr_store_close(faulty);
        if (rc < 0) {
            fprintf(stderr, "restore_loop: round %ld (to version %" PRId64 "): ", r, target);
            fail("restore", &err);
            goto out;
        }
        struct lr_buf got = LR_BUF_INIT;
        int64_t latest = -1;
        rc = file_set(clean, -1, &got, &latest, txn, sizeof txn, &err);
        const struct lr_buf *w = &want[r % 2];
        bool same = rc == 0 && got.len == w->len && memcmp(got.data, w->data, w->len) == 0;
        lr_buf_free(&got);
        if (rc < 0) {
            fail("re-reading the table", &err);
            goto out;
        }
        if (to != from + 1 || latest != to) {
            fprintf(stderr, "restore_loop: round %ld: read %" PRId64 ", wrote %" PRId64
                            ", latest is %" PRId64 " (want exactly one new commit)\n",
                    r, from, to, latest);
            goto out;
        }
        if (strcmp(txn, run_id) != 0) {
            fprintf(stderr, "restore_loop: round %ld: commit %" PRId64 " carries run id '%s', "
                            "not this round's %s\n", r, to, txn, run_id);
            goto out;
        }
        if (!same) {
            fprintf(stderr, "restore_loop: round %ld: the files of version %" PRId64
                            " differ from version %" PRId64 "'s\n", r, to, target);
            goto out;
        }
        char key[64];
        snprintf(key, sizeof key, "_delta_log/%020" PRId64 ".json", to + 1);
        struct lr_store_entry e;
        rc = lr_store_head(clean, key, &e, &err);
        if (rc != LR_ENOTFOUND) {
            if (rc == 0) {
                lr_store_entry_free(&e);
                fprintf(stderr, "restore_loop: round %ld: a second commit %s exists\n", r, key);
            } else {
                fail("checking for a second commit", &err);
            }
            goto out;
        }
        printf("round %ld: %" PRId64 " -> %" PRId64 " (run %s)%s\n", r, from, to, run_id,
               r % 10 == 9 ? " replayed" : "");
        replayed += r % 10 == 9;
        if (first < 0)
            first = to;
        last = to;
    }
    printf("rounds=%ld versions=%" PRId64 "..%" PRId64 " replayed=%ld\n", rounds, first, last,
           replayed);
    ret = 0;
out:
    lr_buf_free(&want[0]);
    lr_buf_free(&want[1]);
    lr_store_close(clean);
    lr_log_close();
    return ret;
}

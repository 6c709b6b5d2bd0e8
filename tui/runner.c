/* runner.c - the rollback workflow on a worker thread (see runner.h). It never touches the
 * screen: workflow events become log lines and the result is posted to the UI thread.
 * LAKEREWIND_PACE_MS=N slows a run down for demonstrations, training and tests: each table
 * waits N ms when it starts restoring (before its commit), so an operator can watch, and act
 * on, a run in flight. LAKEREWIND_PACE_GATE=FILE holds each table there until FILE exists
 * (at most a minute): a test checks the screen of a run in flight, then lets it go on. */
#include "runner.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "lakerewind/str.h"

#include "cli/wfctx.h"
#include "lakerewind/rollback.h"

/* The workflow's sink: called from the run's worker threads; posting is thread-safe. */
static void on_event(const struct lr_event *e, void *payload)
{
    struct tui_runner *r = payload;
    char line[2048];
    struct tui_event *ev = tui_event_new(TUI_EV_RUN_EVENT);
    if (!ev)
        return;
    ev->text = lr_strdup(lr_event_format_text(e, line, sizeof line));
    ev->index = r->token;
    ev->has_run_event = lr_event_copy(&ev->run_event, e) == 0;
    if (!ev->has_run_event)
        memset(&ev->run_event, 0, sizeof ev->run_event);
    tui_events_post(r->events, ev);
    /* Pacing: after the screen has the state, before the table's commit. */
    if (e->kind != LR_EV_TABLE_STATE || e->u.table.state != LR_TABLE_RESTORING)
        return;
    if (r->pace_ms > 0) {
        struct timespec ts = {r->pace_ms / 1000, (long)(r->pace_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
    }
    struct stat st;
    for (int i = 0; r->pace_gate && i < 12000 && stat(r->pace_gate, &st) != 0; i++) {
        struct timespec ts = {0, 5000000L}; /* 5 ms: a poll for the gate, up to a minute */
        nanosleep(&ts, NULL);
    }
}

static void *run(void *arg)
{
    struct tui_runner *r = arg;
    struct tui_event *done = tui_event_new(TUI_EV_RUN_DONE);
    struct lr_run_result *res = calloc(1, sizeof *res);
    struct lr_error err;
    lr_error_clear(&err);
    struct tui_wfctx w;
    /* wfctx prints its rare failures (no lakehouse, out of memory) to stderr, which the
     * console does not show: the event below carries a message instead. */
    if (!done || !res) {
        free(res);
        res = NULL;
    } else if (tui_wfctx_open(&w, &r->g, "console") != 0) {
        done->text = lr_asprintf("cannot open the lakehouse %s", r->uri);
        free(res);
        res = NULL;
    } else {
        struct lr_event_sink sink = {on_event, r};
        struct lr_emitter em;
        lr_emitter_init(&em, &sink, NULL);
        struct lr_rollback_request req = {r->checkpoint, (const char *const *)r->tables.items,
                                          r->tables.count, r->execute, r->confirm,
                                          r->rehearse, &r->cancel};
        struct lr_undo_request ureq = {r->undo_of, r->execute, r->confirm, &r->cancel,
                                       r->rehearse && !r->is_resume};
        int rc = r->undo_of && r->is_resume ? lr_resume_run(&w.ctx, &w.cfg, &ureq, &em, res,
                                                            &err)
                 : r->undo_of ? lr_undo_run(&w.ctx, &w.cfg, &ureq, &em, res, &err)
                            : lr_rollback_run(&w.ctx, &w.cfg, &req, &em, res, &err);
        if (rc < 0) {
            done->text = lr_strdup(err.message);
            lr_run_result_free(res);
            free(res);
            res = NULL;
        }
        lr_emitter_destroy(&em);
        tui_wfctx_close(&w);
    }
    if (done) {
        done->run = res;
        done->index = r->token;
        tui_events_post(r->events, done);
    } else if (res) {
        lr_run_result_free(res);
        free(res);
    }
    atomic_store(&r->is_done, true);
    return NULL;
}

static void clear(struct tui_runner *r)
{
    free(r->uri);
    free(r->pace_gate);
    free(r->checkpoint);
    free(r->undo_of);
    free(r->confirm);
    lr_strvec_free(&r->tables);
    r->uri = r->checkpoint = r->undo_of = r->confirm = r->pace_gate = NULL;
    r->is_started = false;
}

static int start(struct tui_runner *r, const struct tui_global *g, const char *uri,
                 const char *checkpoint, const char *undo_of, const char *const *tables,
                 size_t table_count, bool execute, bool rehearse, bool is_resume,
                 const char *confirm, unsigned token, struct tui_events *events,
                 struct lr_error *err)
{
    if (r->is_started && !atomic_load(&r->is_done))
        return lr_error_set(err, LR_EINVAL, "a run is already in progress; wait for it");
    if (r->is_started)
        tui_runner_join_within(r, 0);
    memset(r, 0, sizeof *r);
    atomic_init(&r->is_done, false);
    atomic_init(&r->cancel, false);
    r->rehearse = rehearse;
    r->is_resume = is_resume;
    const char *pace = getenv("LAKEREWIND_PACE_MS");
    int64_t pace_ms = 0;
    if (pace && lr_parse_int64(pace, &pace_ms) && pace_ms > 0 && pace_ms <= 60000)
        r->pace_ms = (int)pace_ms;
    const char *gate = getenv("LAKEREWIND_PACE_GATE");
    r->pace_gate = gate && *gate ? lr_strdup(gate) : NULL;
    r->g = *g;
    r->uri = lr_strdup(uri);
    r->checkpoint = checkpoint ? lr_strdup(checkpoint) : NULL;
    r->undo_of = undo_of ? lr_strdup(undo_of) : NULL;
    r->confirm = confirm ? lr_strdup(confirm) : NULL;
    r->execute = execute;
    r->token = token;
    r->events = events;
    bool is_oom = !r->uri || (checkpoint && !r->checkpoint) || (undo_of && !r->undo_of) ||
                  (confirm && !r->confirm) || (gate && *gate && !r->pace_gate);
    for (size_t i = 0; !is_oom && i < table_count; i++)
        is_oom = lr_strvec_push(&r->tables, tables[i]) < 0;
    if (is_oom) {
        clear(r);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    r->g.lakehouse = r->uri;
    if (pthread_create(&r->thread, NULL, run, r) != 0) {
        clear(r);
        return lr_error_set(err, LR_EIO, "cannot start the rollback worker thread");
    }
    r->is_started = true;
    return 0;
}

int tui_runner_start(struct tui_runner *r, const struct tui_global *g, const char *uri,
                     const char *checkpoint, const char *const *tables, size_t table_count,
                     bool execute, const char *confirm, unsigned token,
                     struct tui_events *events, struct lr_error *err)
{
    return start(r, g, uri, checkpoint, NULL, tables, table_count, execute, false, false,
                 confirm, token, events, err);
}

int tui_runner_start_rehearsal(struct tui_runner *r, const struct tui_global *g, const char *uri,
                               const char *checkpoint, const char *const *tables,
                               size_t table_count, const char *confirm, unsigned token,
                               struct tui_events *events, struct lr_error *err)
{
    return start(r, g, uri, checkpoint, NULL, tables, table_count, false, true, false, confirm,
                 token, events, err);
}

void tui_runner_cancel(struct tui_runner *r)
{
    if (tui_runner_is_busy(r))
        atomic_store(&r->cancel, true);
}

int tui_runner_start_undo(struct tui_runner *r, const struct tui_global *g, const char *uri,
                          const char *run_id, bool execute, const char *confirm, unsigned token,
                          struct tui_events *events, struct lr_error *err)
{
    return start(r, g, uri, NULL, run_id, NULL, 0, execute, false, false, confirm, token, events,
                 err);
}

int tui_runner_start_undo_rehearsal(struct tui_runner *r, const struct tui_global *g,
                                    const char *uri, const char *run_id, const char *confirm,
                                    unsigned token, struct tui_events *events,
                                    struct lr_error *err)
{
    return start(r, g, uri, NULL, run_id, NULL, 0, false, true, false, confirm, token, events,
                 err);
}

int tui_runner_start_resume(struct tui_runner *r, const struct tui_global *g, const char *uri,
                            const char *run_id, bool execute, const char *confirm,
                            unsigned token, struct tui_events *events, struct lr_error *err)
{
    return start(r, g, uri, NULL, run_id, NULL, 0, execute, false, true, confirm, token, events,
                 err);
}

bool tui_runner_is_busy(const struct tui_runner *r)
{
    return r->is_started && !atomic_load(&r->is_done);
}

bool tui_runner_is_writing(const struct tui_runner *r)
{
    return tui_runner_is_busy(r) && r->execute;
}

bool tui_runner_join_within(struct tui_runner *r, int ms)
{
    if (!r->is_started)
        return true;
    for (int waited = 0; !atomic_load(&r->is_done) && waited < ms; waited += 5) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!atomic_load(&r->is_done))
        return false;
    pthread_join(r->thread, NULL);
    clear(r);
    return true;
}

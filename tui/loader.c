/* loader.c - the lakehouse worker thread: tables first, then each table's facts, all through
 * core/ APIs (store, lakehouse, checkpoint, delta). It never touches the screen or the view;
 * the UI thread applies its events. */
#include "loader.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/timefmt.h"
#include "lakerewind/checkpoint.h"
#include "lakerewind/checkpoint_health.h"
#include "lakerewind/delta.h"
#include "lakerewind/journal.h"
#include "lakerewind/str.h"

#define WARN_MS (7LL * 24 * 3600 * 1000) /* retention.expiry_warning without a profile */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void post_failed(struct tui_loader *l, const char *message, double t0)
{
    struct tui_event *ev = tui_event_new(TUI_EV_LAKEHOUSE_FAILED);
    if (!ev)
        return;
    ev->text = lr_strdup(message);
    ev->elapsed_ms = now_ms() - t0;
    tui_events_post(l->events, ev);
}

/* The tables (metadata tables excluded) as names and key prefixes. */
static int list_tables(const struct lr_lakehouse_ctx *ctx, struct lr_table_list *out,
                       struct lr_error *err)
{
    struct lr_strvec names = {0};
    memset(out, 0, sizeof *out);
    int rc = lr_lakehouse_tables(ctx, &names, err);
    if (rc < 0)
        return rc;
    if (names.count) {
        out->items = calloc(names.count, sizeof *out->items);
        if (!out->items)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    for (size_t i = 0; rc == 0 && i < names.count; i++) {
        struct lr_table_ref *t = &out->items[i];
        t->name = lr_strdup(names.items[i]);
        t->prefix = lr_lakehouse_table_prefix(ctx, names.items[i]);
        out->count++;
        if (!t->name || !t->prefix)
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    lr_strvec_free(&names);
    if (rc < 0)
        lr_table_list_free(out);
    return rc;
}

static void read_facts(struct lr_store *store, const struct lr_table_ref *ref,
                       struct tui_table_facts *f)
{
    struct lr_error err;
    struct lr_delta_table *t = NULL;
    struct lr_delta_snapshot snap;
    struct lr_delta_history h;
    memset(&snap, 0, sizeof snap);
    memset(&h, 0, sizeof h);
    f->retention_days_left = -1;
    if (lr_delta_table_open(&t, store, ref->prefix, &err) < 0 ||
        lr_delta_snapshot_open(&snap, t, -1, &err) < 0) {
        f->error = lr_strdup(err.message);
        goto done;
    }
    f->has_version = true;
    f->version = snap.version;
    f->has_rows = snap.num_records >= 0;
    f->rows = snap.num_records;
    f->has_size = true;
    f->size_bytes = snap.size_bytes > 0 ? (uint64_t)snap.size_bytes : 0;
    f->num_files = (int64_t)snap.num_files;
    if (lr_delta_history_read(t, -1, 1, &h, &err) == 0 && h.count > 0) {
        const struct lr_delta_history_entry *e = &h.entries[0];
        if (e->timestamp_ms >= 0) {
            f->has_last_write = true;
            f->last_write = (time_t)(e->timestamp_ms / 1000);
        }
        f->last_operation = e->operation ? lr_strdup(e->operation) : NULL;
    } else if (snap.timestamp_ms >= 0) {
        f->has_last_write = true;
        f->last_write = (time_t)(snap.timestamp_ms / 1000);
    }
    f->retention = TUI_HEALTH_UNKNOWN; /* from the checkpoints' health, posted at the end */
done:
    lr_delta_history_free(&h);
    lr_delta_snapshot_free(&snap);
    lr_delta_table_close(t);
}

/* core's checkpoint health (checkpoint_health.h) for every checkpoint: the checkpoints screen
 * shows its warnings and the overview's retention column is derived from them (model.c).
 * The list moves into the event. */
static void post_health(struct tui_loader *l, const struct lr_lakehouse_ctx *ctx,
                        struct lr_checkpoint_list *cps)
{
    struct lr_error err;
    struct tui_event *ev = tui_event_new(TUI_EV_CP_HEALTH);
    if (!ev)
        return;
    const struct lr_profile *p = l->profile;
    int64_t warn_ms = p && p->retention_warn_ms > 0 ? p->retention_warn_ms : WARN_MS;
    if (lr_checkpoint_check_all(ctx, cps, lr_clock_now_ms(), warn_ms, &ev->cp_warnings, &err) <
        0)
        ev->text = lr_strdup(err.message);
    ev->checkpoints = *cps;
    memset(cps, 0, sizeof *cps);
    tui_events_post(l->events, ev);
}

/* Runs whose journal has no end (killed, or stopped on request): announced on start. */
static void post_interrupted(struct tui_loader *l, struct lr_store *store)
{
    struct lr_run_state *runs = NULL;
    size_t n = 0;
    struct lr_error err;
    if (lr_journal_find_interrupted(store, NULL, &runs, &n, &err) < 0) {
        struct tui_event *w = tui_event_new(TUI_EV_LOG);
        if (w) {
            w->level = 1; /* TUI_LOG_WARN */
            w->text = lr_asprintf("cannot check for interrupted runs: %s", err.message);
            tui_events_post(l->events, w);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const struct lr_run_state *st = &runs[i];
        size_t restored = 0;
        for (size_t k = 0; k < st->table_count; k++)
            restored += st->tables[k].state == LR_JT_RESTORED ||
                        st->tables[k].state == LR_JT_VALIDATED;
        struct tui_event *ev = tui_event_new(TUI_EV_INTERRUPTED);
        if (!ev)
            break;
        ev->run_id = lr_strdup(st->run_id);
        ev->text = lr_asprintf("%s %s by %s: %zu of %zu tables restored",
                               lr_run_kind_name(st->kind),
                               st->kind == LR_RUN_ROLLBACK && st->checkpoint
                                   ? st->checkpoint
                                   : (st->of_run ? st->of_run : "-"),
                               st->operator_name ? st->operator_name : "unknown", restored,
                               st->table_count);
        tui_events_post(l->events, ev);
    }
    for (size_t i = 0; i < n; i++)
        lr_run_state_free(&runs[i]);
    free(runs);
}

static void *run(void *arg)
{
    struct tui_loader *l = arg;
    double t0 = now_ms();
    struct lr_error err;
    lr_error_clear(&err);
    struct lr_store *store = NULL;
    struct lr_table_list tables = {0};
    struct lr_checkpoint_list cps = {0};
    bool has_cps = false;
    if (lr_store_open(&store, l->uri, NULL, &err) < 0) {
        post_failed(l, err.message, t0);
        goto done;
    }
    /* The same context the headless commands build (tui/cli/wfctx.c): the profile's tables
     * and metadata locations, so lr_lakehouse_tables() leaves the metadata tables out. */
    const struct lr_profile *p = l->profile;
    struct lr_lakehouse_ctx ctx = {
        .store = store,
        .tables_location = p ? p->tables_location : NULL,
        .metadata_location = p ? p->metadata_location : NULL,
        .tables = p && p->tables.count ? (const char *const *)p->tables.items : NULL,
        .table_count = p ? p->tables.count : 0,
    };
    if (list_tables(&ctx, &tables, &err) < 0) {
        post_failed(l, err.message, t0);
        goto done;
    }
    struct tui_event *ev = tui_event_new(TUI_EV_LAKEHOUSE_OPENED);
    if (!ev)
        goto done;
    ev->elapsed_ms = now_ms() - t0;
    /* The event gets its own copy of the list; the worker keeps reading from `tables`. */
    ev->tables.items = tables.count ? calloc(tables.count, sizeof *ev->tables.items) : NULL;
    for (size_t i = 0; ev->tables.items && i < tables.count; i++) {
        ev->tables.items[i].name = lr_strdup(tables.items[i].name);
        ev->tables.items[i].prefix = lr_strdup(tables.items[i].prefix);
        ev->tables.count++;
    }
    tui_events_post(l->events, ev);

    /* The checkpoint list, once for the checkpoints screen and once kept for retention
     * (one small metadata read each). No metadata yet is not an error: no checkpoints. */
    struct tui_event *ce = tui_event_new(TUI_EV_CHECKPOINTS);
    if (ce) {
        int crc = lr_checkpoint_list(&ctx, &ce->checkpoints, &err);
        if (crc < 0 && crc != LR_ENOTFOUND)
            ce->text = lr_strdup(err.message);
        tui_events_post(l->events, ce);
    }
    post_interrupted(l, store);
    int rc = lr_checkpoint_list(&ctx, &cps, &err);
    has_cps = rc == 0;
    if (rc == LR_ENOTFOUND) {
        has_cps = true;
    } else if (rc < 0) {
        struct tui_event *w = tui_event_new(TUI_EV_LOG);
        if (w) {
            w->level = 1; /* TUI_LOG_WARN */
            w->text = lr_asprintf("checkpoints unavailable, retention health unknown: %s",
                                  err.message);
            tui_events_post(l->events, w);
        }
    }
    for (size_t i = 0; i < tables.count && !atomic_load(&l->is_cancelled); i++) {
        struct tui_event *fe = tui_event_new(TUI_EV_TABLE_FACTS);
        if (!fe)
            break;
        fe->index = i;
        read_facts(store, &tables.items[i], &fe->facts);
        tui_events_post(l->events, fe);
    }
    if (has_cps && !atomic_load(&l->is_cancelled))
        post_health(l, &ctx, &cps);
    struct tui_event *end = tui_event_new(TUI_EV_FACTS_DONE);
    if (end) {
        end->elapsed_ms = now_ms() - t0;
        tui_events_post(l->events, end);
    }
done:
    lr_checkpoint_list_free(&cps);
    lr_table_list_free(&tables);
    lr_store_close(store);
    atomic_store(&l->is_done, true);
    return NULL;
}

int tui_loader_start(struct tui_loader *l, const char *uri, const struct lr_profile *profile,
                     struct tui_events *events, struct lr_error *err)
{
    memset(l, 0, sizeof *l);
    l->profile = profile;
    atomic_init(&l->is_done, false);
    atomic_init(&l->is_cancelled, false);
    l->uri = lr_strdup(uri);
    l->events = events;
    if (!l->uri)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (pthread_create(&l->thread, NULL, run, l) != 0) {
        free(l->uri);
        l->uri = NULL;
        return lr_error_set(err, LR_EIO, "cannot start the lakehouse loader thread");
    }
    l->is_started = true;
    return 0;
}

void tui_loader_cancel(struct tui_loader *l)
{
    atomic_store(&l->is_cancelled, true);
}

void tui_loader_join(struct tui_loader *l)
{
    if (l->is_started)
        pthread_join(l->thread, NULL);
    l->is_started = false;
    free(l->uri);
    l->uri = NULL;
}

bool tui_loader_is_done(const struct tui_loader *l)
{
    return !l->is_started || atomic_load(&l->is_done);
}

bool tui_loader_join_within(struct tui_loader *l, int ms)
{
    for (int waited = 0; !tui_loader_is_done(l) && waited < ms; waited += 5) {
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    if (!tui_loader_is_done(l))
        return false;
    tui_loader_join(l); /* is_done is its last store: the join returns at once */
    return true;
}

/* fetcher.c - the runs / history worker (see fetcher.h): a queue of requests, one thread, and
 * the reads themselves, all through core/. It never touches the screen. */
#include "fetcher.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/str.h"

#define HISTORY_MAX_PAGE 500

struct tui_fetch_job {
    enum tui_fetch_kind kind;
    unsigned token;
    char *table;
    int64_t before;
    size_t limit;
    struct tui_fetch_job *next;
};

void tui_fetch_result_free(struct tui_fetch_result *r)
{
    if (!r)
        return;
    free(r->error);
    for (size_t i = 0; i < r->runs.count; i++)
        lr_run_state_free(&r->runs.runs[i]);
    free(r->runs.runs);
    lr_audit_steps_free(&r->runs.audit);
    free(r->runs.audit_error);
    struct tui_history_data *h = &r->history;
    free(h->table);
    for (size_t i = 0; h->facts && i < h->page.count; i++)
        lr_delta_commit_facts_free(&h->facts[i]);
    free(h->facts);
    lr_delta_history_free(&h->page);
    free(h->rows);
    free(h->rows_error);
    for (size_t i = 0; i < h->mark_count; i++)
        free(h->marks[i].name);
    free(h->marks);
    free(r);
}

static void job_free(struct tui_fetch_job *j)
{
    if (j) {
        free(j->table);
        free(j);
    }
}

/* The worker's lakehouse: opened on its first request, kept until it stops. */
struct worker_ctx {
    struct lr_store *store;
    struct lr_lakehouse_ctx ctx;
};

static int open_ctx(struct tui_fetcher *f, struct worker_ctx *w, struct lr_error *err)
{
    if (w->store)
        return 0;
    int rc = tui_open_lakehouse(&f->g, &w->store, err);
    if (rc < 0)
        return rc;
    const struct lr_profile *p = f->g.settings ? &f->g.settings->profile : NULL;
    w->ctx.store = w->store;
    w->ctx.tables_location = p ? p->tables_location : NULL;
    w->ctx.metadata_location = p ? p->metadata_location : NULL;
    if (p && p->tables.count) {
        w->ctx.tables = (const char *const *)p->tables.items;
        w->ctx.table_count = p->tables.count;
    }
    return 0;
}

static void fetch_runs(struct worker_ctx *w, struct tui_fetch_result *r)
{
    struct lr_error err;
    lr_error_clear(&err);
    if (lr_journal_list_runs(w->store, NULL, &r->runs.runs, &r->runs.count, &err) < 0) {
        r->error = lr_asprintf("cannot list the runs: %s", err.message);
        return;
    }
    if (lr_audit_read(w->store, w->ctx.metadata_location, NULL, &r->runs.audit, &err) < 0)
        r->runs.audit_error = lr_strdup(err.message);
}

static void checkpoint_marks(struct worker_ctx *w, const char *table,
                             struct tui_history_data *h)
{
    struct lr_checkpoint_list cps = {0};
    struct lr_error err;
    if (lr_checkpoint_list(&w->ctx, &cps, &err) < 0)
        return; /* no metadata yet: no marks */
    size_t n = 0;
    for (size_t i = 0; i < cps.count; i++)
        for (size_t j = 0; j < cps.items[i].table_count; j++)
            if (!strcmp(cps.items[i].tables[j].name, table))
                n++;
    h->marks = n ? calloc(n, sizeof *h->marks) : NULL;
    for (size_t i = 0; h->marks && i < cps.count; i++) {
        for (size_t j = 0; j < cps.items[i].table_count; j++) {
            if (strcmp(cps.items[i].tables[j].name, table) != 0)
                continue;
            struct tui_cp_mark *m = &h->marks[h->mark_count];
            m->name = lr_strdup(cps.items[i].name);
            m->version = cps.items[i].tables[j].version;
            if (m->name)
                h->mark_count++;
        }
    }
    lr_checkpoint_list_free(&cps);
}

static void fetch_history(struct worker_ctx *w, const struct tui_fetch_job *j,
                          struct tui_fetch_result *r)
{
    struct tui_history_data *h = &r->history;
    struct lr_error err;
    lr_error_clear(&err);
    struct lr_delta_table *t = NULL;
    char *prefix = lr_lakehouse_table_prefix(&w->ctx, j->table);
    h->table = lr_strdup(j->table);
    if (!prefix || !h->table) {
        r->error = lr_strdup("out of memory");
        goto done;
    }
    if (lr_delta_table_open(&t, w->store, prefix, &err) < 0 ||
        lr_delta_history_read(t, j->before, j->limit, &h->page, &err) < 0) {
        r->error = lr_asprintf("history of %s: %s", j->table, err.message);
        goto done;
    }
    if (h->page.count) {
        h->rows = calloc(h->page.count, sizeof *h->rows);
        h->facts = calloc(h->page.count, sizeof *h->facts);
        /* Out of memory for the parameters leaves them NULL: the rest is still shown. */
        for (size_t i = 0; h->facts && i < h->page.count; i++)
            (void)lr_delta_commit_facts_of(&h->page.entries[i], &h->facts[i]);
        if (!h->rows || !h->facts) {
            r->error = lr_strdup("out of memory");
            goto done;
        }
        int64_t last = h->page.entries[0].version;
        int64_t first = h->page.entries[h->page.count - 1].version;
        int64_t *counts = calloc((size_t)(last - first + 1), sizeof *counts);
        for (size_t i = 0; i < h->page.count; i++)
            h->rows[i] = -1;
        if (!counts) {
            h->rows_error = lr_strdup("out of memory");
        } else if (lr_delta_row_counts(t, first, last, counts, &err) < 0) {
            h->rows_error = lr_strdup(err.message);
        } else {
            for (size_t i = 0; i < h->page.count; i++)
                h->rows[i] = counts[h->page.entries[i].version - first];
        }
        free(counts);
    }
    checkpoint_marks(w, j->table, h);
done:
    lr_delta_table_close(t);
    free(prefix);
}

static struct tui_fetch_job *take(struct tui_fetcher *f)
{
    pthread_mutex_lock(&f->mu);
    while (!f->head && !f->is_stopping)
        pthread_cond_wait(&f->cv, &f->mu);
    struct tui_fetch_job *j = NULL;
    if (!f->is_stopping) {
        j = f->head;
        f->head = j->next;
        if (!f->head)
            f->tail = NULL;
    }
    pthread_mutex_unlock(&f->mu);
    return j;
}

static void *run(void *arg)
{
    struct tui_fetcher *f = arg;
    struct worker_ctx w;
    memset(&w, 0, sizeof w);
    for (struct tui_fetch_job *j = take(f); j; j = take(f)) {
        struct tui_event *ev = tui_event_new(TUI_EV_FETCHED);
        struct tui_fetch_result *r = calloc(1, sizeof *r);
        if (!ev || !r) {
            free(ev);
            free(r);
            job_free(j);
            continue;
        }
        r->kind = j->kind;
        struct lr_error err;
        lr_error_clear(&err);
        if (open_ctx(f, &w, &err) < 0)
            r->error = lr_asprintf("cannot open the lakehouse: %s", err.message);
        else if (j->kind == TUI_FETCH_RUNS)
            fetch_runs(&w, r);
        else
            fetch_history(&w, j, r);
        ev->index = j->token;
        ev->fetched = r;
        tui_events_post(f->events, ev);
        job_free(j);
    }
    lr_store_close(w.store);
    atomic_store(&f->is_done, true);
    return NULL;
}

int tui_fetcher_init(struct tui_fetcher *f, const struct tui_global *g, const char *uri,
                     struct tui_events *events, struct lr_error *err)
{
    memset(f, 0, sizeof *f);
    atomic_init(&f->is_done, false);
    f->g = *g;
    f->uri = lr_strdup(uri);
    f->events = events;
    if (!f->uri)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    f->g.lakehouse = f->uri;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    return 0;
}

static int submit(struct tui_fetcher *f, struct tui_fetch_job *j, struct lr_error *err)
{
    if (!f->uri) {
        job_free(j);
        return lr_error_set(err, LR_ESTATE, "the fetch worker is not ready");
    }
    pthread_mutex_lock(&f->mu);
    if (f->tail)
        f->tail->next = j;
    else
        f->head = j;
    f->tail = j;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    if (!f->is_started) {
        if (pthread_create(&f->thread, NULL, run, f) != 0)
            return lr_error_set(err, LR_EIO, "cannot start the fetch worker thread");
        f->is_started = true;
    }
    return 0;
}

int tui_fetcher_runs(struct tui_fetcher *f, unsigned token, struct lr_error *err)
{
    struct tui_fetch_job *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    j->kind = TUI_FETCH_RUNS;
    j->token = token;
    return submit(f, j, err);
}

int tui_fetcher_history(struct tui_fetcher *f, unsigned token, const char *table,
                        int64_t before, size_t limit, struct lr_error *err)
{
    struct tui_fetch_job *j = calloc(1, sizeof *j);
    if (!j || !(j->table = lr_strdup(table))) {
        free(j);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    j->kind = TUI_FETCH_HISTORY;
    j->token = token;
    j->before = before;
    j->limit = limit == 0 ? 50 : limit > HISTORY_MAX_PAGE ? HISTORY_MAX_PAGE : limit;
    return submit(f, j, err);
}

bool tui_fetcher_stop(struct tui_fetcher *f, int ms)
{
    if (!f->uri)
        return true;
    pthread_mutex_lock(&f->mu);
    f->is_stopping = true;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    if (f->is_started) {
        for (int waited = 0; !atomic_load(&f->is_done) && waited < ms; waited += 5) {
            struct timespec ts = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (!atomic_load(&f->is_done))
            return false;
        pthread_join(f->thread, NULL);
        f->is_started = false;
    }
    for (struct tui_fetch_job *j = f->head; j;) {
        struct tui_fetch_job *next = j->next;
        job_free(j);
        j = next;
    }
    f->head = f->tail = NULL;
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f->uri);
    f->uri = NULL;
    return true;
}

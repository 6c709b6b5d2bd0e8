/* progress.c - the live progress block of `rollback --execute` / `undo --execute` on a terminal
 * (progress.h). Owns: the per-table rows folded from events, the choice of rows when the
 * terminal is shorter than the run, and the in-place redraw. Does not own the plain-line and
 * JSON sinks (wfctx.c) or the final result print (rollback.c).
 *
 * Drawing: the block is always the last thing on the screen, every line ends with "\n", so the
 * cursor sits just below it; a redraw moves up over the lines drawn last time (CSI n A),
 * overwrites each line (CSI 2K first) and clears what is left below (CSI J). Clearing from the
 * top first would be simpler, but some terminals (tmux's scroll-on-clear) then push the
 * cleared screen into the scrollback, once per redraw. Lines are cut to the terminal width - 1 so
 * none wraps (a wrapped line would break the count). A warning is printed where the block was
 * and the block is drawn again below it.
 *
 * Threads: the emitter calls the sink from worker threads, one at a time; a ticker thread
 * redraws every 200 ms so elapsed times move while a table is restoring. Both take `lock`. */
#include "cli/progress.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 200

struct row {
    char name[128];
    enum lr_table_state state;
    bool has_started;
    int64_t started_mono; /* when the table left QUEUED */
    int64_t elapsed_ms;   /* frozen once the table is final */
    int64_t version;      /* written, -1 none */
    int64_t touched;      /* monotonic time of the last change (recent first) */
    char note[200];
};

struct tui_live {
    FILE *out;
    char title[160];
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t ticker;
    bool has_ticker;
    bool is_stopping;
    int drawn; /* lines of the block on screen now */
    struct row *rows;
    size_t count;
    size_t cap;
    size_t total;          /* from run_started (0 unknown) */
    int step;              /* current step number, 0 none */
    int64_t start_mono;
    bool is_finished;
    char status[32];
    int64_t finished_ms;
};

bool tui_live_wanted(FILE *out)
{
    const char *term = getenv("TERM");
    return isatty(fileno(out)) && term && *term && strcmp(term, "dumb") != 0;
}

static bool is_final(enum lr_table_state s)
{
    return s == LR_TABLE_DONE || s == LR_TABLE_FAILED || s == LR_TABLE_SKIPPED;
}

static void term_size(FILE *out, int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

/* Copy `s` into out, control bytes as '?', cut at `width` display columns (UTF-8 aware). */
static void put_line(struct tui_live *l, const char *s, int width)
{
    char buf[1024];
    size_t n = 0;
    int colsused = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 4 < sizeof buf; p++) {
        bool is_cont = (*p & 0xC0) == 0x80;
        if (!is_cont) {
            if (colsused >= width)
                break;
            colsused++;
        }
        buf[n++] = (char)(*p < 0x20 || *p == 0x7f ? '?' : *p);
    }
    buf[n] = '\0';
    fprintf(l->out, "\033[2K%s\n", buf);
}

static void fmt_elapsed(char *out, size_t cap, int64_t ms)
{
    if (ms < 60000)
        snprintf(out, cap, "%lld.%llds", (long long)(ms / 1000), (long long)(ms % 1000 / 100));
    else
        snprintf(out, cap, "%lldm%02llds", (long long)(ms / 60000),
                 (long long)(ms / 1000 % 60));
}

static int64_t row_elapsed(const struct row *r, int64_t now)
{
    if (!r->has_started)
        return 0;
    return is_final(r->state) ? r->elapsed_ms : now - r->started_mono;
}

/* Which rows get a line when the terminal is too short: running tables first, then failed
 * and skipped ones, then the most recently finished, then the queue in order. */
static int rank(const struct row *r)
{
    switch (r->state) {
    case LR_TABLE_SNAPSHOTTING:
    case LR_TABLE_RESTORING:
    case LR_TABLE_VALIDATING:
        return 0;
    case LR_TABLE_FAILED:
    case LR_TABLE_SKIPPED:
        return 1;
    case LR_TABLE_DONE:
        return 2;
    default:
        return 3;
    }
}

static const struct row *sort_base;

static int by_priority(const void *a, const void *b)
{
    const struct row *x = &sort_base[*(const size_t *)a];
    const struct row *y = &sort_base[*(const size_t *)b];
    int rx = rank(x), ry = rank(y);
    if (rx != ry)
        return rx - ry;
    if (rx == 2 && x->touched != y->touched)
        return x->touched > y->touched ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void draw_locked(struct tui_live *l)
{
    int rows = 24;
    int cols = 80;
    term_size(l->out, &rows, &cols);
    int width = cols > 1 ? cols - 1 : 1;
    int64_t now = lr_event_mono_ms();
    if (l->drawn > 0)
        fprintf(l->out, "\r\033[%dA", l->drawn);
    fprintf(l->out, "\r");

    size_t done = 0, failed = 0, skipped = 0;
    for (size_t i = 0; i < l->count; i++) {
        done += l->rows[i].state == LR_TABLE_DONE;
        failed += l->rows[i].state == LR_TABLE_FAILED;
        skipped += l->rows[i].state == LR_TABLE_SKIPPED;
    }
    size_t total = l->total > l->count ? l->total : l->count;
    char el[32];
    fmt_elapsed(el, sizeof el, (l->is_finished ? l->finished_ms : now - l->start_mono));
    char line[1024];
    char step[96] = "";
    if (l->is_finished)
        snprintf(step, sizeof step, "%s", l->status);
    else if (l->step > 0)
        snprintf(step, sizeof step, "step %d/%d %s", l->step, LR_STEP_COUNT,
                 lr_step_title((enum lr_step)l->step));
    else
        snprintf(step, sizeof step, "starting");
    snprintf(line, sizeof line, "%s: %s | %zu/%zu tables done, %zu failed, %zu skipped | %s",
             l->title, step, done + failed + skipped, total, failed, skipped, el);
    put_line(l, line, width);
    int drawn = 1;

    /* Lines for tables: all of them when they fit under the overall line, leaving room for the
     * lines the command prints after the run (status, post-rollback checkpoint). */
    size_t budget = rows > 6 ? (size_t)rows - 4 : 2;
    bool *show = calloc(l->count + 1, sizeof *show);
    size_t *order = calloc(l->count + 1, sizeof *order);
    size_t hidden = 0;
    if (show && order) {
        if (l->count <= budget) {
            for (size_t i = 0; i < l->count; i++)
                show[i] = true;
        } else {
            budget = budget > 1 ? budget - 1 : 1; /* one line says what is left out */
            for (size_t i = 0; i < l->count; i++)
                order[i] = i;
            sort_base = l->rows;
            qsort(order, l->count, sizeof *order, by_priority);
            for (size_t i = 0; i < budget; i++)
                show[order[i]] = true;
            hidden = l->count - budget;
        }
        for (size_t i = 0; i < l->count; i++) {
            if (!show[i])
                continue;
            const struct row *r = &l->rows[i];
            char t[32] = "";
            if (r->has_started)
                fmt_elapsed(t, sizeof t, row_elapsed(r, now));
            char ver[32] = "";
            if (r->version >= 0)
                snprintf(ver, sizeof ver, "v%lld", (long long)r->version);
            snprintf(line, sizeof line, "  %-28s %-12s %8s  %-6s%s%s", r->name,
                     lr_table_state_name(r->state), t, ver, r->note[0] ? " " : "", r->note);
            put_line(l, line, width);
            drawn++;
        }
    }
    if (hidden > 0) {
        size_t hq = 0, hd = 0;
        for (size_t i = 0; i < l->count; i++) {
            if (show[i])
                continue;
            hq += l->rows[i].state == LR_TABLE_QUEUED;
            hd += l->rows[i].state == LR_TABLE_DONE;
        }
        snprintf(line, sizeof line, "  ... %zu more tables (%zu done, %zu queued)", hidden, hd,
                 hq);
        put_line(l, line, width);
        drawn++;
    }
    free(show);
    free(order);
    fprintf(l->out, "\033[J"); /* what a taller block drew before */
    l->drawn = drawn;
    fflush(l->out);
}

static struct row *row_for(struct tui_live *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->rows[i].name, name) == 0)
            return &l->rows[i];
    if (l->count == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        struct row *nr = realloc(l->rows, ncap * sizeof *nr);
        if (!nr)
            return NULL;
        l->rows = nr;
        l->cap = ncap;
    }
    struct row *r = &l->rows[l->count++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    r->state = LR_TABLE_QUEUED;
    r->version = -1;
    return r;
}

static void on_table(struct tui_live *l, const struct lr_ev_table *t)
{
    struct row *r = t->table ? row_for(l, t->table) : NULL;
    if (!r)
        return;
    int64_t now = lr_event_mono_ms();
    if (t->state != LR_TABLE_QUEUED && !r->has_started) {
        r->has_started = true;
        r->started_mono = now - (t->elapsed_ms > 0 ? t->elapsed_ms : 0);
    }
    r->state = t->state;
    r->touched = now;
    if (is_final(t->state))
        r->elapsed_ms = t->elapsed_ms;
    if (t->version_written >= 0)
        r->version = t->version_written;
    snprintf(r->note, sizeof r->note, "%s", t->error ? t->error : "");
}

static void on_event(const struct lr_event *ev, void *payload)
{
    struct tui_live *l = payload;
    pthread_mutex_lock(&l->lock);
    bool redraw = true;
    switch (ev->kind) {
    case LR_EV_RUN_STARTED:
        l->total = ev->u.run_started.table_count;
        break;
    case LR_EV_STEP_STARTED:
        l->step = (int)ev->u.step.step;
        break;
    case LR_EV_TABLE_STATE:
        on_table(l, &ev->u.table);
        break;
    case LR_EV_LOG:
        if (ev->u.log.level <= LR_LOG_WARN) {
            /* Scroll the message above the block: replace the block, then draw it below. */
            if (l->drawn > 0)
                fprintf(l->out, "\r\033[%dA", l->drawn);
            char line[1200];
            snprintf(line, sizeof line, "%s: %s%s%s", lr_log_level_name(ev->u.log.level),
                     ev->u.log.table ? ev->u.log.table : "", ev->u.log.table ? ": " : "",
                     ev->u.log.text ? ev->u.log.text : "");
            fprintf(l->out, "\r");
            int rows = 24, cols = 80;
            term_size(l->out, &rows, &cols);
            put_line(l, line, cols > 1 ? cols - 1 : 1);
            l->drawn = 0;
        } else {
            redraw = false;
        }
        break;
    case LR_EV_RUN_FINISHED:
        l->is_finished = true;
        l->finished_ms = ev->u.run_finished.elapsed_ms;
        snprintf(l->status, sizeof l->status, "%s",
                 lr_run_status_name(ev->u.run_finished.status));
        break;
    default:
        redraw = false;
        break;
    }
    if (redraw)
        draw_locked(l);
    pthread_mutex_unlock(&l->lock);
}

static void *tick(void *arg)
{
    struct tui_live *l = arg;
    pthread_mutex_lock(&l->lock);
    while (!l->is_stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += (long)TICK_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&l->cond, &l->lock, &until);
        if (!l->is_stopping && !l->is_finished && l->drawn > 0)
            draw_locked(l);
    }
    pthread_mutex_unlock(&l->lock);
    return NULL;
}

struct tui_live *tui_live_open(FILE *out, const char *title, struct lr_event_sink *sink)
{
    struct tui_live *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    l->out = out;
    snprintf(l->title, sizeof l->title, "%s", title);
    l->start_mono = lr_event_mono_ms();
    pthread_mutex_init(&l->lock, NULL);
    pthread_cond_init(&l->cond, NULL);
    l->has_ticker = pthread_create(&l->ticker, NULL, tick, l) == 0;
    sink->fn = on_event;
    sink->payload = l;
    return l;
}

void tui_live_close(struct tui_live *l, const struct lr_run_result *result)
{
    if (!l)
        return;
    pthread_mutex_lock(&l->lock);
    l->is_stopping = true;
    pthread_cond_signal(&l->cond);
    pthread_mutex_unlock(&l->lock);
    if (l->has_ticker)
        pthread_join(l->ticker, NULL);
    for (size_t i = 0; result && i < result->table_count; i++) {
        const struct lr_table_result *t = &result->tables[i];
        struct row *r = t->has_validation ? row_for(l, t->name) : NULL;
        if (!r)
            continue;
        char q[64];
        snprintf(q, sizeof q, "quality %.0f%s", t->validation.quality_score,
                 t->validation.passed ? "" : " (validation failed)");
        if (r->note[0] && strcmp(r->note, "validation failed") != 0)
            snprintf(r->note + strlen(r->note), sizeof r->note - strlen(r->note), " - %s", q);
        else
            snprintf(r->note, sizeof r->note, "%s", q);
    }
    if (l->drawn > 0 || l->count > 0)
        draw_locked(l);
    pthread_cond_destroy(&l->cond);
    pthread_mutex_destroy(&l->lock);
    free(l->rows);
    free(l);
}

/* app.c - the console's event loop, screen stack, `:` commands, `/` filter prompt, status line
 * and the one render pass. Screens live in screens/; drawing pieces in widgets/; the terminal in
 * term.c. See app.h for the design note and invariants. */
#include "app.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lakerewind/config.h"
#include "lakerewind/log.h"
#include "lakerewind/str.h"
#include "lakerewind/timefmt.h"
#include "lakerewind/version.h"
#include "sanitize.h"
#include "term.h"
#include "theme.h"

enum prompt_kind { PROMPT_NONE, PROMPT_COMMAND, PROMPT_FILTER };

struct screen_entry {
    const struct tui_screen_ops *ops;
    void *state;
};

struct tui_app {
    const struct tui_global *g;
    enum tui_banner_mode mode;
    struct tui_theme theme;
    struct tui_logring log;
    size_t sticky_problem; /* 1 + index of a warning/error the status line keeps; 0 none */
    struct tui_events events;
    struct tui_loader loader;
    struct tui_runner runner; /* the rollback workflow's worker (impact, restore) */
    struct tui_fetcher fetcher; /* runs and history reads */
    unsigned fetch_token;
    unsigned run_token;       /* the newest run's token */
    bool quit_after_run;      /* the operator asked to quit once the writing run has ended */
    char interrupted_run[48]; /* the interrupted run announced on start ("" none) */
    bool is_guided;           /* the guided walkthrough's panel is open (guide.c) */
    const char *uri;
    struct tui_lakehouse_view view;
    struct screen_entry stack[TUI_STACK_MAX];
    int depth;
    bool is_dirty;
    bool is_quitting;
    enum prompt_kind prompt;
    struct tui_line line;
    int cursor_y;
    int cursor_x;
    bool has_cursor;
    struct tui_rect body;
    double started_ms;
    FILE *bench;         /* LAKEREWIND_BENCH_FILE: frame timings for tests/bench */
    bool has_first_frame;
    bool has_list_frame; /* the table names */
    bool has_full_frame; /* every table's facts */
    double last_click_ms; /* the previous press, for double clicks */
    int last_click_y;
    int last_click_x;
    double key_ready_ms; /* bench: when stdin became readable for the keys not yet shown */
    unsigned keys_pending; /* bench: keys read since the last frame */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Frame timings for the benchmark: the first frame, the table list, every table's facts. */
static void bench_frame(struct tui_app *app)
{
    if (!app->bench)
        return;
    if (!app->has_first_frame) {
        app->has_first_frame = true;
        fprintf(app->bench, "first_frame_ms %.3f\n", now_ms() - app->started_ms);
    }
    if (!app->has_list_frame && app->view.state != TUI_LOAD_PENDING) {
        app->has_list_frame = true;
        fprintf(app->bench, "list_frame_ms %.3f\n", now_ms() - app->started_ms);
    }
    if (!app->has_full_frame && (app->view.facts_done || app->view.state == TUI_LOAD_FAILED)) {
        app->has_full_frame = true;
        fprintf(app->bench, "full_frame_ms %.3f\ntables %zu\n", now_ms() - app->started_ms,
                app->view.count);
        fflush(app->bench);
    }
}

/* Keypress-to-redraw latency for the benchmark: each key read since the last frame gets the
 * time from the moment the terminal input was seen readable to this frame's flush, tagged
 * "busy" while a workflow run is in flight (tests/bench/tui-key-latency.sh). */
static void bench_keys(struct tui_app *app)
{
    if (!app->bench || !app->keys_pending)
        return;
    double ms = now_ms() - app->key_ready_ms;
    const char *tag = tui_runner_is_busy(&app->runner) ? "busy" : "idle";
    for (unsigned i = 0; i < app->keys_pending; i++)
        fprintf(app->bench, "key_ms %.3f %s\n", ms, tag);
    fflush(app->bench);
    app->keys_pending = 0;
}

/* Keys that work everywhere. Two tables so the footer says "quit" on the top screen and
 * "back" below it, while both dispatch from one place. */
#define LOADER_QUIT_WAIT_MS 300 /* how long a quit waits for the lakehouse loader */

#define NAV_KEYS                                                                     \
    {TUI_KEY_UP, TUI_ACT_UP, "up", true}, {'k', TUI_ACT_UP, "up", true},             \
        {TUI_KEY_DOWN, TUI_ACT_DOWN, "down", true}, {'j', TUI_ACT_DOWN, "down", true}, \
        {TUI_KEY_PGUP, TUI_ACT_PAGE_UP, "page up", true},                              \
        {TUI_KEY_PGDN, TUI_ACT_PAGE_DOWN, "page down", true},                          \
        {TUI_KEY_HOME, TUI_ACT_HOME, "first", true}, {'g', TUI_ACT_HOME, "first", true}, \
        {TUI_KEY_END, TUI_ACT_END, "last", true}, {'G', TUI_ACT_END, "last", true},      \
        {TUI_KEY_CTRL('l'), TUI_ACT_REDRAW, "redraw", true}

static const struct tui_key_binding global_top_defaults[] = {
    {':', TUI_ACT_COMMAND, "command", false},
    {'w', TUI_ACT_GUIDE, "guided walkthrough", true},
    {'?', TUI_ACT_HELP, "help", false},
    {'q', TUI_ACT_QUIT, "quit", false},
    {TUI_KEY_ESC, TUI_ACT_BACK, "back", true},
    NAV_KEYS,
};

static const struct tui_key_binding global_nested_defaults[] = {
    {':', TUI_ACT_COMMAND, "command", false},
    {'w', TUI_ACT_GUIDE, "guided walkthrough", true},
    {'?', TUI_ACT_HELP, "help", false},
    {TUI_KEY_ESC, TUI_ACT_BACK, "back", false},
    {'q', TUI_ACT_QUIT, "back", true},
    NAV_KEYS,
};

static struct tui_keymap global_top;
static struct tui_keymap global_nested;

/* Shown in the footer while the walkthrough is on (w is in the global tables either way). */
static const struct tui_key_binding guide_defaults[] = {
    {'w', TUI_ACT_GUIDE, "end guide", false},
};
static struct tui_keymap guide_keys;

/* Every screen with a key table (the `:` targets plus dialogs opened by code). */
static const struct tui_screen_ops *const keyed_screens[] = {
    &tui_screen_overview, &tui_screen_checkpoints, &tui_screen_impact, &tui_screen_result,
    &tui_screen_progress, &tui_screen_log,         &tui_screen_help,   &tui_screen_confirm,
    &tui_screen_choice,   &tui_screen_recover,     &tui_screen_runs,   &tui_screen_run,
    &tui_screen_history,  NULL,
};

const struct tui_screen_ops *const tui_screens[] = {
    &tui_screen_overview,
    &tui_screen_checkpoints,
    &tui_screen_impact,
    &tui_screen_runs,
    &tui_screen_history,
    &tui_screen_log,
    &tui_screen_help,
    NULL,
};

/* ---- for screens ---- */

/* Quitting while a restore writes asks first. "No" keeps watching; "yes" asks the run to stop
 * (core's cancel: no new table restore starts, the ones committing finish -- each table is one
 * atomic commit, never half done) and the console leaves when the run has ended. The journal
 * then has no run_finished: the run is interrupted and the next start announces it with
 * resume and undo choices. A signal also waits for the run at exit. */
static void quit_choice(struct tui_app *app, size_t index, void *payload)
{
    (void)payload;
    if (index != 1) {
        tui_app_log(app, TUI_LOG_INFO, "the restore continues");
        return;
    }
    app->quit_after_run = true;
    tui_runner_cancel(&app->runner);
    tui_app_log(app, TUI_LOG_WARN, "stopping: waiting for the tables being restored to commit, "
                "then quitting (the run will be resumable)");
}

static void request_quit(struct tui_app *app)
{
    if (!tui_runner_is_writing(&app->runner)) {
        app->is_quitting = true;
        return;
    }
    if (app->quit_after_run) {
        tui_app_log(app, TUI_LOG_WARN, "already stopping: waiting for the tables in flight");
        return;
    }
    static const char *const options[] = {"No, keep restoring",
                                          "Yes, stop after the tables in flight and quit"};
    struct tui_choice_request req = {
        .title = "Quit during a restore?",
        .body = "Tables being restored now finish their commit (each is atomic, never half "
                "done); no other table starts. The run is then interrupted: the next start "
                "offers to resume or undo it.",
        .options = options,
        .count = 2,
        .selected = 0,
        .on_choose = quit_choice,
    };
    tui_choice_open(app, &req);
}

/* An interrupted run found on start (the loader's TUI_EV_INTERRUPTED). */
static void interrupted_choice(struct tui_app *app, size_t index, void *payload)
{
    (void)payload;
    char arg[64];
    if (index == 0 || index == 1) {
        snprintf(arg, sizeof arg, "%s:%s", index == 0 ? "resume" : "undo", app->interrupted_run);
        tui_app_push(app, &tui_screen_recover, arg);
    } else {
        tui_app_log(app, TUI_LOG_WARN, "run %s stays interrupted (`lakerewind runs` lists it)",
                    app->interrupted_run);
    }
}

static void interrupted_seen(struct tui_app *app, size_t index, void *payload)
{
    (void)index;
    (void)payload;
    tui_app_log(app, TUI_LOG_WARN, "run %s stays interrupted (read-only: resume or undo it "
                "from a console without --read-only)", app->interrupted_run);
}

static void announce_interrupted(struct tui_app *app, const struct tui_event *ev)
{
    char *what = tui_sanitize_str(ev->text ? ev->text : "", false);
    tui_app_log(app, TUI_LOG_WARN, "run %s was interrupted: %s", ev->run_id, what ? what : "");
    if (app->interrupted_run[0]) {
        free(what);
        return; /* one dialog at a time; the log keeps the others */
    }
    snprintf(app->interrupted_run, sizeof app->interrupted_run, "%s", ev->run_id);
    char body[512];
    if (app->mode == TUI_BANNER_READ_ONLY) {
        /* Announced, but without the resume / undo choices: both would write. */
        snprintf(body, sizeof body, "Run %s did not finish (%s). This console is read-only, so "
                 "it cannot resume or undo it: use `lakerewind rollback --resume %s` or "
                 "`lakerewind undo %s`, or a console without --read-only.", ev->run_id,
                 what ? what : "", ev->run_id, ev->run_id);
        free(what);
        static const char *const ok[] = {"OK"};
        struct tui_choice_request ro = {
            .title = "An interrupted run was found (read-only)",
            .body = body,
            .options = ok,
            .count = 1,
            .on_choose = interrupted_seen,
        };
        tui_choice_open(app, &ro);
        return;
    }
    snprintf(body, sizeof body, "Run %s did not finish (%s). Resume restores the tables it "
             "had not restored yet; undo puts every table back as it was before the run. Both "
             "show their plan and ask for a typed phrase first.", ev->run_id, what ? what : "");
    free(what);
    static const char *const options[] = {"Resume it", "Undo it", "Not now"};
    struct tui_choice_request req = {
        .title = "An interrupted run was found",
        .body = body,
        .options = options,
        .count = 3,
        .selected = 0,
        .on_choose = interrupted_choice,
    };
    tui_choice_open(app, &req);
}

int tui_app_start_run(struct tui_app *app, const char *checkpoint, const char *const *tables,
                      size_t table_count, bool execute, const char *confirm, unsigned *token)
{
    struct lr_error err;
    unsigned next = app->run_token + 1;
    if (tui_runner_start(&app->runner, app->g, app->uri, checkpoint, tables, table_count,
                         execute, confirm, next, &app->events, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    app->run_token = next;
    *token = next;
    return 0;
}

int tui_app_start_rehearsal(struct tui_app *app, const char *checkpoint,
                            const char *const *tables, size_t table_count, const char *confirm,
                            unsigned *token)
{
    struct lr_error err;
    unsigned next = app->run_token + 1;
    if (tui_runner_start_rehearsal(&app->runner, app->g, app->uri, checkpoint, tables,
                                   table_count, confirm, next, &app->events, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    app->run_token = next;
    *token = next;
    return 0;
}

int tui_app_start_undo_rehearsal(struct tui_app *app, const char *run_id, const char *confirm,
                                 unsigned *token)
{
    struct lr_error err;
    unsigned next = app->run_token + 1;
    if (tui_runner_start_undo_rehearsal(&app->runner, app->g, app->uri, run_id, confirm, next,
                                        &app->events, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    app->run_token = next;
    *token = next;
    return 0;
}

int tui_app_start_resume(struct tui_app *app, const char *run_id, bool execute,
                         const char *confirm, unsigned *token)
{
    struct lr_error err;
    unsigned next = app->run_token + 1;
    if (tui_runner_start_resume(&app->runner, app->g, app->uri, run_id, execute, confirm, next,
                                &app->events, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    app->run_token = next;
    *token = next;
    return 0;
}

int tui_app_start_undo(struct tui_app *app, const char *run_id, bool execute,
                       const char *confirm, unsigned *token)
{
    struct lr_error err;
    unsigned next = app->run_token + 1;
    if (tui_runner_start_undo(&app->runner, app->g, app->uri, run_id, execute, confirm, next,
                              &app->events, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    app->run_token = next;
    *token = next;
    return 0;
}

int tui_app_fetch_runs(struct tui_app *app, unsigned *token)
{
    struct lr_error err;
    if (tui_fetcher_runs(&app->fetcher, app->fetch_token + 1, &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    *token = ++app->fetch_token;
    return 0;
}

int tui_app_fetch_history(struct tui_app *app, const char *table, int64_t before, size_t limit,
                          unsigned *token)
{
    struct lr_error err;
    if (tui_fetcher_history(&app->fetcher, app->fetch_token + 1, table, before, limit,
                            &err) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", err.message);
        return err.code;
    }
    *token = ++app->fetch_token;
    return 0;
}

void tui_app_request_quit(struct tui_app *app)
{
    request_quit(app);
}

bool tui_app_run_is_busy(const struct tui_app *app)
{
    return tui_runner_is_busy(&app->runner);
}

void tui_app_dirty(struct tui_app *app)
{
    app->is_dirty = true;
}

void tui_app_log(struct tui_app *app, enum tui_log_level level, const char *fmt, ...)
{
    char buf[TUI_LOGLINE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    tui_log_add(&app->log, level, time(NULL), buf);
    if (level >= TUI_LOG_WARN)
        app->sticky_problem = app->log.count; /* the newest line */
    app->is_dirty = true;
}

int tui_app_table(struct tui_app *app, struct tui_rect r, const struct tui_column *cols,
                  size_t ncols, struct tui_table_state *st, tui_cell_fn cell, void *payload)
{
    int visible = tui_table_visible_rows(r);
    tui_table_reveal(st, visible);
    int sel_y = tui_table_draw(r, cols, ncols, st, cell, payload);
    if (sel_y >= 0)
        tui_app_cursor(app, sel_y, r.x);
    return visible;
}

void tui_app_cursor(struct tui_app *app, int y, int x)
{
    app->cursor_y = y;
    app->cursor_x = x;
    app->has_cursor = true;
}

const struct tui_lakehouse_view *tui_app_view(const struct tui_app *app)
{
    return &app->view;
}

const struct tui_logring *tui_app_log_ring(const struct tui_app *app)
{
    return &app->log;
}

enum tui_banner_mode tui_app_mode(const struct tui_app *app)
{
    return app->mode;
}

void tui_app_set_mode(struct tui_app *app, enum tui_banner_mode mode)
{
    /* Read-only is fixed at start (--read-only): nothing switches out of it. */
    if (app->mode == TUI_BANNER_READ_ONLY)
        return;
    app->mode = mode;
    app->is_dirty = true;
}

int tui_app_bind_key(struct tui_app *app, const char *action, const char *key,
                     struct lr_error *err)
{
    (void)app;
    struct tui_keymap *maps[24];
    size_t n = 0;
    maps[n++] = &global_top;
    maps[n++] = &global_nested;
    for (size_t i = 0; keyed_screens[i] && n < 24; i++)
        if (keyed_screens[i]->keys)
            maps[n++] = keyed_screens[i]->keys;
    int bound = 0;
    for (size_t i = 0; i < n; i++) {
        bool has = false;
        for (size_t j = 0; j < maps[i]->count; j++)
            if (!strcmp(tui_action_name(maps[i]->items[j].action), action))
                has = true;
        if (!has)
            continue;
        /* A screen's keys are looked up before the global ones: refuse a key that would
         * shadow a global action, or be shadowed by a screen's. */
        int code;
        if (tui_key_parse(key, &code)) {
            for (size_t k = 0; k < n; k++) {
                if (k == i || maps[k]->items == maps[i]->items)
                    continue;
                enum tui_action other = tui_keymap_lookup(maps[k], code);
                bool other_is_global = maps[k] == &global_top || maps[k] == &global_nested;
                bool this_is_global = maps[i] == &global_top || maps[i] == &global_nested;
                if (other != TUI_ACT_NONE && strcmp(tui_action_name(other), action) != 0 &&
                    (other_is_global || this_is_global))
                    return lr_error_set(err, LR_EINVAL,
                                        "ui.keys.%s: key '%s' is already bound to '%s' (%s "
                                        "keys)",
                                        action, key, tui_action_name(other), maps[k]->name);
            }
        }
        int rc = tui_keymap_bind(maps[i], action, key, err);
        if (rc < 0)
            return rc;
        bound++;
    }
    if (!bound)
        return lr_error_set(err, LR_EINVAL,
                            "ui.keys: unknown action '%s' (actions: command, filter, open, "
                            "toggle, detail, restore, undo, help, back, quit, log, sort, ...)",
                            action);
    return 0;
}

int tui_app_body_rows(const struct tui_app *app)
{
    return app->body.h;
}

static int screen_index(const struct tui_app *app, const struct tui_screen_ops *screen)
{
    for (int i = app->depth - 1; i >= 0; i--)
        if (app->stack[i].ops == screen)
            return i;
    return app->depth - 1;
}

bool tui_app_allows(const struct tui_app *app, enum tui_action a)
{
    return app->mode != TUI_BANNER_READ_ONLY || (a != TUI_ACT_RESTORE && a != TUI_ACT_UNDO);
}

/* In read-only mode the key tables are handed out without their write actions, and a
 * screen's own table without the actions its key_works hook says do nothing now, so the
 * footer, the help overlay and key dispatch all lose them together. UI thread only. */
static struct tui_keymap filtered_maps[3];

static const struct tui_keymap *filtered(const struct tui_app *app, const struct tui_keymap *map,
                                         size_t slot, const struct tui_screen_ops *screen,
                                         void *state)
{
    bool by_screen = screen && screen->key_works && state;
    if ((app->mode != TUI_BANNER_READ_ONLY && !by_screen) || slot >= 3)
        return map;
    struct tui_keymap *f = &filtered_maps[slot];
    f->name = map->name;
    f->count = 0;
    for (size_t i = 0; i < map->count; i++)
        if (tui_app_allows(app, map->items[i].action) &&
            (!by_screen || screen->key_works(state, map->items[i].action)))
            f->items[f->count++] = map->items[i];
    return f;
}

size_t tui_app_keymaps(const struct tui_app *app, const struct tui_screen_ops *screen,
                       const struct tui_keymap **out, size_t cap)
{
    size_t n = 0;
    int at = screen_index(app, screen);
    void *state = at >= 0 && app->stack[at].ops == screen ? app->stack[at].state : NULL;
    if (screen && screen->keys && n < cap) {
        out[n] = filtered(app, screen->keys, n, screen, state);
        n++;
    }
    if (screen && screen->is_modal)
        return n;
    if (n < cap) {
        out[n] = filtered(app, at <= 0 ? &global_top : &global_nested, n, NULL, NULL);
        n++;
    }
    if (app->is_guided && n < cap)
        out[n++] = &guide_keys;
    return n;
}

const struct tui_screen_ops *tui_app_top(const struct tui_app *app)
{
    return app->stack[app->depth - 1].ops;
}

bool tui_app_is_guided(const struct tui_app *app)
{
    return app->is_guided;
}

void tui_app_set_guided(struct tui_app *app, bool is_guided)
{
    app->is_guided = is_guided;
    app->is_dirty = true;
    if (!is_guided) {
        tui_app_log(app, TUI_LOG_INFO, "guided walkthrough ended (w starts it again)");
        return;
    }
    /* The walkthrough is a dry run: it never leaves the console able to write. */
    if (app->mode == TUI_BANNER_LIVE) {
        app->mode = TUI_BANNER_DRY_RUN;
        tui_app_log(app, TUI_LOG_WARN, "guided walkthrough: back in dry-run mode, nothing will "
                    "be written");
    } else {
        tui_app_log(app, TUI_LOG_INFO, "guided walkthrough: dry-run mode, nothing will be "
                    "written (w ends it)");
    }
}

const struct tui_screen_ops *tui_app_screen_below(const struct tui_app *app)
{
    return app->depth >= 2 ? app->stack[app->depth - 2].ops : NULL;
}

int tui_app_push(struct tui_app *app, const struct tui_screen_ops *ops, const char *arg)
{
    if (app->depth >= TUI_STACK_MAX) {
        tui_app_log(app, TUI_LOG_WARN, "too many screens open; press Esc to go back first");
        return LR_ELIMIT;
    }
    void *state = NULL;
    int rc = ops->open ? ops->open(app, &state, arg) : 0;
    if (rc < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "cannot open %s: %s", ops->name, lr_code_name(rc));
        return rc;
    }
    app->stack[app->depth].ops = ops;
    app->stack[app->depth].state = state;
    app->depth++;
    app->is_dirty = true;
    return 0;
}

void tui_app_pop(struct tui_app *app)
{
    if (app->depth <= 1)
        return;
    struct screen_entry *e = &app->stack[--app->depth];
    if (e->ops->close)
        e->ops->close(e->state);
    e->ops = NULL;
    e->state = NULL;
    app->is_dirty = true;
}

static struct screen_entry *top(struct tui_app *app)
{
    return &app->stack[app->depth - 1];
}

/* The nearest non-overlay screen: the one a `/` filter or `:table` applies to. */
static struct screen_entry *base(struct tui_app *app)
{
    for (int i = app->depth - 1; i >= 0; i--)
        if (!app->stack[i].ops->is_overlay)
            return &app->stack[i];
    return &app->stack[0];
}

/* ---- commands ---- */

static const struct tui_screen_ops *find_screen(const char *name)
{
    for (size_t i = 0; tui_screens[i]; i++) {
        const struct tui_screen_ops *s = tui_screens[i];
        if (!strcmp(s->name, name) || (s->alias && !strcmp(s->alias, name)))
            return s;
    }
    return NULL;
}

static void go_to(struct tui_app *app, const struct tui_screen_ops *s, const char *arg)
{
    for (int i = 0; i < app->depth; i++) {
        if (app->stack[i].ops == s) {
            /* With an argument (":history contact") the screen opens afresh for it. */
            bool is_fresh = arg && i > 0;
            while (app->depth > (is_fresh ? i : i + 1))
                tui_app_pop(app);
            if (!is_fresh)
                return;
            break;
        }
    }
    while (app->depth > 1 && top(app)->ops->is_overlay)
        tui_app_pop(app);
    tui_app_push(app, s, arg);
}

static void confirmed_live(struct tui_app *app, void *payload)
{
    (void)payload;
    tui_app_set_mode(app, TUI_BANNER_LIVE);
    tui_app_log(app, TUI_LOG_WARN, "LIVE mode: confirmed restores will write to %s",
                app->view.uri);
}

static void switch_to_live(struct tui_app *app)
{
    if (app->mode == TUI_BANNER_READ_ONLY) {
        tui_app_log(app, TUI_LOG_ERROR,
                    "read-only mode cannot switch to live (the console was started with "
                    "--read-only)");
        return;
    }
    if (app->mode == TUI_BANNER_LIVE) {
        tui_app_log(app, TUI_LOG_INFO, "already in LIVE mode (:dry-run goes back)");
        return;
    }
    if (app->is_guided) {
        tui_app_log(app, TUI_LOG_ERROR, "the guided walkthrough is a dry run: press w to end "
                    "it before switching to LIVE mode");
        return;
    }
    char body[1024];
    snprintf(body, sizeof body,
             "In LIVE mode a confirmed restore writes to the tables of %s. Each restore still "
             "shows its impact and asks for its own typed confirmation; :dry-run switches "
             "back.\n\nType LIVE and press Enter to switch, or Esc to stay in dry-run mode.",
             app->view.uri);
    struct tui_confirm_request req = {
        .title = "Switch to LIVE mode",
        .body = body,
        .phrase = "LIVE",
        .on_confirm = confirmed_live,
    };
    tui_confirm_open(app, &req);
}

static const char *const theme_names[] = {"default", "high-contrast", "colorblind",
                                          "monochrome"};

static void apply_theme(struct tui_app *app, const char *name)
{
    char problem[LR_ERROR_MAX + 64];
    struct tui_theme t;
    if (tui_theme_select(&t, name, problem, sizeof problem) < 0) {
        tui_app_log(app, TUI_LOG_ERROR, "%s", problem);
        return;
    }
    app->theme = t;
    tui_term_set_theme(&t);
    tui_app_log(app, TUI_LOG_INFO, "theme: %s", t.name);
}

static void theme_chosen(struct tui_app *app, size_t index, void *payload)
{
    (void)payload;
    apply_theme(app, theme_names[index]);
}

static void pick_theme(struct tui_app *app)
{
    size_t current = 0;
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(app->theme.name, theme_names[i]))
            current = i;
    char body[160];
    snprintf(body, sizeof body, "The console is using the %s theme. Themes live in themes/; "
             ":theme PATH loads your own.", app->theme.name);
    struct tui_choice_request req = {
        .title = "Theme",
        .body = body,
        .options = theme_names,
        .count = 4,
        .selected = current,
        .on_choose = theme_chosen,
    };
    tui_choice_open(app, &req);
}

static void run_command(struct tui_app *app, const char *text)
{
    char cmd[TUI_LINE_MAX];
    snprintf(cmd, sizeof cmd, "%s", text);
    char *verb = cmd;
    while (*verb == ' ')
        verb++;
    char *arg = verb;
    while (*arg && *arg != ' ')
        arg++;
    if (*arg) {
        *arg++ = '\0';
        while (*arg == ' ')
            arg++;
    }
    if (!*verb)
        return;
    if (!strcmp(verb, "q") || !strcmp(verb, "quit") || !strcmp(verb, "q!")) {
        request_quit(app);
        return;
    }
    if (!strcmp(verb, "live")) {
        switch_to_live(app);
        return;
    }
    if (!strcmp(verb, "dry-run") || !strcmp(verb, "dryrun")) {
        if (app->mode == TUI_BANNER_LIVE) {
            tui_app_set_mode(app, TUI_BANNER_DRY_RUN);
            tui_app_log(app, TUI_LOG_INFO, "dry-run mode: nothing will be written");
        } else {
            tui_app_log(app, TUI_LOG_INFO, "already in %s mode",
                        app->mode == TUI_BANNER_READ_ONLY ? "read-only" : "dry-run");
        }
        return;
    }
    if (!strcmp(verb, "theme")) {
        if (!*arg)
            pick_theme(app);
        else
            apply_theme(app, arg);
        return;
    }
    if (!strcmp(verb, "table")) {
        go_to(app, &tui_screen_overview, NULL);
        struct screen_entry *e = base(app);
        if (e->ops->filter) {
            e->ops->filter(app, e->state, arg);
            tui_app_log(app, TUI_LOG_INFO, "filter: %s", arg);
        }
        return;
    }
    const struct tui_screen_ops *s = find_screen(verb);
    if (s == &tui_screen_history) {
        const char *table = *arg ? tui_view_find_table(&app->view, arg) : NULL;
        char *clean = tui_sanitize_str(arg, false);
        if (!*arg)
            tui_app_log(app, TUI_LOG_ERROR, ":history needs a table name (:history account)");
        else if (!table)
            tui_app_log(app, TUI_LOG_ERROR, "no table '%s' in this lakehouse (the overview "
                        "lists them)", clean ? clean : "?");
        else
            go_to(app, s, table);
        free(clean);
        return;
    }
    if (s == &tui_screen_impact && !*arg) {
        tui_app_log(app, TUI_LOG_ERROR, ":impact needs a checkpoint name (:checkpoints lists "
                    "them)");
        return;
    }
    if (s) {
        go_to(app, s, *arg ? arg : NULL);
        return;
    }
    const char *table = tui_view_find_table(&app->view, verb);
    if (table && !*arg) {
        go_to(app, &tui_screen_overview, NULL);
        struct screen_entry *e = base(app);
        if (e->ops->select)
            e->ops->select(app, e->state, table);
        return;
    }
    char *clean = tui_sanitize_str(verb, false);
    tui_app_log(app, TUI_LOG_ERROR, "unknown command '%s' (? lists the commands)",
                clean ? clean : "?");
    free(clean);
}

/* ---- keys ---- */

static void open_prompt(struct tui_app *app, enum prompt_kind kind)
{
    app->prompt = kind;
    tui_line_clear(&app->line);
    app->is_dirty = true;
}

static void prompt_key(struct tui_app *app, int key)
{
    enum tui_line_result r = tui_line_key(&app->line, key);
    struct screen_entry *b = base(app);
    if (app->prompt == PROMPT_FILTER && b->ops->filter)
        b->ops->filter(app, b->state, r == TUI_LINE_CANCEL ? "" : app->line.text);
    if (r == TUI_LINE_SUBMIT) {
        enum prompt_kind kind = app->prompt;
        app->prompt = PROMPT_NONE;
        if (kind == PROMPT_COMMAND)
            run_command(app, app->line.text);
    } else if (r == TUI_LINE_CANCEL) {
        app->prompt = PROMPT_NONE;
    }
    app->is_dirty = true;
}

static bool is_too_small(void)
{
    int w;
    int h;
    tui_term_size(&w, &h);
    return w < TUI_MIN_WIDTH || h < TUI_MIN_HEIGHT;
}

#define DOUBLE_CLICK_MS 400
#define WHEEL_ROWS 3

/* Mouse (ui.mouse): a press on a row selects it, a press on the selected row or a double
 * press opens it (the screen's click hook), the wheel moves the selection like the arrow keys.
 * Only on a plain screen: dialogs, overlays and the prompt take keys only, so no destructive
 * action is ever one click away. */
static void handle_mouse(struct tui_app *app)
{
    struct tui_mouse m = tui_term_mouse();
    struct screen_entry *t = top(app);
    if (app->prompt != PROMPT_NONE || t->ops->is_overlay || t->ops->is_modal || is_too_small())
        return;
    if (m.kind == TUI_MOUSE_WHEEL_UP || m.kind == TUI_MOUSE_WHEEL_DOWN) {
        enum tui_action a = m.kind == TUI_MOUSE_WHEEL_UP ? TUI_ACT_UP : TUI_ACT_DOWN;
        for (int i = 0; i < WHEEL_ROWS && t->ops->action; i++)
            t->ops->action(app, t->state, a);
        return;
    }
    if (m.y < app->body.y || m.y >= app->body.y + app->body.h || !t->ops->click)
        return;
    double now = now_ms();
    bool is_double = now - app->last_click_ms < DOUBLE_CLICK_MS && m.y == app->last_click_y &&
                     m.x == app->last_click_x;
    /* A double press opens once: the next press starts afresh. */
    app->last_click_ms = is_double ? 0 : now;
    app->last_click_y = m.y;
    app->last_click_x = m.x;
    t->ops->click(app, t->state, m.y, m.x, is_double);
}

static void handle_key(struct tui_app *app, int key)
{
    if (key == TUI_KEY_RESIZE) {
        app->is_dirty = true;
        return;
    }
    if (key == TUI_KEY_MOUSE) {
        app->is_dirty = true;
        handle_mouse(app);
        return;
    }
    app->sticky_problem = 0;
    app->is_dirty = true;
    if (app->prompt != PROMPT_NONE) {
        prompt_key(app, key);
        return;
    }
    struct screen_entry *t = top(app);
    if (t->ops->raw_key && t->ops->raw_key(app, t->state, key))
        return;
    const struct tui_keymap *maps[2];
    size_t n = tui_app_keymaps(app, t->ops, maps, 2);
    enum tui_action a = TUI_ACT_NONE;
    for (size_t i = 0; i < n && a == TUI_ACT_NONE; i++)
        a = tui_keymap_lookup(maps[i], key);
    if (a == TUI_ACT_NONE)
        return;
    if (is_too_small() && a != TUI_ACT_QUIT && a != TUI_ACT_BACK && a != TUI_ACT_REDRAW)
        return; /* nothing is visible to act on */
    if (t->ops->action && t->ops->action(app, t->state, a))
        return;
    switch (a) {
    case TUI_ACT_QUIT:
        if (app->depth > 1)
            tui_app_pop(app);
        else
            request_quit(app);
        break;
    case TUI_ACT_BACK: tui_app_pop(app); break;
    case TUI_ACT_COMMAND: open_prompt(app, PROMPT_COMMAND); break;
    case TUI_ACT_FILTER:
        if (base(app)->ops->filter) {
            open_prompt(app, PROMPT_FILTER);
            if (base(app)->ops->filter_text)
                tui_line_set(&app->line, base(app)->ops->filter_text(base(app)->state));
        }
        break;
    case TUI_ACT_HELP:
        if (t->ops == &tui_screen_help)
            tui_app_pop(app);
        else
            tui_app_push(app, &tui_screen_help, NULL);
        break;
    case TUI_ACT_LOG: go_to(app, &tui_screen_log, NULL); break;
    case TUI_ACT_CHECKPOINTS: go_to(app, &tui_screen_checkpoints, NULL); break;
    case TUI_ACT_RUNS: go_to(app, &tui_screen_runs, NULL); break;
    case TUI_ACT_REDRAW: tui_term_invalidate(); break;
    case TUI_ACT_GUIDE: tui_app_set_guided(app, !app->is_guided); break;
    default: break;
    }
}

/* ---- events from workers ---- */

static void apply_event(struct tui_app *app, struct tui_event *ev)
{
    switch (ev->kind) {
    case TUI_EV_LOG: tui_app_log(app, (enum tui_log_level)ev->level, "%s", ev->text); break;
    case TUI_EV_LAKEHOUSE_OPENED:
        app->view.load_ms = ev->elapsed_ms;
        if (tui_view_set_tables(&app->view, &ev->tables) < 0) {
            tui_view_set_error(&app->view, "out of memory");
            tui_app_log(app, TUI_LOG_ERROR, "out of memory listing tables");
        } else {
            tui_app_log(app, TUI_LOG_INFO, "found %zu Delta table%s under %s/Tables",
                        app->view.count, app->view.count == 1 ? "" : "s", app->view.uri);
        }
        break;
    case TUI_EV_TABLE_FACTS:
        if (tui_view_set_facts(&app->view, ev->index, &ev->facts) < 0)
            break;
        if (ev->facts.error)
            tui_app_log(app, TUI_LOG_WARN, "table %s: %s", app->view.rows[ev->index].name,
                        app->view.rows[ev->index].error);
        break;
    case TUI_EV_CHECKPOINTS:
        if (ev->text)
            tui_view_set_checkpoints_error(&app->view, ev->text);
        else if (tui_view_set_checkpoints(&app->view, &ev->checkpoints) < 0)
            tui_view_set_checkpoints_error(&app->view, "out of memory");
        break;
    case TUI_EV_CP_HEALTH:
        if (ev->text)
            tui_app_log(app, TUI_LOG_WARN, "retention health not checked: %s", ev->text);
        if (tui_view_set_health(&app->view, &ev->checkpoints, ev->cp_warnings,
                                lr_clock_now_ms()) < 0)
            tui_app_log(app, TUI_LOG_ERROR, "out of memory applying retention health");
        break;
    case TUI_EV_FACTS_DONE:
        app->view.facts_done = true;
        app->view.facts_ms = ev->elapsed_ms;
        break;
    case TUI_EV_RUN_EVENT: {
        int level = TUI_LOG_INFO;
        if (ev->has_run_event && ev->run_event.kind == LR_EV_TABLE_STATE &&
            ev->run_event.u.table.state == LR_TABLE_FAILED)
            level = TUI_LOG_ERROR;
        tui_app_log(app, (enum tui_log_level)level, "%s", ev->text ? ev->text : "");
        for (int i = app->depth - 1; i >= 0; i--)
            if (app->stack[i].ops->run_event)
                app->stack[i].ops->run_event(app, app->stack[i].state, ev);
        break;
    }
    case TUI_EV_RUN_DONE:
        if (app->bench) {
            fprintf(app->bench, "run_done %s\n", ev->run ? lr_run_status_name(ev->run->status)
                                                          : "error");
            fflush(app->bench);
        }
        tui_runner_join_within(&app->runner, 0);
        if (app->quit_after_run)
            app->is_quitting = true;
        for (int i = app->depth - 1; i >= 0; i--)
            if (app->stack[i].ops->run_done)
                app->stack[i].ops->run_done(app, app->stack[i].state, ev);
        if (ev->text)
            tui_app_log(app, TUI_LOG_ERROR, "run: %s", ev->text);
        break;
    case TUI_EV_FETCHED:
        for (int i = app->depth - 1; i >= 0; i--)
            if (app->stack[i].ops->fetched)
                app->stack[i].ops->fetched(app, app->stack[i].state, ev);
        break;
    case TUI_EV_INTERRUPTED:
        if (ev->run_id)
            announce_interrupted(app, ev);
        break;
    case TUI_EV_LAKEHOUSE_FAILED:
        tui_view_set_error(&app->view, ev->text ? ev->text : "unknown error");
        tui_app_log(app, TUI_LOG_ERROR, "cannot open the lakehouse: %s",
                    ev->text ? ev->text : "unknown error");
        break;
    }
    for (int i = 0; i < app->depth; i++)
        if (app->stack[i].ops->view_changed)
            app->stack[i].ops->view_changed(app, app->stack[i].state);
    app->is_dirty = true;
}

/* ---- render ---- */

static void draw_header(struct tui_app *app, int w)
{
    tui_term_fill(0, 0, w, ROLE_HEADER);
    char left[1024];
    snprintf(left, sizeof left, " lakerewind %s %s lakehouse: %s", lr_version(),
             tui_term_glyph(GLYPH_SEP), app->view.uri);
    const char *mode = app->mode == TUI_BANNER_LIVE        ? "mode: LIVE "
                       : app->mode == TUI_BANNER_READ_ONLY ? "mode: read-only "
                                                           : "mode: dry run ";
    int mw = tui_text_width(mode);
    tui_term_text(0, 0, w - mw - 1, ROLE_HEADER, left);
    tui_term_text(0, w - mw, mw, ROLE_HEADER, mode);
}

static void draw_status(struct tui_app *app, int y, int w)
{
    if (app->prompt != PROMPT_NONE) {
        tui_prompt_draw(y, w, app->prompt == PROMPT_COMMAND ? ":" : "/", &app->line);
        return;
    }
    const struct tui_logline *l = NULL;
    if (app->sticky_problem)
        l = tui_log_get(&app->log, app->sticky_problem - 1);
    else if (app->log.count)
        l = tui_log_get(&app->log, app->log.count - 1);
    if (!l) {
        tui_term_text_pad(y, 0, w, ROLE_DIM, " ? help  : commands");
        return;
    }
    enum tui_role role = l->level == TUI_LOG_ERROR  ? ROLE_ERROR
                         : l->level == TUI_LOG_WARN ? ROLE_WARN
                                                    : ROLE_DIM;
    char buf[TUI_LOGLINE_MAX + 16];
    snprintf(buf, sizeof buf, " %s%s", l->level == TUI_LOG_ERROR  ? "error: "
                                       : l->level == TUI_LOG_WARN ? "warning: "
                                                                  : "",
             l->text);
    tui_term_text_pad(y, 0, w, role, buf);
}

static void draw_title(struct tui_app *app, struct screen_entry *e, int y, int w)
{
    char title[512];
    title[0] = '\0';
    if (e->ops->title)
        e->ops->title(app, e->state, title, sizeof title);
    char buf[600];
    snprintf(buf, sizeof buf, " %s ", title);
    int used = tui_term_text(y, 0, w, ROLE_TITLE, buf);
    tui_term_hline(y, used, w - used, ROLE_BORDER);
}

static void draw_too_small(struct tui_app *app, int w, int h)
{
    tui_banner_draw(0, w, app->mode);
    char msg[128];
    snprintf(msg, sizeof msg, "terminal too small (need %dx%d, have %dx%d)", TUI_MIN_WIDTH,
             TUI_MIN_HEIGHT, w, h);
    const char *hint = "enlarge the window, or press q to quit";
    int y = h / 2 - 1;
    int mw = tui_text_width(msg);
    int hw = tui_text_width(hint);
    tui_term_text(y, mw < w ? (w - mw) / 2 : 0, w, ROLE_WARN, msg);
    tui_term_text(y + 1, hw < w ? (w - hw) / 2 : 0, w, ROLE_NORMAL, hint);
    tui_term_cursor(y, mw < w ? (w - mw) / 2 : 0);
}

static void render(struct tui_app *app)
{
    int w;
    int h;
    tui_term_size(&w, &h);
    tui_term_erase();
    app->has_cursor = false;
    if (w < TUI_MIN_WIDTH || h < TUI_MIN_HEIGHT) {
        draw_too_small(app, w, h);
        tui_term_flush();
        return;
    }
    draw_header(app, w);
    tui_banner_draw(1, w, app->mode);
    struct screen_entry *b = base(app);
    struct screen_entry *t = top(app);
    /* The walkthrough's panel: beside the screen from 120 columns, under it below that. */
    struct tui_rect panel = {0, 0, 0, 0};
    struct tui_rect over = {0, 0, h, w};
    bool is_compact = w < TUI_GUIDE_SIDE_WIDTH;
    app->body = (struct tui_rect){3, 1, h - 5, w - 2};
    if (app->is_guided && !is_compact) {
        int pw = w / 3 < 40 ? 40 : w / 3 > 56 ? 56 : w / 3;
        panel = (struct tui_rect){2, w - pw, h - 4, pw};
        app->body.w = w - pw - 2;
        over.w = w - pw;
    } else if (app->is_guided) {
        int ph = h / 3 < 8 ? 8 : h / 3 > 12 ? 12 : h / 3;
        app->body.h -= ph;
        panel = (struct tui_rect){3 + app->body.h, 0, ph, w};
        over.h = h - ph >= TUI_GUIDE_DIALOG_ROWS ? h - ph : h;
    }
    draw_title(app, b, 2, app->is_guided && !is_compact ? panel.x : w);
    b->ops->draw(app, b->state, app->body);
    if (app->is_guided)
        tui_guide_draw(app, b->ops, b->state, t != b ? t->ops : NULL, panel, is_compact);
    if (t != b) {
        app->has_cursor = false;
        t->ops->draw(app, t->state, over);
    }
    const struct tui_keymap *maps[3];
    size_t n = tui_app_keymaps(app, t->ops, maps, 3);
    draw_status(app, h - 2, w);
    tui_footer_draw(h - 1, w, maps, n);
    if (app->prompt == PROMPT_NONE)
        tui_term_cursor(app->has_cursor ? app->cursor_y : 2, app->has_cursor ? app->cursor_x : 1);
    tui_term_flush();
    bench_frame(app);
    bench_keys(app);
}

/* ---- the loop ---- */

static void init_keymaps(void)
{
    tui_keymap_init(&global_top, "global", global_top_defaults,
                    sizeof global_top_defaults / sizeof global_top_defaults[0]);
    tui_keymap_init(&global_nested, "global", global_nested_defaults,
                    sizeof global_nested_defaults / sizeof global_nested_defaults[0]);
    tui_keymap_init(&guide_keys, "guide", guide_defaults,
                    sizeof guide_defaults / sizeof guide_defaults[0]);
    for (size_t i = 0; keyed_screens[i]; i++) {
        const struct tui_screen_ops *s = keyed_screens[i];
        if (s->keys)
            tui_keymap_init(s->keys, s->name, s->default_keys, s->default_key_count);
    }
    /* Rebinding (the config's ui.keys, then LAKEREWIND_KEYS) goes through tui_app_bind_key()
     * in apply_key_overrides(). */
}

/* The configuration's ui.keys first, then LAKEREWIND_KEYS="action=KEY,..." on top. */
static void apply_key_overrides(struct tui_app *app)
{
    const struct lr_settings *cfg = app->g ? app->g->settings : NULL;
    for (size_t i = 0; cfg && i < cfg->ui.keys.count; i++) {
        struct lr_error kerr;
        lr_error_clear(&kerr);
        if (tui_app_bind_key(app, cfg->ui.keys.items[i].key, cfg->ui.keys.items[i].value,
                             &kerr) < 0)
            tui_app_log(app, TUI_LOG_ERROR, "ui.keys: %s", kerr.message);
    }
    const char *spec = getenv("LAKEREWIND_KEYS");
    if (!spec || !*spec)
        return;
    char *copy = lr_strdup(spec);
    if (!copy)
        return;
    char *save = copy;
    while (save && *save) {
        char *item = save;
        char *comma = strchr(item, ',');
        save = comma ? comma + 1 : NULL;
        if (comma)
            *comma = '\0';
        char *eq = strchr(item, '=');
        if (!eq || eq == item || !eq[1]) {
            tui_app_log(app, TUI_LOG_ERROR, "LAKEREWIND_KEYS: '%s' should read action=KEY", item);
            continue;
        }
        *eq = '\0';
        struct lr_error err;
        lr_error_clear(&err);
        if (tui_app_bind_key(app, item, eq + 1, &err) < 0)
            tui_app_log(app, TUI_LOG_ERROR, "LAKEREWIND_KEYS: %s", err.message);
    }
    free(copy);
}

static void loop(struct tui_app *app)
{
    struct pollfd fds[2] = {
        {.fd = tui_term_input_fd(), .events = POLLIN},
        {.fd = app->events.fds[0], .events = POLLIN},
    };
    while (!app->is_quitting) {
        if (app->is_dirty) {
            app->is_dirty = false;
            render(app);
        }
        int r = poll(fds, 2, -1);
        if (r < 0 && errno != EINTR)
            break;
        double ready_ms = app->bench && r > 0 && (fds[0].revents & POLLIN) ? now_ms() : 0;
        if (r > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
            break; /* the terminal went away */
        if (r > 0 && (fds[1].revents & POLLIN)) {
            struct tui_event *ev = tui_events_take(&app->events);
            while (ev) {
                struct tui_event *next = ev->next;
                apply_event(app, ev);
                tui_event_free(ev);
                ev = next;
            }
        }
        int sig = tui_events_take_signal();
        if (sig) {
            /* Ctrl-C, a kill or a hang-up: leave through the normal exit path so the terminal
             * is restored; a restore that is writing is waited for at exit. */
            tui_app_log(app, TUI_LOG_INFO, "signal %d: quitting", sig);
            app->is_quitting = true;
            break;
        }
        /* Keys, and KEY_RESIZE after SIGWINCH (the handler wrote to the wake pipe). */
        for (int key = tui_term_read_key(); key >= 0 && !app->is_quitting;
             key = tui_term_read_key()) {
            if (app->bench && key != TUI_KEY_RESIZE) {
                if (!app->keys_pending)
                    app->key_ready_ms = ready_ms > 0 ? ready_ms : now_ms();
                app->keys_pending++;
            }
            handle_key(app, key);
        }
    }
}

static bool env_is_set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

int tui_app_run(const struct tui_global *g)
{
    static struct tui_app app_storage; /* large (the log ring); one console per process */
    struct tui_app *app = &app_storage;
    memset(app, 0, sizeof *app);
    app->started_ms = now_ms();
    app->g = g;
    const char *bench = getenv("LAKEREWIND_BENCH_FILE");
    if (bench && *bench)
        app->bench = fopen(bench, "w");
    app->mode = g->read_only           ? TUI_BANNER_READ_ONLY
                : g->live && !g->guided ? TUI_BANNER_LIVE
                                        : TUI_BANNER_DRY_RUN;
    app->is_guided = g->guided;
    const char *uri = g->lakehouse && *g->lakehouse ? g->lakehouse : ".";
    app->uri = uri;
    app->view.uri = tui_sanitize_str(uri, false);
    app->view.state = TUI_LOAD_PENDING;
    int rc = TUI_EXIT_OK;
    struct lr_error err;
    lr_error_clear(&err);
    char problem[LR_ERROR_MAX + 64];
    bool has_events = false;
    bool has_term = false;

    /* Theme: LAKEREWIND_THEME, else the configuration's ui.theme, else the default. */
    const struct lr_settings *cfg = g->settings;
    const char *theme = getenv("LAKEREWIND_THEME");
    if ((!theme || !*theme) && cfg)
        theme = cfg->ui.theme;
    if (tui_theme_select(&app->theme, theme, problem, sizeof problem) < 0)
        tui_app_log(app, TUI_LOG_ERROR, "%s", problem);
    init_keymaps();
    apply_key_overrides(app);

    if (tui_events_init(&app->events, &err) < 0)
        goto fail;
    has_events = true;
    struct tui_term_options topt = {
        .theme = &app->theme,
        .no_color = env_is_set("NO_COLOR"),
        .ascii = env_is_set("LAKEREWIND_ASCII") || (cfg && cfg->ui.ascii),
        .mouse = cfg && cfg->ui.mouse,
    };
    if (tui_term_init(&topt, app->events.fds[1], &err) < 0)
        goto fail;
    has_term = true;
    tui_events_catch_signals(&app->events);
    if (tui_loader_start(&app->loader, uri, g->settings ? &g->settings->profile : NULL,
                         &app->events, &err) < 0)
        goto fail;
    if (tui_fetcher_init(&app->fetcher, g, uri, &app->events, &err) < 0)
        goto fail;
    if (tui_app_push(app, &tui_screen_overview, NULL) < 0) {
        lr_error_set(&err, LR_ENOMEM, "cannot open the overview screen");
        goto fail;
    }
    app->is_dirty = true;
    loop(app);
    goto done;
fail:
    rc = TUI_EXIT_ERROR;
done:;
    /* Quitting must stay instant even while a slow store is still being listed, yet a thread
     * still running when main() returns races the exit handlers (under LeakSanitizer the
     * process can hang for ever in its stop-the-world at exit). So: ask the worker to stop,
     * wait a bounded moment for it (it stops between tables, so locally it always makes it)
     * and join it; if it is still inside a store request, restore the terminal, flush and
     * leave with _exit below, which runs no exit handlers at all. */
    tui_loader_cancel(&app->loader);
    bool is_loader_busy = !tui_loader_join_within(&app->loader, LOADER_QUIT_WAIT_MS);
    /* A restore that is writing is waited for (a signal must not leave it half done); a dry
     * run is only waited for a moment. */
    int run_wait = tui_runner_is_writing(&app->runner) ? 600000 : LOADER_QUIT_WAIT_MS;
    is_loader_busy = !tui_runner_join_within(&app->runner, run_wait) || is_loader_busy;
    is_loader_busy = !tui_fetcher_stop(&app->fetcher, LOADER_QUIT_WAIT_MS) || is_loader_busy;
    while (app->depth > 0) {
        struct screen_entry *e = &app->stack[--app->depth];
        if (e->ops->close)
            e->ops->close(e->state);
    }
    if (has_term)
        tui_term_end();
    if (rc != TUI_EXIT_OK)
        fprintf(stderr, "lakerewind: %s\n", err.message);
    if (has_events && !is_loader_busy)
        tui_events_destroy(&app->events);
    tui_view_free(&app->view);
    if (app->bench)
        fclose(app->bench);
    if (is_loader_busy) {
        LR_INFO("quitting with the lakehouse loader still inside a store request: fast exit");
        lr_log_close();
        fflush(NULL);
        _exit(rc);
    }
    return rc;
}

/* app.h - the console application: one event loop (keys, worker events, resize), a stack of
 * screens, dirty flags and a single render pass.
 *
 * Design note.
 *   keys / events ──► handlers change state and call tui_app_dirty()
 *                        │
 *   loop: render if dirty ◄┘ ─► poll(stdin, wake pipe) ─► read keys, take events ─► …
 * Invariants:
 *   (1) only the UI thread touches the app, the view and the terminal; workers post events;
 *   (2) nothing is drawn outside tui_app_render(), which paints the whole frame;
 *   (3) every lake string reaches the screen through sanitize.h (model.c does it on arrival);
 *   (4) the mode banner is on every frame, including overlays and the too-small message;
 *   (5) no key writes anything by itself: restore/undo open a typed confirmation. */
#ifndef TUI_APP_H
#define TUI_APP_H

#include <stdarg.h>
#include <stdbool.h>

#include "cli/cli.h"
#include "events.h"
#include "fetcher.h"
#include "keys.h"
#include "loader.h"
#include "runner.h"
#include "model.h"
#include "theme_parse.h"
#include "widgets/widgets.h"

#define TUI_MIN_WIDTH 80
#define TUI_MIN_HEIGHT 24
#define TUI_STACK_MAX 8
#define TUI_GUIDE_SIDE_WIDTH 120 /* from this width the walkthrough's panel is beside the screen */
#define TUI_GUIDE_DIALOG_ROWS 17 /* a dialog needs this many rows above the panel */

struct tui_app;

/* One screen. Each lives in tui/screens/<name>.c as a `const struct tui_screen_ops`. */
struct tui_screen_ops {
    const char *name;          /* "overview": also its `:` command */
    const char *alias;         /* a second `:` name ("tables"), or NULL */
    const char *summary;       /* one line for the help overlay */
    bool is_overlay;           /* drawn over the screen below it (help) */
    bool is_modal;             /* only its own keys work (global keys are not shown/used) */
    struct tui_keymap *keys;   /* this screen's keys (rebindable; initialised from defaults) */
    const struct tui_key_binding *default_keys;
    size_t default_key_count;
    /* Create the screen's state (`arg` from the command line, may be NULL). 0 or LR_E*. */
    int (*open)(struct tui_app *app, void **state, const char *arg);
    void (*close)(void *state);
    /* Optional: every key first (text entry); return true when consumed. */
    bool (*raw_key)(struct tui_app *app, void *state, int key);
    /* An action from the key tables (screen first, then global). Return true when handled;
     * unhandled actions fall back to the app (back, quit, help, command, ...). */
    bool (*action)(struct tui_app *app, void *state, enum tui_action a);
    /* Paint the body rectangle. Call tui_app_cursor() for the selected row. */
    void (*draw)(struct tui_app *app, void *state, struct tui_rect body);
    /* The title line's text (sanitised) into buf. */
    void (*title)(struct tui_app *app, void *state, char *buf, size_t cap);
    /* Optional: the `/` filter text changed (live, on every key); "" clears it. */
    void (*filter)(struct tui_app *app, void *state, const char *text);
    /* Optional: the filter in effect (to pre-fill the `/` prompt). */
    const char *(*filter_text)(void *state);
    /* Optional: the lakehouse view changed (tables arrived). */
    void (*view_changed)(struct tui_app *app, void *state);
    /* Optional: a workflow run ended (TUI_EV_RUN_DONE; ev->index is its token). A screen that
     * keeps ev->run sets it to NULL. Called from the top of the stack down. */
    void (*run_done)(struct tui_app *app, void *state, struct tui_event *ev);
    /* Optional: one workflow event of a run in flight (TUI_EV_RUN_EVENT; ev->run_event). */
    void (*run_event)(struct tui_app *app, void *state, const struct tui_event *ev);
    /* Optional: a fetch answered (TUI_EV_FETCHED; ev->index is the token from
     * tui_app_fetch_*). A screen that keeps ev->fetched sets it to NULL. */
    void (*fetched)(struct tui_app *app, void *state, struct tui_event *ev);
    /* Optional: select the row named `name` (a `:NAME` jump); false when there is none. */
    bool (*select)(struct tui_app *app, void *state, const char *name);
    /* Optional: a mouse click on the body at screen row `y` (`is_double`: the second click
     * of a double click). Return true when handled. */
    bool (*click)(struct tui_app *app, void *state, int y, int x, bool is_double);
    /* Optional: what the guided walkthrough's panel says on this screen (raw text: the panel
     * sanitises it; '\n' breaks a line). `is_compact` asks for the short form (the panel under
     * the screen on a small terminal). Screens without it get guide.c's text for them. */
    void (*guide)(struct tui_app *app, void *state, bool is_compact, char *buf, size_t cap);
    /* Optional: false when action `a` of this screen's own keys does nothing in its current
     * state (a dry run's result has nothing to undo): the footer, the help and key dispatch
     * leave it out, so the footer only shows keys that work. */
    bool (*key_works)(void *state, enum tui_action a);
};

/* The screens the app knows (for `:` commands and help); NULL-terminated. */
extern const struct tui_screen_ops *const tui_screens[];
extern const struct tui_screen_ops tui_screen_overview;
extern const struct tui_screen_ops tui_screen_checkpoints;
extern const struct tui_screen_ops tui_screen_impact;
extern const struct tui_screen_ops tui_screen_result;
extern const struct tui_screen_ops tui_screen_progress;
/* Show a finished run (screens/result.c); takes ownership of `run` (freed on failure too). */
int tui_result_open(struct tui_app *app, struct lr_run_result *run);
extern const struct tui_screen_ops tui_screen_help;
extern const struct tui_screen_ops tui_screen_log;
extern const struct tui_screen_ops tui_screen_confirm;
extern const struct tui_screen_ops tui_screen_runs;
extern const struct tui_screen_ops tui_screen_run;
extern const struct tui_screen_ops tui_screen_history;

/* A typed confirmation (screens/confirm.c): a dialog stating what will happen, which accepts
 * only the exact phrase; a wrong phrase is refused with the reason, Esc cancels. */
struct tui_confirm_request {
    const char *title;  /* "Switch to LIVE mode" */
    const char *body;   /* sanitised: exactly what will happen */
    const char *phrase; /* what the operator must type */
    void (*on_confirm)(struct tui_app *app, void *payload);
    void *payload;
    /* Optional: judge what was typed instead of an exact match (the workflow's checker, so a
     * refusal says what is wrong); true accepts, false writes the reason into `why`. */
    bool (*check)(void *payload, const char *typed, char *why, size_t cap);
    int width; /* the dialog's width; 0: 72 (narrowed to fit the terminal) */
};
/* Open the dialog (strings are copied). 0 or LR_ENOMEM. */
int tui_confirm_open(struct tui_app *app, const struct tui_confirm_request *req);

extern const struct tui_screen_ops tui_screen_choice;
/* Resume or undo an interrupted run (screens/recover.c); arg "resume:RUN_ID" or "undo:RUN_ID". */
extern const struct tui_screen_ops tui_screen_recover;

#define TUI_CHOICE_MAX 9

/* A choice among up to nine options (screens/choice.c); strings are copied. Esc cancels
 * without calling on_choose. 0, LR_ELIMIT (too many options) or LR_ENOMEM. */
struct tui_choice_request {
    const char *title;
    const char *body;           /* sanitised; may be NULL */
    const char *const *options; /* sanitised labels */
    size_t count;
    size_t selected;            /* the option highlighted first */
    void (*on_choose)(struct tui_app *app, size_t index, void *payload);
    void *payload;
};
int tui_choice_open(struct tui_app *app, const struct tui_choice_request *req);

/* Run the console until the operator quits. Returns a TUI_EXIT_* code. */
int tui_app_run(const struct tui_global *g);

/* For screens. */
void tui_app_dirty(struct tui_app *app);
void tui_app_log(struct tui_app *app, enum tui_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Push a screen; on failure the error is logged and the stack is unchanged. */
int tui_app_push(struct tui_app *app, const struct tui_screen_ops *ops, const char *arg);
void tui_app_pop(struct tui_app *app);
/* Leave the hardware cursor at (y, x) on this frame (the selected row). */
void tui_app_cursor(struct tui_app *app, int y, int x);
/* A scrolling table in `r`: sizes the visible rows, keeps the selection in view, draws the
 * table and puts the terminal cursor on the selected row. Returns the visible row count (what
 * page up/down move by). */
int tui_app_table(struct tui_app *app, struct tui_rect r, const struct tui_column *cols,
                  size_t ncols, struct tui_table_state *st, tui_cell_fn cell, void *payload);
const struct tui_lakehouse_view *tui_app_view(const struct tui_app *app);
const struct tui_logring *tui_app_log_ring(const struct tui_app *app);
/* The key tables in effect under the top screen: [screen, global]. For help and footer. */
size_t tui_app_keymaps(const struct tui_app *app, const struct tui_screen_ops *screen,
                       const struct tui_keymap **out, size_t cap);
/* Whether action `a` is available: in read-only mode no write action (restore, undo) is. */
bool tui_app_allows(const struct tui_app *app, enum tui_action a);
/* The top screen. */
const struct tui_screen_ops *tui_app_top(const struct tui_app *app);
/* The screen below the top one (for overlays), or NULL. */
const struct tui_screen_ops *tui_app_screen_below(const struct tui_app *app);
/* The mode banner's mode, and switching it (the caller has confirmed a switch to live). */
enum tui_banner_mode tui_app_mode(const struct tui_app *app);
void tui_app_set_mode(struct tui_app *app, enum tui_banner_mode mode);
/* Apply one ui.keys binding (action name -> key spelling) to every key table that has the
 * action; refused (LR_EINVAL naming both) when the key already does something else there. */
int tui_app_bind_key(struct tui_app *app, const char *action, const char *key,
                     struct lr_error *err);
/* Start the rollback workflow on the worker (a dry run unless `execute`; everything copied);
 * its end reaches the screens' run_done with *token. One run at a time: a second is refused
 * and logged. 0 or LR_E*. */
int tui_app_start_run(struct tui_app *app, const char *checkpoint, const char *const *tables,
                      size_t table_count, bool execute, const char *confirm, unsigned *token);
/* A dry run through every step (core's rehearse): the progress and result of a restore, with
 * the phrase checked, and nothing written. Same rules as tui_app_start_run. */
int tui_app_start_rehearsal(struct tui_app *app, const char *checkpoint,
                            const char *const *tables, size_t table_count, const char *confirm,
                            unsigned *token);
/* The same for undoing run `run_id` (core's lr_undo_run). */
int tui_app_start_undo(struct tui_app *app, const char *run_id, bool execute,
                       const char *confirm, unsigned *token);
/* An undo rehearsed through every step (core's lr_undo_request.rehearse): the progress and
 * result of an undo, with the phrase checked, and nothing written. */
int tui_app_start_undo_rehearsal(struct tui_app *app, const char *run_id, const char *confirm,
                                 unsigned *token);
/* The same for resuming interrupted run `run_id` (core's lr_resume_run). */
int tui_app_start_resume(struct tui_app *app, const char *run_id, bool execute,
                         const char *confirm, unsigned *token);
bool tui_app_run_is_busy(const struct tui_app *app);
/* Ask the fetch worker (fetcher.h) for the runs and audit log, or a page of a table's history
 * (`table` raw); the answer reaches the screens' fetched hook with *token. 0 or LR_E*
 * (logged). */
int tui_app_fetch_runs(struct tui_app *app, unsigned *token);
int tui_app_fetch_history(struct tui_app *app, const char *table, int64_t before, size_t limit,
                          unsigned *token);
/* Quit, or while a restore is writing, ask whether to quit once it has finished. */
void tui_app_request_quit(struct tui_app *app);
/* The guided walkthrough (guide.c): its panel is open on every screen while it is on, and it
 * keeps the console in dry-run mode. */
bool tui_app_is_guided(const struct tui_app *app);
void tui_app_set_guided(struct tui_app *app, bool is_guided);
/* The panel of the guided walkthrough for the screen `ops` (state: its state) in `r`. */
void tui_guide_draw(struct tui_app *app, const struct tui_screen_ops *ops, void *state,
                    const struct tui_screen_ops *top_ops, struct tui_rect r, bool is_compact);
/* Rows of the current body (for page up/down). */
int tui_app_body_rows(const struct tui_app *app);

#endif

/* event.c - the emitter (serialised, stamped delivery), event names, JSON-lines and plain-text
 * rendering, deep copies. Owns nothing beyond the emitter's lock; see event.h for the contract. */
#include "lakerewind/event.h"
#include "lakerewind/timefmt.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/str.h"

int64_t lr_event_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t lr_event_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *lr_event_format_time(int64_t ms, char *out, size_t cap)
{
    return lr_time_format_iso_ms(ms, out, cap);
}

void lr_emitter_init(struct lr_emitter *em, const struct lr_event_sink *sink, const char *run_id)
{
    memset(em, 0, sizeof *em);
    pthread_mutex_init(&em->lock, NULL);
    if (sink)
        em->sink = *sink;
    lr_emitter_set_run_id(em, run_id);
}

void lr_emitter_set_run_id(struct lr_emitter *em, const char *run_id)
{
    pthread_mutex_lock(&em->lock);
    snprintf(em->run_id, sizeof em->run_id, "%s", run_id ? run_id : "");
    pthread_mutex_unlock(&em->lock);
}

void lr_emitter_destroy(struct lr_emitter *em)
{
    pthread_mutex_destroy(&em->lock);
}

void lr_emit(struct lr_emitter *em, const struct lr_event *ev)
{
    if (!em)
        return;
    struct lr_event copy = *ev;
    pthread_mutex_lock(&em->lock);
    copy.seq = ++em->seq;
    copy.time_ms = lr_event_now_ms();
    copy.run_id = em->run_id[0] ? em->run_id : NULL;
    if (em->sink.fn)
        em->sink.fn(&copy, em->sink.payload);
    pthread_mutex_unlock(&em->lock);
}

void lr_emit_step_started(struct lr_emitter *em, enum lr_step step, const char *detail)
{
    struct lr_event ev = {.kind = LR_EV_STEP_STARTED};
    ev.u.step.step = step;
    ev.u.step.detail = detail;
    lr_emit(em, &ev);
}

void lr_emit_step_finished(struct lr_emitter *em, enum lr_step step,
                           enum lr_step_outcome outcome, int64_t elapsed_ms, const char *detail)
{
    struct lr_event ev = {.kind = LR_EV_STEP_FINISHED};
    ev.u.step.step = step;
    ev.u.step.outcome = outcome;
    ev.u.step.elapsed_ms = elapsed_ms;
    ev.u.step.detail = detail;
    lr_emit(em, &ev);
}

void lr_emit_table(struct lr_emitter *em, const char *table, enum lr_table_state state,
                   int64_t elapsed_ms, int64_t version_written, const char *error)
{
    struct lr_event ev = {.kind = LR_EV_TABLE_STATE};
    ev.u.table.table = table;
    ev.u.table.state = state;
    ev.u.table.elapsed_ms = elapsed_ms;
    ev.u.table.version_written = version_written;
    ev.u.table.error = error;
    lr_emit(em, &ev);
}

void lr_emit_table_rehearsed(struct lr_emitter *em, const char *table,
                             enum lr_table_state state, int64_t elapsed_ms, int64_t version,
                             const char *error)
{
    struct lr_event ev = {.kind = LR_EV_TABLE_STATE};
    ev.u.table.table = table;
    ev.u.table.state = state;
    ev.u.table.elapsed_ms = elapsed_ms;
    ev.u.table.version_written = -1;
    ev.u.table.version_rehearsed = version;
    ev.u.table.error = error;
    lr_emit(em, &ev);
}

void lr_emit_log(struct lr_emitter *em, enum lr_log_level level, const char *table,
                 const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    lr_redact(text, sizeof text);
    struct lr_event ev = {.kind = LR_EV_LOG};
    ev.u.log.level = level;
    ev.u.log.table = table;
    ev.u.log.text = text;
    lr_emit(em, &ev);
}

#define NAME_OF(arr, i) ((size_t)(i) < sizeof(arr) / sizeof(arr[0]) && arr[i] ? arr[i] : "unknown")

const char *lr_event_kind_name(enum lr_event_kind k)
{
    static const char *n[] = {NULL, "run_started", "step_started", "step_finished", "table_state",
                              "log", "progress", "run_finished"};
    return NAME_OF(n, k);
}

const char *lr_step_name(enum lr_step s)
{
    static const char *n[] = {NULL,
                              "validate_checkpoint",
                              "impact_analysis",
                              "dry_run",
                              "confirmation",
                              "pre_rollback_snapshot",
                              "restore",
                              "post_validation",
                              "report",
                              "undo"};
    return NAME_OF(n, s);
}

const char *lr_step_title(enum lr_step s)
{
    static const char *n[] = {NULL,
                              "Validate the checkpoint",
                              "Impact analysis",
                              "Dry run",
                              "Typed confirmation",
                              "Pre-rollback snapshot",
                              "Restore",
                              "Post-validation",
                              "Post-rollback checkpoint and report",
                              "Undo"};
    return NAME_OF(n, s);
}

const char *lr_step_outcome_name(enum lr_step_outcome o)
{
    static const char *n[] = {"ok", "warning", "failed", "skipped"};
    return NAME_OF(n, o);
}

const char *lr_table_state_name(enum lr_table_state s)
{
    static const char *n[] = {"queued",  "snapshotting", "restoring", "validating",
                              "done",    "failed",       "skipped"};
    return NAME_OF(n, s);
}

const char *lr_run_status_name(enum lr_run_status s)
{
    static const char *n[] = {"succeeded", "partial", "failed", "dry-run", "refused",
                              "interrupted"};
    return NAME_OF(n, s);
}

const char *lr_run_kind_name(enum lr_run_kind k)
{
    static const char *n[] = {"rollback", "undo", "resume"};
    return NAME_OF(n, k);
}

const char *lr_log_level_name(enum lr_log_level l)
{
    static const char *n[] = {"error", "warn", "info", "debug"};
    return NAME_OF(n, l);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *event_json(const struct lr_event *ev)
{
    char when[40];
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "seq", json_integer((json_int_t)ev->seq));
    json_object_set_new(o, "time", json_string(lr_event_format_time(ev->time_ms, when,
                                                                      sizeof when)));
    json_object_set_new(o, "run_id", str_or_null(ev->run_id));
    json_object_set_new(o, "event", json_string(lr_event_kind_name(ev->kind)));
    switch (ev->kind) {
    case LR_EV_RUN_STARTED: {
        const struct lr_ev_run_started *r = &ev->u.run_started;
        json_object_set_new(o, "kind", json_string(lr_run_kind_name(r->kind)));
        json_object_set_new(o, "checkpoint", str_or_null(r->checkpoint));
        json_object_set_new(o, "operator", str_or_null(r->operator_name));
        json_object_set_new(o, "dry_run", json_boolean(r->is_dry_run));
        if (r->is_rehearsal)
            json_object_set_new(o, "rehearsal", json_true());
        json_object_set_new(o, "tables", json_integer((json_int_t)r->table_count));
        break;
    }
    case LR_EV_STEP_STARTED:
    case LR_EV_STEP_FINISHED: {
        const struct lr_ev_step *s = &ev->u.step;
        json_object_set_new(o, "step", json_string(lr_step_name(s->step)));
        json_object_set_new(o, "number", json_integer((json_int_t)s->step));
        if (ev->kind == LR_EV_STEP_FINISHED) {
            json_object_set_new(o, "outcome", json_string(lr_step_outcome_name(s->outcome)));
            json_object_set_new(o, "elapsed_ms", json_integer(s->elapsed_ms));
        }
        json_object_set_new(o, "detail", str_or_null(s->detail));
        break;
    }
    case LR_EV_TABLE_STATE: {
        const struct lr_ev_table *t = &ev->u.table;
        json_object_set_new(o, "table", str_or_null(t->table));
        json_object_set_new(o, "state", json_string(lr_table_state_name(t->state)));
        json_object_set_new(o, "elapsed_ms", json_integer(t->elapsed_ms));
        json_object_set_new(o, "version_written", t->version_written >= 0
                                                      ? json_integer(t->version_written)
                                                      : json_null());
        json_object_set_new(o, "error", str_or_null(t->error));
        if (t->version_rehearsed > 0)
            json_object_set_new(o, "would_write_version", json_integer(t->version_rehearsed));
        break;
    }
    case LR_EV_LOG:
        json_object_set_new(o, "level", json_string(lr_log_level_name(ev->u.log.level)));
        json_object_set_new(o, "table", str_or_null(ev->u.log.table));
        json_object_set_new(o, "text", str_or_null(ev->u.log.text));
        break;
    case LR_EV_PROGRESS: {
        const struct lr_ev_progress *p = &ev->u.progress;
        json_object_set_new(o, "tables_total", json_integer((json_int_t)p->tables_total));
        json_object_set_new(o, "tables_done", json_integer((json_int_t)p->tables_done));
        json_object_set_new(o, "tables_failed", json_integer((json_int_t)p->tables_failed));
        json_object_set_new(o, "tables_skipped", json_integer((json_int_t)p->tables_skipped));
        json_object_set_new(o, "bytes_done", json_integer((json_int_t)p->bytes_done));
        break;
    }
    case LR_EV_RUN_FINISHED:
        json_object_set_new(o, "status",
                            json_string(lr_run_status_name(ev->u.run_finished.status)));
        json_object_set_new(o, "elapsed_ms", json_integer(ev->u.run_finished.elapsed_ms));
        json_object_set_new(o, "summary", str_or_null(ev->u.run_finished.summary));
        break;
    }
    return o;
}

char *lr_event_to_json(const struct lr_event *ev)
{
    json_t *o = event_json(ev);
    if (!o)
        return NULL;
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

char *lr_event_format_text(const struct lr_event *ev, char *out, size_t cap)
{
    char when[40];
    lr_event_format_time(ev->time_ms, when, sizeof when);
    when[19] = 'Z'; /* seconds are enough for a human line */
    when[20] = '\0';
    switch (ev->kind) {
    case LR_EV_RUN_STARTED: {
        const struct lr_ev_run_started *r = &ev->u.run_started;
        snprintf(out, cap, "%s run %s started: %s%s %s, %zu table%s, operator %s", when,
                 ev->run_id ? ev->run_id : "-", lr_run_kind_name(r->kind),
                 r->is_rehearsal ? " (dry run through every step)"
                 : r->is_dry_run ? " (dry run)"
                                 : "", r->checkpoint ? r->checkpoint : "-",
                 r->table_count, r->table_count == 1 ? "" : "s",
                 r->operator_name ? r->operator_name : "-");
        break;
    }
    case LR_EV_STEP_STARTED:
        snprintf(out, cap, "%s step %d/%d %s%s%s", when, (int)ev->u.step.step, LR_STEP_COUNT,
                 lr_step_title(ev->u.step.step), ev->u.step.detail ? ": " : "",
                 ev->u.step.detail ? ev->u.step.detail : "");
        break;
    case LR_EV_STEP_FINISHED:
        snprintf(out, cap, "%s step %d/%d %s: %s (%lld ms)%s%s", when, (int)ev->u.step.step,
                 LR_STEP_COUNT, lr_step_title(ev->u.step.step),
                 lr_step_outcome_name(ev->u.step.outcome), (long long)ev->u.step.elapsed_ms,
                 ev->u.step.detail ? " " : "", ev->u.step.detail ? ev->u.step.detail : "");
        break;
    case LR_EV_TABLE_STATE: {
        const struct lr_ev_table *t = &ev->u.table;
        char ver[48] = "";
        if (t->version_written >= 0)
            snprintf(ver, sizeof ver, ", v%lld", (long long)t->version_written);
        else if (t->version_rehearsed > 0)
            snprintf(ver, sizeof ver, ", would write v%lld", (long long)t->version_rehearsed);
        snprintf(out, cap, "%s %s: %s (%lld ms%s)%s%s", when, t->table ? t->table : "-",
                 lr_table_state_name(t->state), (long long)t->elapsed_ms, ver,
                 t->error ? ": " : "", t->error ? t->error : "");
        break;
    }
    case LR_EV_LOG:
        snprintf(out, cap, "%s %s %s%s%s", when, lr_log_level_name(ev->u.log.level),
                 ev->u.log.table ? ev->u.log.table : "", ev->u.log.table ? ": " : "",
                 ev->u.log.text ? ev->u.log.text : "");
        break;
    case LR_EV_PROGRESS:
        snprintf(out, cap, "%s progress %zu/%zu tables (%zu failed, %zu skipped)", when,
                 ev->u.progress.tables_done, ev->u.progress.tables_total,
                 ev->u.progress.tables_failed, ev->u.progress.tables_skipped);
        break;
    case LR_EV_RUN_FINISHED:
        snprintf(out, cap, "%s run %s finished: %s (%lld ms)%s%s", when,
                 ev->run_id ? ev->run_id : "-", lr_run_status_name(ev->u.run_finished.status),
                 (long long)ev->u.run_finished.elapsed_ms, ev->u.run_finished.summary ? ": " : "",
                 ev->u.run_finished.summary ? ev->u.run_finished.summary : "");
        break;
    default:
        snprintf(out, cap, "%s event %d", when, (int)ev->kind);
    }
    return out;
}

/* Every borrowed string slot of an event, so copy and free stay in step. */
#define MAX_SLOTS 4
static size_t string_slots(struct lr_event *ev, const char **slots[MAX_SLOTS])
{
    size_t count = 0;
    size_t *n = &count;
    switch (ev->kind) {
    case LR_EV_RUN_STARTED:
        slots[(*n)++] = &ev->u.run_started.checkpoint;
        slots[(*n)++] = &ev->u.run_started.operator_name;
        break;
    case LR_EV_STEP_STARTED:
    case LR_EV_STEP_FINISHED:
        slots[(*n)++] = &ev->u.step.detail;
        break;
    case LR_EV_TABLE_STATE:
        slots[(*n)++] = &ev->u.table.table;
        slots[(*n)++] = &ev->u.table.error;
        break;
    case LR_EV_LOG:
        slots[(*n)++] = &ev->u.log.table;
        slots[(*n)++] = &ev->u.log.text;
        break;
    case LR_EV_RUN_FINISHED:
        slots[(*n)++] = &ev->u.run_finished.summary;
        break;
    default:
        break;
    }
    slots[(*n)++] = &ev->run_id;
    return count;
}

int lr_event_copy(struct lr_event *out, const struct lr_event *ev)
{
    *out = *ev;
    const char **slots[MAX_SLOTS];
    size_t n = string_slots(out, slots);
    for (size_t i = 0; i < n; i++) {
        if (*slots[i]) {
            char *c = lr_strdup(*slots[i]);
            if (!c) {
                for (size_t j = 0; j < i; j++) {
                    free((char *)*slots[j]);
                    *slots[j] = NULL;
                }
                for (size_t j = i; j < n; j++)
                    *slots[j] = NULL;
                return LR_ENOMEM;
            }
            *slots[i] = c;
        }
    }
    return 0;
}

void lr_event_copy_free(struct lr_event *ev)
{
    const char **slots[MAX_SLOTS];
    size_t n = string_slots(ev, slots);
    for (size_t i = 0; i < n; i++) {
        free((char *)*slots[i]);
        *slots[i] = NULL;
    }
}

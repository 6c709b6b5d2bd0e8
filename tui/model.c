/* model.c - building the display rows from core/ results (sanitising every lake string). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/checkpoint_health.h"
#include "lakerewind/error.h"
#include "lakerewind/str.h"
#include "sanitize.h"

void tui_table_facts_free(struct tui_table_facts *f)
{
    free(f->last_operation);
    free(f->error);
    free(f->retention_note);
    f->last_operation = NULL;
    f->error = NULL;
    f->retention_note = NULL;
}

static void free_rows(struct tui_lakehouse_view *v)
{
    for (size_t i = 0; i < v->count; i++) {
        free(v->rows[i].name);
        free(v->rows[i].key);
        free(v->rows[i].path);
        free(v->rows[i].last_operation);
        free(v->rows[i].error);
        free(v->rows[i].retention_note);
    }
    free(v->rows);
    v->rows = NULL;
    v->count = 0;
}

int tui_view_set_tables(struct tui_lakehouse_view *v, const struct lr_table_list *list)
{
    free_rows(v);
    if (list->count == 0) {
        v->state = TUI_LOAD_DONE;
        return 0;
    }
    v->rows = calloc(list->count, sizeof *v->rows);
    if (!v->rows)
        return LR_ENOMEM;
    for (size_t i = 0; i < list->count; i++) {
        struct tui_table_row *r = &v->rows[v->count];
        r->name = tui_sanitize_str(list->items[i].name, false);
        r->path = tui_sanitize_str(list->items[i].prefix, false);
        r->key = lr_strdup(list->items[i].name);
        v->count++;
        if (!r->name || !r->path || !r->key) {
            free_rows(v);
            return LR_ENOMEM;
        }
    }
    v->state = TUI_LOAD_DONE;
    return 0;
}

int tui_view_set_facts(struct tui_lakehouse_view *v, size_t index,
                       const struct tui_table_facts *f)
{
    if (index >= v->count)
        return LR_ERANGE;
    struct tui_table_row *r = &v->rows[index];
    char *op = f->last_operation ? tui_sanitize_str(f->last_operation, false) : NULL;
    char *error = f->error ? tui_sanitize_str(f->error, false) : NULL;
    char *note = f->retention_note ? tui_sanitize_str(f->retention_note, false) : NULL;
    if ((f->last_operation && !op) || (f->error && !error) || (f->retention_note && !note)) {
        free(op);
        free(error);
        free(note);
        return LR_ENOMEM;
    }
    free(r->last_operation);
    free(r->error);
    free(r->retention_note);
    r->last_operation = op;
    r->error = error;
    r->retention_note = note;
    r->has_facts = true;
    r->has_version = f->has_version;
    r->version = f->version;
    r->has_last_write = f->has_last_write;
    r->last_write = f->last_write;
    r->has_rows = f->has_rows;
    r->rows = f->rows;
    r->has_size = f->has_size;
    r->size_bytes = f->size_bytes;
    r->num_files = f->num_files;
    if (!v->health_done) { /* else the checkpoints' health already set them */
        r->retention = f->retention;
        r->retention_days_left = f->retention_days_left;
    }
    return 0;
}

void tui_view_set_error(struct tui_lakehouse_view *v, const char *message)
{
    free(v->error);
    v->error = tui_sanitize_str(message, false);
    v->state = TUI_LOAD_FAILED;
}

static void free_health(struct tui_checkpoint_row *c)
{
    for (size_t k = 0; k < c->health_line_count; k++)
        free(c->health_lines[k]);
    free(c->health_lines);
    free(c->first_warning);
    c->health_lines = NULL;
    c->health_line_count = 0;
    c->first_warning = NULL;
    c->warning_count = 0;
    c->due_count = 0;
    c->is_unusable = false;
    c->is_checked = false;
}

static void free_checkpoints(struct tui_lakehouse_view *v)
{
    for (size_t i = 0; i < v->checkpoint_count; i++) {
        struct tui_checkpoint_row *c = &v->checkpoints[i];
        free(c->name);
        free(c->type);
        free(c->created_by);
        free(c->validation);
        free_health(c);
    }
    free(v->checkpoints);
    v->checkpoints = NULL;
    v->checkpoint_count = 0;
}

int tui_view_set_checkpoints(struct tui_lakehouse_view *v, const struct lr_checkpoint_list *l)
{
    free_checkpoints(v);
    v->checkpoints_state = TUI_LOAD_DONE;
    if (l->count == 0)
        return 0;
    v->checkpoints = calloc(l->count, sizeof *v->checkpoints);
    if (!v->checkpoints)
        return LR_ENOMEM;
    for (size_t i = 0; i < l->count; i++) {
        const struct lr_checkpoint *cp = &l->items[i];
        struct tui_checkpoint_row *c = &v->checkpoints[v->checkpoint_count++];
        c->name = tui_sanitize_str(cp->name, false);
        c->type = tui_sanitize_str(cp->type, false);
        c->created_by = tui_sanitize_str(cp->created_by, false);
        c->validation = tui_sanitize_str(cp->validation_status, false);
        c->created_ms = cp->created_ms;
        c->expiry_ms = cp->expiry_ms;
        c->is_active = cp->is_active;
        c->table_count = cp->table_count;
        if (!c->name || !c->type || !c->created_by || !c->validation) {
            free_checkpoints(v);
            return LR_ENOMEM;
        }
    }
    return 0;
}

void tui_view_set_checkpoints_error(struct tui_lakehouse_view *v, const char *message)
{
    free(v->checkpoints_error);
    v->checkpoints_error = tui_sanitize_str(message, false);
    v->checkpoints_state = TUI_LOAD_FAILED;
}

static bool is_unusable(const struct lr_cp_warning *x)
{
    return x->kind == LR_CPW_FILES_MISSING ||
           (x->kind == LR_CPW_LOG_RETENTION && x->has_happened && x->when_ms < 0);
}

static int add_line(struct tui_checkpoint_row *c, const char *prefix, const char *text)
{
    char *raw = lr_asprintf("%s%s", prefix, text);
    char *line = raw ? tui_sanitize_str(raw, false) : NULL;
    free(raw);
    char **grown = line ? realloc(c->health_lines, (c->health_line_count + 1) * sizeof *grown)
                        : NULL;
    if (!grown) {
        free(line);
        return LR_ENOMEM;
    }
    c->health_lines = grown;
    c->health_lines[c->health_line_count++] = line;
    return 0;
}

/* One checkpoint row's warnings, as display lines. */
static int set_row_health(struct tui_checkpoint_row *c, const struct lr_cp_warnings *w)
{
    free_health(c);
    c->is_checked = true;
    const struct lr_cp_warning *first = NULL;
    for (size_t i = 0; w && i < w->count; i++) {
        const struct lr_cp_warning *x = &w->items[i];
        c->warning_count++;
        c->due_count += x->is_due;
        c->is_unusable = c->is_unusable || is_unusable(x);
        if (!first || (x->is_due && !first->is_due))
            first = x;
        if (add_line(c, x->is_due ? "! " : "- ", x->message) < 0 ||
            (x->fix && add_line(c, "    fix: ", x->fix) < 0) ||
            (x->alternative && add_line(c, "    ", x->alternative) < 0))
            return LR_ENOMEM;
    }
    if (first && !(c->first_warning = tui_sanitize_str(first->message, false)))
        return LR_ENOMEM;
    return 0;
}

static bool holds(const struct lr_checkpoint *cp, const char *table)
{
    for (size_t j = 0; j < cp->table_count; j++)
        if (cp->tables[j].name && !strcmp(cp->tables[j].name, table))
            return true;
    return false;
}

#define DAY_MS (24LL * 3600 * 1000)

/* A table's retention health: the worst warning about it among the active checkpoints. */
static int set_table_health(struct tui_table_row *r, const struct lr_checkpoint_list *cps,
                            const struct lr_cp_warnings *warnings, int64_t now_ms)
{
    size_t covering = 0;
    const struct lr_cp_warning *worst = NULL;
    int worst_rank = 0;
    int64_t soonest = -1;
    for (size_t i = 0; i < cps->count; i++) {
        const struct lr_checkpoint *cp = &cps->items[i];
        if (!cp->is_active || !holds(cp, r->key))
            continue;
        covering++;
        for (size_t k = 0; warnings && k < warnings[i].count; k++) {
            const struct lr_cp_warning *x = &warnings[i].items[k];
            if (!x->table || strcmp(x->table, r->key))
                continue;
            int rank = is_unusable(x) ? 4 : x->kind == LR_CPW_UNCHECKED ? 3 : x->is_due ? 2 : 1;
            if (rank > worst_rank) {
                worst = x;
                worst_rank = rank;
            }
            if (x->kind == LR_CPW_LOG_RETENTION && x->is_due && x->when_ms > now_ms &&
                (soonest < 0 || x->when_ms < soonest))
                soonest = x->when_ms;
        }
    }
    char *note = NULL;
    r->retention_days_left = soonest >= 0 ? (soonest - now_ms) / DAY_MS : -1;
    r->is_vacuum_risk = false;
    if (!warnings) {
        r->retention = TUI_HEALTH_UNKNOWN;
        return 0;
    }
    if (covering == 0) {
        r->retention = TUI_HEALTH_NONE;
        note = lr_strdup("no active checkpoint covers this table");
    } else if (worst_rank == 4) {
        r->retention = TUI_HEALTH_BAD;
    } else if (worst_rank == 3) {
        r->retention = TUI_HEALTH_UNKNOWN;
    } else if (worst_rank == 2) {
        r->retention = TUI_HEALTH_WARN;
        r->is_vacuum_risk = worst->kind == LR_CPW_FILE_RETENTION;
    } else {
        r->retention = TUI_HEALTH_OK;
        if (!worst)
            note = lr_asprintf("%zu active checkpoint%s: no retention warning", covering,
                               covering == 1 ? "" : "s");
    }
    if (!note && worst)
        note = lr_strdup(worst->message);
    char *clean = note ? tui_sanitize_str(note, false) : NULL;
    free(note);
    if (!clean)
        return LR_ENOMEM;
    free(r->retention_note);
    r->retention_note = clean;
    return 0;
}

int tui_view_set_health(struct tui_lakehouse_view *v, const struct lr_checkpoint_list *cps,
                        const struct lr_cp_warnings *warnings, int64_t now_ms)
{
    v->health_done = true;
    for (size_t i = 0; warnings && i < cps->count; i++) {
        const char *name = cps->items[i].name;
        char *clean = name ? tui_sanitize_str(name, false) : NULL;
        for (size_t k = 0; clean && k < v->checkpoint_count; k++)
            if (!strcmp(v->checkpoints[k].name, clean) &&
                set_row_health(&v->checkpoints[k], &warnings[i]) < 0) {
                free(clean);
                return LR_ENOMEM;
            }
        free(clean);
    }
    for (size_t i = 0; i < v->count; i++)
        if (set_table_health(&v->rows[i], cps, warnings, now_ms) < 0)
            return LR_ENOMEM;
    return 0;
}

void tui_view_free(struct tui_lakehouse_view *v)
{
    free_checkpoints(v);
    free(v->checkpoints_error);
    free_rows(v);
    free(v->uri);
    free(v->error);
    memset(v, 0, sizeof *v);
}

const char *tui_view_find_table(const struct tui_lakehouse_view *v, const char *name)
{
    for (size_t i = 0; name && i < v->count; i++)
        if (!strcmp(v->rows[i].key, name) || !strcmp(v->rows[i].name, name))
            return v->rows[i].key;
    return NULL;
}

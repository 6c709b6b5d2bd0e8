/* model.c - building the display rows from core/ results (sanitising every lake string). */
#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint.h"
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
    r->retention = f->retention;
    r->retention_days_left = f->retention_days_left;
    return 0;
}

void tui_view_set_error(struct tui_lakehouse_view *v, const char *message)
{
    free(v->error);
    v->error = tui_sanitize_str(message, false);
    v->state = TUI_LOAD_FAILED;
}

static void free_checkpoints(struct tui_lakehouse_view *v)
{
    for (size_t i = 0; i < v->checkpoint_count; i++) {
        struct tui_checkpoint_row *c = &v->checkpoints[i];
        free(c->name);
        free(c->type);
        free(c->created_by);
        free(c->validation);
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

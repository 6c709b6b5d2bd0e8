/* overview.c - the lakehouse overview: every discovered table with its facts (version, last
 * write in UTC, rows, size, retention health: the worst of core's checkpoint-health warnings
 * for the active checkpoints that hold it, "! 3d" / "! log" / "! vacuum" / "x gone" / "+ ok").
 * Filter with `/`, sort with s / S; the selected table's path is shown under the list. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"

enum { COL_NAME, COL_VERSION, COL_WRITE, COL_OP, COL_ROWS, COL_SIZE, COL_RETENTION, NCOLS };

static const struct tui_column columns[NCOLS] = {
    [COL_NAME] = {"TABLE", 11, 1, false},
    [COL_VERSION] = {"VERSION", 7, 0, true},
    [COL_WRITE] = {"LAST WRITE", 17, 0, false},
    [COL_OP] = {"OPERATION", 9, 0, false},
    [COL_ROWS] = {"ROWS", 8, 0, true},
    [COL_SIZE] = {"SIZE", 10, 0, true},
    [COL_RETENTION] = {"RETENTION", 10, 0, false},
};

static const struct tui_key_binding default_keys[] = {
    {'h', TUI_ACT_HISTORY, "history", false},
    {TUI_KEY_ENTER, TUI_ACT_HISTORY, "history", true},
    {'r', TUI_ACT_RUNS, "runs", false},
    {'/', TUI_ACT_FILTER, "filter", false},
    {'s', TUI_ACT_SORT, "sort", false},
    {'S', TUI_ACT_SORT_REVERSE, "reverse", true},
    {'c', TUI_ACT_CHECKPOINTS, "checkpoints", false},
    {'L', TUI_ACT_LOG, "log", true},
};

static struct tui_keymap keys;

struct overview {
    struct tui_table_state st;
    size_t *idx; /* view rows shown, in display order */
    size_t nidx;
    char filter[TUI_LINE_MAX];
    int visible;
    int list_y; /* screen row of the first data row (for clicks) */
};

static bool matches(const char *name, const char *filter)
{
    size_t fl = strlen(filter);
    if (fl == 0)
        return true;
    for (const char *p = name; *p; p++) {
        size_t i = 0;
        while (i < fl && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)filter[i]))
            i++;
        if (i == fl)
            return true;
    }
    return false;
}

static int cmp_i64(bool ha, int64_t a, bool hb, int64_t b)
{
    if (ha != hb)
        return ha ? -1 : 1; /* known facts before unknown ones */
    return a < b ? -1 : a > b ? 1 : 0;
}

static int compare(size_t a, size_t b, int column, void *payload)
{
    const struct tui_lakehouse_view *v = payload;
    const struct tui_table_row *x = &v->rows[a];
    const struct tui_table_row *y = &v->rows[b];
    switch (column) {
    case COL_VERSION: return cmp_i64(x->has_version, x->version, y->has_version, y->version);
    case COL_WRITE:
    case COL_OP:
        return cmp_i64(x->has_last_write, (int64_t)x->last_write, y->has_last_write,
                       (int64_t)y->last_write);
    case COL_ROWS: return cmp_i64(x->has_rows, x->rows, y->has_rows, y->rows);
    case COL_SIZE:
        return cmp_i64(x->has_size, (int64_t)x->size_bytes, y->has_size,
                       (int64_t)y->size_bytes);
    case COL_RETENTION:
        if (x->retention != y->retention)
            return (int)x->retention - (int)y->retention;
        return cmp_i64(true, x->retention_days_left, true, y->retention_days_left);
    default: return strcmp(x->name, y->name);
    }
}

static void rebuild(struct tui_app *app, struct overview *o)
{
    const struct tui_lakehouse_view *v = tui_app_view(app);
    /* Keep the same table selected when rows are re-sorted or filtered. */
    size_t keep = o->nidx && o->st.selected < o->nidx ? o->idx[o->st.selected] : (size_t)-1;
    free(o->idx);
    o->idx = NULL;
    o->nidx = 0;
    if (v->count) {
        o->idx = malloc(v->count * sizeof *o->idx);
        if (!o->idx) {
            tui_app_log(app, TUI_LOG_ERROR, "out of memory");
            return;
        }
    }
    for (size_t i = 0; i < v->count; i++)
        if (matches(v->rows[i].name, o->filter))
            o->idx[o->nidx++] = i;
    if (o->st.sort_column >= 0)
        tui_table_sort(o->idx, o->nidx, o->st.sort_column, o->st.sort_desc, compare,
                       (void *)v);
    o->st.selected = 0;
    for (size_t i = 0; i < o->nidx; i++)
        if (o->idx[i] == keep)
            o->st.selected = i;
    tui_table_set_count(&o->st, o->nidx, o->visible);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)arg;
    struct overview *o = calloc(1, sizeof *o);
    if (!o)
        return LR_ENOMEM;
    o->st.sort_column = COL_NAME;
    o->visible = 10;
    rebuild(app, o);
    *state = o;
    return 0;
}

static void close_screen(void *state)
{
    struct overview *o = state;
    if (!o)
        return;
    free(o->idx);
    free(o);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct overview *o = state;
    if (tui_table_navigate(&o->st, a, o->visible))
        return true;
    switch (a) {
    case TUI_ACT_SORT:
        tui_table_sort_next(&o->st, NCOLS);
        rebuild(app, o);
        return true;
    case TUI_ACT_SORT_REVERSE:
        tui_table_sort_flip(&o->st);
        rebuild(app, o);
        return true;
    case TUI_ACT_BACK:
        if (o->filter[0]) {
            o->filter[0] = '\0';
            rebuild(app, o);
        }
        return true;
    case TUI_ACT_HISTORY:
    case TUI_ACT_OPEN:
        if (o->nidx)
            tui_app_push(app, &tui_screen_history,
                         tui_app_view(app)->rows[o->idx[o->st.selected]].key);
        return true;
    default: return false;
    }
}

static bool select_row(struct tui_app *app, void *state, const char *name)
{
    struct overview *o = state;
    const struct tui_lakehouse_view *v = tui_app_view(app);
    o->filter[0] = '\0';
    rebuild(app, o);
    for (size_t i = 0; i < o->nidx; i++) {
        if (!strcmp(v->rows[o->idx[i]].key, name)) {
            o->st.selected = i;
            tui_table_reveal(&o->st, o->visible);
            return true;
        }
    }
    return false;
}

static bool click(struct tui_app *app, void *state, int y, int x, bool is_double)
{
    struct overview *o = state;
    (void)x;
    size_t row;
    if (!tui_table_row_at(&o->st, o->list_y, o->visible, y, &row))
        return false;
    bool was_selected = row == o->st.selected;
    o->st.selected = row;
    if (is_double || was_selected)
        action(app, state, TUI_ACT_OPEN);
    return true;
}

static void loading_mark(char *buf, size_t cap, enum tui_role *role)
{
    snprintf(buf, cap, "%s", tui_term_glyph(GLYPH_ELLIPSIS));
    *role = ROLE_DIM;
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const void *const *pp = payload;
    const struct overview *o = pp[0];
    const struct tui_lakehouse_view *v = pp[1];
    const struct tui_table_row *r = &v->rows[o->idx[row]];
    if (col != COL_NAME && r->has_facts && r->error && !r->has_version) {
        /* The table could not be read: say so once, in the version column. */
        snprintf(buf, cap, "%s", col == COL_VERSION ? "error" : "");
        *role = ROLE_ERROR;
        return;
    }
    switch (col) {
    case COL_NAME: snprintf(buf, cap, "%s", r->name); return;
    case COL_VERSION:
        if (!r->has_version)
            break;
        snprintf(buf, cap, "%lld", (long long)r->version);
        return;
    case COL_WRITE:
        if (!r->has_last_write)
            break;
        {
            struct tm tm;
            gmtime_r(&r->last_write, &tm);
            strftime(buf, cap, "%Y-%m-%d %H:%MZ", &tm);
        }
        return;
    case COL_OP:
        if (!r->last_operation)
            break;
        snprintf(buf, cap, "%s", r->last_operation);
        return;
    case COL_ROWS:
        if (!r->has_rows)
            break;
        tui_format_count(buf, cap, r->rows);
        return;
    case COL_SIZE:
        if (!r->has_size)
            break;
        tui_format_bytes(buf, cap, r->size_bytes);
        return;
    case COL_RETENTION:
        /* A word and a symbol, never colour alone. */
        switch (r->retention) {
        case TUI_HEALTH_NONE: snprintf(buf, cap, "- none"); *role = ROLE_DIM; return;
        case TUI_HEALTH_OK:
            if (r->retention_days_left >= 0)
                snprintf(buf, cap, "+ %lldd", (long long)r->retention_days_left);
            else
                snprintf(buf, cap, "+ ok");
            *role = ROLE_OK;
            return;
        case TUI_HEALTH_WARN:
            if (r->retention_days_left >= 0)
                snprintf(buf, cap, "! %lldd", (long long)r->retention_days_left);
            else
                snprintf(buf, cap, r->is_vacuum_risk ? "! vacuum" : "! log");
            *role = ROLE_WARN;
            return;
        case TUI_HEALTH_BAD: snprintf(buf, cap, "x gone"); *role = ROLE_ERROR; return;
        default:
            if (r->has_facts) {
                snprintf(buf, cap, "?");
                *role = ROLE_DIM;
                return;
            }
            break;
        }
        break;
    default: break;
    }
    loading_mark(buf, cap, role);
}

static void draw_message(struct tui_rect body, enum tui_role role, const char *head,
                         const char *text)
{
    tui_term_text(body.y + 1, body.x + 1, body.w - 2, role, head);
    const char *s = text;
    int y = body.y + 3;
    while (*s && y < body.y + body.h) {
        size_t skip;
        size_t n = tui_wrap_next(s, body.w - 4, &skip);
        char line[1024];
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, s, n);
        line[n] = '\0';
        tui_term_text(y++, body.x + 1, body.w - 2, ROLE_NORMAL, line);
        s += n + skip;
    }
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct overview *o = state;
    const struct tui_lakehouse_view *v = tui_app_view(app);
    char text[2048];
    if (v->state == TUI_LOAD_PENDING) {
        snprintf(text, sizeof text, "discovering tables under %s/Tables %s", v->uri,
                 tui_term_glyph(GLYPH_ELLIPSIS));
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_DIM, text);
        return;
    }
    if (v->state == TUI_LOAD_FAILED) {
        snprintf(text, sizeof text,
                 "%s\n\nCheck --lakehouse (a folder, file://, abfss://, az://, s3://) and the "
                 "credentials for that store.",
                 v->error ? v->error : "");
        draw_message(body, ROLE_ERROR, "Cannot open the lakehouse", text);
        return;
    }
    if (v->count == 0) {
        snprintf(text, sizeof text,
                 "A table is a folder Tables/<name>/ or Tables/<schema>/<name>/ holding a "
                 "_delta_log/ folder. Point --lakehouse at the lakehouse root.");
        char head[1024];
        snprintf(head, sizeof head, "No Delta tables under %s/Tables.", v->uri);
        draw_message(body, ROLE_WARN, head, text);
        return;
    }
    struct tui_rect list = body;
    list.h = body.h - 3; /* the selected table's details below the list */
    o->visible = tui_table_visible_rows(list);
    tui_table_reveal(&o->st, o->visible);
    if (o->nidx == 0) {
        char head[TUI_LINE_MAX + 64];
        snprintf(head, sizeof head, "No table matches '%s'.", o->filter);
        draw_message(body, ROLE_WARN, head, "Esc clears the filter; / edits it.");
        return;
    }
    const void *payload[2] = {o, v};
    o->list_y = list.y + 1;
    int sel_y = tui_table_draw(list, columns, NCOLS, &o->st, cell, (void *)payload);
    if (sel_y >= 0)
        tui_app_cursor(app, sel_y, list.x);
    const struct tui_table_row *r = &v->rows[o->idx[o->st.selected]];
    int y = body.y + body.h - 3;
    tui_term_hline(y, body.x, body.w, ROLE_BORDER);
    const char *sep = tui_term_glyph(GLYPH_SEP);
    if (r->has_version)
        snprintf(text, sizeof text, "%s  %s  %s/%s  %s  %lld live file%s", r->name, sep, v->uri,
                 r->path, sep, (long long)r->num_files, r->num_files == 1 ? "" : "s");
    else
        snprintf(text, sizeof text, "%s  %s  %s/%s", r->name, sep, v->uri, r->path);
    tui_term_text(y + 1, body.x, body.w, ROLE_NORMAL, text);
    enum tui_role role = ROLE_DIM;
    const char *note = r->error ? r->error : r->retention_note;
    if (r->error || r->retention == TUI_HEALTH_BAD)
        role = ROLE_ERROR;
    else if (r->retention == TUI_HEALTH_WARN)
        role = ROLE_WARN;
    if (note)
        tui_term_text(y + 2, body.x, body.w, role, note);
    else if (!r->has_facts)
        tui_term_text(y + 2, body.x, body.w, ROLE_DIM, tui_term_glyph(GLYPH_ELLIPSIS));
}

static size_t facts_known(const struct tui_lakehouse_view *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->count; i++)
        n += v->rows[i].has_facts;
    return n < v->count ? n : v->count - 1;
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    struct overview *o = state;
    const struct tui_lakehouse_view *v = tui_app_view(app);
    if (v->state == TUI_LOAD_PENDING)
        snprintf(buf, cap, "Tables %s", tui_term_glyph(GLYPH_ELLIPSIS));
    else if (v->state == TUI_LOAD_FAILED)
        snprintf(buf, cap, "Tables (lakehouse not opened)");
    else if (o->filter[0])
        snprintf(buf, cap, "Tables (%zu of %zu)  filter: %s", o->nidx, v->count, o->filter);
    else if (!v->facts_done && v->count > 0)
        snprintf(buf, cap, "Tables (%zu)  reading %zu of %zu %s", v->count, facts_known(v) + 1,
                 v->count, tui_term_glyph(GLYPH_ELLIPSIS));
    else
        snprintf(buf, cap, "Tables (%zu)", v->count);
}

static void filter(struct tui_app *app, void *state, const char *text)
{
    struct overview *o = state;
    char *clean = tui_sanitize_str(text, false);
    snprintf(o->filter, sizeof o->filter, "%s", clean ? clean : "");
    free(clean);
    rebuild(app, o);
}

static const char *filter_text(void *state)
{
    return ((struct overview *)state)->filter;
}

static void view_changed(struct tui_app *app, void *state)
{
    rebuild(app, state);
}

const struct tui_screen_ops tui_screen_overview = {
    .name = "overview",
    .alias = "tables",
    .summary = "lakehouse tables",
    .keys = &keys,
    .default_keys = default_keys,
    .default_key_count = sizeof default_keys / sizeof default_keys[0],
    .open = open_screen,
    .close = close_screen,
    .action = action,
    .draw = draw,
    .title = title,
    .filter = filter,
    .filter_text = filter_text,
    .view_changed = view_changed,
    .select = select_row,
    .click = click,
};

/* checkpoints.c - the named checkpoints of the lakehouse (CheckpointHistory, via core/): type,
 * created, age, tables, validation status, expiry and retention health, newest first. Expiry is
 * a colour and a word ("! 3d left", "x expired"); inactive checkpoints are dimmed and say so.
 * HEALTH is core's checkpoint health (checkpoint_health.h, checked by the loader off the UI
 * thread): "! 2 warn" (due now or soon), "- 1 note" (not due), "x broken" (a table can no
 * longer be rolled back to it), "+ ok". Tab opens the selected checkpoint's detail: every
 * warning with its fix (the table property to set) and the lakerewind alternative, as
 * `checkpoints show` prints them. Filter with `/` (name or type, so "/Daily" lists the daily
 * ones), sort with s / S. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../sanitize.h"
#include "../term.h"
#include "../widgets/textwrap.h"
#include "lakerewind/timefmt.h"

enum {
    COL_NAME,
    COL_TYPE,
    COL_CREATED,
    COL_AGE,
    COL_TABLES,
    COL_STATUS,
    COL_EXPIRES,
    COL_HEALTH,
    NCOLS
};

#define DAY_MS (24LL * 3600 * 1000)
#define EXPIRY_WARN_DAYS 7

static const struct tui_column columns[NCOLS] = {
    [COL_NAME] = {"CHECKPOINT", 10, 1, false},
    [COL_TYPE] = {"TYPE", 13, 0, false},
    [COL_CREATED] = {"CREATED", 10, 0, false},
    [COL_AGE] = {"AGE", 4, 0, true},
    [COL_TABLES] = {"TABLES", 6, 0, true},
    [COL_STATUS] = {"STATUS", 10, 0, false},
    [COL_EXPIRES] = {"EXPIRES", 9, 0, false},
    [COL_HEALTH] = {"HEALTH", 9, 0, false},
};

static const struct tui_key_binding default_keys[] = {
    {TUI_KEY_ENTER, TUI_ACT_OPEN, "impact", false},
    {TUI_KEY_TAB, TUI_ACT_DETAIL, "detail", false},
    {'/', TUI_ACT_FILTER, "filter", false},
    {'s', TUI_ACT_SORT, "sort", false},
    {'S', TUI_ACT_SORT_REVERSE, "reverse", false},
};

static struct tui_keymap keys;

struct cpscreen {
    struct tui_table_state st;
    size_t *idx;
    size_t nidx;
    char filter[TUI_LINE_MAX];
    int visible;
    bool is_detail;   /* Tab: the selected checkpoint's warnings and fixes under the list */
    int detail_top;   /* first detail line shown (PgUp/PgDn scroll it while open) */
};

static int64_t now_ms(void)
{
    return lr_clock_now_ms();
}

static bool contains(const char *s, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s; *p; p++) {
        size_t i = 0;
        while (i < n && p[i] && tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return true;
    }
    return n == 0;
}

static int cmp64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b ? 1 : 0;
}

static int compare(size_t a, size_t b, int column, void *payload)
{
    const struct tui_lakehouse_view *v = payload;
    const struct tui_checkpoint_row *x = &v->checkpoints[a];
    const struct tui_checkpoint_row *y = &v->checkpoints[b];
    switch (column) {
    case COL_TYPE: return strcmp(x->type, y->type);
    case COL_CREATED:
    case COL_AGE: return -cmp64(x->created_ms, y->created_ms); /* newest first */
    case COL_TABLES: return cmp64((int64_t)x->table_count, (int64_t)y->table_count);
    case COL_STATUS: return strcmp(x->validation, y->validation);
    case COL_HEALTH:
        if (x->is_unusable != y->is_unusable)
            return x->is_unusable ? 1 : -1;
        if (x->due_count != y->due_count)
            return cmp64((int64_t)x->due_count, (int64_t)y->due_count);
        return cmp64((int64_t)x->warning_count, (int64_t)y->warning_count);
    case COL_EXPIRES:
        return cmp64(x->expiry_ms < 0 ? INT64_MAX : x->expiry_ms,
                     y->expiry_ms < 0 ? INT64_MAX : y->expiry_ms);
    default: return strcmp(x->name, y->name);
    }
}

static void rebuild(struct tui_app *app, struct cpscreen *c)
{
    const struct tui_lakehouse_view *v = tui_app_view(app);
    size_t keep = c->nidx && c->st.selected < c->nidx ? c->idx[c->st.selected] : (size_t)-1;
    free(c->idx);
    c->idx = NULL;
    c->nidx = 0;
    if (v->checkpoint_count) {
        c->idx = malloc(v->checkpoint_count * sizeof *c->idx);
        if (!c->idx)
            return;
    }
    for (size_t i = 0; i < v->checkpoint_count; i++)
        if (contains(v->checkpoints[i].name, c->filter) ||
            contains(v->checkpoints[i].type, c->filter))
            c->idx[c->nidx++] = i;
    if (c->st.sort_column >= 0)
        tui_table_sort(c->idx, c->nidx, c->st.sort_column, c->st.sort_desc, compare,
                       (void *)v);
    c->st.selected = 0;
    for (size_t i = 0; i < c->nidx; i++)
        if (c->idx[i] == keep)
            c->st.selected = i;
    tui_table_set_count(&c->st, c->nidx, c->visible);
}

static int open_screen(struct tui_app *app, void **state, const char *arg)
{
    (void)arg;
    struct cpscreen *c = calloc(1, sizeof *c);
    if (!c)
        return LR_ENOMEM;
    c->st.sort_column = -1; /* newest first, as listed */
    c->visible = 10;
    rebuild(app, c);
    *state = c;
    return 0;
}

static void close_screen(void *state)
{
    struct cpscreen *c = state;
    if (!c)
        return;
    free(c->idx);
    free(c);
}

static bool action(struct tui_app *app, void *state, enum tui_action a)
{
    struct cpscreen *c = state;
    int page = c->visible > 1 ? c->visible - 1 : 1;
    switch (a) {
    case TUI_ACT_UP: tui_table_move(&c->st, -1, c->visible); c->detail_top = 0; return true;
    case TUI_ACT_DOWN: tui_table_move(&c->st, 1, c->visible); c->detail_top = 0; return true;
    case TUI_ACT_PAGE_UP:
        if (c->is_detail) {
            c->detail_top = c->detail_top > 4 ? c->detail_top - 4 : 0;
            return true;
        }
        tui_table_move(&c->st, -page, c->visible);
        return true;
    case TUI_ACT_PAGE_DOWN:
        if (c->is_detail) {
            c->detail_top += 4; /* clamped when drawn */
            return true;
        }
        tui_table_move(&c->st, page, c->visible);
        return true;
    case TUI_ACT_DETAIL:
        c->is_detail = !c->is_detail;
        c->detail_top = 0;
        return true;
    case TUI_ACT_HOME: tui_table_move(&c->st, -(long)c->st.count, c->visible); return true;
    case TUI_ACT_END: tui_table_move(&c->st, (long)c->st.count, c->visible); return true;
    case TUI_ACT_OPEN:
        if (c->nidx)
            tui_app_push(app, &tui_screen_impact,
                         tui_app_view(app)->checkpoints[c->idx[c->st.selected]].name);
        return true;
    case TUI_ACT_SORT:
        tui_table_sort_next(&c->st, NCOLS);
        rebuild(app, c);
        return true;
    case TUI_ACT_SORT_REVERSE:
        tui_table_sort_flip(&c->st);
        rebuild(app, c);
        return true;
    case TUI_ACT_BACK:
        if (c->is_detail) {
            c->is_detail = false;
            return true;
        }
        if (!c->filter[0])
            return false; /* back to the previous screen */
        c->filter[0] = '\0';
        rebuild(app, c);
        return true;
    default: return false;
    }
}

static void format_age(char *buf, size_t cap, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    int64_t minutes = ms / 60000;
    if (minutes < 60)
        snprintf(buf, cap, "%lldm", (long long)minutes);
    else if (minutes < 48 * 60)
        snprintf(buf, cap, "%lldh", (long long)(minutes / 60));
    else
        snprintf(buf, cap, "%lldd", (long long)(minutes / (24 * 60)));
}

static void cell(size_t row, size_t col, char *buf, size_t cap, enum tui_role *role,
                 void *payload)
{
    const void *const *pp = payload;
    const struct cpscreen *c = pp[0];
    const struct tui_lakehouse_view *v = pp[1];
    const struct tui_checkpoint_row *r = &v->checkpoints[c->idx[row]];
    int64_t now = now_ms();
    if (!r->is_active)
        *role = ROLE_DIM;
    switch (col) {
    case COL_NAME: snprintf(buf, cap, "%s", r->name); return;
    case COL_TYPE: snprintf(buf, cap, "%s", r->type); return;
    case COL_CREATED: {
        time_t t = (time_t)(r->created_ms / 1000);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(buf, cap, "%Y-%m-%d", &tm);
        return;
    }
    case COL_AGE: format_age(buf, cap, now - r->created_ms); return;
    case COL_TABLES: snprintf(buf, cap, "%zu", r->table_count); return;
    case COL_STATUS:
        if (!r->is_active) {
            snprintf(buf, cap, "- inactive");
        } else if (!strcmp(r->validation, "Validated")) {
            snprintf(buf, cap, "+ valid");
            *role = ROLE_OK;
        } else if (!strcmp(r->validation, "Failed")) {
            snprintf(buf, cap, "x failed");
            *role = ROLE_ERROR;
        } else {
            snprintf(buf, cap, "? %s", r->validation);
            *role = ROLE_WARN;
        }
        return;
    case COL_EXPIRES:
        if (r->expiry_ms < 0) {
            snprintf(buf, cap, "never");
        } else if (r->expiry_ms <= now) {
            snprintf(buf, cap, "x expired");
            *role = r->is_active ? ROLE_ERROR : ROLE_DIM;
        } else {
            long long days = (long long)((r->expiry_ms - now) / DAY_MS);
            if (days < EXPIRY_WARN_DAYS)
                snprintf(buf, cap, "! %lldd left", days);
            else
                snprintf(buf, cap, "in %lldd", days);
            if (days < EXPIRY_WARN_DAYS && r->is_active)
                *role = ROLE_WARN;
        }
        return;
    case COL_HEALTH:
        /* A symbol and a word, never colour alone. */
        if (!r->is_active) {
            snprintf(buf, cap, "-");
        } else if (!r->is_checked) {
            snprintf(buf, cap, "%s", tui_term_glyph(GLYPH_ELLIPSIS));
            *role = ROLE_DIM;
        } else if (r->is_unusable) {
            snprintf(buf, cap, "x broken");
            *role = ROLE_ERROR;
        } else if (r->due_count) {
            snprintf(buf, cap, "! %zu warn", r->due_count);
            *role = ROLE_WARN;
        } else if (r->warning_count) {
            snprintf(buf, cap, "- %zu note%s", r->warning_count,
                     r->warning_count == 1 ? "" : "s");
        } else {
            snprintf(buf, cap, "+ ok");
            *role = ROLE_OK;
        }
        return;
    default: return;
    }
}

/* One line under the list: the first warning, or why there is none. */
static void summary_line(const struct tui_checkpoint_row *r, int y, struct tui_rect body)
{
    char text[1024];
    enum tui_role role = ROLE_DIM;
    if (!r->is_active)
        snprintf(text, sizeof text, "inactive: retention not checked");
    else if (!r->is_checked)
        snprintf(text, sizeof text, "checking retention %s", tui_term_glyph(GLYPH_ELLIPSIS));
    else if (!r->warning_count)
        snprintf(text, sizeof text, "+ every table keeps this checkpoint until it expires");
    else {
        snprintf(text, sizeof text, "%s %s  (%zu warning%s: Tab for the fix)",
                 r->due_count ? "!" : "-", r->first_warning, r->warning_count,
                 r->warning_count == 1 ? "" : "s");
        role = r->is_unusable ? ROLE_ERROR : r->due_count ? ROLE_WARN : ROLE_NORMAL;
    }
    tui_term_text(y, body.x, body.w, role, text);
}

/* The detail pane: every warning wrapped to the width, its fix and alternative indented. */
static void draw_detail(struct cpscreen *c, const struct tui_checkpoint_row *r, int x, int y,
                        int w, int h)
{
    if (h <= 0)
        return;
    if (!r->is_active || !r->is_checked || !r->health_line_count) {
        summary_line(r, y, (struct tui_rect){.y = y, .x = x, .w = w, .h = 1});
        return;
    }
    /* the wrapped lines, counted first so the scroll can be clamped */
    int total = 0;
    for (size_t i = 0; i < r->health_line_count; i++)
        total += tui_wrap_count(r->health_lines[i], w - 6);
    if (c->detail_top > total - h)
        c->detail_top = total - h > 0 ? total - h : 0;
    int line = 0;
    for (size_t i = 0; i < r->health_line_count && line - c->detail_top < h; i++) {
        const char *s = r->health_lines[i];
        bool is_head = s[0] == '!' || s[0] == '-';
        enum tui_role role = !is_head ? ROLE_NORMAL : s[0] == '!' ? ROLE_WARN : ROLE_DIM;
        int indent = is_head ? 0 : 4;
        const char *p = is_head ? s : s + 4;
        bool is_first = true;
        for (;;) {
            size_t skip = 0;
            size_t n = tui_wrap_next(p, w - 6, &skip);
            if (n == 0 && skip == 0)
                break;
            if (line >= c->detail_top && line - c->detail_top < h) {
                char buf[1024];
                snprintf(buf, sizeof buf, "%.*s", (int)n, p);
                tui_term_text(y + line - c->detail_top, x + indent + (is_first ? 0 : 2),
                              w - indent - 2, role, buf);
            }
            line++;
            is_first = false;
            p += n + skip;
        }
    }
    (void)total;
}

static void draw(struct tui_app *app, void *state, struct tui_rect body)
{
    struct cpscreen *c = state;
    const struct tui_lakehouse_view *v = tui_app_view(app);
    char text[1024];
    if (v->checkpoints_state == TUI_LOAD_PENDING) {
        snprintf(text, sizeof text, "reading CheckpointHistory %s",
                 tui_term_glyph(GLYPH_ELLIPSIS));
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_DIM, text);
        return;
    }
    if (v->checkpoints_state == TUI_LOAD_FAILED) {
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_ERROR,
                      "Cannot list the checkpoints");
        tui_term_text(body.y + 3, body.x + 1, body.w - 2, ROLE_NORMAL,
                      v->checkpoints_error ? v->checkpoints_error : "");
        return;
    }
    if (v->checkpoint_count == 0) {
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_WARN,
                      "No named checkpoints in this lakehouse yet.");
        tui_term_text(body.y + 3, body.x + 1, body.w - 2, ROLE_NORMAL,
                      "Take one with: lakerewind checkpoints create NAME --type Manual");
        return;
    }
    if (c->nidx == 0) {
        snprintf(text, sizeof text, "No checkpoint matches '%s'. Esc clears the filter.",
                 c->filter);
        tui_term_text(body.y + 1, body.x + 1, body.w - 2, ROLE_WARN, text);
        return;
    }
    struct tui_rect list = body;
    list.h = body.h - 3;
    if (c->is_detail)
        list.h = body.h / 3 > 4 ? body.h / 3 : 4;
    const void *payload[2] = {c, v};
    c->visible = tui_app_table(app, list, columns, NCOLS, &c->st, cell, (void *)payload);
    const struct tui_checkpoint_row *r = &v->checkpoints[c->idx[c->st.selected]];
    char created[24] = "?";
    time_t t = (time_t)(r->created_ms / 1000);
    struct tm tm;
    if (r->created_ms >= 0 && gmtime_r(&t, &tm))
        strftime(created, sizeof created, "%Y-%m-%d %H:%MZ", &tm);
    int y = body.y + list.h;
    tui_term_hline(y, body.x, body.w, ROLE_BORDER);
    snprintf(text, sizeof text, "%s  %s  %s, created %s by %s  %s  %zu table%s%s", r->name,
             tui_term_glyph(GLYPH_SEP), r->type, created, r->created_by,
             tui_term_glyph(GLYPH_SEP), r->table_count, r->table_count == 1 ? "" : "s",
             r->is_active ? "" : "  (inactive)");
    tui_term_text(y + 1, body.x, body.w, ROLE_NORMAL, text);
    if (!c->is_detail) {
        summary_line(r, y + 2, body);
        return;
    }
    draw_detail(c, r, body.x, y + 2, body.w, body.y + body.h - (y + 2));
}

static void title(struct tui_app *app, void *state, char *buf, size_t cap)
{
    struct cpscreen *c = state;
    const struct tui_lakehouse_view *v = tui_app_view(app);
    if (v->checkpoints_state == TUI_LOAD_PENDING)
        snprintf(buf, cap, "Checkpoints %s", tui_term_glyph(GLYPH_ELLIPSIS));
    else if (c->filter[0])
        snprintf(buf, cap, "Checkpoints (%zu of %zu)  filter: %s", c->nidx, v->checkpoint_count,
                 c->filter);
    else
        snprintf(buf, cap, "Checkpoints (%zu)", v->checkpoint_count);
}

static void filter(struct tui_app *app, void *state, const char *text)
{
    struct cpscreen *c = state;
    char *clean = tui_sanitize_str(text, false);
    snprintf(c->filter, sizeof c->filter, "%s", clean ? clean : "");
    free(clean);
    rebuild(app, c);
}

static const char *filter_text(void *state)
{
    return ((struct cpscreen *)state)->filter;
}

static void view_changed(struct tui_app *app, void *state)
{
    rebuild(app, state);
}

const struct tui_screen_ops tui_screen_checkpoints = {
    .name = "checkpoints",
    .alias = "cp",
    .summary = "named checkpoints",
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
};

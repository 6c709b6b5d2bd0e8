/* cp_filter.c - which checkpoints a `checkpoints list` filter keeps: type, active or not,
 * validation status, a creation-date range and a table. Pure: no store, no clock. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/checkpoint.h"
#include "lakerewind/delta.h"

#define DAY_MS (86400000LL)

void lr_checkpoint_filter_init(struct lr_checkpoint_filter *f)
{
    memset(f, 0, sizeof *f);
    f->is_active = -1;
    f->since_ms = -1;
    f->until_ms = -1;
}

int lr_checkpoint_status_check(const char *status, struct lr_error *err)
{
    static const char *names[] = {"Pending", "Validated", "Failed"};
    for (size_t i = 0; status && i < 3; i++)
        if (strcmp(status, names[i]) == 0)
            return 0;
    return lr_error_set(err, LR_EINVAL,
                        "validation status '%s' is not one of Pending, Validated, Failed",
                        status ? status : "");
}

static bool is_bare_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

int lr_checkpoint_parse_date(const char *text, bool is_end, int64_t *ms_out,
                             struct lr_error *err)
{
    int64_t ms = -1;
    /* Only ISO forms: lr_delta_parse_timestamp also takes epoch milliseconds, which a date
     * filter typed by a person never means. */
    bool looks_iso = text && strlen(text) >= 10 && text[4] == '-';
    if (!looks_iso || lr_delta_parse_timestamp(text, &ms, NULL) < 0)
        return lr_error_set(err, LR_EINVAL,
                            "'%.64s' is not a date: expected 2025-01-15 or "
                            "2025-01-15T10:00:00Z (UTC unless an offset such as +01:00 is "
                            "given)",
                            text ? text : "");
    if (is_end && is_bare_date(text))
        ms += DAY_MS - 1;
    *ms_out = ms;
    return 0;
}

int lr_checkpoint_filter_check(const struct lr_checkpoint_filter *f, struct lr_error *err)
{
    if (f->type && lr_checkpoint_type_check(f->type, err) < 0)
        return err->code;
    if (f->status && lr_checkpoint_status_check(f->status, err) < 0)
        return err->code;
    if (f->since_ms >= 0 && f->until_ms >= 0 && f->since_ms > f->until_ms)
        return lr_error_set(err, LR_EINVAL, "the date range is empty: --since is after --until");
    if (f->table && !*f->table)
        return lr_error_set(err, LR_EINVAL, "the table name to filter on is empty");
    return 0;
}

bool lr_checkpoint_filter_match(const struct lr_checkpoint_filter *f,
                                const struct lr_checkpoint *cp)
{
    if (f->type && (!cp->type || strcmp(f->type, cp->type) != 0))
        return false;
    if (f->is_active >= 0 && cp->is_active != (f->is_active == 1))
        return false;
    if (f->status && (!cp->validation_status || strcmp(f->status, cp->validation_status) != 0))
        return false;
    if (f->since_ms >= 0 && cp->created_ms < f->since_ms)
        return false;
    if (f->until_ms >= 0 && (cp->created_ms < 0 || cp->created_ms > f->until_ms))
        return false;
    if (f->table) {
        bool has = false;
        for (size_t i = 0; !has && i < cp->table_count; i++)
            has = cp->tables[i].name && strcmp(cp->tables[i].name, f->table) == 0;
        if (!has)
            return false;
    }
    return true;
}

void lr_checkpoint_list_filter(struct lr_checkpoint_list *l, const struct lr_checkpoint_filter *f)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        if (lr_checkpoint_filter_match(f, &l->items[i]))
            l->items[kept++] = l->items[i];
        else
            lr_checkpoint_free(&l->items[i]);
    }
    l->count = kept;
}

/* validate.c - the per-table post-rollback checks and the quality score (formula in
 * validate.h). Pure: the facts come from the caller (snapshot, stats, CheckpointHistory). */
#include "lakerewind/validate.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/event.h"
#include "lakerewind/str.h"

const char *lr_validation_type_name(enum lr_validation_type t)
{
    static const char *n[] = {"RecordCount", "FileSet", "Schema", "NullPrimaryKeys",
                              "TrackingColumns"};
    return (size_t)t < 5 ? n[t] : "Unknown";
}

const char *lr_severity_name(enum lr_severity s)
{
    static const char *n[] = {"Error", "Warning", "Info"};
    return (size_t)s < 3 ? n[s] : "Unknown";
}

static double weight_of(enum lr_validation_type t)
{
    switch (t) {
    case LR_VAL_RECORD_COUNT:
    case LR_VAL_FILE_SET:
    case LR_VAL_SCHEMA:
        return 4.0;
    case LR_VAL_NULL_PRIMARY_KEY:
        return 2.0;
    default:
        return 1.0;
    }
}

static enum lr_severity severity_of(enum lr_validation_type t)
{
    return t == LR_VAL_TRACKING_COLUMN ? LR_SEV_WARNING : LR_SEV_ERROR;
}

struct builder {
    struct lr_table_validation *out;
    size_t cap;
    int rc;
};

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;
    return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

static void add(struct builder *b, enum lr_validation_type type, const char *column,
                int verdict, const char *expected, const char *actual, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* verdict: 1 passed, 0 failed, -1 not evaluated */
static void add(struct builder *b, enum lr_validation_type type, const char *column,
                int verdict, const char *expected, const char *actual, const char *fmt, ...)
{
    if (b->rc < 0)
        return;
    if (b->out->count == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        struct lr_validation *grown = realloc(b->out->items, cap * sizeof *grown);
        if (!grown) {
            b->rc = LR_ENOMEM;
            return;
        }
        b->out->items = grown;
        b->cap = cap;
    }
    struct lr_validation *v = &b->out->items[b->out->count];
    memset(v, 0, sizeof *v);
    b->out->count++;
    v->type = type;
    v->is_evaluated = verdict >= 0;
    v->passed = verdict == 1;
    v->severity = verdict == 1 ? LR_SEV_INFO : verdict == 0 ? severity_of(type) : LR_SEV_WARNING;
    v->column = column ? lr_strdup(column) : NULL;
    v->expected = lr_strdup(expected);
    v->actual = lr_strdup(verdict >= 0 ? actual : "unknown");
    va_list ap;
    va_start(ap, fmt);
    v->details = vfmt(fmt, ap);
    va_end(ap);
    if ((column && !v->column) || !v->expected || !v->actual || !v->details)
        b->rc = LR_ENOMEM;
}

static void check_count(struct builder *b, const struct lr_validation_facts *f)
{
    char exp[32];
    char act[32];
    snprintf(exp, sizeof exp, "%lld", (long long)f->checkpoint_record_count);
    snprintf(act, sizeof act, "%lld", (long long)f->record_count);
    if (f->record_count < 0 || f->checkpoint_record_count < 0)
        add(b, LR_VAL_RECORD_COUNT, NULL, -1, f->checkpoint_record_count < 0 ? "unknown" : exp,
            act, "not evaluated: %s", f->checkpoint_record_count < 0
                                          ? "the checkpoint recorded no record count"
                                          : "some live files have no statistics");
    else if (f->record_count == f->checkpoint_record_count)
        add(b, LR_VAL_RECORD_COUNT, NULL, 1, exp, act, "record count equals the checkpoint's");
    else
        add(b, LR_VAL_RECORD_COUNT, NULL, 0, exp, act, "%lld records, the checkpoint had %lld "
                                                       "(difference %+lld)",
            (long long)f->record_count, (long long)f->checkpoint_record_count,
            (long long)(f->record_count - f->checkpoint_record_count));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void check_files(struct builder *b, const struct lr_validation_facts *f)
{
    char exp[48];
    char act[48];
    snprintf(exp, sizeof exp, "%zu files", f->checkpoint_file_count);
    if (!f->has_file_sets) {
        add(b, LR_VAL_FILE_SET, NULL, -1, "the checkpoint version's files", "unknown",
            "not evaluated: file lists unavailable");
        return;
    }
    const char **live = calloc(f->live_file_count + 1, sizeof *live);
    const char **cp = calloc(f->checkpoint_file_count + 1, sizeof *cp);
    if (!live || !cp) {
        b->rc = LR_ENOMEM;
        goto done;
    }
    if (f->live_file_count)
        memcpy(live, f->live_files, f->live_file_count * sizeof *live);
    if (f->checkpoint_file_count)
        memcpy(cp, f->checkpoint_files, f->checkpoint_file_count * sizeof *cp);
    qsort(live, f->live_file_count, sizeof *live, cmp_str);
    qsort(cp, f->checkpoint_file_count, sizeof *cp, cmp_str);
    size_t i = 0, j = 0, extra = 0, missing = 0;
    const char *first_extra = NULL;
    const char *first_missing = NULL;
    while (i < f->live_file_count || j < f->checkpoint_file_count) {
        int c = i >= f->live_file_count ? 1
                : j >= f->checkpoint_file_count ? -1
                                                : strcmp(live[i], cp[j]);
        if (c == 0) {
            i++;
            j++;
        } else if (c < 0) {
            if (!first_extra)
                first_extra = live[i];
            extra++;
            i++;
        } else {
            if (!first_missing)
                first_missing = cp[j];
            missing++;
            j++;
        }
    }
    snprintf(act, sizeof act, "%zu files, %zu differ", f->live_file_count, extra + missing);
    if (extra + missing == 0)
        add(b, LR_VAL_FILE_SET, NULL, 1, exp, act, "live files identical to the checkpoint "
                                                   "version's");
    else
        add(b, LR_VAL_FILE_SET, NULL, 0, exp, act,
            "%zu live file%s not in the checkpoint version%s%s%s, %zu checkpoint file%s not "
            "live%s%s%s", extra, extra == 1 ? "" : "s", first_extra ? " (e.g. " : "",
            first_extra ? first_extra : "", first_extra ? ")" : "", missing,
            missing == 1 ? "" : "s", first_missing ? " (e.g. " : "",
            first_missing ? first_missing : "", first_missing ? ")" : "");
done:
    free(live);
    free(cp);
}

static void check_schema(struct builder *b, const struct lr_validation_facts *f)
{
    if (!f->schema_now || !f->schema_checkpoint) {
        add(b, LR_VAL_SCHEMA, NULL, -1, "the checkpoint's schema", "unknown",
            "not evaluated: a schema is unavailable");
        return;
    }
    bool same = strcmp(f->schema_now, f->schema_checkpoint) == 0;
    if (!same) {
        json_error_t jerr;
        json_t *a = json_loads(f->schema_now, 0, &jerr);
        json_t *c = json_loads(f->schema_checkpoint, 0, &jerr);
        same = a && c && json_equal(a, c);
        json_decref(a);
        json_decref(c);
    }
    add(b, LR_VAL_SCHEMA, NULL, same ? 1 : 0, "the checkpoint's schema",
        same ? "identical" : "different",
        same ? "schema equals the checkpoint's" : "schema differs from the checkpoint's");
}

static void check_columns(struct builder *b, const struct lr_validation_facts *f)
{
    char act[64];
    for (size_t i = 0; i < f->primary_key_count; i++) {
        const struct lr_column_fact *c = &f->primary_keys[i];
        snprintf(act, sizeof act, "%lld", (long long)c->null_count);
        if (c->null_count < 0)
            add(b, LR_VAL_NULL_PRIMARY_KEY, c->column, -1, "0", act,
                "not evaluated: no null counts for %s in stats, footers or data%s%s",
                c->column, c->source ? ": " : "", c->source ? c->source : "");
        else
            add(b, LR_VAL_NULL_PRIMARY_KEY, c->column, c->null_count == 0, "0", act,
                "%lld null%s in primary-key column %s%s%s%s", (long long)c->null_count,
                c->null_count == 1 ? "" : "s", c->column, c->source ? " (" : "",
                c->source ? c->source : "", c->source ? ")" : "");
    }
    char cp_time[40];
    char max_time[40];
    char exp[48];
    lr_event_format_time(f->checkpoint_time_ms, cp_time, sizeof cp_time);
    snprintf(exp, sizeof exp, "<= %s", cp_time);
    for (size_t i = 0; i < f->tracking_count; i++) {
        const struct lr_column_fact *c = &f->tracking[i];
        if (c->max_ms < 0 || f->checkpoint_time_ms < 0) {
            add(b, LR_VAL_TRACKING_COLUMN, c->column, -1, exp, "unknown",
                "not evaluated: no maximum for %s in stats", c->column);
            continue;
        }
        lr_event_format_time(c->max_ms, max_time, sizeof max_time);
        bool ok = c->max_ms <= f->checkpoint_time_ms;
        add(b, LR_VAL_TRACKING_COLUMN, c->column, ok, exp, max_time,
            ok ? "%s is no newer than the checkpoint"
               : "%s has values newer than the checkpoint: rows written after it remain",
            c->column);
    }
}

int lr_validate_table(struct lr_table_validation *out, const char *table,
                      const struct lr_validation_facts *f, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct builder b = {out, 0, 0};
    out->table = lr_strdup(table);
    if (!out->table)
        b.rc = LR_ENOMEM;
    check_count(&b, f);
    check_files(&b, f);
    check_schema(&b, f);
    check_columns(&b, f);
    if (b.rc < 0) {
        lr_table_validation_free(out);
        return lr_error_set(err, LR_ENOMEM, "out of memory validating table %s", table);
    }
    double num = 0.0;
    double den = 0.0;
    out->passed = true;
    for (size_t i = 0; i < out->count; i++) {
        const struct lr_validation *v = &out->items[i];
        double w = weight_of(v->type);
        den += w;
        num += w * (v->passed ? 1.0 : v->is_evaluated ? 0.0 : 0.5);
        if (v->is_evaluated && !v->passed)
            out->passed = false;
    }
    out->quality_score = den > 0 ? 100.0 * num / den : 100.0;
    return 0;
}

void lr_table_validation_free(struct lr_table_validation *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->count; i++) {
        free(v->items[i].column);
        free(v->items[i].expected);
        free(v->items[i].actual);
        free(v->items[i].details);
    }
    free(v->items);
    free(v->table);
    memset(v, 0, sizeof *v);
}

double lr_validation_overall(const struct lr_table_validation *tables, size_t count)
{
    if (count == 0)
        return 100.0;
    double sum = 0.0;
    for (size_t i = 0; i < count; i++)
        sum += tables[i].quality_score;
    return sum / (double)count;
}

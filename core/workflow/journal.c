/* journal.c - the run journal's JSON entries and their storage: put-if-absent appends with
 * contiguous seq numbers, reading a run's entries back, finding unfinished runs.
 * Replaying entries into a state and planning recovery live in journal_replay.c. */
#include "lakerewind/journal.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"

static const char *kind_names[] = {NULL,
                                   "run_started",
                                   "step",
                                   "table_intent",
                                   "table_restored",
                                   "table_failed",
                                   "table_skipped",
                                   "table_validated",
                                   "run_resumed",
                                   "run_finished"};
#define KIND_COUNT (sizeof kind_names / sizeof kind_names[0])

void lr_journal_entry_free(struct lr_journal_entry *e)
{
    if (!e)
        return;
    free(e->checkpoint);
    free(e->of_run);
    free(e->operator_name);
    free(e->plan_digest);
    for (size_t i = 0; i < e->table_count; i++)
        free(e->tables[i].name);
    free(e->tables);
    free(e->table);
    free(e->error);
    memset(e, 0, sizeof *e);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

char *lr_journal_entry_to_json(const struct lr_journal_entry *e, const char *run_id)
{
    if ((size_t)e->kind >= KIND_COUNT || !kind_names[e->kind])
        return NULL;
    char when[40];
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "format", json_string(LR_JOURNAL_FORMAT));
    json_object_set_new(o, "run_id", json_string(run_id));
    json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
    json_object_set_new(o, "time", json_string(lr_event_format_time(e->time_ms, when,
                                                                      sizeof when)));
    json_object_set_new(o, "entry", json_string(kind_names[e->kind]));
    switch (e->kind) {
    case LR_J_RUN_STARTED: {
        json_object_set_new(o, "kind", json_string(lr_run_kind_name(e->run_kind)));
        json_object_set_new(o, "checkpoint", str_or_null(e->checkpoint));
        json_object_set_new(o, "of_run", str_or_null(e->of_run));
        json_object_set_new(o, "operator", str_or_null(e->operator_name));
        json_object_set_new(o, "plan_digest", str_or_null(e->plan_digest));
        json_object_set_new(o, "dry_run", json_boolean(e->is_dry_run));
        json_t *tables = json_array();
        for (size_t i = 0; tables && i < e->table_count; i++) {
            json_t *t = json_object();
            json_object_set_new(t, "name", json_string(e->tables[i].name));
            json_object_set_new(t, "pre_version", json_integer(e->tables[i].pre_version));
            json_object_set_new(t, "target_version", json_integer(e->tables[i].target_version));
            json_array_append_new(tables, t);
        }
        json_object_set_new(o, "tables", tables);
        break;
    }
    case LR_J_STEP:
        json_object_set_new(o, "step", json_string(lr_step_name(e->step)));
        json_object_set_new(o, "outcome", json_string(lr_step_outcome_name(e->outcome)));
        break;
    case LR_J_TABLE_INTENT:
        json_object_set_new(o, "table", str_or_null(e->table));
        json_object_set_new(o, "expected_version", json_integer(e->expected_version));
        json_object_set_new(o, "target_version", json_integer(e->target_version));
        break;
    case LR_J_TABLE_RESTORED:
        json_object_set_new(o, "table", str_or_null(e->table));
        json_object_set_new(o, "version_written", json_integer(e->version_written));
        break;
    case LR_J_TABLE_FAILED:
    case LR_J_TABLE_SKIPPED:
        json_object_set_new(o, "table", str_or_null(e->table));
        json_object_set_new(o, "error", str_or_null(e->error));
        if (e->kind == LR_J_TABLE_FAILED)
            json_object_set_new(o, "code", json_string(lr_code_name(e->code)));
        break;
    case LR_J_TABLE_VALIDATED:
        json_object_set_new(o, "table", str_or_null(e->table));
        json_object_set_new(o, "passed", json_boolean(e->passed));
        json_object_set_new(o, "quality_score", json_real(e->quality_score));
        break;
    case LR_J_RUN_RESUMED:
        json_object_set_new(o, "operator", str_or_null(e->operator_name));
        break;
    case LR_J_RUN_FINISHED:
        json_object_set_new(o, "status", json_string(lr_run_status_name(e->status)));
        break;
    }
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}

/* ---- decoding ---- */

static int corrupt(struct lr_error *err, const char *what)
{
    return lr_error_set(err, LR_ECORRUPT, "journal entry: %s", what);
}

static int get_str(json_t *o, const char *key, bool required, char **out, struct lr_error *err)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            return lr_error_set(err, LR_ECORRUPT, "journal entry: \"%s\" is missing", key);
        *out = NULL;
        return 0;
    }
    if (!json_is_string(v))
        return lr_error_set(err, LR_ECORRUPT, "journal entry: \"%s\" is not a string", key);
    *out = lr_strdup(json_string_value(v));
    return *out ? 0 : lr_error_set(err, LR_ENOMEM, "out of memory");
}

static int get_int(json_t *o, const char *key, int64_t *out, struct lr_error *err)
{
    json_t *v = json_object_get(o, key);
    if (!json_is_integer(v))
        return lr_error_set(err, LR_ECORRUPT, "journal entry: \"%s\" is not an integer", key);
    *out = (int64_t)json_integer_value(v);
    return 0;
}

/* Find `name` among `count` static names; -1 when absent. */
static int name_index(const char *name, const char *(*fn)(int), int lo, int hi)
{
    for (int i = lo; i <= hi; i++)
        if (strcmp(fn(i), name) == 0)
            return i;
    return -1;
}

static const char *run_kind_i(int i)
{
    return lr_run_kind_name((enum lr_run_kind)i);
}
static const char *step_i(int i)
{
    return lr_step_name((enum lr_step)i);
}
static const char *outcome_i(int i)
{
    return lr_step_outcome_name((enum lr_step_outcome)i);
}
static const char *status_i(int i)
{
    return lr_run_status_name((enum lr_run_status)i);
}
static const char *code_i(int i)
{
    return lr_code_name(-i);
}

static int get_enum(json_t *o, const char *key, const char *(*fn)(int), int lo, int hi, int *out,
                    struct lr_error *err)
{
    const char *s = json_string_value(json_object_get(o, key));
    int idx = s ? name_index(s, fn, lo, hi) : -1;
    if (idx < 0)
        return lr_error_set(err, LR_ECORRUPT, "journal entry: \"%s\" is missing or unknown", key);
    *out = idx;
    return 0;
}

static int decode_tables(struct lr_journal_entry *e, json_t *arr, struct lr_error *err)
{
    if (!json_is_array(arr))
        return corrupt(err, "\"tables\" is not an array");
    size_t n = json_array_size(arr);
    e->tables = calloc(n ? n : 1, sizeof *e->tables);
    if (!e->tables)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_array_get(arr, i);
        e->table_count = i + 1;
        int rc = get_str(t, "name", true, &e->tables[i].name, err);
        if (rc == 0)
            rc = get_int(t, "pre_version", &e->tables[i].pre_version, err);
        if (rc == 0)
            rc = get_int(t, "target_version", &e->tables[i].target_version, err);
        if (rc < 0)
            return lr_error_context(err, "table %zu", i);
    }
    return 0;
}

static int decode(struct lr_journal_entry *e, json_t *o, const char *expected_run_id,
                  struct lr_error *err)
{
    const char *fmt = json_string_value(json_object_get(o, "format"));
    if (!fmt || strcmp(fmt, LR_JOURNAL_FORMAT) != 0)
        return lr_error_set(err, LR_ECORRUPT, "journal entry: format is '%s', expected '%s' "
                                              "(written by a newer lakerewind?)",
                            fmt ? fmt : "(none)", LR_JOURNAL_FORMAT);
    const char *rid = json_string_value(json_object_get(o, "run_id"));
    if (!rid || (expected_run_id && strcmp(rid, expected_run_id) != 0))
        return corrupt(err, "run_id does not match the run's folder");
    int64_t seq = 0;
    int rc = get_int(o, "seq", &seq, err);
    if (rc < 0)
        return rc;
    if (seq < 1)
        return corrupt(err, "seq must be >= 1");
    e->seq = (uint64_t)seq;
    const char *entry = json_string_value(json_object_get(o, "entry"));
    e->kind = 0;
    for (size_t i = 1; entry && i < KIND_COUNT; i++)
        if (strcmp(entry, kind_names[i]) == 0)
            e->kind = (enum lr_journal_kind)i;
    if (!e->kind)
        return corrupt(err, "\"entry\" is missing or unknown");
    int v = 0;
    switch (e->kind) {
    case LR_J_RUN_STARTED:
        rc = get_enum(o, "kind", run_kind_i, 0, LR_RUN_RESUME, &v, err);
        e->run_kind = (enum lr_run_kind)v;
        if (rc == 0)
            rc = get_str(o, "checkpoint", false, &e->checkpoint, err);
        if (rc == 0)
            rc = get_str(o, "of_run", false, &e->of_run, err);
        if (rc == 0)
            rc = get_str(o, "operator", false, &e->operator_name, err);
        if (rc == 0)
            rc = get_str(o, "plan_digest", false, &e->plan_digest, err);
        e->is_dry_run = json_is_true(json_object_get(o, "dry_run"));
        if (rc == 0)
            rc = decode_tables(e, json_object_get(o, "tables"), err);
        break;
    case LR_J_STEP:
        rc = get_enum(o, "step", step_i, 1, LR_STEP_COUNT, &v, err);
        e->step = (enum lr_step)v;
        if (rc == 0)
            rc = get_enum(o, "outcome", outcome_i, 0, LR_STEP_SKIPPED, &v, err);
        e->outcome = (enum lr_step_outcome)v;
        break;
    case LR_J_TABLE_INTENT:
        rc = get_str(o, "table", true, &e->table, err);
        if (rc == 0)
            rc = get_int(o, "expected_version", &e->expected_version, err);
        if (rc == 0)
            rc = get_int(o, "target_version", &e->target_version, err);
        break;
    case LR_J_TABLE_RESTORED:
        rc = get_str(o, "table", true, &e->table, err);
        if (rc == 0)
            rc = get_int(o, "version_written", &e->version_written, err);
        break;
    case LR_J_TABLE_FAILED:
    case LR_J_TABLE_SKIPPED:
        rc = get_str(o, "table", true, &e->table, err);
        if (rc == 0)
            rc = get_str(o, "error", false, &e->error, err);
        if (rc == 0 && e->kind == LR_J_TABLE_FAILED) {
            rc = get_enum(o, "code", code_i, 0, -LR_ELIMIT, &v, err);
            e->code = -v;
        }
        break;
    case LR_J_TABLE_VALIDATED: {
        rc = get_str(o, "table", true, &e->table, err);
        json_t *q = json_object_get(o, "quality_score");
        if (rc == 0 && !json_is_number(q))
            rc = corrupt(err, "\"quality_score\" is not a number");
        e->quality_score = json_number_value(q);
        e->passed = json_is_true(json_object_get(o, "passed"));
        break;
    }
    case LR_J_RUN_RESUMED:
        rc = get_str(o, "operator", false, &e->operator_name, err);
        break;
    case LR_J_RUN_FINISHED:
        rc = get_enum(o, "status", status_i, 0, LR_RUN_REFUSED, &v, err);
        e->status = (enum lr_run_status)v;
        break;
    }
    return rc;
}

int lr_journal_entry_from_json(struct lr_journal_entry *out, const char *text, size_t len,
                               const char *expected_run_id, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    json_error_t jerr;
    json_t *o = json_loadb(text, len, 0, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return lr_error_set(err, LR_ECORRUPT, "journal entry is not a JSON object (line %d: %s)",
                            jerr.line, jerr.text);
    }
    int rc = decode(out, o, expected_run_id, err);
    if (rc == 0) {
        const char *t = json_string_value(json_object_get(o, "time"));
        out->time_ms = -1;
        if (t) {
            struct tm tm;
            memset(&tm, 0, sizeof tm);
            int ms = 0;
            if (sscanf(t, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                       &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms) == 7) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                out->time_ms = (int64_t)timegm(&tm) * 1000 + ms;
            }
        }
    }
    json_decref(o);
    if (rc < 0)
        lr_journal_entry_free(out);
    return rc;
}

/* ---- storage ---- */

struct lr_journal {
    struct lr_store *store;
    char *dir; /* <prefix>/<run_id> */
    char run_id[LR_RUN_ID_LEN + 1];
    pthread_mutex_t lock;
    uint64_t next_seq;
    bool is_finished;
    size_t crash_after; /* 0: off; else appends left before the simulated crash, + 1 */
    bool crashed;
};

static char *entry_key(const char *dir, uint64_t seq)
{
    return lr_asprintf("%s/journal-%06" PRIu64 ".json", dir, seq);
}

static int journal_new(struct lr_journal **out, struct lr_store *store, const char *prefix,
                       const char *run_id, struct lr_error *err)
{
    *out = NULL;
    int rc = lr_run_id_check(run_id, err);
    if (rc < 0)
        return rc;
    struct lr_journal *j = calloc(1, sizeof *j);
    if (!j)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    j->dir = lr_asprintf("%s/%s", prefix ? prefix : LR_JOURNAL_DEFAULT_PREFIX, run_id);
    if (!j->dir) {
        free(j);
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    }
    j->store = store;
    snprintf(j->run_id, sizeof j->run_id, "%s", run_id);
    pthread_mutex_init(&j->lock, NULL);
    j->next_seq = 1;
    *out = j;
    return 0;
}

int lr_journal_create(struct lr_journal **out, struct lr_store *store, const char *runs_prefix,
                      const char *run_id, struct lr_error *err)
{
    return journal_new(out, store, runs_prefix, run_id, err);
}

int lr_journal_reopen(struct lr_journal **out, struct lr_store *store, const char *runs_prefix,
                      const char *run_id, struct lr_error *err)
{
    struct lr_journal_entries entries = {0};
    int rc = lr_journal_read(store, runs_prefix, run_id, &entries, err);
    if (rc < 0)
        return rc;
    rc = journal_new(out, store, runs_prefix, run_id, err);
    if (rc == 0) {
        (*out)->next_seq = entries.count + 1;
        (*out)->is_finished = entries.items[entries.count - 1].kind == LR_J_RUN_FINISHED;
    }
    lr_journal_entries_free(&entries);
    return rc;
}

void lr_journal_close(struct lr_journal *j)
{
    if (!j)
        return;
    pthread_mutex_destroy(&j->lock);
    free(j->dir);
    free(j);
}

void lr_journal_crash_after(struct lr_journal *j, size_t n)
{
    pthread_mutex_lock(&j->lock);
    j->crash_after = n ? n + 1 : 0;
    j->crashed = false;
    pthread_mutex_unlock(&j->lock);
}

int64_t lr_journal_append(struct lr_journal *j, const struct lr_journal_entry *e,
                          struct lr_error *err)
{
    int64_t rc = 0;
    char *key = NULL;
    char *text = NULL;
    pthread_mutex_lock(&j->lock);
    if (j->crash_after == 1 || j->crashed) {
        j->crashed = true;
        rc = lr_error_set(err, LR_ECANCELLED, "run %s: the journal stopped (simulated crash)",
                          j->run_id);
        goto done;
    }
    if ((j->next_seq == 1) != (e->kind == LR_J_RUN_STARTED)) {
        rc = lr_error_set(err, LR_ESTATE, "run %s: run_started must be the first journal entry "
                                          "and only the first", j->run_id);
        goto done;
    }
    if (j->is_finished) {
        rc = lr_error_set(err, LR_ESTATE, "run %s is finished: its journal is closed", j->run_id);
        goto done;
    }
    struct lr_journal_entry stamped = *e;
    stamped.seq = j->next_seq;
    stamped.time_ms = lr_event_now_ms();
    text = lr_journal_entry_to_json(&stamped, j->run_id);
    key = entry_key(j->dir, stamped.seq);
    if (!text || !key) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    int prc = lr_store_put_if_absent(j->store, key, text, strlen(text), err);
    if (prc == LR_EEXISTS) {
        rc = lr_error_set(err, LR_ECONFLICT, "run %s: journal entry %" PRIu64 " was written by "
                                             "another process: is the run being resumed or "
                                             "undone elsewhere?", j->run_id, stamped.seq);
        goto done;
    }
    if (prc < 0) {
        rc = lr_error_context(err, "run %s: writing journal entry %" PRIu64, j->run_id,
                              stamped.seq);
        goto done;
    }
    rc = (int64_t)stamped.seq;
    j->next_seq++;
    if (e->kind == LR_J_RUN_FINISHED)
        j->is_finished = true;
    if (j->crash_after > 1)
        j->crash_after--;
done:
    pthread_mutex_unlock(&j->lock);
    free(key);
    free(text);
    return rc;
}

void lr_journal_entries_free(struct lr_journal_entries *entries)
{
    for (size_t i = 0; i < entries->count; i++)
        lr_journal_entry_free(&entries->items[i]);
    free(entries->items);
    entries->items = NULL;
    entries->count = 0;
}

/* Parse "journal-000012.json" at the end of `key`; 0 when the name does not match. */
static uint64_t seq_of_key(const char *key)
{
    const char *base = strrchr(key, '/');
    base = base ? base + 1 : key;
    if (!lr_str_starts_with(base, "journal-") || !lr_str_ends_with(base, ".json"))
        return 0;
    char digits[32];
    size_t n = strlen(base) - strlen("journal-") - strlen(".json");
    if (n == 0 || n >= sizeof digits)
        return 0;
    memcpy(digits, base + strlen("journal-"), n);
    digits[n] = '\0';
    uint64_t v;
    return lr_parse_uint64(digits, &v) ? v : 0;
}

int lr_journal_read(struct lr_store *store, const char *runs_prefix, const char *run_id,
                    struct lr_journal_entries *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    struct lr_store_page page = {0};
    struct lr_buf buf = LR_BUF_INIT;
    char *dir = NULL;
    int rc = lr_run_id_check(run_id, err);
    if (rc < 0)
        return rc;
    snprintf(out->run_id, sizeof out->run_id, "%s", run_id);
    dir = lr_asprintf("%s/%s/", runs_prefix ? runs_prefix : LR_JOURNAL_DEFAULT_PREFIX, run_id);
    if (!dir)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    rc = lr_store_list(store, dir, NULL, &page, err);
    if (rc < 0)
        goto done;
    out->items = calloc(page.count ? page.count : 1, sizeof *out->items);
    if (!out->items) {
        rc = lr_error_set(err, LR_ENOMEM, "out of memory");
        goto done;
    }
    /* Keys are listed in bytewise order; zero-padded seqs sort numerically up to 999999. */
    for (size_t i = 0; i < page.count; i++) {
        uint64_t seq = seq_of_key(page.entries[i].key);
        if (seq == 0)
            continue; /* not a journal entry (a future attachment): ignore */
        if (seq != out->count + 1) {
            rc = lr_error_set(err, LR_ECORRUPT, "journal entry %" PRIu64 " follows entry %zu: "
                                                "entries are missing", seq, out->count);
            goto done;
        }
        lr_buf_reset(&buf);
        rc = lr_store_get(store, page.entries[i].key, &buf, err);
        if (rc < 0)
            goto done;
        rc = lr_journal_entry_from_json(&out->items[out->count], (const char *)buf.data,
                                        buf.len, run_id, err);
        if (rc < 0) {
            lr_error_context(err, "%s", page.entries[i].key);
            goto done;
        }
        out->count++;
        if (out->items[out->count - 1].seq != seq) {
            rc = lr_error_set(err, LR_ECORRUPT, "%s holds seq %" PRIu64, page.entries[i].key,
                              out->items[out->count - 1].seq);
            goto done;
        }
    }
    if (out->count == 0) {
        rc = lr_error_set(err, LR_ENOTFOUND, "run %s has no journal under %s (see `lakerewind "
                                             "runs`)", run_id, dir);
        goto done;
    }
    if (out->items[0].kind != LR_J_RUN_STARTED) {
        rc = lr_error_set(err, LR_ECORRUPT, "run %s: the first journal entry is not run_started",
                          run_id);
        goto done;
    }
done:
    if (rc < 0)
        lr_error_context(err, "reading the journal of run %s", run_id);
    if (rc < 0)
        lr_journal_entries_free(out);
    lr_store_page_free(&page);
    lr_buf_free(&buf);
    free(dir);
    return rc;
}

static int collect_runs(struct lr_store *store, const char *runs_prefix, bool only_interrupted,
                        struct lr_run_state **out, size_t *count, struct lr_error *err);

int lr_journal_find_interrupted(struct lr_store *store, const char *runs_prefix,
                                struct lr_run_state **out, size_t *count, struct lr_error *err)
{
    return collect_runs(store, runs_prefix, true, out, count, err);
}

static int cmp_started(const void *a, const void *b)
{
    const struct lr_run_state *x = a;
    const struct lr_run_state *y = b;
    return x->started_ms == y->started_ms ? 0 : x->started_ms > y->started_ms ? -1 : 1;
}

int lr_journal_list_runs(struct lr_store *store, const char *runs_prefix,
                         struct lr_run_state **out, size_t *count, struct lr_error *err)
{
    int rc = collect_runs(store, runs_prefix, false, out, count, err);
    if (rc == 0 && *count > 1)
        qsort(*out, *count, sizeof **out, cmp_started);
    return rc;
}

static int collect_runs(struct lr_store *store, const char *runs_prefix, bool only_interrupted,
                        struct lr_run_state **out, size_t *count, struct lr_error *err)
{
    *out = NULL;
    *count = 0;
    const char *prefix = runs_prefix ? runs_prefix : LR_JOURNAL_DEFAULT_PREFIX;
    char *pfx = lr_asprintf("%s/", prefix);
    struct lr_store_page page = {0};
    struct lr_strvec runs = {0};
    int rc = 0;
    if (!pfx)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    rc = lr_store_list(store, pfx, NULL, &page, err);
    if (rc < 0)
        goto done;
    size_t plen = strlen(pfx);
    for (size_t i = 0; i < page.count; i++) {
        const char *rest = page.entries[i].key + plen;
        const char *slash = strchr(rest, '/');
        if (!slash || (size_t)(slash - rest) != LR_RUN_ID_LEN)
            continue;
        char id[LR_RUN_ID_LEN + 1];
        memcpy(id, rest, LR_RUN_ID_LEN);
        id[LR_RUN_ID_LEN] = '\0';
        if (!lr_run_id_valid(id) || (runs.count && !strcmp(runs.items[runs.count - 1], id)))
            continue;
        if (lr_strvec_push(&runs, id) < 0) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
    }
    for (size_t i = 0; i < runs.count; i++) {
        struct lr_journal_entries entries;
        rc = lr_journal_read(store, prefix, runs.items[i], &entries, err);
        if (rc < 0)
            goto done;
        struct lr_run_state st;
        rc = lr_run_state_replay(&st, &entries, err);
        lr_journal_entries_free(&entries);
        if (rc < 0)
            goto done;
        if (only_interrupted && !lr_run_state_is_interrupted(&st)) {
            lr_run_state_free(&st);
            continue;
        }
        struct lr_run_state *grown = realloc(*out, (*count + 1) * sizeof **out);
        if (!grown) {
            lr_run_state_free(&st);
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            goto done;
        }
        *out = grown;
        (*out)[(*count)++] = st;
    }
done:
    if (rc < 0) {
        for (size_t i = 0; i < *count; i++)
            lr_run_state_free(&(*out)[i]);
        free(*out);
        *out = NULL;
        *count = 0;
    }
    lr_strvec_free(&runs);
    lr_store_page_free(&page);
    free(pfx);
    return rc;
}

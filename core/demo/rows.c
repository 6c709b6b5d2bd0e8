/* rows.c - deterministic demo values: each value is a hash of (seed, table, column, row,
 * version), so any row can be regenerated without keeping state, and two builds agree byte for
 * byte. Also the table's Delta schemaString. */
#include <stdio.h>
#include <string.h>

#include "lakerewind/demo.h"

void lr_demo_rng_seed(struct lr_demo_rng *r, uint64_t seed)
{
    r->state = seed;
}

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

uint64_t lr_demo_rng_next(struct lr_demo_rng *r)
{
    r->state += 0x9e3779b97f4a7c15ULL;
    return mix64(r->state);
}

uint64_t lr_demo_rng_below(struct lr_demo_rng *r, uint64_t n)
{
    return lr_demo_rng_next(r) % n;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ULL;
    return h;
}

static uint64_t value_hash(const struct lr_demo_table *t, const struct lr_demo_column *c,
                           uint64_t row_id, unsigned version, uint64_t seed)
{
    return mix64(seed ^ mix64(hash_str(t->name) ^ mix64(hash_str(c->name) + row_id * 0x9e37ULL +
                                                        (uint64_t)version * 0x85ebca6bULL)));
}

static const char *first_names[] = {"Amara", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace",
                                    "Hiro", "Isla", "Jonas", "Kemi", "Liam", "Maya", "Noor",
                                    "Oscar", "Priya", "Quinn", "Rosa", "Sami", "Tess"};
static const char *last_names[] = {"Adeyemi", "Brennan", "Costa", "Dubois", "Eriksen", "Fischer",
                                   "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist",
                                   "Moreau", "Nakamura", "O'Brien", "Patel", "Rossi", "Schmidt"};
static const char *cities[] = {"London", "Manchester", "Leeds", "Bristol", "Glasgow", "Cardiff",
                               "Belfast", "Dublin", "Edinburgh", "York", "Zürich", "København"};
static const char *categories[] = {"email", "phonecall", "task", "appointment", "letter"};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Columns whose values change when a row is updated by a sync. */
static bool is_mutable(enum lr_demo_kind k)
{
    return k == LR_DEMO_NAME || k == LR_DEMO_EMAIL || k == LR_DEMO_CITY || k == LR_DEMO_AMOUNT ||
           k == LR_DEMO_STATE;
}

json_t *lr_demo_value(const struct lr_demo_table *t, const struct lr_demo_column *c,
                      uint64_t row_id, unsigned version, int64_t sync_us, uint64_t seed)
{
    uint64_t h = value_hash(t, c, row_id, is_mutable(c->kind) ? version : 0, seed);
    char text[160];
    switch (c->kind) {
    case LR_DEMO_KEY:
        snprintf(text, sizeof text, "%s-%08llx-%06llu", t->name,
                 (unsigned long long)(mix64(seed ^ hash_str(t->name) ^ row_id) & 0xffffffffu),
                 (unsigned long long)row_id);
        return json_string(text);
    case LR_DEMO_FOREIGN_KEY: {
        const struct lr_demo_table *ref = lr_demo_table_find(c->ref);
        if (!ref)
            return json_null();
        if (c->nullable && h % 50 == 0)
            return json_null();
        uint64_t target = h % ref->initial_rows;
        snprintf(text, sizeof text, "%s-%08llx-%06llu", ref->name,
                 (unsigned long long)(mix64(seed ^ hash_str(ref->name) ^ target) & 0xffffffffu),
                 (unsigned long long)target);
        return json_string(text);
    }
    case LR_DEMO_NAME:
        if (strcmp(c->name, "subject") == 0 || strcmp(c->name, "title") == 0) {
            static const char *topics[] = {"Thank-you call", "Gift Aid form", "Event invite",
                                           "Legacy enquiry", "Address change", "Direct debit"};
            snprintf(text, sizeof text, "%s #%llu", topics[h % COUNT(topics)],
                     (unsigned long long)(row_id + 1));
        } else {
            snprintf(text, sizeof text, "%s %s", first_names[h % COUNT(first_names)],
                     last_names[(h >> 16) % COUNT(last_names)]);
        }
        return json_string(text);
    case LR_DEMO_EMAIL:
        if (c->nullable && h % 23 == 0)
            return json_null();
        snprintf(text, sizeof text, "%c.%s%llu@example.org",
                 first_names[h % COUNT(first_names)][0] + ('a' - 'A'),
                 last_names[(h >> 16) % COUNT(last_names)], (unsigned long long)(row_id % 97));
        for (char *p = text; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + ('a' - 'A'));
        return json_string(text);
    case LR_DEMO_CITY:
        if (c->nullable && h % 31 == 0)
            return json_null();
        return json_string(cities[h % COUNT(cities)]);
    case LR_DEMO_AMOUNT:
        return json_real((double)(h % 500000) / 100.0 + 1.0);
    case LR_DEMO_STATE:
        return json_integer((json_int_t)(h % 7 == 0 ? 1 : h % 31 == 0 ? 2 : 0));
    case LR_DEMO_YEAR:
        return json_integer((json_int_t)(2019 + row_id * 7 / (t->initial_rows + 1)));
    case LR_DEMO_CATEGORY:
        return json_string(categories[h % COUNT(categories)]);
    case LR_DEMO_CREATED: {
        /* Spread over the two years before the first sync (2025-01-06T00:00:00Z). */
        int64_t base_us = 1736121600LL * 1000000;
        int64_t back = (int64_t)(h % (730ULL * 86400)) * 1000000;
        if (c->type == LR_DEMO_DATE)
            return json_integer((json_int_t)((base_us - back) / 86400000000LL));
        return json_integer((json_int_t)(base_us - back));
    }
    case LR_DEMO_MODIFIED:
        return json_integer((json_int_t)sync_us);
    case LR_DEMO_IS_DELETE:
        return json_false();
    case LR_DEMO_VERSIONNUMBER:
        return json_integer((json_int_t)(1000000 + row_id * 100 + version));
    }
    return json_null();
}

json_t *lr_demo_row(const struct lr_demo_table *t, uint64_t row_id, unsigned version,
                    int64_t sync_us, uint64_t seed)
{
    json_t *row = json_object();
    if (!row)
        return NULL;
    for (size_t i = 0; i < t->ncolumns; i++) {
        json_t *v = lr_demo_value(t, &t->columns[i], row_id, version, sync_us, seed);
        if (!v || json_object_set_new(row, t->columns[i].name, v) < 0) {
            json_decref(row);
            return NULL;
        }
    }
    return row;
}

char *lr_demo_schema_string(const struct lr_demo_table *t)
{
    json_t *fields = json_array();
    for (size_t i = 0; fields && i < t->ncolumns; i++) {
        const struct lr_demo_column *c = &t->columns[i];
        json_t *f = json_pack("{s:s, s:s, s:b, s:{}}", "name", c->name, "type",
                              lr_demo_type_name(c->type), "nullable", c->nullable, "metadata");
        if (!f || json_array_append_new(fields, f) < 0) {
            json_decref(fields);
            return NULL;
        }
    }
    if (!fields)
        return NULL;
    json_t *schema = json_pack("{s:s, s:o}", "type", "struct", "fields", fields);
    if (!schema)
        return NULL;
    char *text = json_dumps(schema, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(schema);
    return text;
}

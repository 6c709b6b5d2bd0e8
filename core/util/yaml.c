/* yaml.c - libyaml events -> a node tree with positions (see yaml.h).
 * Owns: the tree builder (a stack of open containers), anchors/aliases, merge keys, limits.
 * Does not own: what the keys mean (config/, themes). */
#include "lakerewind/yaml.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "lakerewind/str.h"

#define MAX_PAIRS_TOTAL 1000000 /* merge keys copy pairs: bound the sum over all mappings */

struct anchor {
    char *name;
    struct lr_yaml_node *node;
};

struct frame {
    struct lr_yaml_node *node;
    struct lr_yaml_node *pending_key; /* a key waiting for its value (mappings) */
    bool pending_is_merge;
    struct lr_yaml_node **merges; /* mappings named by `<<`, applied at the mapping's end */
    size_t merge_count;
};

struct builder {
    struct lr_yaml_doc *doc;
    struct frame stack[LR_YAML_MAX_DEPTH];
    size_t depth;
    struct anchor *anchors;
    size_t anchor_count;
    size_t pairs_total;
    struct lr_error *err;
};

static const char *yaml_form =
    "well-formed YAML: 'key: value' pairs indented with spaces, '- item' lists, '#' comments";

int lr_yaml_error(struct lr_error *err, const struct lr_yaml_doc *doc,
                  const struct lr_yaml_node *at, const char *expected, const char *fmt, ...)
{
    if (!err)
        return LR_EINVAL;
    char what[LR_ERROR_MAX / 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    /* Keep the tail ("file:line:column: expected ...") whole: shorten the front part first. */
    char tail[LR_ERROR_MAX / 2];
    snprintf(tail, sizeof tail, "%s:%zu:%zu: expected %s", doc && doc->name ? doc->name : "?",
             at ? at->line : (size_t)1, at ? at->column : (size_t)1, expected);
    size_t room = sizeof err->message - strlen(tail) - 3;
    if (strlen(what) > room)
        what[room] = '\0';
    return lr_error_set(err, LR_EINVAL, "%s: %s", what, tail);
}

static int error_at_mark(struct builder *b, yaml_mark_t mark, const char *expected,
                         const char *what)
{
    struct lr_yaml_node at = {0};
    at.line = mark.line + 1;
    at.column = mark.column + 1;
    return lr_yaml_error(b->err, b->doc, &at, expected, "%s", what);
}

static struct lr_yaml_node *new_node(struct builder *b, enum lr_yaml_kind kind, yaml_mark_t mark)
{
    struct lr_yaml_doc *d = b->doc;
    if (d->all_count >= LR_YAML_MAX_NODES) {
        lr_error_set(b->err, LR_ELIMIT, "%s: more than %d YAML nodes; a configuration file is "
                     "never that large", d->name, LR_YAML_MAX_NODES);
        return NULL;
    }
    if (d->all_count == d->all_cap) {
        size_t cap = d->all_cap ? d->all_cap * 2 : 64;
        struct lr_yaml_node **p = realloc(d->all, cap * sizeof *p);
        if (!p)
            goto nomem;
        d->all = p;
        d->all_cap = cap;
    }
    struct lr_yaml_node *n = calloc(1, sizeof *n);
    if (!n)
        goto nomem;
    n->kind = kind;
    n->line = mark.line + 1;
    n->column = mark.column + 1;
    d->all[d->all_count++] = n;
    return n;
nomem:
    lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", d->name);
    return NULL;
}

static int ensure_slots(struct builder *b, struct lr_yaml_node *parent, size_t need)
{
    if (need <= parent->items_cap)
        return 0;
    size_t cap = parent->items_cap ? parent->items_cap * 2 : 4;
    while (cap < need)
        cap *= 2;
    struct lr_yaml_node **p = realloc(parent->items, cap * sizeof *p);
    if (!p)
        return lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", b->doc->name);
    parent->items = p;
    parent->items_cap = cap;
    return 0;
}

static int push_item(struct builder *b, struct lr_yaml_node *seq, struct lr_yaml_node *item)
{
    int rc = ensure_slots(b, seq, seq->count + 1);
    if (rc == 0)
        seq->items[seq->count++] = item;
    return rc;
}

static int add_pair(struct builder *b, struct lr_yaml_node *map, struct lr_yaml_node *key,
                    struct lr_yaml_node *value)
{
    if (++b->pairs_total > MAX_PAIRS_TOTAL)
        return lr_error_set(b->err, LR_ELIMIT, "%s: too many mapping entries (merge keys?)",
                            b->doc->name);
    int rc = ensure_slots(b, map, map->count * 2 + 2);
    if (rc == 0) {
        map->items[map->count * 2] = key;
        map->items[map->count * 2 + 1] = value;
        map->count++;
    }
    return rc;
}

const struct lr_yaml_node *lr_yaml_map_get(const struct lr_yaml_node *map, const char *key)
{
    if (!map || map->kind != LR_YAML_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++) {
        const struct lr_yaml_node *k = map->items[2 * i];
        if (k->kind == LR_YAML_SCALAR && strcmp(k->value, key) == 0)
            return map->items[2 * i + 1];
    }
    return NULL;
}

bool lr_yaml_is_null(const struct lr_yaml_node *n)
{
    if (!n || n->kind != LR_YAML_SCALAR || !n->is_plain)
        return false;
    const char *v = n->value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") ||
           !strcmp(v, "NULL");
}

static int apply_merges(struct builder *b, struct frame *f)
{
    for (size_t m = 0; m < f->merge_count; m++) {
        struct lr_yaml_node *src = f->merges[m];
        for (size_t i = 0; i < src->count; i++) {
            struct lr_yaml_node *k = src->items[2 * i];
            if (lr_yaml_map_get(f->node, k->value))
                continue; /* explicit keys and earlier merges win */
            int rc = add_pair(b, f->node, k, src->items[2 * i + 1]);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

static int note_merge(struct builder *b, struct frame *f, struct lr_yaml_node *value)
{
    struct lr_yaml_node **srcs = &value;
    size_t n = 1;
    if (value->kind == LR_YAML_SEQ) {
        srcs = value->items;
        n = value->count;
    }
    for (size_t i = 0; i < n; i++) {
        if (srcs[i]->kind != LR_YAML_MAP)
            return lr_yaml_error(b->err, b->doc, srcs[i],
                                 "an alias of a mapping (<<: *name) or a list of them",
                                 "merge key '<<' with a value that is not a mapping");
        struct lr_yaml_node **p = realloc(f->merges, (f->merge_count + 1) * sizeof *p);
        if (!p)
            return lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", b->doc->name);
        f->merges = p;
        f->merges[f->merge_count++] = srcs[i];
    }
    return 0;
}

/* Attach a finished node to the open container (or make it the root). */
static int attach(struct builder *b, struct lr_yaml_node *n)
{
    if (b->depth == 0) {
        b->doc->root = n;
        return 0;
    }
    struct frame *f = &b->stack[b->depth - 1];
    if (f->node->kind == LR_YAML_SEQ)
        return push_item(b, f->node, n);
    if (!f->pending_key) {
        if (n->kind != LR_YAML_SCALAR)
            return lr_yaml_error(b->err, b->doc, n, "a plain text key",
                                 "a mapping key that is itself a list or mapping");
        if (lr_yaml_map_get(f->node, n->value))
            return lr_yaml_error(b->err, b->doc, n, "each key once in a mapping",
                                 "duplicate key '%s'", n->value);
        f->pending_key = n;
        f->pending_is_merge = n->is_plain && strcmp(n->value, "<<") == 0;
        return 0;
    }
    struct lr_yaml_node *key = f->pending_key;
    f->pending_key = NULL;
    if (f->pending_is_merge)
        return note_merge(b, f, n);
    return add_pair(b, f->node, key, n);
}

static int remember_anchor(struct builder *b, const yaml_char_t *anchor, struct lr_yaml_node *n)
{
    if (!anchor)
        return 0;
    struct anchor *p = realloc(b->anchors, (b->anchor_count + 1) * sizeof *p);
    if (!p)
        return lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", b->doc->name);
    b->anchors = p;
    /* A later anchor with the same name shadows the earlier one (YAML 1.2). */
    p[b->anchor_count].name = lr_strdup((const char *)anchor);
    p[b->anchor_count].node = n;
    if (!p[b->anchor_count].name)
        return lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", b->doc->name);
    b->anchor_count++;
    return 0;
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    for (size_t i = b->anchor_count; i-- > 0;) {
        if (strcmp(b->anchors[i].name, name) != 0)
            continue;
        for (size_t d = 0; d < b->depth; d++)
            if (b->stack[d].node == b->anchors[i].node)
                return error_at_mark(b, ev->start_mark, "an alias of a finished node",
                                     "recursive alias");
        return attach(b, b->anchors[i].node);
    }
    char what[300];
    snprintf(what, sizeof what, "alias *%.200s names no anchor defined before it", name);
    return error_at_mark(b, ev->start_mark, "an anchor (&name) defined before its alias", what);
}

static int on_scalar(struct builder *b, const yaml_event_t *ev)
{
    const yaml_char_t *v = ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (memchr(v, '\0', len))
        return error_at_mark(b, ev->start_mark, "text without NUL characters",
                             "a scalar holding a NUL character");
    struct lr_yaml_node *n = new_node(b, LR_YAML_SCALAR, ev->start_mark);
    if (!n)
        return b->err ? b->err->code : LR_ENOMEM;
    n->value = lr_strndup((const char *)v, len);
    if (!n->value)
        return lr_error_set(b->err, LR_ENOMEM, "out of memory reading %s", b->doc->name);
    n->is_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !ev->data.scalar.tag;
    int rc = remember_anchor(b, ev->data.scalar.anchor, n);
    return rc < 0 ? rc : attach(b, n);
}

static int on_start(struct builder *b, const yaml_event_t *ev, enum lr_yaml_kind kind)
{
    if (b->depth >= LR_YAML_MAX_DEPTH)
        return error_at_mark(b, ev->start_mark, "nesting no deeper than 64 levels",
                             "YAML nested too deeply");
    struct lr_yaml_node *n = new_node(b, kind, ev->start_mark);
    if (!n)
        return b->err ? b->err->code : LR_ENOMEM;
    const yaml_char_t *anchor = kind == LR_YAML_MAP ? ev->data.mapping_start.anchor
                                                    : ev->data.sequence_start.anchor;
    int rc = remember_anchor(b, anchor, n);
    if (rc < 0)
        return rc;
    struct frame *f = &b->stack[b->depth++];
    memset(f, 0, sizeof *f);
    f->node = n;
    return 0;
}

static int on_end(struct builder *b)
{
    struct frame *f = &b->stack[--b->depth];
    int rc = 0;
    if (f->node->kind == LR_YAML_MAP)
        rc = apply_merges(b, f);
    free(f->merges);
    f->merges = NULL;
    return rc < 0 ? rc : attach(b, f->node);
}

static int parse_error(struct builder *b, const yaml_parser_t *p)
{
    char what[600];
    const char *problem = p->problem ? p->problem : "unreadable input";
    if (p->context)
        snprintf(what, sizeof what, "invalid YAML: %s %s", problem, p->context);
    else
        snprintf(what, sizeof what, "invalid YAML: %s", problem);
    if (p->error == YAML_READER_ERROR) {
        struct lr_yaml_node at = {0};
        at.line = p->problem_mark.line + 1;
        at.column = p->problem_mark.column + 1;
        char w2[700];
        snprintf(w2, sizeof w2, "%s (byte offset %zu)", what, p->problem_offset);
        return lr_yaml_error(b->err, b->doc, &at, "UTF-8 text without control characters",
                             "%s", w2);
    }
    return error_at_mark(b, p->problem_mark, yaml_form, what);
}

int lr_yaml_parse(struct lr_yaml_doc *out, const char *name, const char *data, size_t len,
                  struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    out->name = lr_strdup(name ? name : "<input>");
    if (!out->name)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct builder b = {0};
    b.doc = out;
    b.err = err;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return lr_error_set(err, LR_ENOMEM, "out of memory starting the YAML parser");
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    int rc = 0;
    size_t documents = 0;
    bool done = false;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = parse_error(&b, &parser);
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++documents > 1)
                rc = error_at_mark(&b, ev.start_mark, "a single YAML document",
                                   "a second YAML document ('---')");
            break;
        case YAML_SCALAR_EVENT:
            rc = on_scalar(&b, &ev);
            break;
        case YAML_SEQUENCE_START_EVENT:
            rc = on_start(&b, &ev, LR_YAML_SEQ);
            break;
        case YAML_MAPPING_START_EVENT:
            rc = on_start(&b, &ev, LR_YAML_MAP);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            rc = b.depth > 0 ? on_end(&b) : LR_EINVAL;
            break;
        case YAML_ALIAS_EVENT:
            rc = on_alias(&b, &ev);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    while (b.depth > 0)
        free(b.stack[--b.depth].merges);
    for (size_t i = 0; i < b.anchor_count; i++)
        free(b.anchors[i].name);
    free(b.anchors);
    if (rc < 0)
        lr_yaml_doc_free(out);
    return rc;
}

void lr_yaml_doc_free(struct lr_yaml_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->all_count; i++) {
        free(doc->all[i]->value);
        free(doc->all[i]->items);
        free(doc->all[i]);
    }
    free(doc->all);
    free(doc->name);
    memset(doc, 0, sizeof *doc);
}

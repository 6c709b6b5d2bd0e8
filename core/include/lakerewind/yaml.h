/* yaml.h - a small YAML document tree with source positions, built on libyaml's event API.
 *
 * Used by the configuration loader and theme files: every node keeps its line and column so a
 * bad value can be reported as "file:line:column: expected ...". Supports one document of
 * mappings, sequences and scalars, anchors and aliases (shared, not copied), and merge keys
 * (`<<: *base`). Duplicate keys in one mapping are an error. Bounded: nesting depth, node count.
 *
 * Ownership: lr_yaml_parse fills a caller-owned struct lr_yaml_doc; every node and string in it
 * belongs to the document and is freed by lr_yaml_doc_free(). Nodes are borrowed pointers. */
#ifndef LAKEREWIND_YAML_H
#define LAKEREWIND_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "lakerewind/error.h"

enum lr_yaml_kind { LR_YAML_SCALAR = 1, LR_YAML_SEQ, LR_YAML_MAP };

struct lr_yaml_node {
    enum lr_yaml_kind kind;
    size_t line;   /* 1-based */
    size_t column; /* 1-based */
    /* LR_YAML_SCALAR */
    char *value;      /* NUL-terminated text as written (escapes resolved) */
    bool is_plain;    /* unquoted, untagged: may be null/bool/number */
    /* LR_YAML_SEQ: items[0..count); LR_YAML_MAP: items[2i] key, items[2i+1] value */
    struct lr_yaml_node **items;
    size_t count; /* sequence items or mapping pairs */
    size_t items_cap; /* internal: allocated slots in items */
};

struct lr_yaml_doc {
    char *name;                /* file name used in messages (owned) */
    struct lr_yaml_node *root; /* NULL for an empty document (only comments or nothing) */
    struct lr_yaml_node **all; /* every node, for freeing (internal) */
    size_t all_count;
    size_t all_cap;
};

#define LR_YAML_MAX_DEPTH 64
#define LR_YAML_MAX_NODES 100000

/* Parse `len` bytes of YAML. `name` (copied) names the source in messages. On failure returns
 * LR_EINVAL (bad YAML: "...: name:line:column: expected ...") or LR_ELIMIT/LR_ENOMEM and
 * leaves `out` empty (safe to free). */
int lr_yaml_parse(struct lr_yaml_doc *out, const char *name, const char *data, size_t len,
                  struct lr_error *err);
void lr_yaml_doc_free(struct lr_yaml_doc *doc);

/* A plain scalar spelled null, Null, NULL, ~ or nothing. */
bool lr_yaml_is_null(const struct lr_yaml_node *n);

/* The value for `key` in a mapping, or NULL. */
const struct lr_yaml_node *lr_yaml_map_get(const struct lr_yaml_node *map, const char *key);

/* Fill `err` with code LR_EINVAL and "<what>: <doc name>:<line>:<column>: expected <expected>",
 * positioned at `at` (or 1:1 when NULL). Returns LR_EINVAL. */
int lr_yaml_error(struct lr_error *err, const struct lr_yaml_doc *doc,
                  const struct lr_yaml_node *at, const char *expected, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif

/* checkpoint_fields.h - private to the add/remove decoder of Parquet checkpoints: the field
 * plan of add and remove (checkpoint_files.c) and the row-at-a-time pass over the fields that
 * have no place of their own in a record (checkpoint_rest.c). */
#ifndef LR_DELTA_CHECKPOINT_FIELDS_H
#define LR_DELTA_CHECKPOINT_FIELDS_H

#include "delta/internal.h"
#include "lakerewind/parquet.h"

/* What a child of add/remove becomes in the record. */
enum frole { R_EXTRA, R_PATH, R_SIZE, R_TIME, R_DATA_CHANGE, R_PV, R_SPNUM };
enum fkind { F_LEAF, F_STRUCT, F_MAP };

struct ffield {
    const struct lr_parquet_node *node;
    enum fkind kind;
    enum frole role;
    size_t col;            /* rest fields: the first column in the rest batch (F_MAP: the key
                              column, value = col + 1) */
    size_t ncols;          /* columns under this field */
    struct ffield *kids;   /* F_STRUCT */
    size_t nkids;
    int kv_def, kv_rep;    /* F_MAP: levels of the repeated key_value group */
};

struct ftop {
    struct ffield f;       /* F_STRUCT over the children but stats */
    const struct lr_parquet_node *stats; /* the `stats` leaf, or NULL */
    bool is_add;
};

/* Both tops' plans for one checkpoint file. */
struct fast {
    struct ftop plans[2];       /* in schema order */
    size_t ntops;
    struct lr_strvec cols;      /* the rest batch projection, in schema leaf order */
    struct lr_buf kb;           /* a pool key */
};

/* A row group's records, one slot per row (a checkpoint row holds one action): the record of
 * the row's add, or of its remove with the low bit of the pointer set; NULL for a row of
 * another action. */
static inline struct lr_delta_file *delta_row_rec(struct lr_delta_file *const *rows, size_t row,
                                                  bool is_add)
{
    uintptr_t p = (uintptr_t)rows[row];
    return p && (p & 1) == !is_add ? (struct lr_delta_file *)(p & ~(uintptr_t)1) : NULL;
}

/* The slot's record whatever its kind (*is_add says which), NULL when empty. */
static inline struct lr_delta_file *delta_row_any(struct lr_delta_file *const *rows, size_t row,
                                                  bool *is_add)
{
    uintptr_t p = (uintptr_t)rows[row];
    *is_add = !(p & 1);
    return (struct lr_delta_file *)(p & ~(uintptr_t)1);
}

/* Fields read from the rest batch, a row at a time: partitionValues and those without a place
 * of their own in the record. The others are plain leaves, read a page at a time. */
bool delta_field_in_rest(const struct ffield *k);
/* Push the dotted paths of n's leaves (schema order). LR_ENOMEM. */
int delta_field_leaves(const struct lr_parquet_node *n, struct lr_strvec *cols);
/* partitionValues and the rest fields of row group rg into its records (`rows`, one slot per
 * row as delta_row_rec() reads them), with the text in `mem`; kb is the caller's scratch
 * buffer. held[t]: whether some row holds top t's action (a top no row holds has every field
 * null, and none is read). row0 numbers the rows before rg, for errors. */
int delta_rest_pass(struct lr_parquet_file *f, size_t rg, const struct fast *fs,
                    struct lr_delta_file **recs, int64_t rows, int64_t row0,
                    const bool held[2], struct lr_delta_mem *mem, struct lr_buf *kb,
                    const char *key, struct lr_error *err);

#endif

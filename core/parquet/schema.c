/* schema.c - the flat SchemaElement list (depth-first pre-order) -> a tree of
 * struct lr_parquet_node with dotted paths, cumulative definition/repetition levels and the
 * leaf (column) order. Checks counts, depth and level bounds; knows nothing of pages. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "parquet/pq.h"

struct builder {
    struct pq_schema_elem *els;
    size_t n, next;
    struct lr_parquet_node *nodes;
    struct lr_parquet_meta *m;
    size_t leaves_cap;
    struct lr_error *err;
};

static int fail(struct builder *b, size_t i, const char *cause)
{
    return lr_error_set(b->err, LR_ECORRUPT, "footer: schema element %zu (%s): %s", i,
                        i < b->n && b->els[i].name ? b->els[i].name : "?", cause);
}

static int build(struct builder *b, struct lr_parquet_node *parent, int depth,
                 struct lr_parquet_node **out)
{
    if (depth > PQ_MAX_DEPTH)
        return lr_error_set(b->err, LR_ELIMIT, "footer: schema nested deeper than %d levels",
                            PQ_MAX_DEPTH);
    if (b->next >= b->n)
        return fail(b, b->n ? b->n - 1 : 0, "a group has more children than elements left");
    size_t idx = b->next++;
    struct pq_schema_elem *e = &b->els[idx];
    struct lr_parquet_node *nd = &b->nodes[idx];
    nd->name = e->name;
    e->name = NULL;
    nd->type = e->type;
    nd->type_length = e->type_length;
    nd->repetition = parent ? e->repetition : LR_PQ_REQUIRED;
    nd->converted_type = e->converted_type;
    nd->scale = e->scale;
    nd->precision = e->precision;
    nd->field_id = e->field_id;
    nd->logical = e->logical;
    nd->lt_scale = e->lt_scale;
    nd->lt_precision = e->lt_precision;
    nd->lt_unit = e->lt_unit;
    nd->lt_utc = e->lt_utc;
    nd->lt_bit_width = e->lt_bit_width;
    nd->lt_signed = e->lt_signed;
    nd->parent = parent;
    nd->leaf_index = -1;
    if (parent && nd->repetition < 0)
        return fail(b, idx, "no repetition type");
    nd->max_def = parent ? parent->max_def : 0;
    nd->max_rep = parent ? parent->max_rep : 0;
    if (parent && nd->repetition != LR_PQ_REQUIRED)
        nd->max_def++;
    if (parent && nd->repetition == LR_PQ_REPEATED)
        nd->max_rep++;
    if (nd->max_def > PQ_MAX_LEVEL)
        return lr_error_set(b->err, LR_ELIMIT, "footer: schema levels above %d", PQ_MAX_LEVEL);
    if (!parent || !parent->parent)
        nd->path = parent ? lr_strdup(nd->name) : lr_strdup("");
    else
        nd->path = lr_asprintf("%s.%s", parent->path, nd->name);
    if (!nd->path)
        return lr_error_set(b->err, LR_ENOMEM, "footer: out of memory");
    *out = nd;

    bool is_group = e->num_children >= 0 && (e->type < 0 || !parent);
    if (!parent && e->num_children < 0)
        return fail(b, idx, "the root is not a group");
    if (!is_group) {
        if (e->type < 0)
            return fail(b, idx, "a leaf without a physical type");
        if (e->type == LR_PQ_FIXED_LEN_BYTE_ARRAY &&
            (e->type_length <= 0 || e->type_length > (1 << 20)))
            return fail(b, idx, "FIXED_LEN_BYTE_ARRAY without a sane type_length");
        struct lr_parquet_meta *m = b->m;
        if (m->num_leaves == b->leaves_cap) {
            size_t cap = b->leaves_cap ? b->leaves_cap * 2 : 16;
            struct lr_parquet_node **nl = realloc(m->leaves, cap * sizeof *nl);
            if (!nl)
                return lr_error_set(b->err, LR_ENOMEM, "footer: out of memory");
            m->leaves = nl;
            b->leaves_cap = cap;
        }
        nd->leaf_index = (int)m->num_leaves;
        m->leaves[m->num_leaves++] = nd;
        return 0;
    }
    if (e->num_children == 0 && parent)
        return fail(b, idx, "a group without children");
    if ((size_t)e->num_children > b->n - b->next)
        return fail(b, idx, "num_children larger than the elements left");
    nd->type = -1;
    nd->num_children = (size_t)e->num_children;
    nd->children = calloc(nd->num_children ? nd->num_children : 1, sizeof *nd->children);
    if (!nd->children)
        return lr_error_set(b->err, LR_ENOMEM, "footer: out of memory");
    for (size_t i = 0; i < nd->num_children; i++) {
        int rc = build(b, nd, depth + 1, &nd->children[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int pq_schema_build(struct lr_parquet_meta *m, struct pq_schema_elem *els, size_t n,
                    struct lr_error *err)
{
    struct builder b = {els, n, 0, NULL, m, 0, err};
    b.nodes = calloc(n ? n : 1, sizeof *b.nodes);
    if (!b.nodes)
        return lr_error_set(err, LR_ENOMEM, "footer: out of memory");
    /* the node array is the allocation; root is its first element */
    m->root = b.nodes;
    m->root->leaf_index = -1;
    struct lr_parquet_node *root = NULL;
    int rc = build(&b, NULL, 0, &root);
    if (rc >= 0 && b.next != n)
        rc = fail(&b, b.next, "elements left over after the root's subtree");
    return rc;
}

void pq_schema_free(struct lr_parquet_meta *m)
{
    if (!m->root)
        return;
    /* every node lives in one array: walk the tree to free names, paths, child arrays */
    struct lr_parquet_node **stack = NULL;
    size_t sp = 0, cap = 0;
    struct lr_parquet_node *cur = m->root;
    for (;;) {
        if (cur) {
            for (size_t i = 0; i < cur->num_children; i++) {
                if (!cur->children[i])
                    continue;
                if (sp == cap) {
                    size_t nc = cap ? cap * 2 : 32;
                    struct lr_parquet_node **ns = realloc(stack, nc * sizeof *ns);
                    if (!ns)
                        break; /* leak rather than crash on ENOMEM during cleanup */
                    stack = ns;
                    cap = nc;
                }
                stack[sp++] = cur->children[i];
            }
            free(cur->name);
            free(cur->path);
            free(cur->children);
        }
        if (!sp)
            break;
        cur = stack[--sp];
    }
    free(stack);
    free(m->root);
    free(m->leaves);
    m->root = NULL;
    m->leaves = NULL;
    m->num_leaves = 0;
}

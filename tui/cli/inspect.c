/* inspect.c - `lakerewind inspect parquet FILE [--json] [--columns a,b.c]`.
 *
 * FILE is a local path or any store URI: its parent opens as a store and its base name is
 * the key, so only the footer and the projected column chunks are fetched. Without --json
 * it prints the schema tree (physical and logical types, repetition, levels), the row
 * groups (rows, bytes, codec and encodings per column) and per-column statistics decoded
 * for display (both the deprecated min/max and min_value/max_value fields). With --json it
 * prints one JSON object per row, one per line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "lakerewind/parquet.h"
#include "lakerewind/store.h"
#include "lakerewind/str.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: lakerewind inspect parquet FILE [--json] [--columns PATH[,PATH...]]\n"
                 "  FILE: a local path or a store URI (file://, abfss://, az://, s3://, "
                 "https://)\n"
                 "  --json      print every row as one JSON object per line\n"
                 "  --columns   with --json, only these dotted column paths (add.path,...)\n");
}

/* Printable form of a name: control characters escaped so the terminal stays sane. */
static void put_name(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
}

static void print_node(FILE *out, const struct lr_parquet_node *n, int depth)
{
    char ann[96];
    lr_parquet_annotation(n, ann, sizeof ann);
    fprintf(out, "%*s", 2 * depth, "");
    if (n->parent)
        fprintf(out, "%s ", lr_parquet_repetition_name(n->repetition));
    if (n->leaf_index >= 0) {
        fprintf(out, "%s", lr_parquet_type_name(n->type));
        if (n->type == LR_PQ_FIXED_LEN_BYTE_ARRAY)
            fprintf(out, "(%d)", n->type_length);
        fputc(' ', out);
    } else {
        fprintf(out, "group ");
    }
    put_name(out, n->name);
    if (ann[0])
        fprintf(out, " (%s)", ann);
    if (n->leaf_index >= 0)
        fprintf(out, "  [column %d, max_def %d, max_rep %d]", n->leaf_index, n->max_def,
                n->max_rep);
    fputc('\n', out);
    for (size_t i = 0; i < n->num_children; i++)
        print_node(out, n->children[i], depth + 1);
}

static void print_stat(FILE *out, const char *label, const struct lr_parquet_node *leaf,
                       struct lr_parquet_bytes v)
{
    struct lr_buf b = LR_BUF_INIT;
    struct lr_error err;
    lr_error_clear(&err);
    if (lr_parquet_format_stat(&b, leaf, v, &err) < 0)
        fprintf(out, " %s=?", label);
    else
        fprintf(out, " %s=%s", label, b.data ? (const char *)b.data : "");
    lr_buf_free(&b);
}

static void print_footer(FILE *out, const struct lr_parquet_file *f)
{
    const struct lr_parquet_meta *m = lr_parquet_metadata(f);
    fprintf(out, "file: %s\n", lr_parquet_name(f));
    fprintf(out, "size: %llu bytes, footer %u bytes at offset %llu\n",
            (unsigned long long)m->file_size, m->footer_len,
            (unsigned long long)m->footer_offset);
    fprintf(out, "version: %d\n", m->version);
    fprintf(out, "created_by: ");
    put_name(out, m->created_by ? m->created_by : "(absent)");
    fprintf(out, "\nrows: %lld\nrow groups: %zu\ncolumns: %zu\n", (long long)m->num_rows,
            m->num_row_groups, m->num_leaves);
    if (m->num_kv) {
        fprintf(out, "key/value metadata:\n");
        for (size_t i = 0; i < m->num_kv; i++) {
            fprintf(out, "  ");
            put_name(out, m->kv[i].key);
            if (!m->kv[i].value) {
                fprintf(out, " (no value)\n");
                continue;
            }
            size_t len = strlen(m->kv[i].value);
            fprintf(out, " = ");
            if (len > 200)
                fprintf(out, "(%zu bytes)", len);
            else
                put_name(out, m->kv[i].value);
            fputc('\n', out);
        }
    }
    fprintf(out, "schema:\n");
    print_node(out, m->root, 1);
    for (size_t g = 0; g < m->num_row_groups; g++) {
        const struct lr_parquet_row_group *rg = &m->row_groups[g];
        fprintf(out, "row group %zu: %lld rows, %lld bytes uncompressed", g,
                (long long)rg->num_rows, (long long)rg->total_byte_size);
        if (rg->total_compressed_size >= 0)
            fprintf(out, ", %lld compressed", (long long)rg->total_compressed_size);
        fputc('\n', out);
        for (size_t c = 0; c < m->num_leaves; c++) {
            const struct lr_parquet_column_chunk *cc = &rg->columns[c];
            const struct lr_parquet_node *leaf = m->leaves[c];
            fprintf(out, "  ");
            put_name(out, leaf->path);
            fprintf(out, ": %s, %lld values, %lld bytes (%lld uncompressed), encodings",
                    lr_parquet_codec_name(cc->codec), (long long)cc->num_values,
                    (long long)cc->total_compressed_size,
                    (long long)cc->total_uncompressed_size);
            for (size_t e = 0; e < cc->num_encodings; e++)
                fprintf(out, "%s%s", e ? "," : " ", lr_parquet_encoding_name(cc->encodings[e]));
            fputc('\n', out);
            if (!cc->has_stats) {
                fprintf(out, "    stats: none\n");
                continue;
            }
            const struct lr_parquet_stats *s = &cc->stats;
            fprintf(out, "    stats:");
            if (s->has_null_count)
                fprintf(out, " null_count=%lld", (long long)s->null_count);
            if (s->has_distinct_count)
                fprintf(out, " distinct_count=%lld", (long long)s->distinct_count);
            if (s->has_nan_count)
                fprintf(out, " nan_count=%lld", (long long)s->nan_count);
            if (s->has_min_value)
                print_stat(out, "min_value", leaf, s->min_value);
            if (s->has_max_value)
                print_stat(out, "max_value", leaf, s->max_value);
            if (s->has_min_exact)
                fprintf(out, " min_exact=%s", s->is_min_exact ? "true" : "false");
            if (s->has_max_exact)
                fprintf(out, " max_exact=%s", s->is_max_exact ? "true" : "false");
            if (s->has_min)
                print_stat(out, "min(old)", leaf, s->min);
            if (s->has_max)
                print_stat(out, "max(old)", leaf, s->max);
            fputc('\n', out);
        }
    }
}

static int print_rows(struct lr_parquet_file *f, const char *columns, struct lr_error *err)
{
    struct lr_strvec cols = {0};
    struct lr_parquet_rows *rows = NULL;
    struct lr_buf line = LR_BUF_INIT;
    int rc = 0;
    if (columns) {
        const char *p = columns;
        while (rc >= 0) {
            const char *comma = strchr(p, ',');
            size_t n = comma ? (size_t)(comma - p) : strlen(p);
            char *one = lr_strndup(p, n);
            if (!one || lr_strvec_push_owned(&cols, one) < 0)
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            if (!comma)
                break;
            p = comma + 1;
        }
    }
    if (rc >= 0)
        rc = lr_parquet_rows_open(&rows, f, (const char *const *)cols.items, cols.count, err);
    while (rc >= 0) {
        lr_buf_reset(&line);
        rc = lr_parquet_rows_next_text(rows, &line, err);
        if (rc <= 0)
            break;
        fwrite(line.data, 1, line.len, stdout);
        fputc('\n', stdout);
    }
    lr_parquet_rows_close(rows);
    lr_buf_free(&line);
    lr_strvec_free(&cols);
    return rc;
}

/* Split FILE into a store URI (its parent) and a key (its base name). */
static int split_target(const char *file, char **store_uri, char **key)
{
    const char *slash = strrchr(file, '/');
    if (!slash) {
        *store_uri = lr_strdup(".");
        *key = lr_strdup(file);
    } else if (slash == file) {
        *store_uri = lr_strdup("/");
        *key = lr_strdup(slash + 1);
    } else {
        *store_uri = lr_strndup(file, (size_t)(slash - file));
        *key = lr_strdup(slash + 1);
    }
    return *store_uri && *key ? 0 : -1;
}

int tui_cmd_inspect(int argc, char **argv, const struct tui_global *g)
{
    (void)g;
    const char *what = NULL, *file = NULL, *columns = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--columns") && i + 1 < argc) {
            columns = argv[++i];
        } else if (!strncmp(argv[i], "--columns=", 10)) {
            columns = argv[i] + 10;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return TUI_EXIT_OK;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "lakerewind inspect: unknown option %s\n", argv[i]);
            usage(stderr);
            return TUI_EXIT_USAGE;
        } else if (!what) {
            what = argv[i];
        } else if (!file) {
            file = argv[i];
        } else {
            fprintf(stderr, "lakerewind inspect: unexpected argument %s\n", argv[i]);
            usage(stderr);
            return TUI_EXIT_USAGE;
        }
    }
    if (!what || strcmp(what, "parquet") != 0 || !file || !*file) {
        fprintf(stderr, "lakerewind inspect: expected `inspect parquet FILE`\n");
        usage(stderr);
        return TUI_EXIT_USAGE;
    }
    if (columns && !json) {
        fprintf(stderr, "lakerewind inspect: --columns needs --json\n");
        return TUI_EXIT_USAGE;
    }
    struct lr_error err;
    lr_error_clear(&err);
    char *uri = NULL, *key = NULL;
    struct lr_store *store = NULL;
    struct lr_parquet_file *f = NULL;
    int rc = 0;
    if (split_target(file, &uri, &key) < 0 || !*key) {
        fprintf(stderr, "lakerewind inspect: %s does not name a file\n", file);
        free(uri);
        free(key);
        return TUI_EXIT_USAGE;
    }
    rc = lr_store_open(&store, uri, NULL, &err);
    if (rc >= 0)
        rc = lr_parquet_open(&f, store, key, &err);
    if (rc >= 0) {
        if (json) {
            rc = print_rows(f, columns, &err);
        } else {
            print_footer(stdout, f);
        }
    }
    fflush(stdout);
    lr_parquet_close(f);
    lr_store_close(store);
    free(uri);
    free(key);
    if (rc < 0) {
        fprintf(stderr, "lakerewind inspect: %s\n", err.message);
        return TUI_EXIT_ERROR;
    }
    return TUI_EXIT_OK;
}

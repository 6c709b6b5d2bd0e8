/* discover.c - finding Delta tables under a lakehouse's Tables/ folder by one recursive listing. */
#include <stdlib.h>
#include <string.h>

#include "lakerewind/lakehouse.h"
#include "lakerewind/str.h"

void lr_table_list_free(struct lr_table_list *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].prefix);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static int cmp_ref(const void *a, const void *b)
{
    return strcmp(((const struct lr_table_ref *)a)->name, ((const struct lr_table_ref *)b)->name);
}

int lr_lakehouse_discover(struct lr_store *store, const char *tables_prefix,
                          struct lr_table_list *out, struct lr_error *err)
{
    memset(out, 0, sizeof *out);
    char *prefix = lr_asprintf("%s/", tables_prefix);
    if (!prefix)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    struct lr_store_page page;
    int rc = lr_store_list(store, prefix, NULL, &page, err);
    if (rc < 0) {
        free(prefix);
        return lr_error_context(err, "discovering tables");
    }
    size_t cap = 0;
    const char *last_root = NULL;
    size_t last_len = 0;
    for (size_t i = 0; i < page.count && rc == 0; i++) {
        const char *key = page.entries[i].key;
        const char *log = strstr(key, "/_delta_log/");
        if (!log)
            continue;
        size_t root_len = (size_t)(log - key);
        /* Keys are sorted, so one table's log entries are adjacent. */
        if (last_root && root_len == last_len && memcmp(last_root, key, root_len) == 0)
            continue;
        if (out->count == cap) {
            cap = cap ? cap * 2 : 16;
            struct lr_table_ref *p = realloc(out->items, cap * sizeof *p);
            if (!p) {
                rc = lr_error_set(err, LR_ENOMEM, "out of memory");
                break;
            }
            out->items = p;
        }
        struct lr_table_ref *t = &out->items[out->count];
        t->prefix = lr_strndup(key, root_len);
        t->name = lr_strndup(key + strlen(prefix), root_len - strlen(prefix));
        if (!t->prefix || !t->name) {
            free(t->prefix);
            free(t->name);
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        out->count++;
        last_root = key;
        last_len = root_len;
    }
    lr_store_page_free(&page);
    free(prefix);
    if (rc < 0)
        lr_table_list_free(out);
    else if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, cmp_ref);
    return rc;
}

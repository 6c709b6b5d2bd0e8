/* lakehouse.h - a lakehouse root and the Delta tables found under it.
 *
 * Tables live at Tables/<name>/ or Tables/<schema>/<name>/ and are recognised by their
 * _delta_log/ folder. Ownership: lr_lakehouse_discover fills a caller-owned list freed with
 * lr_table_list_free(). */
#ifndef LAKEREWIND_LAKEHOUSE_H
#define LAKEREWIND_LAKEHOUSE_H

#include <stddef.h>

#include "lakerewind/error.h"
#include "lakerewind/store.h"

struct lr_table_ref {
    char *name;   /* "account" or "dbo/account" (schema-qualified when the lakehouse has schemas) */
    char *prefix; /* key prefix of the table root within the store: "Tables/account" */
};

struct lr_table_list {
    struct lr_table_ref *items;
    size_t count;
};

/* Find every Delta table under `tables_prefix` (normally "Tables"), sorted by name. A missing
 * Tables folder is an empty lakehouse, not an error. */
int lr_lakehouse_discover(struct lr_store *store, const char *tables_prefix,
                          struct lr_table_list *out, struct lr_error *err);
void lr_table_list_free(struct lr_table_list *list);

#endif

/* stats.c - the `--stats` report: one stderr line per store the process opened, from the core
 * tally (lr_store_stats_rows). Only counters and the store's secret-free display URI appear. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "lakerewind/store.h"
#include "sanitize.h"

void tui_print_store_stats(FILE *out)
{
    struct lr_store_stats_row *rows = NULL;
    size_t n = 0;
    struct lr_error err;
    if (lr_store_stats_rows(&rows, &n, &err) < 0) {
        fprintf(out, "lakerewind: stats: %s\n", err.message);
        return;
    }
    if (n == 0)
        fprintf(out, "lakerewind: stats: no store was opened\n");
    for (size_t i = 0; i < n; i++) {
        const struct lr_store_stats *s = &rows[i].stats;
        char *uri = tui_sanitize_str(rows[i].uri, false); /* no terminal controls */
        fprintf(out,
                "lakerewind: stats: %s %s: %" PRIu64 " requests (list %" PRIu64 ", get %" PRIu64
                ", head %" PRIu64 ", put %" PRIu64 ", delete %" PRIu64 "), %" PRIu64
                " bytes in, %" PRIu64 " bytes out, %" PRIu64 " retries, %" PRIu64 " errors\n",
                rows[i].backend, uri ? uri : "?", s->requests, s->lists, s->gets, s->heads,
                s->puts, s->deletes, s->bytes_read, s->bytes_written, s->retries, s->errors);
        free(uri);
    }
    lr_store_stats_rows_free(rows, n);
}

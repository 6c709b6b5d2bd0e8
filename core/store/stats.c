/* stats.c - the process-wide tally behind `--stats`: once lr_store_stats_track() is on, every
 * store opened is listed while it lives and its counters are folded into one row per store URI
 * (backend + secret-free display URI) when it closes. A report sums the closed rows and the
 * stores still open. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "lakerewind/str.h"
#include "lakerewind/sys/store_backend.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool tracking;
static struct lr_store *live;            /* doubly linked through stats_next / stats_prev */
static struct lr_store_stats_row *rows;  /* folded counters of closed stores */
static size_t nrows, caprows;

void lr_store_stats_track(bool on)
{
    atomic_store(&tracking, on);
}

static void add_stats(struct lr_store_stats *to, const struct lr_store_stats *from)
{
    to->requests += from->requests;
    to->gets += from->gets;
    to->heads += from->heads;
    to->lists += from->lists;
    to->puts += from->puts;
    to->deletes += from->deletes;
    to->retries += from->retries;
    to->errors += from->errors;
    to->bytes_read += from->bytes_read;
    to->bytes_written += from->bytes_written;
}

/* The row for (backend, uri) in `*r` (grown as needed); NULL when out of memory. */
static struct lr_store_stats_row *row_for(struct lr_store_stats_row **r, size_t *n, size_t *cap,
                                          const char *backend, const char *uri)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*r)[i].backend, backend) == 0 && strcmp((*r)[i].uri, uri) == 0)
            return &(*r)[i];
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct lr_store_stats_row *nr = realloc(*r, ncap * sizeof *nr);
        if (!nr)
            return NULL;
        *r = nr;
        *cap = ncap;
    }
    struct lr_store_stats_row *row = &(*r)[*n];
    memset(row, 0, sizeof *row);
    row->uri = lr_strdup(uri);
    if (!row->uri)
        return NULL;
    row->backend = backend;
    (*n)++;
    return row;
}

void lr_store_stats_opened(struct lr_store *s)
{
    if (!atomic_load(&tracking))
        return;
    pthread_mutex_lock(&lock);
    s->stats_prev = NULL;
    s->stats_next = live;
    if (live)
        live->stats_prev = s;
    live = s;
    s->stats_tracked = true;
    pthread_mutex_unlock(&lock);
}

void lr_store_stats_closed(struct lr_store *s)
{
    if (!s->stats_tracked)
        return;
    struct lr_store_stats st;
    lr_store_stats_get(s, &st);
    pthread_mutex_lock(&lock);
    if (s->stats_prev)
        s->stats_prev->stats_next = s->stats_next;
    else
        live = s->stats_next;
    if (s->stats_next)
        s->stats_next->stats_prev = s->stats_prev;
    s->stats_tracked = false;
    struct lr_store_stats_row *row = row_for(&rows, &nrows, &caprows, s->ops->name,
                                             lr_store_uri(s));
    if (row) {
        add_stats(&row->stats, &st);
        row->opens++;
    }
    pthread_mutex_unlock(&lock);
}

void lr_store_stats_rows_free(struct lr_store_stats_row *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(r[i].uri);
    free(r);
}

int lr_store_stats_rows(struct lr_store_stats_row **out, size_t *n_out, struct lr_error *err)
{
    *out = NULL;
    *n_out = 0;
    struct lr_store_stats_row *r = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < nrows && rc == 0; i++) {
        struct lr_store_stats_row *row = row_for(&r, &n, &cap, rows[i].backend, rows[i].uri);
        if (!row) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        add_stats(&row->stats, &rows[i].stats);
        row->opens += rows[i].opens;
    }
    for (struct lr_store *s = live; s && rc == 0; s = s->stats_next) {
        struct lr_store_stats_row *row = row_for(&r, &n, &cap, s->ops->name, lr_store_uri(s));
        if (!row) {
            rc = lr_error_set(err, LR_ENOMEM, "out of memory");
            break;
        }
        struct lr_store_stats st;
        lr_store_stats_get(s, &st);
        add_stats(&row->stats, &st);
        row->opens++;
    }
    pthread_mutex_unlock(&lock);
    if (rc < 0) {
        lr_store_stats_rows_free(r, n);
        return rc;
    }
    *out = r;
    *n_out = n;
    return 0;
}

void lr_store_stats_reset(void)
{
    pthread_mutex_lock(&lock);
    lr_store_stats_rows_free(rows, nrows);
    rows = NULL;
    nrows = caprows = 0;
    pthread_mutex_unlock(&lock);
}

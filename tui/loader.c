/* loader.c - the lakehouse loader thread: lr_store_open + lr_lakehouse_discover, then one
 * event. It never touches the screen or the view; the UI thread applies the event. */
#include "loader.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lakerewind/str.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void *run(void *arg)
{
    struct tui_loader *l = arg;
    double t0 = now_ms();
    struct lr_error err;
    lr_error_clear(&err);
    struct lr_store *store = NULL;
    struct lr_table_list tables = {0};
    int rc = lr_store_open(&store, l->uri, NULL, &err);
    if (rc == 0)
        rc = lr_lakehouse_discover(store, "Tables", &tables, &err);
    struct tui_event *ev =
        tui_event_new(rc == 0 ? TUI_EV_LAKEHOUSE_OPENED : TUI_EV_LAKEHOUSE_FAILED);
    if (!ev) {
        lr_table_list_free(&tables);
        lr_store_close(store);
        return NULL;
    }
    ev->elapsed_ms = now_ms() - t0;
    if (rc == 0) {
        ev->store = store;
        ev->tables = tables;
    } else {
        ev->text = lr_strdup(err.message);
        lr_table_list_free(&tables);
        lr_store_close(store);
    }
    tui_events_post(l->events, ev);
    return NULL;
}

int tui_loader_start(struct tui_loader *l, const char *uri, struct tui_events *events,
                     struct lr_error *err)
{
    memset(l, 0, sizeof *l);
    l->uri = lr_strdup(uri);
    l->events = events;
    if (!l->uri)
        return lr_error_set(err, LR_ENOMEM, "out of memory");
    if (pthread_create(&l->thread, NULL, run, l) != 0) {
        free(l->uri);
        l->uri = NULL;
        return lr_error_set(err, LR_EIO, "cannot start the lakehouse loader thread");
    }
    l->is_started = true;
    return 0;
}

void tui_loader_join(struct tui_loader *l)
{
    if (l->is_started)
        pthread_join(l->thread, NULL);
    l->is_started = false;
    free(l->uri);
    l->uri = NULL;
}

/* events.c - the worker -> UI queue and its wake pipe (non-blocking both ends, so a flood of
 * posts or signals never blocks a worker; one pending byte is enough to wake the loop). */
#include "events.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int tui_events_init(struct tui_events *q, struct lr_error *err)
{
    memset(q, 0, sizeof *q);
    if (pipe(q->fds) != 0)
        return lr_error_errno(err, errno, "creating the event pipe");
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(q->fds[i], F_GETFL);
        fcntl(q->fds[i], F_SETFL, fl | O_NONBLOCK);
        fcntl(q->fds[i], F_SETFD, FD_CLOEXEC);
    }
    pthread_mutex_init(&q->mu, NULL);
    return 0;
}

struct tui_event *tui_event_new(enum tui_event_kind kind)
{
    struct tui_event *ev = calloc(1, sizeof *ev);
    if (ev)
        ev->kind = kind;
    return ev;
}

void tui_event_free(struct tui_event *ev)
{
    if (!ev)
        return;
    free(ev->text);
    free(ev->run_id);
    lr_store_close(ev->store);
    lr_table_list_free(&ev->tables);
    tui_table_facts_free(&ev->facts);
    for (size_t i = 0; ev->cp_warnings && i < ev->checkpoints.count; i++)
        lr_cp_warnings_free(&ev->cp_warnings[i]);
    free(ev->cp_warnings);
    lr_checkpoint_list_free(&ev->checkpoints);
    if (ev->has_run_event)
        lr_event_copy_free(&ev->run_event);
    if (ev->run) {
        lr_run_result_free(ev->run);
        free(ev->run);
    }
    tui_fetch_result_free(ev->fetched);
    free(ev);
}

void tui_events_destroy(struct tui_events *q)
{
    struct tui_event *ev = q->head;
    while (ev) {
        struct tui_event *next = ev->next;
        tui_event_free(ev);
        ev = next;
    }
    q->head = q->tail = NULL;
    close(q->fds[0]);
    close(q->fds[1]);
    pthread_mutex_destroy(&q->mu);
}

void tui_events_post(struct tui_events *q, struct tui_event *ev)
{
    if (!ev)
        return;
    ev->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail)
        q->tail->next = ev;
    else
        q->head = ev;
    q->tail = ev;
    pthread_mutex_unlock(&q->mu);
    ssize_t n = write(q->fds[1], "e", 1); /* EAGAIN: the pipe is full, so the UI is awake */
    (void)n;
}

struct tui_event *tui_events_take(struct tui_events *q)
{
    char buf[256];
    while (read(q->fds[0], buf, sizeof buf) > 0)
        continue;
    pthread_mutex_lock(&q->mu);
    struct tui_event *list = q->head;
    q->head = q->tail = NULL;
    pthread_mutex_unlock(&q->mu);
    return list;
}

static volatile sig_atomic_t caught_signal;
static volatile sig_atomic_t signal_fd = -1;

static void on_signal(int sig)
{
    int saved = errno;
    caught_signal = sig;
    if (signal_fd >= 0) {
        ssize_t n = write(signal_fd, "s", 1);
        (void)n;
    }
    errno = saved;
}

void tui_events_catch_signals(struct tui_events *q)
{
    signal_fd = q->fds[1];
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int tui_events_take_signal(void)
{
    int sig = caught_signal;
    caught_signal = 0;
    return sig;
}

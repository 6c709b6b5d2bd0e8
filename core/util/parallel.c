/* parallel.c - lr_parallel_for: a shared index handed out under a mutex to a few threads. */
#include "lakerewind/parallel.h"

#include <pthread.h>

#define MAX_THREADS 64

struct pf {
    pthread_mutex_t lock;
    size_t next;
    size_t n;
    void (*fn)(size_t i, void *payload);
    void *payload;
};

static void *run(void *arg)
{
    struct pf *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->n)
            return NULL;
        p->fn(i, p->payload);
    }
}

void lr_parallel_for(size_t n, size_t threads, void (*fn)(size_t i, void *payload),
                     void *payload)
{
    struct pf p = {PTHREAD_MUTEX_INITIALIZER, 0, n, fn, payload};
    if (threads > n)
        threads = n;
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    pthread_t th[MAX_THREADS];
    size_t started = 0;
    for (size_t i = 0; threads > 1 && i < threads; i++)
        if (pthread_create(&th[started], NULL, run, &p) == 0)
            started++;
    if (started == 0)
        run(&p);
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&p.lock);
}

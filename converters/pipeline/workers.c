/* --jobs N: the ordered pool (cc_workers.h).  A ring of `bound` slots: the submitter fills
 * slot tail, workers take slots in order from `next`, and the submitter emits slot head once
 * it is done.  One mutex guards the indexes and slot states; the work and the emission run
 * without it.  The pool keeps no state outside itself. */
#include "cc_workers.h"
#include "credconv/credconv.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { SLOT_QUEUED, SLOT_RUNNING, SLOT_DONE };

typedef struct slot {
    void *job;
    int state;
} slot;

typedef struct worker {
    struct cc_pool *pool;
    void *state;
    pthread_t tid;
    bool started;
} worker;

struct cc_pool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv;   /* a job was queued, or the pool stops */
    pthread_cond_t done_cv;   /* a job is done */
    slot *ring;
    size_t bound;
    size_t head, next, tail;  /* head <= next <= tail, as counts since the start */
    bool stop;
    cc_pool_work work;
    cc_pool_emit emit;
    void *ud;
    worker *workers;
    size_t nworkers;
};

static void *worker_main(void *arg)
{
    worker *w = arg;
    cc_pool *p = w->pool;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next == p->tail && !p->stop)
            pthread_cond_wait(&p->work_cv, &p->mu);
        if (p->next == p->tail)
            break;  /* stopping, and nothing left to do */
        slot *s = &p->ring[p->next++ % p->bound];
        s->state = SLOT_RUNNING;
        pthread_mutex_unlock(&p->mu);
        p->work(w->state, s->job);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

size_t cc_jobs_resolve(long jobs)
{
    if (jobs > 0)
        return (size_t)jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (size_t)n : 1;
}

cc_pool *cc_pool_new(size_t nworkers, void *const *states, size_t bound, cc_pool_work work,
                     cc_pool_emit emit, void *ud)
{
    cc_pool *p = calloc(1, sizeof *p);
    slot *ring = calloc(bound ? bound : 1, sizeof *ring);
    worker *ws = calloc(nworkers ? nworkers : 1, sizeof *ws);
    if (!p || !ring || !ws)
        cc_oom();
    *p = (cc_pool){.ring = ring, .bound = bound ? bound : 1, .work = work, .emit = emit, .ud = ud,
                   .workers = ws, .nworkers = nworkers};
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work_cv, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    for (size_t i = 0; i < nworkers; i++) {
        ws[i] = (worker){.pool = p, .state = states[i]};
        int e = pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]);
        if (e != 0) {
            fprintf(stderr, "credconv: error: cannot start worker thread %zu: %s [jobs]\n", i + 1, strerror(e));
            cc_pool_free(p);
            return NULL;
        }
        ws[i].started = true;
    }
    return p;
}

/* Emits slot head once done; called and returns with the mutex held. */
static void emit_head(cc_pool *p)
{
    slot *s = &p->ring[p->head % p->bound];
    while (s->state != SLOT_DONE)
        pthread_cond_wait(&p->done_cv, &p->mu);
    void *job = s->job;
    p->head++;
    pthread_mutex_unlock(&p->mu);
    p->emit(p->ud, job);
    pthread_mutex_lock(&p->mu);
}

void cc_pool_submit(cc_pool *p, void *job)
{
    pthread_mutex_lock(&p->mu);
    while (p->tail - p->head == p->bound)
        emit_head(p);
    /* whatever is already done goes out now: output keeps flowing, memory stays low */
    while (p->head < p->next && p->ring[p->head % p->bound].state == SLOT_DONE)
        emit_head(p);
    p->ring[p->tail % p->bound] = (slot){.job = job, .state = SLOT_QUEUED};
    p->tail++;
    pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
}

size_t cc_pool_pending(const cc_pool *p)
{
    /* only the submitting thread changes tail and head, and only it asks */
    return p->tail - p->head;
}

void cc_pool_drain(cc_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->head < p->tail)
        emit_head(p);
    pthread_mutex_unlock(&p->mu);
}

void cc_pool_free(cc_pool *p)
{
    if (!p)
        return;
    cc_pool_drain(p);
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->nworkers; i++)
        if (p->workers[i].started)
            pthread_join(p->workers[i].tid, NULL);
    pthread_cond_destroy(&p->work_cv);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p->workers);
    free(p->ring);
    free(p);
}

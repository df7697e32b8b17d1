/* --jobs N: an ordered pool of worker threads (converters/pipeline/workers.c).
 * The thread that submits jobs (the reader's) also emits them: each job's result is handed to
 * `emit` on that thread, in the order the jobs were submitted, whatever order the workers
 * finish them in.  So output and diagnostics come out as with one thread.  At most `bound`
 * jobs are in flight (submitted, not yet emitted): submit blocks, emitting, until one is. */
#ifndef CC_WORKERS_H
#define CC_WORKERS_H

#include <stddef.h>

typedef struct cc_pool cc_pool;
/* On a worker thread: the job with that worker's own state (states[i] of cc_pool_new). */
typedef void (*cc_pool_work)(void *state, void *job);
/* On the submitting thread, in submission order: the job done (emit owns it from then). */
typedef void (*cc_pool_emit)(void *ud, void *job);

/* nworkers threads, each given states[i]; NULL when a thread cannot be started (reported). */
cc_pool *cc_pool_new(size_t nworkers, void *const *states, size_t bound, cc_pool_work work,
                     cc_pool_emit emit, void *ud);
void cc_pool_submit(cc_pool *p, void *job);
/* Jobs submitted and not yet emitted. */
size_t cc_pool_pending(const cc_pool *p);
/* Waits for and emits every job submitted. */
void cc_pool_drain(cc_pool *p);
/* Drains, stops and joins the workers. */
void cc_pool_free(cc_pool *p);
/* --jobs 0: the number of cores online (at least 1). */
size_t cc_jobs_resolve(long jobs);

#endif

/* The --jobs pool (converters/pipeline/cc_workers.h): jobs come back in the order they were
 * submitted whatever order the workers finish them in, each once, each done by a worker, with
 * never more than the bound in flight; drain and free lose nothing; --jobs 0 is the cores. */
#include "helpers.h"

#include "cc_workers.h"

#include <time.h>

enum { NJOBS = 3000, BOUND = 8 };

typedef struct job {
    int seq;
    int done;       /* set by the worker */
} job;

typedef struct emitted {
    int next;       /* the seq expected next */
    int out_of_order, not_done;
    cc_pool *pool;
    size_t max_pending;
} emitted;

static void work(void *state, void *jp)
{
    job *j = jp;
    int *calls = state;
    if (j->seq % 7 == 0) {  /* some take longer: the others overtake them */
        struct timespec ts = {.tv_sec = 0, .tv_nsec = 200000};
        nanosleep(&ts, NULL);
    }
    (*calls)++;  /* this worker's own counter: no other thread writes it */
    j->done = 1;
}

static void emit(void *ud, void *jp)
{
    emitted *e = ud;
    job *j = jp;
    e->out_of_order += j->seq != e->next;
    e->not_done += !j->done;
    e->next = j->seq + 1;
    free(j);
}

static void run_pool(size_t nworkers)
{
    emitted e = {0};
    int calls[4] = {0};
    void *states[4] = {&calls[0], &calls[1], &calls[2], &calls[3]};
    cc_pool *p = cc_pool_new(nworkers, states, BOUND, work, emit, &e);
    assert_non_null(p);
    e.pool = p;
    for (int i = 0; i < NJOBS; i++) {
        job *j = calloc(1, sizeof *j);
        assert_non_null(j);
        j->seq = i;
        cc_pool_submit(p, j);
        size_t pending = cc_pool_pending(p);
        e.max_pending = pending > e.max_pending ? pending : e.max_pending;
        if (i == NJOBS / 2) {
            cc_pool_drain(p);
            assert_int_equal(cc_pool_pending(p), 0);
            assert_int_equal(e.next, i + 1);
        }
    }
    cc_pool_free(p);
    assert_int_equal(e.next, NJOBS);
    assert_int_equal(e.out_of_order, 0);
    assert_int_equal(e.not_done, 0);
    assert_true(e.max_pending <= BOUND);
    int total = 0;
    for (size_t i = 0; i < nworkers; i++)
        total += calls[i];
    assert_int_equal(total, NJOBS);
}

static void ordered_with_one_worker(void **state)
{
    (void)state;
    run_pool(1);
}

static void ordered_with_four_workers(void **state)
{
    (void)state;
    run_pool(4);
}

static void jobs_zero_is_the_cores(void **state)
{
    (void)state;
    assert_true(cc_jobs_resolve(0) >= 1);
    assert_int_equal(cc_jobs_resolve(3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordered_with_one_worker),
        cmocka_unit_test(ordered_with_four_workers),
        cmocka_unit_test(jobs_zero_is_the_cores),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

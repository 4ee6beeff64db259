/*
 * A small pool of helper threads for the addon's own loops (element-wise programs, batch
 * normalisation, pooling gradients): OpenBLAS parallelises its products, these passes over memory
 * would otherwise run on one core. One job at a time: a caller finding the pool busy (another
 * JavaScript thread's job) runs its parts itself. Helpers spin for a few tens of microseconds
 * after a job (the next pass of a step usually follows at once), then sleep on a condition
 * variable. The number of parts follows the calling JavaScript thread's thread count
 * (set_thread_count), like OpenBLAS.
 */
#include "util.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#define MAX_HELPERS 63
#define SPINS 200

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, finished = PTHREAD_COND_INITIALIZER;
static int helpers = 0;
static atomic_uint generation = 0;
static atomic_int pending = 0;
static part_fn job_fn;
static void *job_ctx;
static int job_parts;

typedef struct {
  int id;        /* its part: 1..helpers */
  unsigned seen; /* the generation when it was made: it runs every job after that one */
} helper_start;

static void *helper(void *arg) {
  const helper_start start = *(helper_start *)arg;
  free(arg);
  const int id = start.id;
  unsigned seen = start.seen;
  for (;;) {
    unsigned g;
    for (int s = 0; (g = atomic_load_explicit(&generation, memory_order_acquire)) == seen && s < SPINS; s++) CPU_RELAX();
    if (g == seen) {
      pthread_mutex_lock(&m);
      while ((g = atomic_load_explicit(&generation, memory_order_acquire)) == seen) pthread_cond_wait(&wake, &m);
      pthread_mutex_unlock(&m);
    }
    seen = g;
    if (id < job_parts) job_fn(job_ctx, id, job_parts);
    if (atomic_fetch_sub_explicit(&pending, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&m);
      pthread_cond_signal(&finished);
      pthread_mutex_unlock(&m);
    }
  }
  return NULL;
}

int parallel_parts(int64_t work, int64_t min_per_part) {
  int threads = thread_count_here();
  if (threads > MAX_HELPERS + 1) threads = MAX_HELPERS + 1;
  const int64_t by_work = min_per_part > 0 ? work / min_per_part : threads;
  return by_work < 1 ? 1 : by_work < threads ? (int)by_work : threads;
}

void run_parallel(part_fn fn, void *ctx, int parts) {
  if (parts <= 1 || pthread_mutex_trylock(&job_lock) != 0) {
    for (int p = 0; p < parts; p++) fn(ctx, p, parts);
    return;
  }
  while (helpers < parts - 1) {
    helper_start *start = (helper_start *)malloc(sizeof *start);
    if (!start) break;
    /* Read before this job's generation is published: a helper starting late still runs this job. */
    *start = (helper_start){helpers + 1, atomic_load_explicit(&generation, memory_order_acquire)};
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    const int ok = pthread_create(&t, &attr, helper, start) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) {
      free(start);
      break;
    }
    helpers++;
  }
  if (helpers < parts - 1) parts = helpers + 1; /* could not start more: fewer, larger parts */
  job_fn = fn;
  job_ctx = ctx;
  job_parts = parts;
  atomic_store_explicit(&pending, helpers, memory_order_relaxed);
  pthread_mutex_lock(&m);
  atomic_fetch_add_explicit(&generation, 1, memory_order_release);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&m);
  fn(ctx, 0, parts);
  for (int s = 0; atomic_load_explicit(&pending, memory_order_acquire) > 0 && s < SPINS; s++) CPU_RELAX();
  if (atomic_load_explicit(&pending, memory_order_acquire) > 0) {
    pthread_mutex_lock(&m);
    while (atomic_load_explicit(&pending, memory_order_acquire) > 0) pthread_cond_wait(&finished, &m);
    pthread_mutex_unlock(&m);
  }
  pthread_mutex_unlock(&job_lock);
}

void part_range(int64_t n, int part, int parts, int64_t *begin, int64_t *end) {
  *begin = n * part / parts;
  *end = n * (part + 1) / parts;
}

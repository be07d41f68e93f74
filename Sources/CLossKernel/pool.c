/**
 * The worker pool: threads started once, when a call first needs them, and kept; between
 * calls they spin briefly, then sleep on a condition variable. A split call publishes its
 * parts, wakes as many workers as its thread limit allows, takes parts itself like them,
 * and returns when every part is done. One call uses the pool at a time; a call made while
 * the pool is busy (another thread's) runs its parts on its own thread.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#endif
#include "internal.h"
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

/** Nanoseconds an idle worker (or a caller waiting for its workers) spins before sleeping. */
#define LK_SPIN_NS 50000

/** The pool (one per process). Fields marked "lock" are read and written under `lock`. */
static struct {
  pthread_mutex_t lock;            /**< Guards the call's publication and the counts. */
  pthread_cond_t wake;             /**< Sleeping workers wait here for a new call. */
  pthread_cond_t idle;             /**< A caller waits here for its workers to leave. */
  pthread_mutex_t busy;            /**< Held by the call running on the pool. */
  int32_t workers;                 /**< Workers started (lock). */
  _Atomic uint64_t generation;     /**< Bumped when a call is published (written under lock). */
  void (*fn)(void *, int64_t);     /**< The call's part function (lock). */
  void *ctx;                       /**< Its context (lock). */
  int64_t n_parts;                 /**< Its number of parts (lock). */
  int32_t seats;                   /**< Workers that may still join it (lock). */
  _Atomic int32_t active;          /**< Workers inside it (written under lock). */
  _Atomic int64_t next;            /**< The next part to take. */
  _Atomic int64_t started;         /**< Threads ever started (for lk_pool_threads_started). */
} lk_pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER,
             .idle = PTHREAD_COND_INITIALIZER, .busy = PTHREAD_MUTEX_INITIALIZER};

/** The calling thread's limit (lk_set_threads); 0 for the cores present. */
static _Thread_local int32_t lk_thread_limit = 0;

int32_t lk_set_threads(int32_t threads) {
  const int32_t previous = lk_thread_limit;
  lk_thread_limit = threads < 0 ? 0 : threads > LK_MAX_THREADS ? LK_MAX_THREADS : threads;
  return previous;
}

int32_t lk_cores(void) {
  long n = 0;
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
#endif
  if (n < 1) n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > LK_MAX_THREADS ? LK_MAX_THREADS : (int32_t)n;
}

int32_t lk_threads(void) {
  if (lk_thread_limit > 0) return lk_thread_limit;
  static _Atomic int32_t cores = 0; /* read once: the system call costs more than a kernel call's split */
  int32_t n = atomic_load_explicit(&cores, memory_order_relaxed);
  if (n == 0) {
    n = lk_cores();
    atomic_store_explicit(&cores, n, memory_order_relaxed);
  }
  return n;
}

int64_t lk_pool_threads_started(void) { return atomic_load(&lk_pool.started); }

/** Monotonic time in nanoseconds. */
static int64_t lk_now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/** A hint to the CPU that this thread is spinning. */
static inline void lk_pause(void) {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/** Spins until *value != unequal or LK_SPIN_NS pass; whether it changed. */
static bool lk_spin_until_changed(_Atomic uint64_t *value, uint64_t unequal) {
  const int64_t end = lk_now_ns() + LK_SPIN_NS;
  for (;;) {
    for (int32_t i = 0; i < 64; i++) {
      if (atomic_load_explicit(value, memory_order_acquire) != unequal) return true;
      lk_pause();
    }
    if (lk_now_ns() > end) return false;
  }
}

/** Runs parts of the published call until none is left. */
static void lk_take_parts(void (*fn)(void *, int64_t), void *ctx, int64_t n_parts) {
  for (int64_t i; (i = atomic_fetch_add_explicit(&lk_pool.next, 1, memory_order_relaxed)) < n_parts;)
    fn(ctx, i);
}

/** A worker: joins each call published after `arg` (the generation it was started at). */
static void *lk_worker_main(void *arg) {
  uint64_t seen = (uint64_t)(uintptr_t)arg;
  for (;;) {
    lk_spin_until_changed(&lk_pool.generation, seen);
    pthread_mutex_lock(&lk_pool.lock);
    while (atomic_load(&lk_pool.generation) == seen) pthread_cond_wait(&lk_pool.wake, &lk_pool.lock);
    seen = atomic_load(&lk_pool.generation);
    if (lk_pool.seats == 0) { /* the call has all the workers it may have, or is over */
      pthread_mutex_unlock(&lk_pool.lock);
      continue;
    }
    lk_pool.seats--;
    atomic_fetch_add(&lk_pool.active, 1);
    void (*const fn)(void *, int64_t) = lk_pool.fn;
    void *const ctx = lk_pool.ctx;
    const int64_t n_parts = lk_pool.n_parts;
    pthread_mutex_unlock(&lk_pool.lock);
    lk_take_parts(fn, ctx, n_parts);
    pthread_mutex_lock(&lk_pool.lock);
    if (atomic_fetch_sub(&lk_pool.active, 1) == 1) pthread_cond_signal(&lk_pool.idle);
    pthread_mutex_unlock(&lk_pool.lock);
  }
  return NULL;
}

/**
 * Starts workers (under the lock) until there are `wanted`, or one cannot be started.
 * Workers block every signal, so signals reach the process's own threads.
 */
static void lk_start_workers(int32_t wanted) {
  if (lk_pool.workers >= wanted) return;
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  const void *const generation = (const void *)(uintptr_t)atomic_load(&lk_pool.generation);
  while (lk_pool.workers < wanted) {
    pthread_t thread;
    if (pthread_create(&thread, &attr, lk_worker_main, (void *)generation) != 0) break;
    lk_pool.workers++;
    atomic_fetch_add(&lk_pool.started, 1);
  }
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/** Waits (spinning briefly, then asleep) until no worker is inside the call; under the lock. */
static void lk_wait_for_workers(void) {
  if (atomic_load(&lk_pool.active) == 0) return;
  pthread_mutex_unlock(&lk_pool.lock);
  const int64_t end = lk_now_ns() + LK_SPIN_NS;
  while (atomic_load_explicit(&lk_pool.active, memory_order_acquire) != 0 && lk_now_ns() < end) lk_pause();
  pthread_mutex_lock(&lk_pool.lock);
  while (atomic_load(&lk_pool.active) != 0) pthread_cond_wait(&lk_pool.idle, &lk_pool.lock);
}

void lk_parallel(int32_t threads, int64_t n_parts, void (*fn)(void *, int64_t), void *ctx) {
  const int64_t helpers = (threads < n_parts ? threads : n_parts) - 1;
  if (helpers < 1 || pthread_mutex_trylock(&lk_pool.busy) != 0) {
    for (int64_t i = 0; i < n_parts; i++) fn(ctx, i);
    return;
  }
  pthread_mutex_lock(&lk_pool.lock);
  lk_start_workers((int32_t)helpers);
  lk_pool.fn = fn;
  lk_pool.ctx = ctx;
  lk_pool.n_parts = n_parts;
  lk_pool.seats = lk_pool.workers < helpers ? lk_pool.workers : (int32_t)helpers;
  atomic_store(&lk_pool.next, 0);
  atomic_fetch_add(&lk_pool.generation, 1);
  for (int32_t s = 0; s < lk_pool.seats; s++) pthread_cond_signal(&lk_pool.wake);
  pthread_mutex_unlock(&lk_pool.lock);
  lk_take_parts(fn, ctx, n_parts);
  pthread_mutex_lock(&lk_pool.lock);
  lk_pool.seats = 0; /* a worker waking now finds the call over */
  lk_wait_for_workers();
  pthread_mutex_unlock(&lk_pool.lock);
  pthread_mutex_unlock(&lk_pool.busy);
}

/** Running a kernel's work as two parts on two threads. */
#include "internal.h"
#include <pthread.h>
#include <unistd.h>

bool lk_two_cores(void) { return sysconf(_SC_NPROCESSORS_ONLN) >= 2; }

void lk_run_pair(void *(*fn)(void *), void *first, void *second) {
  pthread_t helper;
  const bool threaded = second && pthread_create(&helper, NULL, fn, second) == 0;
  fn(first);
  if (threaded) pthread_join(helper, NULL);
  else if (second) fn(second);
}

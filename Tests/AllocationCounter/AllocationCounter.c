#include "AllocationCounter.h"

#include <stddef.h>

// glibc's own allocator, which the definitions below hand every call on to.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);

// Per thread, so that tests running in parallel on other threads do not count.
static __thread unsigned long allocations;

void *malloc(size_t size) {
  allocations += 1;
  return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
  allocations += 1;
  return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
  allocations += 1;
  return __libc_realloc(pointer, size);
}

unsigned long fuselab_allocations_on_this_thread(void) { return allocations; }

#ifndef FUSELAB_ALLOCATION_COUNTER_H
#define FUSELAB_ALLOCATION_COUNTER_H

/// The number of malloc, calloc and realloc calls the calling thread has made since it
/// started, counted by the definitions of those functions in AllocationCounter.c.
///
/// They replace the C library's for the whole test executable (an executable's own
/// definitions come first when symbols are resolved on Linux) and hand each call on to
/// glibc's __libc_malloc, __libc_calloc and __libc_realloc. Aligned allocations
/// (posix_memalign, aligned_alloc) are not counted.
unsigned long fuselab_allocations_on_this_thread(void);

#endif

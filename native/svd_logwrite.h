// The log writer's exports (svd_logwrite.c), added to the module's by svd_spawn.c.
#pragma once
#include <node_api.h>
#include <stddef.h>

void register_logwrite(napi_env env, napi_value exports);

// On the environment's thread: returns once no write queued by this thread's writer reads [start, start + len):
// for memory about to be freed or reused (svd_output.c's blocks, given back by a Buffer's finalizer, which a
// worker's teardown runs while its writes are still queued).
void logwrite_forget_memory(const void *start, size_t len);

// A child's stdout or stderr, read from its pipe on Node's own event loop and handed to JavaScript chunk by
// chunk: what a net.Socket over the pipe did, without a stream's machinery. At a stop of 1,000 programs each
// Socket's end ran through 'end', destroy, a handle close and 'close' on the daemon's one thread (~30 ms of
// ~140 ms busy); here the end is one call. See README's "Spawning children".
//
// Export:
//   readOutput(fd, onOutput) -> reader: reads fd (made non-blocking) until end of file or an error, calling
//     onOutput(chunk) for each read and onOutput(null) once at the end, after which fd is closed (soon, by the
//     reaper's thread: svd_reaper.c).
//   closeOutput(reader): stops reading now, with no further call; fd is handed to the reaper's thread to close
//     once libuv has closed the poll handle, at the end of the loop's current turn. Ignored once the end came.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>
#include <uv.h>

#include "svd_output.h"
#include "svd_reaper.h"

// What one wake-up reads at most before other work gets its turn (libuv's streams read up to 32 x 64 KiB): a
// child flooding its stdout must not hold up the loop.
enum { CHUNK = 64 * 1024, READS_PER_WAKEUP = 16 };

typedef struct {
  uv_poll_t poll;
  int fd;
  bool ended;
  // The poll handle and the JS side's external: the memory is freed once both let go, so a closeOutput that
  // comes after the end still finds it.
  int owners;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  // Registered while the poll handle exists, as for an exit watch: a worker's loop must not end with it open.
  napi_async_cleanup_hook_handle teardown;
} output_reader;

// Reads go into blocks of CHUNK bytes kept in a small pool. A read that fills a good part of one (a child
// writing fast) becomes the Buffer itself, and its block comes back when that Buffer is collected: no copy, and
// no fresh pages. A block malloc'd and freed for each 64 KiB read was touched anew each time: under a 200 MB
// burst, the copy and its page faults were a third of the daemon's CPU (perf, on a 2-core AMD VM). A shorter
// read is copied out at its size, so a line of output does not pin 64 KiB until the next GC.
enum { HANDOVER = CHUNK / 4, POOL_MAX = 64 };

typedef union block {
  union block *next;
  char bytes[CHUNK];
} block;

// Shared by every thread that reads (worker threads spawn too), and given back from finalizers.
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static block *pool;
static int pool_count;

static block *take_block(void) {
  pthread_mutex_lock(&pool_lock);
  block *b = pool;
  if (b != NULL) pool = b->next, pool_count--;
  pthread_mutex_unlock(&pool_lock);
  return b != NULL ? b : malloc(sizeof(block));
}

static void give_block(block *b) {
  pthread_mutex_lock(&pool_lock);
  bool kept = pool_count < POOL_MAX;
  if (kept) b->next = pool, pool = b, pool_count++;
  pthread_mutex_unlock(&pool_lock);
  if (!kept) free(b);
}

static void on_chunk_collected(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  give_block(data);
}

static void release(output_reader *r) {
  if (--r->owners == 0) free(r);
}

static void on_closed(uv_handle_t *handle) {
  output_reader *r = handle->data;
  reaper_close_later(r->env, r->fd);
  napi_remove_async_cleanup_hook(r->teardown);
  release(r);
}

// Stops reading: no further call, and the descriptor goes once libuv has closed the poll handle.
static void stop_reading(output_reader *r) {
  r->ended = true;
  uv_close((uv_handle_t *)&r->poll, on_closed);  // which stops it
}

// Lets go of the callback; the memory is on_closed's and the finalizer's to free.
static void release_callback(output_reader *r) {
  napi_delete_reference(r->env, r->callback);
  napi_async_destroy(r->env, r->context);
}

static void finish(output_reader *r) {
  stop_reading(r);
  release_callback(r);
}

// Calls onOutput(value) as an I/O callback: microtasks and nextTicks run after it, as after a stream's 'data'.
static void deliver(output_reader *r, napi_value value) {
  napi_env env = r->env;
  napi_value fn, recv;
  napi_get_reference_value(env, r->callback, &fn);
  napi_get_global(env, &recv);
  if (napi_make_callback(env, r->context, recv, fn, 1, &value, NULL) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

static void on_readable(uv_poll_t *poll, int status, int events) {
  (void)events;
  output_reader *r = poll->data;
  napi_env env = r->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  bool end = status < 0;
  block *b = NULL;
  for (int i = 0; i < READS_PER_WAKEUP && !end && !r->ended; i++) {
    if (b == NULL && (b = take_block()) == NULL) break;
    ssize_t n = read(r->fd, b->bytes, CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {
      // The end of file, or an error (EIO...), which ends the stream as it did a Socket's.
      end = true;
      break;
    }
    napi_value chunk;
    if (n >= HANDOVER) {
      if (napi_create_external_buffer(env, (size_t)n, b, on_chunk_collected, NULL, &chunk) != napi_ok) break;
      b = NULL;
    } else {
      void *data;
      if (napi_create_buffer_copy(env, (size_t)n, b->bytes, &data, &chunk) != napi_ok) break;
    }
    deliver(r, chunk);
    // A short read emptied the pipe; the next wake-up comes with more.
    if (n < CHUNK) break;
  }
  if (b != NULL) give_block(b);
  // onOutput may have closed the reader meanwhile (closeOutput), and then gets no end.
  if (end && !r->ended) {
    // The end is told once reading has stopped, so that a closeOutput from inside it is ignored.
    stop_reading(r);
    napi_value null;
    napi_get_null(env, &null);
    deliver(r, null);
    release_callback(r);
  }
  napi_close_handle_scope(env, scope);
}

// The environment ends with the pipe still open: stop reading, with no further call.
static void on_teardown(napi_async_cleanup_hook_handle handle, void *data) {
  (void)handle;
  output_reader *r = data;
  if (!r->ended) finish(r);
}

static void finalize_reader(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  release(data);
}

static napi_value ReadOutput(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value args[2];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t fd;
  napi_valuetype type;
  if (argc < 2 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0 ||
      napi_typeof(env, args[1], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "readOutput(fd, onOutput)");
    return NULL;
  }
  uv_loop_t *loop = NULL;
  napi_get_uv_event_loop(env, &loop);
  output_reader *r = calloc(1, sizeof *r);
  int flags = fcntl(fd, F_GETFL);
  if (r == NULL || loop == NULL || flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ||
      uv_poll_init(loop, &r->poll, fd) != 0) {
    free(r);
    napi_throw_error(env, NULL, "readOutput: this descriptor cannot be watched");
    return NULL;
  }
  r->fd = fd;
  r->owners = 1;
  r->env = env;
  r->poll.data = r;
  napi_create_reference(env, args[1], 1, &r->callback);
  napi_value resource_name;
  napi_create_string_utf8(env, "svd:output", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &r->context);
  napi_add_async_cleanup_hook(env, on_teardown, r, &r->teardown);
  uv_poll_start(&r->poll, UV_READABLE, on_readable);
  napi_value external = NULL;
  if (napi_create_external(env, r, finalize_reader, NULL, &external) == napi_ok) r->owners++;
  return external;
}

static napi_value CloseOutput(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  void *data = NULL;
  if (argc < 1 || napi_get_value_external(env, arg, &data) != napi_ok || data == NULL) {
    napi_throw_type_error(env, NULL, "closeOutput(reader)");
    return NULL;
  }
  output_reader *r = data;
  if (!r->ended) finish(r);
  return NULL;
}

void register_output(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "readOutput", NAPI_AUTO_LENGTH, ReadOutput, NULL, &fn);
  napi_set_named_property(env, exports, "readOutput", fn);
  napi_create_function(env, "closeOutput", NAPI_AUTO_LENGTH, CloseOutput, NULL, &fn);
  napi_set_named_property(env, exports, "closeOutput", fn);
}

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
//     at the end of the loop's current turn. Ignored once the end came.
//
// All the pipes of a thread's loop are in one epoll set of their own, edge-triggered, watched by one poll
// handle. A pipe's descriptor leaves the set by itself when the reaper's thread closes it, so a pipe's end costs
// the loop's thread one read (the one that returns 0) and no epoll_ctl. With a poll handle per pipe, each end
// cost a read and an epoll_ctl: 4,000 system calls on that thread in a stop of 1,000 programs, much of its
// time on a VM where each is a trip through the hypervisor (strace -c, the AMD VM).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <uv.h>

#include "svd_logwrite.h"
#include "svd_output.h"
#include "svd_reaper.h"

// What one wake-up reads at most before other work gets its turn (libuv's streams read up to 32 x 64 KiB): a
// child flooding its stdout must not hold up the loop.
enum { CHUNK = 64 * 1024, READS_PER_WAKEUP = 16, EVENTS = 64 };

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
  (void)hint;
  int64_t left;
  napi_adjust_external_memory(env, -(int64_t)sizeof(block), &left);
  // Normally no write can still read it (the log writer holds the Buffer until written); at a worker's teardown
  // Node runs this finalizer while the Buffer is still queued there, and the block would be read after its free.
  logwrite_forget_memory(data, sizeof(block));
  give_block(data);
}

typedef struct output_set output_set;

// A place in a set's table: the reader there (NULL when free), how many readers it has had, and the next free
// place while it is free.
typedef struct {
  struct output_reader *reader;
  uint32_t generation;
  uint32_t next_free;
} place;

enum { NO_PLACE = UINT32_MAX };

typedef struct output_reader {
  output_set *set;
  int fd;
  // Its place in the set's table; an event names the place and the generation it was registered with, so one
  // that comes for a reader already ended (or for the next reader in that place) is recognised and dropped.
  uint32_t slot;
  bool ended;
  // Its writers are gone (EPOLLHUP came): it is read until a read returns 0.
  bool hup;
  // On the set's list of readers that stopped at READS_PER_WAKEUP with data left: an edge-triggered pipe does
  // not report that data again.
  bool more;
  struct output_reader *next_more;
  // The set and the JS side's external: the memory is freed once both let go, so a closeOutput that comes
  // after the end still finds it.
  int owners;
  napi_ref callback;
  napi_async_context context;
} output_reader;

// One a thread's event loop: the main thread's, or a worker's.
struct output_set {
  uv_poll_t poll;  // on epfd: readable while a pipe in the set has something to report
  uv_idle_t more;  // runs while a reader has data left over from its last turn
  int epfd;
  napi_env env;
  place *places;
  uint32_t size;
  uint32_t first_free;  // NO_PLACE when every place is taken
  uint32_t active;
  output_reader *more_head;
  output_reader **more_tail;
  napi_async_cleanup_hook_handle teardown;
  bool dead;
  int open_handles;
};

static __thread output_set *thread_set;

static void release(output_reader *r) {
  if (--r->owners == 0) free(r);
}

static uint64_t event_key(output_set *set, output_reader *r) {
  return (uint64_t)set->places[r->slot].generation << 32 | r->slot;
}

// Frees the reader's place: later events for it are dropped. The set lets go of the reader.
static void leave_set(output_reader *r) {
  output_set *set = r->set;
  place *p = &set->places[r->slot];
  p->reader = NULL;
  p->generation++;
  p->next_free = set->first_free;
  set->first_free = r->slot;
  if (--set->active == 0) uv_unref((uv_handle_t *)&set->poll);
  release(r);
}

// Stops reading: no further call. With `unwatch`, the descriptor leaves the epoll set now (its writers may
// still write: its events would wake the loop for nothing until the reaper's thread has closed it).
static void stop_reading(output_reader *r, bool unwatch) {
  r->ended = true;
  if (unwatch) epoll_ctl(r->set->epfd, EPOLL_CTL_DEL, r->fd, NULL);
  reaper_close_later(r->set->env, r->fd);
}

// Lets go of the callback.
static void release_callback(output_reader *r) {
  napi_delete_reference(r->set->env, r->callback);
  napi_async_destroy(r->set->env, r->context);
}

// Ends the reader without a further call (closeOutput, or the environment's end).
static void finish(output_reader *r) {
  stop_reading(r, true);
  release_callback(r);
  leave_set(r);
}

// Calls onOutput(value) as an I/O callback: microtasks and nextTicks run after it, as after a stream's 'data'.
static void deliver(output_reader *r, napi_value value) {
  napi_env env = r->set->env;
  napi_value fn, recv;
  napi_get_reference_value(env, r->callback, &fn);
  napi_get_global(env, &recv);
  if (napi_make_callback(env, r->context, recv, fn, 1, &value, NULL) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

static void on_more(uv_idle_t *idle);

static void queue_more(output_reader *r) {
  output_set *set = r->set;
  if (r->more) return;
  r->more = true;
  r->next_more = NULL;
  *set->more_tail = r;
  set->more_tail = &r->next_more;
  // Held by the list until it is served.
  r->owners++;
  uv_idle_start(&set->more, on_more);
}

// Reads what the pipe has, READS_PER_WAKEUP at most. Called in a handle scope, with a reference to r held: a
// closeOutput from inside onOutput lets go of the set's.
static void serve(output_reader *r, bool readable) {
  napi_env env = r->set->env;
  // Once the writers are gone, only a read that returns 0 tells the end: pipe_poll can report the hang-up
  // without the data a last writer wrote just before it closed (it reads the buffer's state and the writers'
  // count without the lock).
  if (r->hup) readable = true;
  bool end = false;
  bool drained = !readable;
  block *b = NULL;
  for (int i = 0; readable && i < READS_PER_WAKEUP && !r->ended; i++) {
    if (b == NULL && (b = take_block()) == NULL) break;
    ssize_t n = read(r->fd, b->bytes, CHUNK);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      drained = true;
      break;
    }
    if (n <= 0) {
      // The end of file, or an error (EIO...), which ends the stream as it did a Socket's.
      end = true;
      break;
    }
    napi_value chunk;
    if (n >= HANDOVER) {
      if (napi_create_external_buffer(env, (size_t)n, b, on_chunk_collected, NULL, &chunk) != napi_ok) break;
      // Told to V8, which otherwise sees a small object and collects it (giving the block back) late: a 200 MB
      // burst grew the daemon by 74 MB of blocks waiting for a collection, 36 MB so.
      int64_t held;
      napi_adjust_external_memory(env, (int64_t)sizeof(block), &held);
      b = NULL;
    } else {
      void *data;
      if (napi_create_buffer_copy(env, (size_t)n, b->bytes, &data, &chunk) != napi_ok) break;
    }
    deliver(r, chunk);
    // A short read is not taken for an empty pipe: a writer that set O_DIRECT on its end writes packets, and
    // a read returns one of them. Edge-triggered, what is left would wait for the next write; so the pipe is
    // read until EAGAIN (or the end), one read more a wake-up than libuv's streams do.
  }
  if (b != NULL) give_block(b);
  // onOutput may have closed the reader meanwhile (closeOutput), and then gets no end.
  if (r->ended) return;
  if (end) {
    // The end is told once reading has stopped, so that a closeOutput from inside it is ignored.
    stop_reading(r, false);
    napi_value null;
    napi_get_null(env, &null);
    deliver(r, null);
    release_callback(r);
    leave_set(r);
  } else if (!drained) {
    queue_more(r);
  }
}

static void on_events(uv_poll_t *poll, int status, int events) {
  (void)status;
  (void)events;
  output_set *set = poll->data;
  struct epoll_event ready[EVENTS];
  int n = epoll_wait(set->epfd, ready, EVENTS, 0);
  if (n <= 0) return;
  napi_handle_scope scope;
  napi_open_handle_scope(set->env, &scope);
  for (int i = 0; i < n && !set->dead; i++) {
    uint32_t slot = (uint32_t)ready[i].data.u64;
    uint32_t generation = (uint32_t)(ready[i].data.u64 >> 32);
    if (slot >= set->size || set->places[slot].generation != generation) continue;
    output_reader *r = set->places[slot].reader;
    if (r == NULL || r->ended) continue;
    uint32_t e = ready[i].events;
    if (e & (EPOLLHUP | EPOLLERR)) r->hup = true;
    r->owners++;
    serve(r, (e & EPOLLIN) != 0);
    release(r);
  }
  napi_close_handle_scope(set->env, scope);
}

// Readers that stopped with data left get their next turn, in the order they stopped.
static void on_more(uv_idle_t *idle) {
  output_set *set = idle->data;
  output_reader *r = set->more_head;
  set->more_head = NULL;
  set->more_tail = &set->more_head;
  uv_idle_stop(idle);
  napi_handle_scope scope;
  napi_open_handle_scope(set->env, &scope);
  while (r != NULL) {
    output_reader *next = r->next_more;
    r->more = false;
    // Held by the list until now, so also through onOutput.
    if (!r->ended && !set->dead) serve(r, true);
    release(r);
    r = next;
  }
  napi_close_handle_scope(set->env, scope);
}

// The poll handle and the idle handle: the set goes with the last, and then the environment may end.
static void on_set_closed(uv_handle_t *handle) {
  output_set *set = handle->data;
  if (--set->open_handles > 0) return;
  napi_remove_async_cleanup_hook(set->teardown);
  close(set->epfd);
  free(set->places);
  free(set);
}

// The environment ends with pipes still open: stop reading them, with no further call.
static void on_teardown(napi_async_cleanup_hook_handle handle, void *data) {
  (void)handle;
  output_set *set = data;
  set->dead = true;
  if (thread_set == set) thread_set = NULL;
  for (uint32_t i = 0; i < set->size; i++)
    if (set->places[i].reader != NULL) finish(set->places[i].reader);
  for (output_reader *r = set->more_head; r != NULL;) {
    output_reader *next = r->next_more;
    release(r);
    r = next;
  }
  set->more_head = NULL;
  uv_close((uv_handle_t *)&set->poll, on_set_closed);
  uv_close((uv_handle_t *)&set->more, on_set_closed);
}

static output_set *set_of(napi_env env) {
  if (thread_set != NULL) return thread_set;
  uv_loop_t *loop = NULL;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == NULL) return NULL;
  output_set *set = calloc(1, sizeof *set);
  if (set == NULL) return NULL;
  set->epfd = epoll_create1(EPOLL_CLOEXEC);
  if (set->epfd < 0 || uv_poll_init(loop, &set->poll, set->epfd) != 0) {
    if (set->epfd >= 0) close(set->epfd);
    free(set);
    return NULL;
  }
  uv_idle_init(loop, &set->more);
  set->env = env;
  set->poll.data = set;
  set->more.data = set;
  set->more_tail = &set->more_head;
  set->first_free = NO_PLACE;
  set->open_handles = 2;
  uv_poll_start(&set->poll, UV_READABLE, on_events);
  // Kept alive only while a pipe is read, as a poll handle per pipe kept it.
  uv_unref((uv_handle_t *)&set->poll);
  napi_add_async_cleanup_hook(env, on_teardown, set, &set->teardown);
  thread_set = set;
  return set;
}

static bool take_slot(output_set *set, output_reader *r) {
  if (set->first_free == NO_PLACE) {
    uint32_t size = set->size == 0 ? 256 : set->size * 2;
    place *places = realloc(set->places, size * sizeof *places);
    if (places == NULL) return false;
    for (uint32_t i = set->size; i < size; i++)
      places[i] = (place){NULL, 0, i + 1 < size ? i + 1 : NO_PLACE};
    set->places = places;
    set->first_free = set->size;
    set->size = size;
  }
  r->slot = set->first_free;
  set->first_free = set->places[r->slot].next_free;
  set->places[r->slot].reader = r;
  if (set->active++ == 0) uv_ref((uv_handle_t *)&set->poll);
  return true;
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
  output_set *set = set_of(env);
  output_reader *r = set == NULL ? NULL : calloc(1, sizeof *r);
  int flags = fcntl(fd, F_GETFL);
  bool placed = r != NULL && flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 && take_slot(set, r);
  if (placed) {
    r->set = set;
    r->fd = fd;
    r->owners = 1;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = event_key(set, r)};
    if (epoll_ctl(set->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
      leave_set(r);  // frees it
      r = NULL;
      placed = false;
    }
  }
  if (!placed) {
    free(r);
    napi_throw_error(env, NULL, "readOutput: this descriptor cannot be watched");
    return NULL;
  }
  napi_create_reference(env, args[1], 1, &r->callback);
  napi_value resource_name;
  napi_create_string_utf8(env, "svd:output", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &r->context);
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

// Log files written from a thread of their own: a child's output is read from its pipe on the JavaScript thread
// (svd_output.c) and its big chunks written to the log file here, so that the read of the next chunk overlaps
// the write of the last. Both on the one thread, a child flooding its stdout cost the daemon the write to the
// file (what the same child writing straight to the file costs) plus the read from the pipe: 1.34x the floor
// (perf, 2-core Intel VM). README: "Spawning children", its "Log files".
//
// Exports:
//   logWrite(fd, buffer, after, token, reportOk) -> seq: queues the buffer for fd (a regular file), written after
//     the write numbered `after` (this file's last, 0 for none), and returns its number; or 0 when the caller is
//     to write it itself, now: the buffer is small and every earlier write of fd is done, so order holds and a
//     line of output costs no hand-over. When ROOM bytes are queued already, waits until there is room: a file
//     slower than its child holds the child back through its pipe, as a write on this thread did.
//   logWait(seq): returns once the write numbered seq (and every one before it) is done, after telling the
//     outcomes of the writes done so far to the onLogWritten handler; logWait(-1): all.
//   onLogWritten(handler): handler(token, errno, dropped) after a queued write that failed (errno > 0, dropped
//     bytes lost), and after one queued with reportOk that succeeded (errno 0): the file's way out of an error.
//
// Writes of one environment are done in the order they were queued; the buffers are held by a reference until
// written, and let go on the environment's thread.
#define _GNU_SOURCE
#include <errno.h>
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/uio.h>
#include <unistd.h>
#include <uv.h>

#include "svd_logwrite.h"
#include "svd_reaper.h"

// A chunk at most this big, with nothing of its file pending, is written by the caller: a line of output is not
// worth a hand-over. A child writing fast is read in 64 KiB chunks, which come here.
enum { INLINE_MAX = 16 * 1024, BATCH = 16 };
// Bytes queued before logWrite waits: enough that the thread never runs dry while the JavaScript thread, the
// child and V8's helpers share the other core, little enough that a file far slower than its child holds no
// more than this in memory. With 4 MiB, a 200 MB burst beside 1,000 programs took up to 1.4x the direct write
// in its later rounds; with 16 MiB, 1.0x (2-core AMD VM, alternating sessions; 32 MiB gained nothing more).
static const size_t ROOM = 16 * 1024 * 1024;

typedef struct item {
  struct item *next;
  int fd;
  const char *data;
  size_t len;
  napi_ref buffer;
  uint64_t seq;
  int32_t token;
  bool report_ok;
  int error;
  size_t dropped;
} item;

typedef struct {
  napi_env env;
  pthread_mutex_t lock;
  pthread_cond_t work;      // the thread waits here for items
  pthread_cond_t progress;  // the JavaScript thread waits here for room, or for a write to be done
  pthread_t thread;
  uv_async_t written;       // on the environment's loop: items are done
  item *head, **tail;       // queued, oldest first; the head stays until it is written
  item *done_head, **done_tail;
  size_t queued_bytes;
  uint64_t last_seq;
  uint64_t written_seq;
  bool stopping;
  napi_ref handler;
  napi_async_context context;
  napi_async_cleanup_hook_handle teardown;
} log_writer;

static __thread log_writer *thread_writer;

// Every writer of the process, for the exit: what is queued is written before exit() returns to the kernel.
static pthread_mutex_t writers_lock = PTHREAD_MUTEX_INITIALIZER;
static log_writer *writers[8];
static int writer_count;

// Writes `count` items of one file with as few system calls as it takes (writev): a 64 KiB write each cost the
// thread more than the same bytes written in bigger pieces. A failure drops what is left of every item.
static void write_batch(item **items, int count) {
  struct iovec iov[BATCH];
  int first = 0;
  size_t skip = 0;  // bytes of items[first] already written
  while (first < count) {
    int n = 0;
    for (int i = first; i < count; i++, n++) {
      iov[n].iov_base = (char *)items[i]->data + (i == first ? skip : 0);
      iov[n].iov_len = items[i]->len - (i == first ? skip : 0);
    }
    ssize_t done = writev(items[first]->fd, iov, n);
    if (done < 0 && errno == EINTR) continue;
    if (done <= 0) {
      int error = done < 0 ? errno : EIO;
      for (int i = first; i < count; i++) {
        items[i]->error = error;
        items[i]->dropped = items[i]->len - (i == first ? skip : 0);
      }
      return;
    }
    size_t left = (size_t)done;
    while (first < count && left >= items[first]->len - skip) left -= items[first]->len - skip, first++, skip = 0;
    skip += left;
  }
}

static void *run(void *arg) {
  log_writer *w = arg;
  // Named for `top -H` and /proc/PID/task: the daemon's other threads are Node's own.
  pthread_setname_np(pthread_self(), "svd-logwrite");
  item *batch[BATCH];
  pthread_mutex_lock(&w->lock);
  for (;;) {
    while (w->head == NULL && !w->stopping) pthread_cond_wait(&w->work, &w->lock);
    if (w->head == NULL) break;
    // The oldest items, while they are for one file; they stay queued (and counted) until written.
    int count = 0;
    for (item *it = w->head; it != NULL && count < BATCH && it->fd == w->head->fd; it = it->next)
      batch[count++] = it;
    pthread_mutex_unlock(&w->lock);
    write_batch(batch, count);
    pthread_mutex_lock(&w->lock);
    bool first = w->done_head == NULL;
    for (int i = 0; i < count; i++) {
      item *it = batch[i];
      w->head = it->next;
      w->queued_bytes -= it->len;
      w->written_seq = it->seq;
      it->next = NULL;
      *w->done_tail = it;
      w->done_tail = &it->next;
    }
    if (w->head == NULL) w->tail = &w->head;
    pthread_cond_broadcast(&w->progress);
    if (first) uv_async_send(&w->written);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

// Waits, with the lock held, until every write up to seq is done.
static void wait_for(log_writer *w, uint64_t seq) {
  while (w->written_seq < seq) pthread_cond_wait(&w->progress, &w->lock);
}

void logwrite_forget_memory(const void *start, size_t len) {
  log_writer *w = thread_writer;
  if (w == NULL) return;
  uintptr_t lo = (uintptr_t)start, hi = lo + len;
  pthread_mutex_lock(&w->lock);
  // A Buffer is held by its item's reference until written, so only an environment's teardown (Node runs the
  // finalizers of external Buffers before any cleanup hook, on_teardown's drain among them) finds one here.
  uint64_t last = 0;
  for (item *it = w->head; it != NULL; it = it->next)
    if ((uintptr_t)it->data < hi && (uintptr_t)it->data + it->len > lo) last = it->seq;
  if (last != 0) wait_for(w, last);
  pthread_mutex_unlock(&w->lock);
}

static void drain(log_writer *w) {
  pthread_mutex_lock(&w->lock);
  wait_for(w, w->last_seq);
  pthread_mutex_unlock(&w->lock);
}

// exit() (process.exit) leaves the buffers alive: what is queued is still written.
static void drain_all_at_exit(void) {
  pthread_mutex_lock(&writers_lock);
  for (int i = 0; i < writer_count; i++) drain(writers[i]);
  pthread_mutex_unlock(&writers_lock);
}

// How the outcomes of writes done are told: not at all (the environment ends), from the loop (a callback of
// its own), or to a JavaScript caller of logWait (a plain call, whose exception is the caller's).
typedef enum { TELL_NONE, TELL_FROM_LOOP, TELL_TO_CALLER } tell_mode;

// False once the handler threw to a caller: the rest is let go untold, and the exception goes up to it.
static bool report(log_writer *w, item *it, tell_mode mode) {
  napi_env env = w->env;
  napi_value fn, recv, argv[3];
  if (w->handler == NULL || napi_get_reference_value(env, w->handler, &fn) != napi_ok || fn == NULL) return true;
  napi_get_global(env, &recv);
  napi_create_int32(env, it->token, &argv[0]);
  napi_create_int32(env, it->error, &argv[1]);
  napi_create_double(env, (double)it->dropped, &argv[2]);
  if (mode == TELL_TO_CALLER) return napi_call_function(env, recv, fn, 3, argv, NULL) == napi_ok;
  if (napi_make_callback(env, w->context, recv, fn, 3, argv, NULL) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
  return true;
}

// Lets go of the buffers of the writes done, and tells the failures (and the reportOk successes) as `mode` says.
static void release_done(log_writer *w, tell_mode mode) {
  pthread_mutex_lock(&w->lock);
  item *it = w->done_head;
  w->done_head = NULL;
  w->done_tail = &w->done_head;
  bool idle = w->head == NULL;
  pthread_mutex_unlock(&w->lock);
  napi_handle_scope scope;
  napi_open_handle_scope(w->env, &scope);
  while (it != NULL) {
    item *next = it->next;
    napi_delete_reference(w->env, it->buffer);
    if (mode != TELL_NONE && (it->error != 0 || it->report_ok) && !report(w, it, mode)) mode = TELL_NONE;
    free(it);
    it = next;
  }
  napi_close_handle_scope(w->env, scope);
  // Kept alive while writes are queued, so that their buffers are let go and their failures told.
  if (idle) uv_unref((uv_handle_t *)&w->written);
}

static void on_written(uv_async_t *async) { release_done(async->data, TELL_FROM_LOOP); }

static void on_closed(uv_handle_t *handle) {
  log_writer *w = handle->data;
  if (w->teardown != NULL) napi_remove_async_cleanup_hook(w->teardown);
  pthread_mutex_destroy(&w->lock);
  pthread_cond_destroy(&w->work);
  pthread_cond_destroy(&w->progress);
  free(w);
}

// The environment ends: what is queued is written (its buffers live until the hook returns), the thread ends.
static void on_teardown(napi_async_cleanup_hook_handle handle, void *data) {
  (void)handle;
  log_writer *w = data;
  pthread_mutex_lock(&writers_lock);
  for (int i = 0; i < writer_count; i++)
    if (writers[i] == w) writers[i] = writers[--writer_count];
  pthread_mutex_unlock(&writers_lock);
  pthread_mutex_lock(&w->lock);
  w->stopping = true;
  pthread_cond_signal(&w->work);
  pthread_mutex_unlock(&w->lock);
  pthread_join(w->thread, NULL);
  if (thread_writer == w) thread_writer = NULL;
  // No JavaScript runs while the environment is torn down: the buffers are let go, nobody is told.
  release_done(w, TELL_NONE);
  if (w->handler != NULL) napi_delete_reference(w->env, w->handler);
  napi_async_destroy(w->env, w->context);
  uv_close((uv_handle_t *)&w->written, on_closed);
}

static log_writer *writer_of(napi_env env) {
  if (thread_writer != NULL) return thread_writer;
  uv_loop_t *loop = NULL;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == NULL) return NULL;
  pthread_mutex_lock(&writers_lock);
  bool room = writer_count < (int)(sizeof writers / sizeof writers[0]);
  pthread_mutex_unlock(&writers_lock);
  if (!room) return NULL;
  log_writer *w = calloc(1, sizeof *w);
  if (w == NULL) return NULL;
  w->env = env;
  w->tail = &w->head;
  w->done_tail = &w->done_head;
  pthread_mutex_init(&w->lock, NULL);
  pthread_cond_init(&w->work, NULL);
  pthread_cond_init(&w->progress, NULL);
  if (uv_async_init(loop, &w->written, on_written) != 0) {
    free(w);
    return NULL;
  }
  w->written.data = w;
  uv_unref((uv_handle_t *)&w->written);
  if (start_helper_thread(&w->thread, run, w, false) != 0) {
    // The handle's memory is w's: freed once libuv lets go of it.
    uv_close((uv_handle_t *)&w->written, on_closed);
    return NULL;
  }
  napi_value resource_name;
  napi_create_string_utf8(env, "svd:logwrite", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &w->context);
  napi_add_async_cleanup_hook(env, on_teardown, w, &w->teardown);
  static bool exit_hooked = false;
  pthread_mutex_lock(&writers_lock);
  // Checked again: another thread may have taken the last place since the check above (its write at exit is
  // then left to its own teardown; writers[] must not overflow).
  if (writer_count < (int)(sizeof writers / sizeof writers[0])) writers[writer_count++] = w;
  if (!exit_hooked) exit_hooked = atexit(drain_all_at_exit) == 0;
  pthread_mutex_unlock(&writers_lock);
  thread_writer = w;
  return w;
}

static bool seq_arg(napi_env env, napi_value value, uint64_t *seq) {
  double d;
  if (napi_get_value_double(env, value, &d) != napi_ok) return false;
  *seq = d < 0 ? UINT64_MAX : (uint64_t)d;
  return true;
}

static napi_value number(napi_env env, double value) {
  napi_value result;
  napi_create_double(env, value, &result);
  return result;
}

static napi_value LogWrite(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value args[5];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  int32_t fd, token;
  uint64_t after;
  bool report_ok, is_buffer = false;
  void *data = NULL;
  size_t len = 0;
  if (argc < 5 || napi_get_value_int32(env, args[0], &fd) != napi_ok || fd < 0 ||
      napi_is_buffer(env, args[1], &is_buffer) != napi_ok || !is_buffer ||
      napi_get_buffer_info(env, args[1], &data, &len) != napi_ok || !seq_arg(env, args[2], &after) ||
      napi_get_value_int32(env, args[3], &token) != napi_ok ||
      napi_get_value_bool(env, args[4], &report_ok) != napi_ok) {
    napi_throw_type_error(env, NULL, "logWrite(fd, buffer, after, token, reportOk)");
    return NULL;
  }
  log_writer *w = writer_of(env);
  if (w == NULL) return number(env, 0);
  pthread_mutex_lock(&w->lock);
  bool inline_write = len <= INLINE_MAX && w->written_seq >= after;
  pthread_mutex_unlock(&w->lock);
  if (inline_write || len == 0) return number(env, 0);
  item *it = calloc(1, sizeof *it);
  if (it == NULL || napi_create_reference(env, args[1], 1, &it->buffer) != napi_ok) {
    free(it);
    // Written by the caller after what is queued for fd: order holds, at the cost of a wait.
    pthread_mutex_lock(&w->lock);
    wait_for(w, after);
    pthread_mutex_unlock(&w->lock);
    return number(env, 0);
  }
  it->fd = fd;
  it->data = data;
  it->len = len;
  it->token = token;
  it->report_ok = report_ok;
  pthread_mutex_lock(&w->lock);
  while (w->queued_bytes >= ROOM && w->head != NULL) pthread_cond_wait(&w->progress, &w->lock);
  it->seq = ++w->last_seq;
  bool wake = w->head == NULL;
  *w->tail = it;
  w->tail = &it->next;
  w->queued_bytes += len;
  if (wake) pthread_cond_signal(&w->work);
  pthread_mutex_unlock(&w->lock);
  uv_ref((uv_handle_t *)&w->written);
  return number(env, (double)it->seq);
}

static napi_value LogWait(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  uint64_t seq;
  if (argc < 1 || !seq_arg(env, arg, &seq)) {
    napi_throw_type_error(env, NULL, "logWait(seq)");
    return NULL;
  }
  log_writer *w = thread_writer;
  if (w == NULL) return NULL;
  pthread_mutex_lock(&w->lock);
  wait_for(w, seq < w->last_seq ? seq : w->last_seq);
  pthread_mutex_unlock(&w->lock);
  // Told now, before the caller goes on: a file that closes after the wait hears of its last writes' failures,
  // which the loop would tell once the file is gone.
  release_done(w, TELL_TO_CALLER);
  return NULL;
}

static napi_value OnLogWritten(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg;
  napi_valuetype type;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  if (argc < 1 || napi_typeof(env, arg, &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "onLogWritten(handler)");
    return NULL;
  }
  log_writer *w = writer_of(env);
  if (w == NULL) return NULL;
  if (w->handler != NULL) napi_delete_reference(env, w->handler);
  napi_create_reference(env, arg, 1, &w->handler);
  return NULL;
}

void register_logwrite(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "logWrite", NAPI_AUTO_LENGTH, LogWrite, NULL, &fn);
  napi_set_named_property(env, exports, "logWrite", fn);
  napi_create_function(env, "logWait", NAPI_AUTO_LENGTH, LogWait, NULL, &fn);
  napi_set_named_property(env, exports, "logWait", fn);
  napi_create_function(env, "onLogWritten", NAPI_AUTO_LENGTH, OnLogWritten, NULL, &fn);
  napi_set_named_property(env, exports, "onLogWritten", fn);
}

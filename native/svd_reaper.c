// Children's exits, reaped on a thread of their own and reported on the event loop of the thread that spawned
// them; and descriptors the JavaScript thread is done with, closed on that same thread.
//
// Why a thread: reaping is the kernel's most expensive step of an exit (wait4 releases the task and flushes
// its /proc entries: ~15 us a child on a 2-core VM), and so is the last close of a pipe or a file. At a stop
// of 1,000 programs both ran on the daemon's one JavaScript thread after the children had all exited, while
// the other core sat idle. Here one thread waits on every child's pidfd (one epoll set, each pidfd armed
// once), reaps the child and queues its status; the spawning thread's loop is woken once (uv_async) for
// whatever is queued and calls each child's onExit there, as an I/O callback.
//
// A reaped child's pid may be reused at once, so a signal to a native child goes to its pidfd, which names
// that process and no other: the pidfd stays open until the exit has been reported. Once the thread has seen
// the pidfd say the child exited, the child is out of the pid table, and a signal finds it gone (ESRCH), as
// after an exit.
//
// A pidfd is a descriptor on top of the three a program's pipes take (supervisor's whole cost), and under a
// tight open-files limit the pidfds would take the descriptors the daemon needs for more programs, its logs
// and its clients. So a child may be watched without one (the spawner decides): its exit is learnt from
// SIGCHLD, caught on its environment's loop (a libuv signal handle, next to libuv's own for node's children),
// which wakes the thread to look at each such child with waitid(WNOHANG). Its pid names it until the thread
// reaps it, and the thread takes it out of the pid table before it reaps, so a signal sent by pid under the
// lock, while it is still in the table, cannot reach a process that reused the pid.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "svd_reaper.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

// One per JavaScript environment (the main thread, each worker) that spawned: where its reaped children wait,
// and the descriptors it is done with until the end of the loop's turn.
typedef struct mailbox {
  napi_env env;
  uv_async_t async;           // woken for reaped children
  uv_prepare_t flush;         // wakes the thread for `pending` and `sending` once a turn, before the loop waits
  uv_signal_t child_exited;   // SIGCHLD, while children without a pidfd run (env thread)
  int pidless;                // those children, not yet reaped (under the lock)
  int scarce_from;            // reaper_scarce_from(), read once a turn (env thread)
  struct watch *head, *tail;  // reaped, not yet reported (under the lock)
  struct failure *failed;     // signals sent soon that failed, not yet reported (under the lock)
  napi_ref on_signal_failed;  // (pid, errno), set by the JavaScript side (env thread)
  bool wake;                  // signals were queued this turn: on_flush wakes the thread (env thread)
  int queued;                 // signals queued since the thread was last woken for them (env thread)
  int unreported;             // watches not yet reported: the loop is kept alive while there are any (env thread)
  int *pending;               // descriptors to close (env thread)
  size_t pending_count, pending_size;
  int open_handles;           // async and flush, until both are closed at the environment's end
  int refs;                   // unreaped watches, plus one while the environment lives (under the lock)
  bool dead;                  // the environment ended: its children are reaped and forgotten (under the lock)
  napi_async_cleanup_hook_handle teardown;
} mailbox;

typedef struct watch {
  struct watch *next_in_bucket;  // the pid table, until it exited
  struct watch *next;            // the mailbox's queue once reaped, or the deferred or the retry list
  pid_t pid;
  int pidfd;  // open until the exit was reported (or the environment ended); -1 when watched without one
  struct watch *prev_pidless, *next_pidless;  // the children without a pidfd, until they exited
  int code, signal;
  bool core;
  bool unlinked;  // out of the pid table: exited, and no longer to be signalled
  int unsent;     // signals queued for it and not sent yet: it is not reaped before they are (under the lock)
  mailbox *box;
  napi_ref callback;
  napi_async_context context;
} watch;

// A signal to send on the thread (signalSoon), and one that failed there, to report.
typedef struct outgoing {
  struct outgoing *next;
  pid_t pid;
  int pidfd;  // -1 for the process group, or for a child without a pidfd
  int signal;
  bool group;
  mailbox *box;
  // The environment's own child, in the table when the signal was queued, that the signal is counted against
  // (its `unsent`): with a pidfd, or for its process group. NULL for others (a group outliving its leader).
  watch *target;
} outgoing;

typedef struct failure {
  struct failure *next;
  pid_t pid;
  int error;
} failure;

enum { BUCKETS = 4096, EVENTS = 64, RETRY_MS = 100, SEND_BATCH = 64 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static watch *table[BUCKETS];  // children not known to have exited, by pid (under the lock)
static watch *retry;           // exited but not reapable yet (the thread's own)
static int epfd = -1;
// Descriptors handed over by the environments, closed by the thread (under the lock), and how it is woken
// for them: an eventfd in the epoll set, written when the list turns non-empty.
static int *closing;
static size_t closing_count, closing_size;
static int wakefd = -1;
// Signals queued by the environments, in order, sent by the thread (under the lock). A child is not reaped while
// a signal counted against it waits here or in the thread's hands (watch.unsent): its pid, its process group
// and its pidfd's number cannot be another process's yet when the signal goes out, and its exit is reported,
// and its pidfd handed over for closing, only after every such signal. A child without a pidfd is signalled by
// pid under the lock while it is in the table, which is safe without counting.
static outgoing *sending, **sending_tail = &sending;
// Children that exited with a signal to them still queued (the thread's own): reaped once all of them went out
// or were dropped.
static watch *deferred;
// The children watched without a pidfd, not yet seen to exit (under the lock; the thread walks it without the
// lock, since only the thread takes watches out of it and new ones go in at the head), and whether the thread
// is to look at them at its next wake-up (under the lock).
static watch *pidless;
static bool look_at_pidless;
static int orphaned_pidless;  // of them, those whose environment ended: no SIGCHLD tells of them (under the lock)
static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_error;

static watch **slot(pid_t pid) {
  watch **p = &table[(unsigned)pid % BUCKETS];
  while (*p != NULL && (*p)->pid != pid) p = &(*p)->next_in_bucket;
  return p;
}

static void release_box(mailbox *box) {
  if (--box->refs == 0) {
    free(box->pending);
    free(box);
  }
}

static bool reap_exits(struct epoll_event *events, int n, bool look);

// On the thread, without the lock: sends each signal; a failure other than ESRCH (the exit follows) goes back
// to the child's environment.
static void send_all(outgoing *o) {
  for (int sent = 0; o != NULL; sent++) {
    // Between batches, the children that exited meanwhile are reaped and queued for their environments: a stop
    // of all 1,000 would otherwise report its first exit only after its last signal.
    if (sent > 0 && sent % SEND_BATCH == 0) {
      struct epoll_event events[EVENTS];
      int n = epoll_wait(epfd, events, EVENTS, 0);
      if (n > 0) reap_exits(events, n, false);
    }
    outgoing *next = o->next;
    int error = 0;
    if (o->group) error = kill(-o->pid, o->signal) < 0 ? errno : 0;
    else if (o->pidfd >= 0) error = syscall(SYS_pidfd_send_signal, o->pidfd, o->signal, NULL, 0) < 0 ? errno : 0;
    pthread_mutex_lock(&lock);
    if (!o->group && o->pidfd < 0) {
      // By pid, under the lock: still in the table, the child is not reaped (this thread reaps it, later).
      watch *w = *slot(o->pid);
      error = w == NULL || w->box != o->box ? ESRCH : kill(o->pid, o->signal) < 0 ? errno : 0;
    }
    if (error != 0 && error != ESRCH && !o->box->dead) {
      failure *f = malloc(sizeof *f);
      if (f != NULL) {
        *f = (failure){o->box->failed, o->pid, error};
        bool was_empty = o->box->failed == NULL && o->box->head == NULL;
        o->box->failed = f;
        if (was_empty) uv_async_send(&o->box->async);
      }
    }
    if (o->target != NULL) o->target->unsent--;
    release_box(o->box);
    pthread_mutex_unlock(&lock);
    free(o);
    o = next;
  }
}

// Under the lock: takes w out of the pid table. Its pidfd is readable: the child has exited.
static void unlink_watch(watch *w) {
  if (w->unlinked) return;
  *slot(w->pid) = w->next_in_bucket;
  w->unlinked = true;
}

// Under the lock: takes w, which exited, out of the children without a pidfd.
static void drop_pidless(watch *w) {
  if (w->prev_pidless != NULL) w->prev_pidless->next_pidless = w->next_pidless;
  else pidless = w->next_pidless;
  if (w->next_pidless != NULL) w->next_pidless->prev_pidless = w->prev_pidless;
  w->box->pidless--;
  if (w->box->dead) orphaned_pidless--;
}

// On the thread: finds up to `room` children without a pidfd that exited (waitid without reaping: the pid
// stays theirs until they are out of the table), takes them out of the table and the list, and stores them in
// `exited`. Returns how many; `room` of them when there may be more.
static int find_exited_pidless(watch **exited, int room) {
  pthread_mutex_lock(&lock);
  watch *w = pidless;
  pthread_mutex_unlock(&lock);
  int found = 0;
  for (; w != NULL && found < room; w = w->next_pidless) {
    siginfo_t info = {0};
    int r = waitid(P_PID, w->pid, &info, WEXITED | WNOHANG | WNOWAIT | __WALL);
    // ECHILD: reaped by someone else (a waitpid(-1) elsewhere in the process); reported without a status.
    if ((r == 0 && info.si_pid == w->pid) || (r < 0 && errno == ECHILD)) exited[found++] = w;
  }
  if (found == 0) return 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < found; i++) unlink_watch(exited[i]), drop_pidless(exited[i]);
  pthread_mutex_unlock(&lock);
  return found;
}

// Reaps w, without the lock. False when its exit cannot be reaped yet: a tracer (strace -p, gdb) holds it
// until it waits for the child itself.
static bool reap(watch *w) {
  int status;
  pid_t r;
  do r = waitpid(w->pid, &status, WNOHANG | __WALL);
  while (r < 0 && errno == EINTR);
  if (r == 0) return false;
  w->code = w->signal = -1;
  w->core = false;
  if (r == w->pid && WIFEXITED(status)) w->code = WEXITSTATUS(status), w->signal = 0;
  else if (r == w->pid && WIFSIGNALED(status)) w->signal = WTERMSIG(status), w->core = WCOREDUMP(status);
  return true;
}

// Under the lock: queues reaped w for its environment, whose loop is woken when its queue was empty.
static void deliver(watch *w) {
  mailbox *box = w->box;
  if (box->dead) {
    // Its environment is gone, and with it the callback's reference.
    if (w->pidfd >= 0) close(w->pidfd);
    free(w);
  } else {
    w->next = NULL;
    bool was_empty = box->head == NULL;
    if (was_empty) box->head = w;
    else box->tail->next = w;
    box->tail = w;
    if (was_empty) uv_async_send(&box->async);
  }
  release_box(box);
}

// Under the lock: adds fd to the descriptors the thread closes at its next wake-up. False without memory.
static bool closing_add(int fd) {
  if (closing_count == closing_size) {
    size_t size = closing_size == 0 ? 256 : closing_size * 2;
    int *grown = realloc(closing, size * sizeof *grown);
    if (grown == NULL) return false;
    closing = grown, closing_size = size;
  }
  closing[closing_count++] = fd;
  return true;
}

// Under the lock, on the thread: w exited (taken out of the table already); it goes to `ready` to be reaped,
// or waits in `deferred` while a signal to it is still queued.
static void sort_exited(watch *w, watch **ready, int *count) {
  if (w->unsent > 0) w->next = deferred, deferred = w;
  else ready[(*count)++] = w;
}

// On the thread: reaps the children whose pidfds are among `events` (the eventfd, level-triggered, is left for
// the loop), those whose queued signals went out since they exited, and those waiting for a retry, and queues
// them for their environments. With `look`, also up to EVENTS children without a pidfd. Returns whether there
// may be more exits to take at once (of children without a pidfd, or deferred ones beyond this call's room).
static bool reap_exits(struct epoll_event *events, int n, bool look) {
  watch *exited[EVENTS], *ready[3 * EVENTS], *reaped[4 * EVENTS];
  int found = look ? find_exited_pidless(exited, EVENTS) : 0;
  bool more = look && found == EVENTS;
  int count = 0;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < n; i++) {
    watch *w = events[i].data.ptr;
    if (w == NULL) continue;
    unlink_watch(w);
    sort_exited(w, ready, &count);
  }
  for (int i = 0; i < found; i++) sort_exited(exited[i], ready, &count);
  for (watch **p = &deferred; *p != NULL;) {
    watch *w = *p;
    if (w->unsent > 0) {
      p = &w->next;
    } else if (count == 3 * EVENTS) {
      more = true;
      break;
    } else {
      *p = w->next;
      ready[count++] = w;
    }
  }
  pthread_mutex_unlock(&lock);
  int done = 0;
  for (int i = 0; i < count; i++) {
    watch *w = ready[i];
    // Not yet reapable (a tracer holds the exit): retried on a timer, as a pidfd armed once (EPOLLONESHOT)
    // gives no second event, and one armed again would spin while it stays readable.
    if (reap(w)) reaped[done++] = w;
    else w->next = retry, retry = w;
  }
  for (watch **p = &retry; *p != NULL && done < 4 * EVENTS;) {
    watch *w = *p;
    if (reap(w)) *p = w->next, reaped[done++] = w;
    else p = &w->next;
  }
  if (done == 0) return more;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < done; i++) deliver(reaped[i]);
  pthread_mutex_unlock(&lock);
  return more;
}

static void *run(void *arg) {
  (void)arg;
  struct epoll_event events[EVENTS];
  bool more = false;
  for (;;) {
    pthread_mutex_lock(&lock);
    bool poll_pidless = orphaned_pidless > 0;
    pthread_mutex_unlock(&lock);
    int timeout = more ? 0 : retry != NULL || poll_pidless ? RETRY_MS : -1;
    int n = epoll_wait(epfd, events, EVENTS, timeout);
    if (n < 0) {
      // EINTR aside, only a stray close of epfd elsewhere gets here; the watches are lost with it, so pace the
      // loop instead of spinning a core, and still retry the exits already seen.
      if (errno != EINTR) nanosleep(&(struct timespec){.tv_nsec = RETRY_MS * 1000000L}, NULL);
      n = 0;
    }
    int *to_close = NULL;
    size_t close_count = 0;
    outgoing *to_send = NULL;
    pthread_mutex_lock(&lock);
    bool look = look_at_pidless || more || (n == 0 && poll_pidless);
    look_at_pidless = false;
    for (int i = 0; i < n; i++) {
      if (events[i].data.ptr != NULL) continue;
      uint64_t ignored;
      (void)!read(wakefd, &ignored, sizeof ignored);
      to_send = sending;
      sending = NULL, sending_tail = &sending;
      to_close = closing, close_count = closing_count;
      closing = NULL, closing_count = closing_size = 0;
    }
    pthread_mutex_unlock(&lock);
    send_all(to_send);
    // Exits before closes: an exit reported sooner is the JavaScript thread's work sooner, while the closes
    // only free descriptors.
    more = reap_exits(events, n, look);
    for (size_t i = 0; i < close_count; i++) close(to_close[i]);
    free(to_close);
  }
  return NULL;
}

static void start(void) {
  epfd = epoll_create1(EPOLL_CLOEXEC);
  wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  struct epoll_event wake = {.events = EPOLLIN, .data.ptr = NULL};
  if (epfd < 0 || wakefd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, wakefd, &wake) < 0) {
    start_error = errno;
    return;
  }
  pthread_t thread;
  start_error = start_helper_thread(&thread, run, NULL, true);
}

int start_helper_thread(pthread_t *thread, void *(*run)(void *), void *arg, bool detached) {
  // Every signal blocked: the process's signals (SIGTERM, SIGHUP...) are the JavaScript thread's to handle.
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 64 * 1024);
  if (detached) pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int failed = pthread_create(thread, &attr, run, arg);
  pthread_attr_destroy(&attr);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return failed;
}

// Hands the environment's pending descriptors to the thread: once a turn of its loop, so a burst of closes
// wakes the thread once, not once each. A prepare handle, run right before the loop waits for I/O: a check
// handle runs after that wait, so what a timer's callback queued (a stop's SIGKILL after stopwaitsecs) or a
// check callback (setImmediate) waited for the loop's next wake-up, however far.
static void on_flush(uv_prepare_t *prepare) {
  mailbox *box = prepare->data;
  uv_prepare_stop(prepare);
  // The limit may have been raised or lowered meanwhile (setrlimit, minfds at a reload).
  box->scarce_from = reaper_scarce_from();
  bool wake = box->wake;
  box->wake = false;
  box->queued = 0;
  uint64_t one = 1;
  if (box->pending_count == 0) {
    if (wake) (void)!write(wakefd, &one, sizeof one);
    return;
  }
  pthread_mutex_lock(&lock);
  bool was_empty = closing_count == 0;
  if (closing_count + box->pending_count > closing_size) {
    size_t size = closing_size == 0 ? 256 : closing_size;
    while (size < closing_count + box->pending_count) size *= 2;
    int *grown = realloc(closing, size * sizeof *grown);
    if (grown == NULL) {
      pthread_mutex_unlock(&lock);
      for (size_t i = 0; i < box->pending_count; i++) close(box->pending[i]);
      box->pending_count = 0;
      if (wake) (void)!write(wakefd, &one, sizeof one);
      return;
    }
    closing = grown, closing_size = size;
  }
  for (size_t i = 0; i < box->pending_count; i++) closing[closing_count++] = box->pending[i];
  pthread_mutex_unlock(&lock);
  box->pending_count = 0;
  if (was_empty || wake) (void)!write(wakefd, &one, sizeof one);
}

static void report(watch *w) {
  napi_env env = w->box->env;
  napi_value fn, recv, argv[3];
  napi_get_reference_value(env, w->callback, &fn);
  napi_get_global(env, &recv);  // napi_make_callback wants an object as `this`.
  napi_create_int32(env, w->code, &argv[0]);
  napi_create_int32(env, w->signal, &argv[1]);
  napi_get_boolean(env, w->core, &argv[2]);
  if (napi_make_callback(env, w->context, recv, fn, 3, argv, NULL) == napi_pending_exception) {
    // As a throw in a child_process 'exit' listener: the process's uncaught-exception path.
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

static void close_later(napi_env env, int fd, bool after_signals);

// On the environment's thread: lets go of a reported (or, at the environment's end, unreported) watch, whose
// pidfd goes to the thread (-1 when on_teardown handed it over already).
static void forget(watch *w) {
  napi_env env = w->box->env;
  if (w->pidfd >= 0) close_later(env, w->pidfd, true);
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->context);
  free(w);
}

// Tells the JavaScript side of each signal that failed on the thread, oldest first.
static void report_failures(mailbox *box, failure *f) {
  failure *oldest = NULL;
  while (f != NULL) {
    failure *next = f->next;
    f->next = oldest, oldest = f;
    f = next;
  }
  napi_env env = box->env;
  for (f = oldest; f != NULL;) {
    failure *next = f->next;
    napi_value fn, recv, argv[2];
    if (box->on_signal_failed != NULL && napi_get_reference_value(env, box->on_signal_failed, &fn) == napi_ok) {
      napi_get_global(env, &recv);
      napi_create_int32(env, f->pid, &argv[0]);
      napi_create_int32(env, f->error, &argv[1]);
      if (napi_make_callback(env, NULL, recv, fn, 2, argv, NULL) == napi_pending_exception) {
        napi_value error;
        napi_get_and_clear_last_exception(env, &error);
        napi_fatal_exception(env, error);
      }
    }
    free(f);
    f = next;
  }
}

static void on_reaped(uv_async_t *async) {
  mailbox *box = async->data;
  pthread_mutex_lock(&lock);
  watch *w = box->head;
  box->head = box->tail = NULL;
  failure *failed = box->failed;
  box->failed = NULL;
  pthread_mutex_unlock(&lock);
  napi_handle_scope scope;
  napi_open_handle_scope(box->env, &scope);
  // A failed signal before the exits: a child whose stop signal failed, then exited, is told in that order.
  report_failures(box, failed);
  while (w != NULL) {
    watch *next = w->next;
    report(w);
    forget(w);
    if (--box->unreported == 0) uv_unref((uv_handle_t *)&box->async);
    w = next;
  }
  napi_close_handle_scope(box->env, scope);
  if (uv_is_active((uv_handle_t *)&box->child_exited)) {
    pthread_mutex_lock(&lock);
    bool none = box->pidless == 0;
    pthread_mutex_unlock(&lock);
    if (none) uv_signal_stop(&box->child_exited);
  }
}

// SIGCHLD on the environment's loop: some child of the process changed state; the thread looks at the
// children without a pidfd.
static void on_child_exited(uv_signal_t *handle, int signum) {
  (void)handle;
  (void)signum;
  pthread_mutex_lock(&lock);
  look_at_pidless = true;
  pthread_mutex_unlock(&lock);
  uint64_t one = 1;
  (void)!write(wakefd, &one, sizeof one);
}

static void on_box_closed(uv_handle_t *handle) {
  mailbox *box = handle->data;
  if (--box->open_handles > 0) return;
  napi_remove_async_cleanup_hook(box->teardown);
  pthread_mutex_lock(&lock);
  release_box(box);
  pthread_mutex_unlock(&lock);
}

// The environment ends (a worker thread's end, or the main thread's) with children running: they are reaped
// when they exit and reported to no one, as a node:child_process child keeps running when its owner ends.
static void on_teardown(napi_async_cleanup_hook_handle handle, void *data) {
  (void)handle;
  mailbox *box = data;
  pthread_mutex_lock(&lock);
  box->dead = true;
  // Its children without a pidfd are looked at on a timer from now on: its SIGCHLD handle closes below.
  orphaned_pidless += box->pidless;
  watch *w = box->head;
  box->head = box->tail = NULL;
  failure *failed = box->failed;
  box->failed = NULL;
  // Its children's pidfds are closed below: no signal of its may go out after that.
  bool wake_thread = false;
  for (outgoing **o = &sending; *o != NULL;) {
    outgoing *dropped = *o;
    if (dropped->box != box) {
      o = &dropped->next;
      continue;
    }
    *o = dropped->next;
    // A child that exited meanwhile may wait for this signal only (deferred): the thread reaps it now.
    if (dropped->target != NULL && --dropped->target->unsent == 0) wake_thread = true;
    box->refs--;  // never the last reference: the environment's own is released when its handles close
    free(dropped);
  }
  sending_tail = &sending;
  while (*sending_tail != NULL) sending_tail = &(*sending_tail)->next;
  // Its descriptors are closed by the thread too, in order behind the signals it may be sending right now (the
  // thread takes `sending` and sends without the lock); watch.unsent already keeps those from naming a reaped
  // child's pidfd.
  for (watch *p = w; p != NULL; p = p->next)
    if (p->pidfd >= 0 && closing_add(p->pidfd)) p->pidfd = -1, wake_thread = true;
  size_t kept = 0;
  for (size_t i = 0; i < box->pending_count; i++)
    if (closing_add(box->pending[i])) wake_thread = true;
    else box->pending[kept++] = box->pending[i];
  box->pending_count = kept;
  pthread_mutex_unlock(&lock);
  uint64_t one = 1;
  if (wake_thread) (void)!write(wakefd, &one, sizeof one);
  while (failed != NULL) {
    failure *next = failed->next;
    free(failed);
    failed = next;
  }
  if (box->on_signal_failed != NULL) napi_delete_reference(box->env, box->on_signal_failed);
  box->on_signal_failed = NULL;
  while (w != NULL) {
    watch *next = w->next;
    // The mailbox is dead: a pidfd not handed over above (no memory) is closed here, by reaper_close_later.
    forget(w);
    w = next;
  }
  // What could not be handed over (no memory).
  for (size_t i = 0; i < box->pending_count; i++) close(box->pending[i]);
  box->pending_count = 0;
  uv_close((uv_handle_t *)&box->async, on_box_closed);
  uv_close((uv_handle_t *)&box->flush, on_box_closed);
  uv_close((uv_handle_t *)&box->child_exited, on_box_closed);
}

static void finalize_box(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  (void)hint;
  // The mailbox outlives the instance data: on_teardown and the reaper thread let go of it.
}

static mailbox *mailbox_of(napi_env env) {
  void *data = NULL;
  if (napi_get_instance_data(env, &data) == napi_ok && data != NULL) return data;
  uv_loop_t *loop = NULL;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == NULL) return NULL;
  mailbox *box = calloc(1, sizeof *box);
  if (box == NULL) return NULL;
  if (uv_async_init(loop, &box->async, on_reaped) != 0) {
    free(box);
    return NULL;
  }
  uv_prepare_init(loop, &box->flush);
  uv_signal_init(loop, &box->child_exited);
  box->env = env;
  box->scarce_from = reaper_scarce_from();
  box->async.data = box;
  box->flush.data = box;
  box->child_exited.data = box;
  box->open_handles = 3;
  box->refs = 1;
  // The async keeps the loop alive while a child is unreported (reaper_watch); the prepare handle while it is
  // started, so that what was queued in the loop's last turn (a group's signal, a close) still goes out.
  uv_unref((uv_handle_t *)&box->async);
  uv_unref((uv_handle_t *)&box->child_exited);
  napi_add_async_cleanup_hook(env, on_teardown, box, &box->teardown);
  napi_set_instance_data(env, box, finalize_box, NULL);
  return box;
}

// On env's thread: starts box's SIGCHLD handle, for a child watched without a pidfd. 0, or an errno.
static int watch_exit_signal(mailbox *box) {
  if (uv_is_active((uv_handle_t *)&box->child_exited)) return 0;
  return -uv_signal_start(&box->child_exited, on_child_exited, SIGCHLD);
}

int reaper_watch(napi_env env, pid_t pid, int pidfd, napi_value on_exit) {
  pthread_once(&started, start);
  if (start_error != 0) return start_error;
  mailbox *box = mailbox_of(env);
  watch *w = box == NULL ? NULL : calloc(1, sizeof *w);
  if (w == NULL) return ENOMEM;
  w->pid = pid;
  w->pidfd = pidfd;
  w->box = box;
  napi_create_reference(env, on_exit, 1, &w->callback);
  napi_value resource_name;
  napi_create_string_utf8(env, "svd:child", NAPI_AUTO_LENGTH, &resource_name);
  napi_async_init(env, NULL, resource_name, &w->context);
  int error = 0;
  // Without a pidfd the exit comes from SIGCHLD: its handle runs from before the child is in the table.
  if (pidfd < 0 && (error = watch_exit_signal(box)) != 0) goto failed;
  pthread_mutex_lock(&lock);
  *slot(pid) = w;
  box->refs++;
  pthread_mutex_unlock(&lock);
  // A child that exited already makes its pidfd readable at once (and the thread may take it out of the table
  // right away: it is in there first).
  struct epoll_event event = {.events = EPOLLIN | EPOLLONESHOT, .data.ptr = w};
  if (pidfd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, pidfd, &event) < 0) {
    // Without room in the epoll set (max_user_watches) the child goes without its pidfd.
    error = errno;
    if (error == ENOSPC) error = watch_exit_signal(box);
    if (error != 0) {
      pthread_mutex_lock(&lock);
      *slot(pid) = w->next_in_bucket;
      box->refs--;
      pthread_mutex_unlock(&lock);
      goto failed;
    }
    close(pidfd);
    w->pidfd = -1;
  }
  if (w->pidfd < 0) {
    pthread_mutex_lock(&lock);
    w->next_pidless = pidless;
    if (pidless != NULL) pidless->prev_pidless = w;
    pidless = w;
    box->pidless++;
    // It may have exited before the SIGCHLD handle was started.
    look_at_pidless = true;
    pthread_mutex_unlock(&lock);
    uint64_t one = 1;
    (void)!write(wakefd, &one, sizeof one);
  }
  if (box->unreported++ == 0) uv_ref((uv_handle_t *)&box->async);
  return 0;

failed:
  // The caller closes the pidfd.
  napi_delete_reference(env, w->callback);
  napi_async_destroy(env, w->context);
  free(w);
  return error;
}

int reaper_signal(napi_env env, pid_t pid, int signal, bool group) {
  // The whole group may outlive its leader (killasgroup's leftovers), and is signalled as such.
  if (group) return kill(-pid, signal) == 0 ? 0 : -errno;
  pthread_mutex_lock(&lock);
  watch *w = *slot(pid);
  // Only this environment's own children: another's pidfd could be closed meanwhile by its own thread.
  bool ours = w != NULL && w->box->env == env;
  int pidfd = ours ? w->pidfd : -1;
  // Without a pidfd, by pid under the lock: in the table, the child is not reaped yet.
  int by_pid = ours && pidfd < 0 ? (kill(pid, signal) == 0 ? 0 : -errno) : -ESRCH;
  pthread_mutex_unlock(&lock);
  if (pidfd < 0) return by_pid;
  // Open until this thread closes it after the exit's report: if the child was reaped since, ESRCH.
  return syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0) == 0 ? 0 : -errno;
}

int reaper_scarce_from(void) {
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= INT_MAX) return INT_MAX;
  rlim_t reserve = limit.rlim_cur / 16 < 64 ? 64 : limit.rlim_cur / 16;
  return limit.rlim_cur > reserve ? (int)(limit.rlim_cur - reserve) : 0;
}

// `after_signals`: the descriptor is a reported child's pidfd, closed by the thread in order behind the signals
// queued before it, even near the limit (watch.unsent already keeps any of them from naming it; this order is
// the second guard).
static void close_later(napi_env env, int fd, bool after_signals) {
  pthread_once(&started, start);
  mailbox *box = start_error != 0 ? NULL : mailbox_of(env);
  // At the environment's end (a reader closed by its own teardown) the mailbox's handles are closing.
  if (box == NULL || box->dead || (fd >= box->scarce_from && !after_signals)) {
    close(fd);
    return;
  }
  if (box->pending_count == box->pending_size) {
    size_t size = box->pending_size == 0 ? 256 : box->pending_size * 2;
    int *grown = realloc(box->pending, size * sizeof *grown);
    if (grown == NULL) {
      close(fd);
      return;
    }
    box->pending = grown, box->pending_size = size;
  }
  box->pending[box->pending_count++] = fd;
  if (box->pending_count == 1) uv_prepare_start(&box->flush, on_flush);
}

void reaper_close_later(napi_env env, int fd) { close_later(env, fd, false); }

int reaper_signal_soon(napi_env env, pid_t pid, int signal, bool group) {
  pthread_once(&started, start);
  mailbox *box = start_error != 0 ? NULL : mailbox_of(env);
  outgoing *o = box == NULL || box->dead ? NULL : malloc(sizeof *o);
  if (o == NULL) return reaper_signal(env, pid, signal, group);
  pthread_mutex_lock(&lock);
  watch *w = *slot(pid);
  bool ours = w != NULL && w->box == box;
  if (!group && !ours) {
    pthread_mutex_unlock(&lock);
    free(o);
    return -ESRCH;
  }
  // Counted against the child unless it goes by pid, which send_all checks against the table under the lock.
  bool counted = ours && (group || w->pidfd >= 0);
  *o = (outgoing){NULL, pid, group || !ours ? -1 : w->pidfd, signal, group, box, counted ? w : NULL};
  if (counted) w->unsent++;
  *sending_tail = o;
  sending_tail = &o->next;
  box->refs++;
  pthread_mutex_unlock(&lock);
  // A burst (a stop of all) wakes the thread every SEND_BATCH signals, so that the first go out while the
  // JavaScript thread still queues the rest.
  if (++box->queued == SEND_BATCH) {
    box->queued = 0;
    uint64_t one = 1;
    (void)!write(wakefd, &one, sizeof one);
  }
  box->wake = true;
  uv_prepare_start(&box->flush, on_flush);
  return 0;
}

void reaper_on_signal_failed(napi_env env, napi_value handler) {
  mailbox *box = mailbox_of(env);
  if (box == NULL) return;
  if (box->on_signal_failed != NULL) napi_delete_reference(env, box->on_signal_failed);
  napi_create_reference(env, handler, 1, &box->on_signal_failed);
}

// svd's child spawner: posix_spawn(3)'s way, and each child's exit from its pidfd (svd_reaper.c).
//
// Why not node:child_process: libuv fork()s the daemon for each child, copying its page tables (~0.9 ms a
// child at 1,000 children on a 2-core VM, where a posix_spawn loop takes ~0.5 ms). glibc's posix_spawn uses
// clone(CLONE_VM|CLONE_VFORK): no copy, and it returns once the exec has happened or failed (with its errno).
// Each child's pidfd turns readable when it exits, and the reaper's thread reaps it (one waitpid) and reports
// the exit on the spawning thread's event loop. See README's "Spawning children". A pidfd is a descriptor a
// child on top of its pipes': near the open-files limit a child goes without one (see child_pidfd).
//
// Exports:
//   supported() -> bool: pidfds work here (Linux >= 5.3); without them the JS side keeps child_process.
//   spawn(file, argv, env, cwd|null, [fd0, fd1, fd2], onExit) -> pid, or a negative errno.
//     fdN < 0 gives /dev/null; every other descriptor is closed in the child; the child leads a process group
//     of its own in the daemon's session (supervisor's setpgrp), with default signal dispositions and an empty
//     mask. onExit(code, signal, core) runs once: code -1 when a signal (signal > 0) ended the child, or when
//     its status could not be read (both -1 then); core is true when the signal dumped core.
//   signal(pid, signal, group) -> 0 or a negative errno: a signal to a child spawned here (through its pidfd),
//     or to its process group; ESRCH for the child itself once it exited, even before its onExit.
//   pipe(input) -> [parent, child], or a negative errno: a pipe for a child's stdout or stderr (input false: the
//     parent reads) or stdin (true: the parent writes, non-blocking). Both ends close-on-exec; mode 0666, so that
//     a child running as another user (user=) can reopen its own /dev/stdout, as it could a FIFO's.
//   signalSoon(pid, signal, group) -> 0 when queued, or a negative errno: the same, sent by the reaper's thread
//     at the end of the loop's turn; a failure there goes to onSignalFailed(handler): handler(pid, errno).
//   closeLater(fd): closes fd soon on the reaper's thread (svd_reaper.c), off the JavaScript thread.
//   readOutput, closeOutput: see svd_output.c.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <sys/mman.h>
#include <stdbool.h>
#include <fcntl.h>
#include <node_api.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "svd_logwrite.h"
#include "svd_output.h"
#include "svd_reaper.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif


static int pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }

static void free_strings(char **list) {
  if (list == NULL) return;
  for (char **p = list; *p != NULL; p++) free(*p);
  free(list);
}

// A JS string as a malloc'ed C string; NULL when it is not a string.
static char *string_value(napi_env env, napi_value value) {
  size_t length;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) return NULL;
  char *s = malloc(length + 1);
  if (s == NULL) return NULL;
  napi_get_value_string_utf8(env, value, s, length + 1, &length);
  return s;
}

// A JS array of strings as a NULL-terminated list; NULL when it is not one.
static char **string_list(napi_env env, napi_value array) {
  uint32_t n;
  if (napi_get_array_length(env, array, &n) != napi_ok) return NULL;
  char **list = calloc((size_t)n + 1, sizeof(char *));
  if (list == NULL) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    if ((list[i] = string_value(env, item)) == NULL) {
      free_strings(list);
      return NULL;
    }
  }
  return list;
}

static napi_value js_int(napi_env env, int32_t n) {
  napi_value v;
  napi_create_int32(env, n, &v);
  return v;
}

static napi_value Supported(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = pidfd_open(getpid());
  if (fd >= 0) close(fd);
  napi_value v;
  napi_get_boolean(env, fd >= 0, &v);
  return v;
}

// The spawn itself, two ways. A child of posix_spawn gets a copy of the daemon's descriptor table and then
// closes all but its three: at 1,000 programs the daemon holds ~6,000 descriptors, and the copy costs ~0.2 ms
// a spawn (C on a 2-core VM: 1,000 spawns in ~700 ms with 5,000 open, ~510 with none). So the child shares
// the table (CLONE_FILES) and unshares it at once with close_range(CLOSE_RANGE_UNSHARE), which copies only
// the descriptors below the range: 0 to 2 and three low slots reserved here, through which its streams pass.
// Where the kernel has no such unshare (before Linux 5.9), posix_spawn does it all.

enum { STACK_SIZE = 64 * 1024 };
enum { STAGE_UNSHARE = 1, STAGE_STREAMS, STAGE_CHDIR, STAGE_EXEC };

static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;
static int slots[3] = {-1, -1, -1};
static int null_in = -1, null_out = -1;
static bool shared_table_works = true;

struct clone_args {
  const char *file;
  char **argv;
  char **envp;
  const char *cwd;
  int maxslot;
  int stage;  // the step that failed, with its errno in err
  int err;
};

// Runs in the child on its own stack, sharing the daemon's memory until the exec (the daemon's thread waits:
// CLONE_VFORK). Only system calls: no allocation, nothing that takes a lock the daemon may hold.
// Not instrumented under AddressSanitizer: the frame's redzones would be poisoned in the shared shadow memory
// and never unpoisoned (the function ends in execve or _exit), and that shadow outlives the munmap of the stack:
// whatever is mapped there next (V8's heap) is then reported as a stack overflow.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SVD_NO_ASAN __attribute__((no_sanitize_address))
#endif
#endif
#if !defined(SVD_NO_ASAN) && defined(__SANITIZE_ADDRESS__)
#define SVD_NO_ASAN __attribute__((no_sanitize_address))
#endif
#ifndef SVD_NO_ASAN
#define SVD_NO_ASAN
#endif
SVD_NO_ASAN static int shared_table_child(void *p) {
  struct clone_args *a = p;
  // Every signal at its default, as a forked child exec'ing gets them (handlers would run daemon code); the
  // daemon blocked them all around the clone, and they are unblocked just before the exec.
  // All zero: SIG_DFL, no flags, an empty mask, whether read as glibc's struct or the kernel's.
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < 65; sig++)
    if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
  a->stage = STAGE_UNSHARE;
  if (syscall(SYS_close_range, a->maxslot + 1, ~0U, CLOSE_RANGE_UNSHARE) < 0) goto failed;
  a->stage = STAGE_STREAMS;
  for (int i = 0; i < 3; i++)
    if (dup2(slots[i], i) < 0) goto failed;
  syscall(SYS_close_range, 3, ~0U, 0);
  // supervisor's setpgrp(): see spawn_posix.
  setpgid(0, 0);
  a->stage = STAGE_CHDIR;
  if (a->cwd != NULL && chdir(a->cwd) < 0) goto failed;
  sigset_t none;
  sigemptyset(&none);
  syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
  a->stage = STAGE_EXEC;
  execve(a->file, a->argv, a->envp);
failed:
  a->err = errno;
  _exit(127);
}

// 0 and the child's pid, or the errno of the failed step; -1 when the kernel cannot unshare so.
static int spawn_shared_table(pid_t *pid, const char *file, char **argv, char **envp, const char *cwd,
                              const int fds[3]) {
  pthread_mutex_lock(&slot_lock);
  int error = 0;
  if (slots[0] < 0) {
    null_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    null_out = open("/dev/null", O_WRONLY | O_CLOEXEC);
    for (int i = 0; i < 3 && null_in >= 0 && null_out >= 0; i++)
      if ((slots[i] = fcntl(null_in, F_DUPFD_CLOEXEC, 3)) < 0) break;
    if (null_in < 0 || null_out < 0 || slots[0] < 0 || slots[1] < 0 || slots[2] < 0) {
      // All five or none: a reservation cut short (EMFILE at the first spawn) would otherwise stay half made,
      // and every later spawn would fail with EBADF on the missing slot once descriptors are free again.
      error = errno;
      int *held[] = {&null_in, &null_out, &slots[0], &slots[1], &slots[2]};
      for (int i = 0; i < 5; i++) {
        if (*held[i] >= 0) close(*held[i]);
        *held[i] = -1;
      }
    }
  }
  int maxslot = slots[0] > slots[1] ? slots[0] : slots[1];
  if (slots[2] > maxslot) maxslot = slots[2];
  for (int i = 0; i < 3 && error == 0; i++)
    if (dup3(fds[i] >= 0 ? fds[i] : i == 0 ? null_in : null_out, slots[i], O_CLOEXEC) < 0) error = errno;
  char *stack = MAP_FAILED;
  if (error == 0) {
    stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) error = errno;
  }
  pid_t child = -1;
  struct clone_args a = {file, argv, envp, cwd, maxslot, 0, 0};
  if (error == 0) {
    sigset_t all, old;
    sigfillset(&all);
    // pthread_sigmask keeps glibc's own two (32, 33) unblocked whatever the set says. They stay harmless in
    // the child until its reset: glibc sends them only to its own threads' ids, never the child's.
    pthread_sigmask(SIG_SETMASK, &all, &old);
    child = clone(shared_table_child, stack + STACK_SIZE, CLONE_VM | CLONE_VFORK | CLONE_FILES | SIGCHLD, &a);
    if (child < 0) error = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    munmap(stack, STACK_SIZE);
  }
  // The daemon must not keep the child's ends open through the slots: its pipes would never see the end.
  for (int i = 0; i < 3; i++)
    if (slots[i] >= 0) dup3(i == 0 ? null_in : null_out, slots[i], O_CLOEXEC);
  pthread_mutex_unlock(&slot_lock);
  if (error != 0) return error;
  if (a.err != 0) {
    while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {
    }
    // ENOSYS before Linux 5.9, EINVAL without the flag; EPERM where a seccomp filter that predates the call
    // refuses it (older Docker and systemd profiles): close_range itself never fails with EPERM.
    if (a.stage == STAGE_UNSHARE && (a.err == ENOSYS || a.err == EINVAL || a.err == EPERM)) return -1;
    return a.err;
  }
  *pid = child;
  return 0;
}

// 0 and the child's pid, or the errno of the failure: glibc's way, where the shared-table spawn cannot run.
static int spawn_posix(pid_t *pid, const char *file, char **argv, char **envp, const char *cwd,
                       const int fds[3]) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_init(&attr);
  // An action glibc refuses to record (EBADF for a descriptor out of range, ENOMEM) would otherwise be left
  // out silently: a child with the daemon's own fd 0, say. It fails the spawn instead.
  int refused = 0;
  for (int i = 0; i < 3 && refused == 0; i++) {
    if (fds[i] >= 0) refused = posix_spawn_file_actions_adddup2(&actions, fds[i], i);
    else refused = posix_spawn_file_actions_addopen(&actions, i, "/dev/null", i ? O_WRONLY : O_RDONLY, 0);
  }
  // What the daemon holds (its sockets, logs, other children's pipes, a caller's inherited descriptor) stays
  // out of the child, as supervisor closes descriptors from 3 on.
  if (refused == 0) refused = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  if (refused == 0 && cwd != NULL) refused = posix_spawn_file_actions_addchdir_np(&actions, cwd);
  sigset_t all, none;
  sigfillset(&all);
  // glibc keeps its two internal signals (32, 33) out of sigfillset, and its posix_spawn then sets them to
  // SIG_IGN in the child, which the exec keeps; a forked child gets them at their default like any other.
  all.__val[0] |= 3UL << 31;
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setsigmask(&attr, &none);
  // supervisor's child calls setpgrp(), not setsid(): its own process group (the target of stopasgroup and
  // killasgroup) in the daemon's session, so a daemon run with -n in a terminal leaves its children that
  // terminal as /dev/tty. The group exists before posix_spawn returns: no signal to -pid can come too early.
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  int failed = refused != 0 ? refused : posix_spawn(pid, file, &actions, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  return failed;

}

// The child's pidfd, or -1 to watch it without one (svd_reaper.c): when the limit is reached, or when the
// pidfd would take one of the numbers the daemon keeps near the open-files limit (reaper_scarce_from). With
// pidfds everywhere, 5,000 programs (4 descriptors each) would not fit a limit of 20,000 (supervisor's 3 each
// would). Descriptors are numbered lowest first, so the pidfd's number bounds how many are open.
static int child_pidfd(pid_t pid) {
  int pidfd = pidfd_open(pid);
  if (pidfd < 0 || pidfd < reaper_scarce_from()) return pidfd;
  close(pidfd);
  return -1;
}

static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value args[6];
  napi_get_cb_info(env, info, &argc, args, NULL, NULL);
  // Checked before anything is started: with another value as onExit the child would run, and its exit would
  // be reaped and reported to no one.
  napi_valuetype on_exit_type = napi_undefined;
  if (argc >= 6) napi_typeof(env, args[5], &on_exit_type);
  if (on_exit_type != napi_function) {
    napi_throw_type_error(env, NULL, "spawn(file, argv, env, cwd, fds, onExit)");
    return NULL;
  }
  napi_valuetype cwd_type;
  napi_typeof(env, args[3], &cwd_type);
  char *file = string_value(env, args[0]);
  char **argv = string_list(env, args[1]);
  char **envp = string_list(env, args[2]);
  char *cwd = cwd_type == napi_string ? string_value(env, args[3]) : NULL;
  int fds[3] = {-1, -1, -1};
  int moved[3] = {-1, -1, -1};
  for (uint32_t i = 0; i < 3; i++) {
    napi_value item;
    if (napi_get_element(env, args[4], i, &item) == napi_ok) napi_get_value_int32(env, item, &fds[i]);
  }
  int result = -EINVAL;
  if (file == NULL || argv == NULL || envp == NULL || (cwd_type == napi_string && cwd == NULL)) goto done;

  for (int i = 0; i < 3; i++) {
    if (fds[i] < 0) continue;
    // A source among 0-2 could be overwritten by an earlier dup2 in the child: move it above them first.
    if (fds[i] <= 2) {
      if ((moved[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3)) < 0) {
        result = -errno;
        goto done;
      }
      fds[i] = moved[i];
    }
    // Children expect blocking standard streams (libuv clears O_NONBLOCK in the child the same way: the flag
    // belongs to the open file, which the daemon's copy shares).
    int flags = fcntl(fds[i], F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK)) fcntl(fds[i], F_SETFL, flags & ~O_NONBLOCK);
  }

  pid_t pid;
  int failed = shared_table_works ? spawn_shared_table(&pid, file, argv, envp, cwd, fds) : -1;
  if (failed == -1) {
    shared_table_works = false;
    failed = spawn_posix(&pid, file, argv, envp, cwd, fds);
  }
  if (failed != 0) {
    result = -failed;
    goto done;
  }

  int pidfd = child_pidfd(pid);
  int error = reaper_watch(env, pid, pidfd, args[5]);
  if (error != 0) {
    // Without a way to learn of its exit the child cannot be managed: undo it, and fail as the fork would.
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {
    }
    if (pidfd >= 0) close(pidfd);
    result = -error;
    goto done;
  }
  result = pid;

done:
  for (int i = 0; i < 3; i++)
    if (moved[i] >= 0) close(moved[i]);
  free(file);
  free(cwd);
  free_strings(argv);
  free_strings(envp);
  return js_int(env, result);
}

// The first argument of a call, or NULL when there is none.
static napi_value first_arg(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value arg = NULL;
  napi_get_cb_info(env, info, &argc, &arg, NULL, NULL);
  return argc >= 1 ? arg : NULL;
}

// A pipe(2), where FIFOs were what Node allowed: one call, instead of a mkfifo, two or three opens and an unlink
// in a tmpfs whose inode is evicted at the last close; the child sees pipe:[N] on its streams, as under
// supervisord. /proc lets only the child's own user (and root) reopen the end, whatever the mode.
static napi_value Pipe(napi_env env, napi_callback_info info) {
  napi_value arg = first_arg(env, info);
  bool input = false;
  if (arg != NULL) napi_get_value_bool(env, arg, &input);
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) < 0) return js_int(env, -errno);
  if (fchmod(ends[0], 0666) < 0 || (input && fcntl(ends[1], F_SETFL, O_WRONLY | O_NONBLOCK) < 0)) {
    int error = errno;
    close(ends[0]);
    close(ends[1]);
    return js_int(env, -error);
  }
  napi_value pair;
  napi_create_array_with_length(env, 2, &pair);
  napi_set_element(env, pair, 0, js_int(env, input ? ends[1] : ends[0]));
  napi_set_element(env, pair, 1, js_int(env, input ? ends[0] : ends[1]));
  return pair;
}

// signal(pid, signal, group) -> 0 or -errno: to a child of spawn() through its pidfd, so never to a process
// that reused its pid (or to its group, with kill(2)). signalSoon: the same, queued for the reaper's thread
// (the function's data says which).
static napi_value Signal(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value args[3];
  void *soon = NULL;
  napi_get_cb_info(env, info, &argc, args, NULL, &soon);
  int32_t pid = 0, signal = 0;
  bool group = false;
  if (argc < 3 || napi_get_value_int32(env, args[0], &pid) != napi_ok || pid <= 0 ||
      napi_get_value_int32(env, args[1], &signal) != napi_ok || napi_get_value_bool(env, args[2], &group) != napi_ok) {
    napi_throw_type_error(env, NULL, soon ? "signalSoon(pid, signal, group)" : "signal(pid, signal, group)");
    return NULL;
  }
  return js_int(env, soon ? reaper_signal_soon(env, pid, signal, group) : reaper_signal(env, pid, signal, group));
}

static napi_value OnSignalFailed(napi_env env, napi_callback_info info) {
  napi_value arg = first_arg(env, info);
  napi_valuetype type = napi_undefined;
  if (arg != NULL) napi_typeof(env, arg, &type);
  if (type != napi_function) {
    napi_throw_type_error(env, NULL, "onSignalFailed(handler)");
    return NULL;
  }
  reaper_on_signal_failed(env, arg);
  return NULL;
}

static napi_value CloseLater(napi_env env, napi_callback_info info) {
  napi_value arg = first_arg(env, info);
  int32_t fd = -1;
  if (arg == NULL || napi_get_value_int32(env, arg, &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, NULL, "closeLater(fd)");
    return NULL;
  }
  reaper_close_later(env, fd);
  return NULL;
}

NAPI_MODULE_INIT() {
  // The glibc way only (what a kernel before 5.9 gets), so that tests can run it here too.
  if (getenv("SVD_SPAWN_POSIX") != NULL) shared_table_works = false;
  napi_value fn;
  napi_create_function(env, "supported", NAPI_AUTO_LENGTH, Supported, NULL, &fn);
  napi_set_named_property(env, exports, "supported", fn);
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, Spawn, NULL, &fn);
  napi_set_named_property(env, exports, "spawn", fn);
  napi_create_function(env, "pipe", NAPI_AUTO_LENGTH, Pipe, NULL, &fn);
  napi_set_named_property(env, exports, "pipe", fn);
  static int soon = 1;
  napi_create_function(env, "signalSoon", NAPI_AUTO_LENGTH, Signal, &soon, &fn);
  napi_set_named_property(env, exports, "signalSoon", fn);
  napi_create_function(env, "onSignalFailed", NAPI_AUTO_LENGTH, OnSignalFailed, NULL, &fn);
  napi_set_named_property(env, exports, "onSignalFailed", fn);
  napi_create_function(env, "closeLater", NAPI_AUTO_LENGTH, CloseLater, NULL, &fn);
  napi_set_named_property(env, exports, "closeLater", fn);
  napi_create_function(env, "signal", NAPI_AUTO_LENGTH, Signal, NULL, &fn);
  napi_set_named_property(env, exports, "signal", fn);
  register_output(env, exports);
  register_logwrite(env, exports);
  return exports;
}

// The reaper's interface to the spawner (svd_reaper.c).
#pragma once
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

// Watches the child `pid` through its `pidfd` (which the reaper closes once it reaped it): on_exit(code, signal,
// core) is called on env's loop after the exit. 0, or the errno that kept it from being watched.
int reaper_watch(napi_env env, pid_t pid, int pidfd, napi_value on_exit);

// Sends `signal` to env's child `pid` through its pidfd (to its process group with `group`): 0, or -errno;
// -ESRCH once the child exited, even before its onExit.
int reaper_signal(napi_env env, pid_t pid, int signal, bool group);

// Closes fd on the reaper's thread, soon (the descriptors env is done with are handed over once a turn of its
// loop): for descriptors whose close (the last one of a pipe or a file frees it in the kernel) need not hold
// up the JavaScript thread. The number stays taken until then, so nothing else can be given it meanwhile.
// Near the open-files limit (fd at or above reaper_scarce_from()) it closes fd at once instead: a number held
// until the end of the turn is one the next spawn of that turn may need.
void reaper_close_later(napi_env env, int fd);

// The lowest descriptor number in the last sixteenth of the open-files limit (at least 64 numbers), which the
// daemon keeps for what it cannot do without (the next programs' pipes, log files, its clients' connections,
// the modules it loads); INT_MAX without a limit.
int reaper_scarce_from(void);

// Queues `signal` for env's child `pid` (its process group with `group`) to be sent on the reaper's thread at
// the end of the loop's turn (before the loop waits for I/O again, from whichever phase it was queued: a
// timer's callback too), so that the children it wakes run their exits there rather than on the
// JavaScript thread's core: 0 when queued, -ESRCH when the child exited already. A failure of the send itself
// (other than ESRCH) is reported later, to reaper_on_signal_failed's handler.
int reaper_signal_soon(napi_env env, pid_t pid, int signal, bool group);

// handler(pid, errno): a signal of reaper_signal_soon failed, called on env's loop.
void reaper_on_signal_failed(napi_env env, napi_value handler);

// Starts a thread of the addon (64 KiB of stack) with every signal blocked, joinable unless `detached`: 0, or
// pthread_create's error.
int start_helper_thread(pthread_t *thread, void *(*run)(void *), void *arg, bool detached);

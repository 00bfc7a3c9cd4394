// Effect: whether a pid is a running process. Node has no pidfd, so this is kill(pid, 0) plus /proc.
import { readFileSync } from 'node:fs';
import { isExitedState, procStatState } from './proc-stat.js';

/**
 * True when `pid` exists and has not exited. EPERM means it exists under another user. A zombie counts
 * as exited: a daemon whose parent does not reap it (pidproxy cannot) would otherwise look alive forever.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // it exited between the two looks, or /proc is not mounted: trust kill()
    return existsByKill(pid);
  }
  const state = procStatState(stat);
  return state === null || !isExitedState(state);
}

function existsByKill(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Effect: the pidfile, and the refusal to start over a live daemon.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Whether `pid` looks like a process manager (svd or supervisord, under any interpreter). After a reboot or a
 * container restart the pid in a leftover pidfile often belongs to an unrelated process by now, and that must
 * not keep the daemon from starting. A command line that cannot be read counts as one, to stay on the safe side.
 */
function looksLikeDaemon(pid: number): boolean {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
  } catch {
    return true;
  }
  return /svd|supervisord/.test(cmdline);
}

/** A process's command line, its arguments joined by spaces, or null when it cannot be read. */
export function commandLineOf(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '');
    return text === '' ? null : text.split('\0').join(' ');
  } catch {
    return null;
  }
}

/** The thread group (process) a pid belongs to: a thread id found in a pidfile names its process. */
function threadGroupOf(pid: number): number {
  try {
    const m = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m ? Number(m[1]) : pid;
  } catch {
    return pid;
  }
}

/** This process's ancestors: the svd or tini that started it (PID 1 in a container), the shell, init. */
function ancestorsOfSelf(): Set<number> {
  const out = new Set<number>();
  let pid = process.ppid;
  while (pid > 0 && !out.has(pid)) {
    out.add(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/**
 * The pid recorded in `path` when that process is alive, is not us (nor one of our threads or ancestors: a stale
 * pidfile in a container can name the tini or the PID-1 svd that started this daemon) and looks like a daemon,
 * else null.
 */
export function livePidFrom(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const recorded = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(recorded) || recorded <= 0) return null;
  const pid = threadGroupOf(recorded);
  if (pid === process.pid || ancestorsOfSelf().has(pid)) return null;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: alive but not ours to signal.
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return null;
  }
  return looksLikeDaemon(pid) ? pid : null;
}

/** Writes this process's pid and a newline to `path`; the error line to log when it cannot, else null. */
export function writePidfile(path: string): string | null {
  try {
    writeFileSync(path, `${process.pid}\n`);
    return null;
  } catch (e) {
    return `could not write pidfile ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

/** Removes `path` if it still holds this process's pid (not another daemon's); never throws. */
export function removePidfile(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // Already gone, or another daemon's.
  }
}

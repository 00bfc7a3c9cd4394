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

/** The pid recorded in `path` when that process is alive, is not us and looks like a daemon, else null. */
export function livePidFrom(path: string): number | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
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

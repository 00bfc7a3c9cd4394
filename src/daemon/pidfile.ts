// Effect: the pidfile, and the refusal to start over a live daemon.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/** The pid recorded in `path` when that process is alive (and is not us), else null. */
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
    return pid;
  } catch (e) {
    // EPERM: alive but not ours to signal.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

export function writePidfile(path: string): string | null {
  try {
    writeFileSync(path, `${process.pid}\n`);
    return null;
  } catch (e) {
    return `could not write pidfile ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

export function removePidfile(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path);
  } catch {
    // Already gone, or another daemon's.
  }
}

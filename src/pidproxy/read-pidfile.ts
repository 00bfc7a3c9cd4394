// Effect: reads a pidfile and stamps it so a rewrite can be told from a leftover.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { describePidfileProblem, parsePidfile } from './pidfile.js';
import type { PidfileRead } from './proxy-machine.js';

/**
 * Reads `path` synchronously. Synchronous on purpose: the shell takes a probe and steps the machine in
 * one turn of the event loop, so a signal handler never sees a half-finished poll.
 */
export function readPidfile(path: string): PidfileRead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { kind: 'unusable', problem: errorText(error) };
  }
  try {
    // stat and read through one descriptor, so the stamp belongs to the text that was read
    const st = fstatSync(fd, { bigint: true });
    const parsed = parsePidfile(readFileSync(fd, 'utf8'));
    if (!parsed.ok) return { kind: 'unusable', problem: describePidfileProblem(parsed.reason) };
    return {
      kind: 'pid',
      pid: parsed.pid,
      stamp: `${st.dev}:${st.ino}:${st.mtimeNs}:${st.size}:${parsed.pid}`,
    };
  } catch (error) {
    return { kind: 'unusable', problem: errorText(error) };
  } finally {
    closeSync(fd);
  }
}

function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'it does not exist' : (code ?? String(error));
}

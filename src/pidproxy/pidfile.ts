// Pure: what a pidfile's text says. No I/O.

/** Linux's largest possible pid_max (2^22); anything above cannot be a process. */
const PID_MAX_LIMIT = 4_194_304;

/** The pid a pidfile names, or why it names none usable. */
export type PidfileParse =
  | { readonly ok: true; readonly pid: number }
  | { readonly ok: false; readonly reason: 'empty' | 'not-a-number' | 'out-of-range' };

/**
 * Reads the pid from a pidfile's text. supervisor accepts the whole file as one integer; svd reads the
 * first line only, so multi-line pidfiles (postmaster.pid) work too. Whitespace around the number and a
 * leading `+` are accepted, as Python's `int()` does.
 *
 * Pids 0 and 1 are refused: `kill(0, sig)` signals our own process group and pid 1 is init, so a pidfile
 * naming either is a mistake, never a daemon pidproxy started.
 */
export function parsePidfile(text: string): PidfileParse {
  const firstLine = text.trimStart().split('\n', 1)[0]?.trim() ?? '';
  if (firstLine === '') return { ok: false, reason: 'empty' };
  if (!/^\+?\d+$/.test(firstLine)) return { ok: false, reason: 'not-a-number' };
  const pid = Number(firstLine);
  if (!Number.isSafeInteger(pid) || pid <= 1 || pid > PID_MAX_LIMIT)
    return { ok: false, reason: 'out-of-range' };
  return { ok: true, pid };
}

/** Words for a refused pidfile, for messages. */
export function describePidfileProblem(reason: 'empty' | 'not-a-number' | 'out-of-range'): string {
  switch (reason) {
    case 'empty':
      return 'it is empty';
    case 'not-a-number':
      return 'its first line is not a pid';
    case 'out-of-range':
      return 'its pid is out of range';
  }
}

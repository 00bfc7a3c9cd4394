// Pure leaf module: Linux signal names and numbers as supervisor accepts them (spec §2.4).

/** Canonical name (without SIG) by number, for the numbers Python's signal module knows on Linux. */
const canonical: Readonly<Record<number, string>> = {
  1: 'HUP',
  2: 'INT',
  3: 'QUIT',
  4: 'ILL',
  5: 'TRAP',
  6: 'ABRT',
  7: 'BUS',
  8: 'FPE',
  9: 'KILL',
  10: 'USR1',
  11: 'SEGV',
  12: 'USR2',
  13: 'PIPE',
  14: 'ALRM',
  15: 'TERM',
  16: 'STKFLT',
  17: 'CHLD',
  18: 'CONT',
  19: 'STOP',
  20: 'TSTP',
  21: 'TTIN',
  22: 'TTOU',
  23: 'URG',
  24: 'XCPU',
  25: 'XFSZ',
  26: 'VTALRM',
  27: 'PROF',
  28: 'WINCH',
  29: 'IO',
  30: 'PWR',
  31: 'SYS',
  34: 'RTMIN',
  64: 'RTMAX',
};

/**
 * Other names Python's signal module gives these numbers. supervisor looks a name up as any attribute of that
 * module starting with SIG, so the handler and sigmask constants pass too: SIG_DFL is 0, SIG_IGN 1 (HUP).
 */
const aliases: Readonly<Record<string, number>> = {
  IOT: 6,
  CLD: 17,
  POLL: 29,
  _DFL: 0,
  _IGN: 1,
  _BLOCK: 0,
  _UNBLOCK: 1,
  _SETMASK: 2,
};
/**
 * 0 is valid as a number (supervisor takes the numbers of Python's signal module, where SIG_DFL is 0): a liveness
 * check that delivers nothing. It has no name, so '0' stands for it where a name is carried.
 */
const NULL_SIGNAL = '0';

const numberByName = new Map<string, number>([
  ...Object.entries(canonical).map(([n, name]) => [name, Number(n)] as [string, number]),
  ...Object.entries(aliases),
]);

/** Parses a signal as supervisor does: a name with or without SIG in any case, or a number. */
export function parseSignal(
  text: string,
): { ok: true; number: number; name: string } | { ok: false; message: string } {
  const trimmed = text.trim();
  // Python's int(): a sign, and underscores between digits.
  if (/^[+-]?\d+(_\d+)*$/.test(trimmed)) {
    const n = Number(trimmed.replace(/_/g, ''));
    const name = n === 0 ? NULL_SIGNAL : canonical[n];
    if (name === undefined) return { ok: false, message: `value '${text}' is not a valid signal number` };
    return { ok: true, number: n, name };
  }
  let name = trimmed.toUpperCase();
  if (name.startsWith('SIG')) name = name.slice(3);
  const n = numberByName.get(name);
  if (n === undefined) return { ok: false, message: `value '${text}' is not a valid signal name` };
  return { ok: true, number: n, name: n === 0 ? NULL_SIGNAL : (canonical[n] ?? name) };
}

/**
 * `SIGTERM` by 15 (and by `SIGTERM`), made once: a stop of 1,000 programs names its signal a few times for each,
 * where a string built each time is garbage.
 */
const sigNameByNumber = new Map<number, string>(
  Object.entries(canonical).map(([n, name]) => [Number(n), `SIG${name}`] as [number, string]),
);
const numberBySigName = new Map<string, number>([...sigNameByNumber].map(([n, name]) => [name, n]));

const sigNameByBare = new Map<string, string>(
  [...sigNameByNumber.values()].map((name) => [name.slice(3), name]),
);

/** `TERM`, `sigterm` or `SIGTERM` -> `SIGTERM`; a canonical name, with or without SIG, without making a string. */
export function withSigPrefix(signal: string): string {
  const known = sigNameByBare.get(signal);
  if (known !== undefined) return known;
  if (numberBySigName.has(signal)) return signal;
  const s = signal.toUpperCase();
  return s.startsWith('SIG') ? s : `SIG${s}`;
}

/** `SIGTERM` for 15; `signal N` for a number without a name, as supervisor's messages say. */
export function signalDisplayName(n: number): string {
  if (n === 29) return 'SIGPOLL';
  return sigNameByNumber.get(n) ?? `signal ${n}`;
}

/** The number of a canonical or alias name with or without SIG, in any case, e.g. TERM -> 15. */
export function signalNumber(name: string): number | undefined {
  // The usual spelling (`SIGTERM`, from the machine and from node) is found without making a string.
  const usual = numberBySigName.get(name);
  if (usual !== undefined) return usual;
  const bare = name.toUpperCase().replace(/^SIG/, '');
  return bare === NULL_SIGNAL ? 0 : numberByName.get(bare);
}

/** `SIGTERM` for 15, as node:child_process names the signal that ended a child; undefined for one without a name. */
export function signalName(n: number): string | undefined {
  return sigNameByNumber.get(n);
}

// Pure: supervisor's log levels and its main-log line format (spec §3.11).
import type { SupervisordOptions } from '../generated/config-types.js';

/** supervisor's loglevel= names, critical (most severe) to blather. */
export type LogLevelName = NonNullable<SupervisordOptions['loglevel']>;

/** Numeric severities as supervisor's LevelsByName; a record is kept when its number >= the threshold's. */
const LOG_LEVELS: Readonly<Record<LogLevelName, number>> = {
  critical: 50,
  error: 40,
  warn: 30,
  info: 20,
  debug: 10,
  trace: 5,
  blather: 3,
};

/** The four-letter names written in each main-log line. */
export const LEVEL_LABELS: Readonly<Record<LogLevelName, string>> = {
  critical: 'CRIT',
  error: 'ERRO',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBG',
  trace: 'TRAC',
  blather: 'BLAT',
};

/** Case-insensitive, as supervisor reads `loglevel=`; undefined for an unknown name. */
export function parseLogLevel(text: string): LogLevelName | undefined {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(LOG_LEVELS, key) ? (key as LogLevelName) : undefined;
}

/** True when a record at `level` passes a logger whose threshold is `threshold`. */
export function levelEnabled(level: LogLevelName, threshold: LogLevelName): boolean {
  return LOG_LEVELS[level] >= LOG_LEVELS[threshold];
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

// The `YYYY-MM-DD HH:MM:SS` of the last second formatted. Local time costs a time-zone lookup per field, and a
// daemon starting or stopping 1,000 programs writes ~2,000 lines within a few seconds. Local time only changes
// its offset on a whole second, so one second's text serves all of its milliseconds.
let lastSecond = Number.NaN;
let lastSecondText = '';

/** `YYYY-MM-DD HH:MM:SS,mmm` in local time, supervisor's asctime. */
export function formatTimestamp(date: Date): string {
  const ms = date.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    lastSecondText = `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
    lastSecond = second;
  }
  return `${lastSecondText},${pad(ms - second * 1000, 3)}`;
}

/** One main-log record: `<asctime> <LEVL> <message>\n`; a multi-line message is written as-is. */
export function formatLogLine(date: Date, level: LogLevelName, message: string): string {
  return `${formatTimestamp(date)} ${LEVEL_LABELS[level]} ${message}\n`;
}

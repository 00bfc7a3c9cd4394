// supervisor's HTTP access line (its medusa server's log, spec §3.11), as pure text.
import type { LogLevelName } from '../logs/log-levels.js';

export interface AccessRecord {
  /** The client's address, `localhost` on the unix socket (supervisor's medusa names it so). */
  readonly host: string;
  /** The client's port, 0 on the unix socket. */
  readonly port: number;
  readonly when: Date;
  /** The request line as sent: `GET /ok.html HTTP/1.1`. */
  readonly requestLine: string;
  readonly status: number;
  /** Bytes of the response, headers included. */
  readonly bytes: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** medusa's log_date_string: `30/Nov/2026:10:35:58 +0000`, local time and its offset. */
export function accessLogDate(when: Date): string {
  const offset = -when.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  return (
    `${pad(when.getDate())}/${MONTHS[when.getMonth()]}/${when.getFullYear()}:` +
    `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())} ${zone}`
  );
}

/**
 * The line and its level. supervisor's LogWrapper has no level from medusa and sniffs one: a line with
 * `error` in it (any case, the request line included) is an ERRO line, every other one TRAC.
 */
export function accessLogLine(record: AccessRecord): { level: LogLevelName; message: string } {
  const message =
    `${record.host}:${record.port} - - [${accessLogDate(record.when)}] ` +
    `"${record.requestLine}" ${record.status} ${record.bytes}`;
  return { level: message.toLowerCase().includes('error') ? 'error' : 'trace', message };
}

// supervisor's HTTP access line (its medusa server's log, spec §3.11), as pure text.
/** One answered request, as supervisor's access log line needs it. */
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
 * The line, logged at TRAC. supervisor's LogWrapper sniffs a level from medusa's text and logs a line with
 * `error` in it at ERRO, the request line included: any client could then write its own text into the log at
 * every level. svd keeps every access line at TRAC (README).
 */
export function accessLogLine(record: AccessRecord): string {
  return (
    `${record.host}:${record.port} - - [${accessLogDate(record.when)}] ` +
    `"${record.requestLine}" ${record.status} ${record.bytes}`
  );
}

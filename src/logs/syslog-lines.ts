// Pure: what goes to syslog — child output as `<process_name> <line>`, main-log records line by line.
import { formatTimestamp, LEVEL_LABELS, type LogLevelName } from './log-levels.js';

/** A line longer than this is sent in pieces rather than held back indefinitely. */
const MAX_SYSLOG_LINE = 8192;

/** Splits a stream into lines across its chunks (see createLineSplitter). */
export interface LineSplitter {
  /** Complete lines (without their newline); a trailing partial line is held for the next chunk. */
  push(chunk: Buffer): Buffer[];
  /** The held partial line, if any (call when the output ends). */
  flush(): Buffer[];
}

/**
 * Splits output into lines across chunks. supervisor splits each chunk as it is read, so a line cut by
 * a pipe read became two syslog messages; here it stays one (up to MAX_SYSLOG_LINE bytes).
 */
export function createLineSplitter(maxLine = MAX_SYSLOG_LINE): LineSplitter {
  let held: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      const data = held.length > 0 ? Buffer.concat([held, chunk]) : chunk;
      const lines: Buffer[] = [];
      let from = 0;
      for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
        lines.push(data.subarray(from, nl));
        from = nl + 1;
      }
      while (data.length - from > maxLine) {
        lines.push(data.subarray(from, from + maxLine));
        from += maxLine;
      }
      held = Buffer.from(data.subarray(from));
      return lines;
    },
    flush() {
      const rest = held;
      held = Buffer.alloc(0);
      return rest.length > 0 ? [rest] : [];
    },
  };
}

/** `<process_name> <line>`, the message supervisor sends for one line of child output. */
function childSyslogMessage(processName: string, line: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${processName} `), line]);
}

/** One message per line of a main-log record, each `<asctime> <LEVL> <line>`, as supervisor's SyslogHandler. */
export function daemonSyslogMessages(date: Date, level: LogLevelName, message: string): string[] {
  const prefix = `${formatTimestamp(date)} ${LEVEL_LABELS[level]} `;
  return message
    .replace(/\n+$/, '')
    .split('\n')
    .map((line) => prefix + line);
}

/** One channel of one process to syslog, one `<process_name> <line>` message per line. */
export interface ChildSyslogWriter {
  write(chunk: Buffer): void;
  /** Sends a held partial line; call when the process's output ends. */
  flush(): void;
}

/** Feeds one channel of one process to `send` as `<process_name> <line>` messages. */
export function createChildSyslogWriter(
  processName: string,
  send: (message: Buffer) => void,
): ChildSyslogWriter {
  const splitter = createLineSplitter();
  return {
    write(chunk) {
      for (const line of splitter.push(chunk)) send(childSyslogMessage(processName, line));
    },
    flush() {
      for (const line of splitter.flush()) send(childSyslogMessage(processName, line));
    },
  };
}

// Pure: what supervisord reads from an event listener's stdout (spec §6.3, §6.4) — READY, RESULT <len>\n<data>,
// protocol violations — as a state machine over byte chunks, with supervisor's log lines as data.
import { excerptOf } from '../model/excerpt.js';
import type { ListenerStateName } from '../model/states.js';
import { payloadText } from './event-payloads.js';
import { defaultResultHandler, type ResultHandler } from './result-handlers.js';

/** The reading side of one listener process: its state and the bytes not yet understood. */
export interface ListenerChannel {
  readonly state: ListenerStateName;
  readonly buffer: Buffer;
  /** The length announced by the RESULT line being collected, null before that line is complete. */
  readonly resultLen: number | null;
  /** The result's bytes so far, as read: joined once, when complete, so collecting it costs one copy. */
  readonly result: readonly Buffer[];
  readonly resultBytes: number;
}

/** What reading a listener's output asks the pool to do, in order. */
export type ListenerEffect =
  | { readonly type: 'log'; readonly level: 'debug' | 'warn'; readonly message: string }
  /** The listener said READY: events may be sent to it. */
  | { readonly type: 'ready' }
  /** The event it held was processed (its result handler accepted the result). */
  | { readonly type: 'processed' }
  /** Text the result handler prints on the daemon's stdout. */
  | { readonly type: 'echo'; readonly text: string }
  /** The event it held goes back to the head of its pool's buffer (a rejection or a bad result line). */
  | { readonly type: 'requeue' };

const EMPTY = Buffer.alloc(0);
const READY_TOKEN = Buffer.from('READY\n');
const RESULT_PREFIX_LEN = 'RESULT '.length;

/**
 * The longest result a listener may announce: 16 MiB, far above an `OK`, or an event echoed back whole (what
 * supervisor_stdout's listeners send). Without a limit (supervisor has none), a listener that announced
 * `RESULT 999999999999` and kept writing would grow the daemon's memory without end, and the copy of what it
 * collected, made on every read, would make the daemon answer `status` seconds late.
 */
export const MAX_RESULT_BYTES = 16 * 1024 * 1024;

/** The longest `RESULT <len>` line: a length in digits, with room to spare for blanks. */
export const MAX_RESULT_LINE_BYTES = 1024;

/** A freshly spawned listener: ACKNOWLEDGED, waiting for its first READY. */
export const newListenerChannel: ListenerChannel = {
  state: 'ACKNOWLEDGED',
  buffer: EMPTY,
  resultLen: null,
  result: [],
  resultBytes: 0,
};

/** The dispatcher sent an event: READY -> BUSY (supervisor logs no state line for this one). */
export function markBusy(ch: ListenerChannel): ListenerChannel {
  return { ...ch, state: 'BUSY', resultLen: null, result: [], resultBytes: 0 };
}

/** Python's int() of bytes: ASCII blanks around an optionally signed run of digits (underscores between). */
function pythonInt(text: Buffer): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+(?:_\d+)*)[ \t\n\v\f\r]*$/.exec(text.toString('latin1'));
  return m?.[1] === undefined ? null : Number(m[1].replaceAll('_', ''));
}

/**
 * Feeds bytes the listener wrote to its stdout. Mirrors supervisor's PEventListenerDispatcher: in ACKNOWLEDGED the
 * first 6 bytes must be `READY\n` (else UNKNOWN); any byte while READY is a violation (UNKNOWN); in BUSY a
 * `RESULT <len>` line (the first 7 bytes are not checked) then exactly `<len>` bytes, which the pool's result
 * handler judges (the default: `OK` processed, anything else rejected). UNKNOWN discards everything until the
 * process is spawned again. Deliberate differences, where supervisor would wait forever or grow without end: a
 * negative length is a bad result line; so is a line of more than MAX_RESULT_LINE_BYTES without its newline; a
 * length over MAX_RESULT_BYTES is refused. Each of those puts the listener in UNKNOWN and requeues its event.
 */
export function feedListener(
  start: ListenerChannel,
  data: Buffer,
  processName: string,
  handleResult: ResultHandler = defaultResultHandler,
): { readonly next: ListenerChannel; readonly effects: readonly ListenerEffect[] } {
  const effects: ListenerEffect[] = [];
  let ch: ListenerChannel = {
    ...start,
    buffer: start.buffer.length ? Buffer.concat([start.buffer, data]) : data,
  };
  const change = (to: ListenerStateName): void => {
    effects.push({ type: 'log', level: 'debug', message: `${processName}: ${ch.state} -> ${to}` });
    if (to === 'UNKNOWN') {
      effects.push({
        type: 'log',
        level: 'warn',
        message: `${processName}: has entered the UNKNOWN state and will no longer receive events, this usually indicates the process violated the eventlistener protocol`,
      });
    }
    ch = { ...ch, state: to };
  };

  while (ch.buffer.length > 0) {
    if (ch.state === 'UNKNOWN') {
      ch = { ...ch, buffer: EMPTY };
    } else if (ch.state === 'ACKNOWLEDGED') {
      if (ch.buffer.length < READY_TOKEN.length) break;
      if (ch.buffer.subarray(0, READY_TOKEN.length).equals(READY_TOKEN)) {
        change('READY');
        ch = { ...ch, buffer: ch.buffer.subarray(READY_TOKEN.length) };
        effects.push({ type: 'ready' });
      } else {
        change('UNKNOWN');
        ch = { ...ch, buffer: EMPTY };
      }
    } else if (ch.state === 'READY') {
      change('UNKNOWN');
      ch = { ...ch, buffer: EMPTY };
    } else if (ch.resultLen === null) {
      const eol = ch.buffer.indexOf(0x0a);
      // Judged on the first MAX_RESULT_LINE_BYTES whether the newline came or not, so chunking cannot matter.
      const overlong = (eol < 0 ? ch.buffer.length : eol) > MAX_RESULT_LINE_BYTES;
      if (eol < 0 && !overlong) break;
      const line = ch.buffer.subarray(0, overlong ? MAX_RESULT_LINE_BYTES : eol);
      const len = overlong ? null : pythonInt(line.subarray(RESULT_PREFIX_LEN));
      ch = { ...ch, buffer: ch.buffer.subarray(eol + 1) };
      if (len === null || len < 0 || len > MAX_RESULT_BYTES) {
        // The length as written: one of 29 digits would print as 1e+29.
        const announced = excerptOf(payloadText(line.subarray(RESULT_PREFIX_LEN)).trim());
        const why =
          len === null || len < 0
            ? `bad result line: '${excerptOf(payloadText(line))}'`
            : `result of ${announced} bytes refused (limit ${MAX_RESULT_BYTES})`;
        effects.push({ type: 'log', level: 'warn', message: `${processName}: ${why}` });
        change('UNKNOWN');
        ch = { ...ch, buffer: EMPTY };
        effects.push({ type: 'requeue' });
        break;
      }
      ch = { ...ch, resultLen: len };
    } else {
      const resultLen = ch.resultLen;
      const needed = resultLen - ch.resultBytes;
      if (needed > 0) {
        const piece = ch.buffer.subarray(0, needed);
        ch = {
          ...ch,
          result: [...ch.result, piece],
          resultBytes: ch.resultBytes + piece.length,
          buffer: ch.buffer.subarray(needed),
        };
      }
      if (ch.resultBytes < resultLen) break;
      const verdict = handleResult(Buffer.concat(ch.result));
      ch = { ...ch, resultLen: null, result: [], resultBytes: 0 };
      if (verdict.kind === 'processed') {
        if (verdict.echo !== null) effects.push({ type: 'echo', text: verdict.echo });
        effects.push({ type: 'log', level: 'debug', message: `${processName}: event was processed` });
        change('ACKNOWLEDGED');
        effects.push({ type: 'processed' });
      } else if (verdict.kind === 'rejected') {
        effects.push({ type: 'log', level: 'warn', message: `${processName}: event was rejected` });
        change('ACKNOWLEDGED');
        effects.push({ type: 'requeue' });
      } else {
        effects.push({ type: 'log', level: 'warn', message: `${processName}: event caused an error` });
        change('UNKNOWN');
        ch = { ...ch, buffer: EMPTY };
        effects.push({ type: 'requeue' });
      }
    }
  }
  return { next: ch, effects };
}

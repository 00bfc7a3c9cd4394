// Pure: what supervisord reads from an event listener's stdout (spec §6.3, §6.4) — READY, RESULT <len>\n<data>,
// protocol violations — as a state machine over byte chunks, with supervisor's log lines as data.
import type { ListenerStateName } from '../model/states.js';
import { payloadText } from './event-payloads.js';
import { defaultResultHandler, type ResultHandler } from './result-handlers.js';

/** The reading side of one listener process: its state and the bytes not yet understood. */
export interface ListenerChannel {
  readonly state: ListenerStateName;
  readonly buffer: Buffer;
  /** The length announced by the RESULT line being collected, null before that line is complete. */
  readonly resultLen: number | null;
  readonly result: Buffer;
}

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

/** A freshly spawned listener: ACKNOWLEDGED, waiting for its first READY. */
export const newListenerChannel: ListenerChannel = {
  state: 'ACKNOWLEDGED',
  buffer: EMPTY,
  resultLen: null,
  result: EMPTY,
};

/** The dispatcher sent an event: READY -> BUSY (supervisor logs no state line for this one). */
export function markBusy(ch: ListenerChannel): ListenerChannel {
  return { ...ch, state: 'BUSY', resultLen: null, result: EMPTY };
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
 * process is spawned again. One deliberate difference: a negative length is a bad result line here, where
 * supervisor would wait forever.
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
      if (eol < 0) break;
      const line = ch.buffer.subarray(0, eol);
      const len = pythonInt(line.subarray(RESULT_PREFIX_LEN));
      ch = { ...ch, buffer: ch.buffer.subarray(eol + 1) };
      if (len === null || len < 0) {
        effects.push({
          type: 'log',
          level: 'warn',
          message: `${processName}: bad result line: '${payloadText(line)}'`,
        });
        change('UNKNOWN');
        ch = { ...ch, buffer: EMPTY };
        effects.push({ type: 'requeue' });
        break;
      }
      ch = { ...ch, resultLen: len };
    } else {
      const resultLen = ch.resultLen;
      const needed = resultLen - ch.result.length;
      if (needed > 0) {
        ch = {
          ...ch,
          result: Buffer.concat([ch.result, ch.buffer.subarray(0, needed)]),
          buffer: ch.buffer.subarray(needed),
        };
      }
      if (ch.result.length < resultLen) break;
      const verdict = handleResult(ch.result);
      ch = { ...ch, resultLen: null, result: EMPTY };
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

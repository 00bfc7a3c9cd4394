// Pure: what a listener's RESULT body means under its pool's result_handler (spec §6.4).
import { SUPERVISOR_STDOUT_HANDLER } from '../model/result-handlers.js';

/** What a listener's RESULT body means for the event it held. */
export type ResultVerdict =
  /** The event is done; `echo` is text for the daemon's stdout. */
  | { readonly kind: 'processed'; readonly echo: string | null }
  /** RejectEvent: the event goes back to the head of the buffer and the listener is ACKNOWLEDGED. */
  | { readonly kind: 'rejected' }
  /** The handler failed ("event caused an error"): the event is re-queued and the listener goes UNKNOWN. */
  | { readonly kind: 'error' };

/** A pool's result_handler: reads a listener's RESULT body; never throws (a bad body is `error`). */
export type ResultHandler = (result: Buffer) => ResultVerdict;

const OK = Buffer.from('OK');

/** supervisor.dispatchers:default_handler: `OK` processes the event, anything else rejects it. */
export const defaultResultHandler: ResultHandler = (result) =>
  result.equals(OK) ? { kind: 'processed', echo: null } : { kind: 'rejected' };

/**
 * supervisor_stdout:event_handler. The result is the event itself: a header line of `key:value` tokens, then the
 * data. Each line of the data is printed with the prefix `processname channel | `. A result that is not shaped
 * like that raises in Python, which supervisor counts as an error. One deliberate difference: the empty piece
 * after the data's final newline is not printed (the Python handler prints it as a bare prefix line).
 */
export const supervisorStdoutResultHandler: ResultHandler = (result) => {
  const text = result.toString('utf8');
  const eol = text.indexOf('\n');
  if (eol < 0) return { kind: 'error' };
  const headers = new Map<string, string>();
  for (const token of text.slice(0, eol).split(/\s+/)) {
    if (token === '') continue;
    const parts = token.split(':');
    if (parts.length !== 2) return { kind: 'error' };
    headers.set(parts[0] ?? '', parts[1] ?? '');
  }
  const name = headers.get('processname');
  const channel = headers.get('channel');
  if (name === undefined || channel === undefined) return { kind: 'error' };
  const lines = text.slice(eol + 1).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const prefix = `${name} ${channel} | `;
  return { kind: 'processed', echo: lines.map((l) => `${prefix}${l}\n`).join('') };
};

/** The handler for a pool's `result_handler`; the loader has refused every name svd does not implement. */
export function resultHandlerFor(name: string): ResultHandler {
  return name === SUPERVISOR_STDOUT_HANDLER ? supervisorStdoutResultHandler : defaultResultHandler;
}

// Pure: the main-log message for child output at loglevel=debug (spec §2.6.1), worded as supervisor's.
import { pythonBytesRepr, pythonRepr } from '../model/python-repr.js';

/** `'<name>' <channel> output:\n<data>`; output that is not valid UTF-8 shows as `Undecodable: b'...'`. */
export function childOutputMessage(processName: string, channel: 'stdout' | 'stderr', data: Buffer): string {
  return `${pythonRepr(processName)} ${channel} output:\n${decodeOrRepr(data)}`;
}

/** `'<name>' <channel> emitted a comm event`: a capture block ended (PROCESS_COMMUNICATION_<CHANNEL>). */
export function commEventMessage(processName: string, channel: 'stdout' | 'stderr'): string {
  return `${pythonRepr(processName)} ${channel} emitted a comm event`;
}

/**
 * The same header for an event listener's stdout (its protocol channel), where supervisor logs each read as
 * Python's repr of the bytes (`b'RESULT 2\\nOKREADY\\n'`), so the tokens and their line ends show exactly.
 */
export function listenerOutputMessage(processName: string, data: Buffer): string {
  return `${pythonRepr(processName)} stdout output:\n${pythonBytesRepr(data)}`;
}

// ignoreBOM keeps a leading U+FEFF, as Python's decode does (the default would drop it from the line).
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeOrRepr(data: Buffer): string {
  try {
    return strictUtf8.decode(data);
  } catch {
    return `Undecodable: ${pythonBytesRepr(data)}`;
  }
}

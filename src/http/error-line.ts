// Pure: an unexpected error as one log line, cut short; its stack belongs at the debug level only.
import { excerptOf } from '../model/excerpt.js';

/** `Name: message` of an error (or its text) on one line, cut to MAX_VALUE_EXCERPT characters. */
export function errorLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return excerptOf(text.replace(/\s*\n\s*/g, ' '));
}

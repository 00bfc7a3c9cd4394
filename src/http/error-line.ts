// Pure: an unexpected error as one log line, cut short; its stack belongs at the debug level only.

export function errorLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

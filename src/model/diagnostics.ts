// Pure leaf module: the diagnostic value that every config problem becomes.

/** An error makes the configuration unusable (loadConfig returns no config); a warning is reported only. */
export type Severity = 'error' | 'warning';

/** Where a value came from. Lines and columns are one-based; 0 means unknown. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One problem found in a configuration. Diagnostics are returned in lists, never thrown,
 * so one run reports every problem.
 */
export interface Diagnostic {
  readonly severity: Severity;
  /** Stable identifier, e.g. SVD-CONF-UNKNOWN-KEY. */
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Section name as in INI, e.g. program:web. */
  readonly section?: string | undefined;
  readonly option?: string | undefined;
  readonly value?: unknown;
  readonly expected?: string | undefined;
  readonly hint?: string | undefined;
}

/** True when at least one diagnostic is an error; warnings alone never count. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Longest message a diagnostic line carries: a 1 MB option name in a file is not printed whole. */
const MAX_MESSAGE = 1000;

/** `FILE:LINE:COL: error: MESSAGE (hint)`, the one-line form every command prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column > 0 ? d.column : 1}` : d.file;
  const hint = d.hint ? ` (${d.hint})` : '';
  // Cut in the middle: the end says what was expected.
  const text = `${d.message}${hint}`;
  const message =
    text.length <= MAX_MESSAGE
      ? text
      : `${text.slice(0, MAX_MESSAGE - 300)}...(${text.length - MAX_MESSAGE} characters left out)...${text.slice(-300)}`;
  // One line each, always: a value continued over several lines (environment=, command=) is quoted in messages.
  return `${where}: ${d.severity}: ${message}`.replace(/\r\n|\r|\n/g, '\\n');
}

// Where the ctl writes and what it asks: stdout, stderr, questions (y/N, Username:, Password:), Ctrl-C.
import type { CtlErrorOrigin } from './ctl-error-line.js';

/** Where the ctl writes and what it asks: the real terminal, or a scripted one in tests. */
export interface CtlTerminal {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  /** Asks `prompt` and resolves with the line typed (without its newline); null on end of input or Ctrl-C. */
  question(prompt: string, options?: { readonly secret?: boolean }): Promise<string | null>;
  /** True once the input has ended (a null answer was end of input, not Ctrl-C). */
  readonly ended: boolean;
  /**
   * Calls `handler` on Ctrl-C until the returned function is called. While no handler is installed, Ctrl-C
   * does what it does by default (ends a one-shot command; leaves the shell).
   */
  onInterrupt(handler: () => void): () => void;
}

/**
 * An answer, or at end of input what Python's input() and getpass() raise there: EOFError, which supervisorctl
 * prints as any error (`error: <class 'EOFError'>, EOF when reading a line: file: ...`; getpass's, at the
 * password, has no message). `question` is which of supervisorctl's questions it was. Null after Ctrl-C stays null.
 */
export function answerOrEof(
  terminal: CtlTerminal,
  answer: string | null,
  question: Extract<CtlErrorOrigin, `${string}-question`>,
): string | null {
  if (answer !== null || !terminal.ended) return answer;
  const error = new Error(question === 'password-question' ? '' : 'EOF when reading a line');
  error.name = 'EOFError';
  throw Object.assign(error, { pythonOrigin: question });
}

// Where the ctl writes and what it asks: stdout, stderr, questions (y/N, Username:, Password:), Ctrl-C.

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
 * prints as any error (`error: <class 'EOFError'>, EOF when reading a line`; getpass's has no message). Null
 * after Ctrl-C stays null.
 */
export function answerOrEof(terminal: CtlTerminal, answer: string | null, message: string): string | null {
  if (answer !== null || !terminal.ended) return answer;
  const error = new Error(message);
  error.name = 'EOFError';
  throw error;
}

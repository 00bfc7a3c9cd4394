// Effect: the ctl's terminal over node:readline: prompts, questions (a password without echo), lines queued
// as they arrive (piped input), tab completion, history, and Ctrl-C routed to whoever is listening.
import { createRequire } from 'node:module';
import type { Interface } from 'node:readline';
import { Writable } from 'node:stream';

// node:readline loads on first use: a one-shot command that asks nothing never needs it.
const requireBuiltin = createRequire(import.meta.url);
import type { CtlTerminal } from './ctl-terminal.js';

/** The streams, completion, history and Ctrl-C fallback of the shell's terminal. */
export interface ReadlineTerminalOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: { write(text: string): unknown };
  /** Tab completion of the text before the cursor: [candidates, the word they replace]. */
  readonly completer?: ((line: string) => Promise<[string[], string]>) | undefined;
  /** Most recent first, as node:readline keeps it. */
  readonly history?: readonly string[] | undefined;
  /** Ctrl-C while nobody listens and no question waits. */
  readonly onUnhandledInterrupt: () => void;
}

/**
 * The CtlTerminal over node:readline (loaded on first use): typed lines are queued until asked for, a secret
 * question does not echo. Ctrl-C answers a waiting question with null, else goes to the latest onInterrupt
 * handler, else to `onUnhandledInterrupt`.
 */
export class ReadlineTerminal implements CtlTerminal {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly #options: ReadlineTerminalOptions;
  #rl: Interface | null = null;
  #muted = false;
  #closed = false;
  readonly #lines: string[] = [];
  #waiting: ((line: string | null) => void) | null = null;
  readonly #handlers: (() => void)[] = [];
  readonly #onProcessSigint = () => this.#interrupt();

  constructor(options: ReadlineTerminalOptions) {
    this.#options = options;
    this.stdout = options.output;
    this.stderr = options.stderr;
  }

  /** Created on first use: a one-shot command that never reads input never touches stdin. */
  #interface(): Interface {
    if (this.#rl) return this.#rl;
    const out = this.#options.output;
    const muted = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        if (!this.#muted) out.write(chunk);
        done();
      },
    });
    Object.defineProperty(muted, 'columns', { get: () => out.columns ?? 80 });
    const terminal = this.#options.input.isTTY === true && out.isTTY === true;
    const completer = this.#options.completer;
    const { createInterface } = requireBuiltin('node:readline') as typeof import('node:readline');
    const rl = createInterface({
      input: this.#options.input,
      output: muted,
      terminal,
      history: [...(this.#options.history ?? [])],
      historySize: 1000,
      removeHistoryDuplicates: false,
      completer: completer
        ? (line: string, callback: (error: null, result: [string[], string]) => void) => {
            completer(line).then(
              (r) => callback(null, r),
              () => callback(null, [[], line]),
            );
          }
        : undefined,
    });
    rl.on('line', (line: string) => {
      if (this.#waiting) {
        const w = this.#waiting;
        this.#waiting = null;
        w(line);
      } else this.#lines.push(line);
    });
    rl.on('close', () => {
      this.#closed = true;
      const w = this.#waiting;
      this.#waiting = null;
      w?.(null);
    });
    // A terminal delivers Ctrl-C to readline; a pipe leaves it to the process.
    rl.on('SIGINT', () => this.#interrupt());
    this.#listenForSigint();
    this.#rl = rl;
    return rl;
  }

  #sigint = false;
  #listenForSigint(): void {
    if (this.#sigint) return;
    this.#sigint = true;
    process.on('SIGINT', this.#onProcessSigint);
  }

  #interrupt(): void {
    if (this.#waiting) {
      const w = this.#waiting;
      this.#waiting = null;
      w(null);
      return;
    }
    const handler = this.#handlers[this.#handlers.length - 1];
    if (handler) handler();
    else this.#options.onUnhandledInterrupt();
  }

  get ended(): boolean {
    return this.#closed;
  }

  question(prompt: string, options: { readonly secret?: boolean } = {}): Promise<string | null> {
    const rl = this.#interface();
    // Python's getpass writes to the terminal, or to stderr when the input is not one: never into stdout's data.
    const secretOut = this.#options.input.isTTY === true ? this.#options.output : this.#options.stderr;
    if (options.secret) secretOut.write(prompt);
    else {
      rl.setPrompt(prompt);
      rl.prompt();
    }
    this.#muted = options.secret === true;
    const done = (line: string | null) => {
      if (options.secret) {
        this.#muted = false;
        if (line !== null) secretOut.write('\n');
      }
      return line;
    };
    const queued = this.#lines.shift();
    if (queued !== undefined) return Promise.resolve(done(queued));
    if (this.#closed) return Promise.resolve(done(null));
    return new Promise((resolve) => {
      this.#waiting = (line) => resolve(done(line));
    });
  }

  onInterrupt(handler: () => void): () => void {
    this.#listenForSigint();
    this.#handlers.push(handler);
    return () => {
      const i = this.#handlers.lastIndexOf(handler);
      if (i >= 0) this.#handlers.splice(i, 1);
    };
  }

  /** The history, most recent first (empty unless a terminal was attached). */
  history(): string[] {
    return [...((this.#rl as unknown as { history?: string[] } | null)?.history ?? [])];
  }

  close(): void {
    process.off('SIGINT', this.#onProcessSigint);
    this.#rl?.close();
  }
}

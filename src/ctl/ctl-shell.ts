// Effect: supervisorctl's interactive shell (spec §5.1): `status` first, then `<prompt>> ` until quit, exit,
// end of input or Ctrl-C (each prints an empty line); history kept in history_file.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Controller } from './ctl-controller.js';
import { completions, currentWord, completionNeed } from './ctl-completion.js';
import { ReadlineTerminal } from './ctl-readline-terminal.js';
import { processInfosOf } from './ctl-values.js';

const LIBEDIT_HEADER = '_HiStOrY_V2_';

/** History lines of a readline history file, most recent first (node:readline's order). */
export function readHistory(file: string | null): string[] {
  if (file === null) return [];
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l !== '' && l !== LIBEDIT_HEADER)
      .reverse();
  } catch {
    return [];
  }
}

/** Saves the history oldest first, as readline files are; nothing to save or a failed write is silent. */
export function writeHistory(file: string | null, mostRecentFirst: readonly string[]): void {
  if (file === null || mostRecentFirst.length === 0) return;
  try {
    writeFileSync(file, [...mostRecentFirst].reverse().join('\n') + '\n');
  } catch {
    // As supervisorctl: a history file that cannot be written is not an error.
  }
}

/** Completion for the shell: process names are fetched once per command line. */
export function shellCompleter(ctl: Controller): (line: string) => Promise<[string[], string]> {
  return async (line) => {
    let infos: { name: string; group: string }[] = [];
    const need = completionNeed(line);
    if (need === 'groups' || need === 'processes') {
      try {
        ctl.completionCache ??= await ctl.call('getAllProcessInfo');
        infos = processInfosOf(ctl.completionCache);
      } catch {
        infos = [];
      }
    }
    return [completions(line, infos), currentWord(line)];
  };
}

/** Runs the shell on `terminal` until the user leaves. */
export async function runShell(ctl: Controller, terminal: ReadlineTerminal, prompt: string): Promise<void> {
  if ((await ctl.onecmd('status')) === 'exit') return;
  for (;;) {
    const line = await terminal.question(`${prompt}> `);
    if (line === null) {
      ctl.output('');
      return;
    }
    if ((await ctl.onecmd(line)) === 'exit') return;
  }
}

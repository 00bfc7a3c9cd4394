// Pure: the shell's tab completion, as supervisorctl's: commands first, group names after add/remove/update,
// process names (`name`, `group:name`, `group:*`) after the process commands. `:`, `*` and `-` are word characters.
import { COMMAND_NAMES } from './ctl-help.js';
import { pyStrip, words } from './ctl-words.js';

const GROUP_COMMANDS: ReadonlySet<string> = new Set(['add', 'remove', 'update']);
const PROCESS_COMMANDS: ReadonlySet<string> = new Set([
  'clear',
  'fg',
  'pid',
  'restart',
  'signal',
  'start',
  'status',
  'stop',
  'tail',
]);

/** A process as completion sees it. */
export interface NameInfo {
  readonly name: string;
  readonly group: string;
}

/** What the completion needs to know: the word before the cursor and what it may complete to. */
export type CompletionNeed = 'commands' | 'groups' | 'processes' | 'nothing';

/** The word being completed: the text after the last delimiter (readline's delimiters minus `:*-`). */
export function currentWord(line: string): string {
  const m = /[^\s`~!@#$%^&()=+[{\]}\\|;'",<>/?]*$/.exec(line);
  return m?.[0] ?? '';
}

/** Which list `line` (the text before the cursor) completes from. */
export function completionNeed(line: string): CompletionNeed {
  if (pyStrip(line) === '') return 'commands';
  const w = words(line);
  if (w.length === 1 && !line.endsWith(' ')) return 'commands';
  const action = w[0] as string;
  if (action === 'help') return 'commands';
  if (GROUP_COMMANDS.has(action)) return 'groups';
  if (PROCESS_COMMANDS.has(action)) return 'processes';
  return 'nothing';
}

/** The candidates for `word`, each followed by a space as readline inserts them. */
export function completions(line: string, infos: readonly NameInfo[]): string[] {
  const word = currentWord(line);
  const need = completionNeed(line);
  let pool: string[] = [];
  if (need === 'commands') pool = [...COMMAND_NAMES];
  else if (need === 'groups') pool = [...new Set(infos.map((i) => i.group))];
  else if (need === 'processes') {
    for (const i of infos) {
      if (word.includes(':') || i.name !== i.group) {
        pool.push(`${i.group}:${i.name}`);
        if (!pool.includes(`${i.group}:*`)) pool.push(`${i.group}:*`);
      } else pool.push(i.name);
    }
  }
  return pool.filter((p) => p.startsWith(word)).map((p) => `${p} `);
}

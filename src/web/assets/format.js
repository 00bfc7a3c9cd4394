// Pure helpers of the page: texts and decisions, no DOM (unit-tested from node).

/** Python's timedelta text as supervisor's description shows it: `0:01:02`, `2 days, 3:04:05`. */
export function formatUptime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const rest = s % 86400;
  const pad = (n) => String(n).padStart(2, '0');
  const hms = `${Math.floor(rest / 3600)}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  if (days === 0) return hms;
  return `${days} day${days === 1 ? '' : 's'}, ${hms}`;
}

/** A short uptime for the column: `45s`, `12m 05s`, `3h 12m`, `2d 3h`. */
export function shortUptime(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** Which actions make sense in a state (the others are shown disabled), as supervisor's page decides. */
export function allowedActions(state) {
  const running = state === 'RUNNING' || state === 'STARTING' || state === 'BACKOFF';
  return {
    start: state === 'STOPPED' || state === 'EXITED' || state === 'FATAL',
    stop: running,
    restart: state !== 'STOPPING' && state !== 'UNKNOWN',
    signal: state === 'RUNNING' || state === 'STARTING' || state === 'STOPPING',
    clear: true,
  };
}

const PROBLEMS = new Set(['FATAL', 'BACKOFF', 'EXITED']);

/** Whether a process row shows under the filter text and the state choice (`''`, a state, or `problem`). */
export function matchesFilter(p, text, state) {
  if (state === 'problem' ? !PROBLEMS.has(p.statename) : state !== '' && p.statename !== state) return false;
  if (text === '') return true;
  const needle = text.toLowerCase();
  return p.namespec.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle);
}

/** The exit status column: the code of the last exit, shown while the process is EXITED. */
export function exitText(p) {
  return p.statename === 'EXITED' ? String(p.exitstatus) : '';
}

const DONE_WORDS = {
  start: 'started',
  stop: 'stopped',
  restart: 'restarted',
  signal: 'signalled',
  clear: 'log cleared',
};
const PENDING_WORDS = {
  start: 'starting…',
  stop: 'stopping…',
  restart: 'restarting…',
  signal: 'signalling…',
  clear: 'clearing…',
};

export function pendingText(action) {
  return PENDING_WORDS[action] ?? '…';
}

/**
 * The message shown where an action was clicked: `{ text, error }`. A group or "all" answer lists its
 * failures by namespec; a one-process answer is a word.
 */
export function outcomeText(action, answer) {
  if (!answer || !Array.isArray(answer.results)) return { text: DONE_WORDS[action] ?? 'done', error: false };
  const failed = answer.results.filter((r) => r.fault !== null);
  const ok = answer.results.length - failed.length;
  if (answer.results.length === 0) return { text: 'nothing to do', error: false };
  if (failed.length === 0) return { text: `${DONE_WORDS[action] ?? 'done'}: ${ok}`, error: false };
  const first = failed
    .slice(0, 3)
    .map((r) => r.description)
    .join('; ');
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
  return { text: `${ok} ok, ${failed.length} failed: ${first}${more}`, error: true };
}

/** One plan process line, worded as `svd diff` words it. */
export function describePlanProcess(p) {
  const now = p.state === null ? '' : p.pid > 0 ? `${p.state}, pid ${p.pid}` : p.state;
  const stopped = p.state === null || ['STOPPED', 'EXITED', 'FATAL', 'UNKNOWN'].includes(p.state);
  switch (p.action) {
    case 'add':
      return p.runs_after ? 'add, then start' : 'add, stays stopped (autostart=false)';
    case 'remove':
      return stopped ? `remove (${now})` : `stop (${now}), then remove`;
    case 'restart':
      return `restart (${now}${p.reason === 'group-settings' ? '; its group is rebuilt' : ''})`;
    case 'update-in-place':
      return p.reason === 'not-running'
        ? `update in place (${now}: not running, takes effect at its next start)`
        : `update in place (${now})`;
    default:
      return `unchanged (${now})`;
  }
}

export const PLAN_SYMBOLS = {
  add: '+',
  remove: '-',
  change: '~',
  restart: '~',
  'update-in-place': '~',
  unchanged: '=',
};

/** A field value of a plan change as text. */
export function showValue(value) {
  return value === undefined ? 'null' : JSON.stringify(value);
}

/** Signals offered in the pickers; any other name or number works through the API. */
export const SIGNALS = ['HUP', 'INT', 'QUIT', 'KILL', 'USR1', 'USR2', 'TERM', 'STOP', 'CONT', 'WINCH'];

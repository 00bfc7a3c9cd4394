// Action controls (per process, per group, for all): one delegated listener; the pending state and the
// result or error show in the `output.msg` beside the control that was used.
import { actionPath, postJson } from './api.js';
import { outcomeText, pendingText } from './format.js';

const OK_MESSAGE_MS = 6000;
const CONFIRM_MS = 4000;

function showMessage(msg, text, kind) {
  clearTimeout(msg._timer);
  msg.textContent = text;
  msg.className = `msg ${kind}`;
  msg.title = text;
  if (kind === 'ok') {
    msg._timer = setTimeout(() => {
      msg.textContent = '';
      msg.className = 'msg';
    }, OK_MESSAGE_MS);
  }
}

/** Where an action runs: scope, id (namespec or group name) and the elements to mark. */
function contextOf(control, table) {
  const box = control.closest('[data-scope]');
  if (!box) return null;
  const scope = box.dataset.scope;
  const msg = box.querySelector('output.msg');
  if (scope === 'process') {
    const row = table.rowOf.get(control.closest('.row'));
    return row ? { scope, id: row.p.namespec, box, msg, row } : null;
  }
  if (scope === 'group') return { scope, id: control.closest('.group').dataset.group, box, msg, row: null };
  return { scope: 'all', id: null, box, msg, row: null };
}

function setBusy(ctx, busy, table) {
  ctx.box.classList.toggle('busy', busy);
  if (ctx.row) {
    ctx.row.busy = busy;
    table.refreshControls(ctx.row);
    return;
  }
  for (const control of ctx.box.querySelectorAll('button, select')) control.disabled = busy;
}

/** Two clicks for the "all" actions: the first arms the control for a few seconds. */
function confirmed(control) {
  if (!control.dataset.confirm) return true;
  if (control.dataset.armed === '1') {
    delete control.dataset.armed;
    control.textContent = control.dataset.label;
    return true;
  }
  control.dataset.armed = '1';
  control.dataset.label = control.textContent;
  control.textContent = control.dataset.confirm;
  setTimeout(() => {
    if (control.dataset.armed !== '1') return;
    delete control.dataset.armed;
    control.textContent = control.dataset.label;
  }, CONFIRM_MS);
  return false;
}

async function run(ctx, action, signal, table) {
  setBusy(ctx, true, table);
  showMessage(ctx.msg, signal ? `sending SIG${signal}…` : pendingText(action), 'pending');
  try {
    const answer = await postJson(actionPath(ctx.scope, ctx.id, action), signal ? { signal } : {});
    const { text, error } = outcomeText(action, answer);
    showMessage(ctx.msg, text, error ? 'error' : 'ok');
    // A group or "all" failure also shows on the row of the process that failed.
    for (const r of answer.results ?? []) {
      const row = r.fault !== null ? table.rows.get(r.namespec) : null;
      if (row) showMessage(row.msg, r.description, 'error');
    }
  } catch (e) {
    showMessage(ctx.msg, e.message, 'error');
  } finally {
    setBusy(ctx, false, table);
  }
}

/** Wires every action control under `root`; `openLog(namespec)` is called for a process name click. */
export function wireActions(root, table, openLog) {
  root.addEventListener('click', (event) => {
    const msg = event.target.closest('output.msg.error');
    if (msg) {
      showMessage(msg, '', '');
      return;
    }
    const control = event.target.closest('button[data-action]');
    if (!control || control.disabled) return;
    const action = control.dataset.action;
    if (action === 'log') {
      const row = table.rowOf.get(control.closest('.row'));
      if (row) openLog(row.p.namespec);
      return;
    }
    const ctx = contextOf(control, table);
    if (!ctx || !confirmed(control)) return;
    let signal = null;
    if (action === 'signal') {
      const picker = ctx.box.querySelector('select[data-action="signal"]');
      signal = picker ? picker.value : '';
      if (!signal) {
        showMessage(ctx.msg, 'pick a signal first', 'error');
        return;
      }
    }
    void run(ctx, action, signal, table);
  });
  root.addEventListener('change', (event) => {
    const picker = event.target.closest('select[data-action="signal"]');
    // The "all" picker only chooses; its Signal button sends after a confirmation.
    if (!picker || !picker.value || picker.dataset.pickOnly) return;
    const ctx = contextOf(picker, table);
    const signal = picker.value;
    picker.value = '';
    if (ctx) void run(ctx, 'signal', signal, table);
  });
}

// The dashboard: one live stream (/api/events) feeding the process table, tabs for the config view and the
// daemon's log, and a log panel per process. No framework, no build step, nothing loaded from elsewhere.
import { enc } from './api.js';
import { wireActions } from './actions.js';
import { ConfigView } from './config-view.js';
import { LogFollower } from './log-view.js';
import { ensureSignalOptions, fillPickersOnUse, ProcessTable } from './process-table.js';

const byId = (id) => document.getElementById(id);
const html = document.documentElement;

const table = new ProcessTable(byId('groups'), {
  group: byId('group-template'),
  head: byId('group-head-template'),
  row: byId('row-template'),
});
ensureSignalOptions(document.querySelector('.scope-all select[data-action="signal"]'));
fillPickersOnUse(document);

// ---- live stream ----

/** Messages wait for the next frame, so a burst of them costs one layout. */
let queue = [];
let flushQueued = false;

function flush() {
  flushQueued = false;
  const messages = queue;
  queue = [];
  // A snapshot replaces everything before it.
  let start = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].kind === 'snapshot') {
      start = i;
      break;
    }
  }
  for (const m of messages.slice(start)) {
    if (m.kind === 'snapshot') {
      const began = performance.now();
      table.applySnapshot(m.data);
      setDaemonState(m.data.supervisor.state);
      if (!html.dataset.ready) {
        html.dataset.ready = 'true';
        // For bench/web-1000.mjs: when the first snapshot arrived and how long building the rows took.
        window.svdFirstRender = {
          at: performance.now(),
          receivedAt: m.at,
          buildMs: performance.now() - began,
          rows: table.rows.size,
        };
      }
    } else if (!table.applyUpdate(m.data)) {
      reconnect();
      return;
    }
  }
  showCounts();
}

function enqueue(kind, data) {
  queue.push({ kind, data, at: performance.now() });
  if (flushQueued) return;
  flushQueued = true;
  // Hidden tabs get no animation frames; their updates still land.
  if (document.hidden) setTimeout(flush, 0);
  else requestAnimationFrame(flush);
}

let events = null;
let retryTimer = null;

function setConn(state, text) {
  const conn = byId('conn');
  conn.dataset.conn = state;
  conn.textContent = text;
}

function connect() {
  clearTimeout(retryTimer);
  if (events) events.close();
  const source = new EventSource('api/events');
  events = source;
  setConn('connecting', 'connecting');
  source.addEventListener('open', () => setConn('live', 'live'));
  source.addEventListener('snapshot', (e) => enqueue('snapshot', JSON.parse(e.data)));
  source.addEventListener('update', (e) => enqueue('update', JSON.parse(e.data)));
  source.addEventListener('error', () => {
    if (events !== source) return;
    if (source.readyState === EventSource.CLOSED) {
      // Refused (401 after a password change, the daemon restarting): try again later.
      setConn('down', 'disconnected');
      retryTimer = setTimeout(connect, 5000);
    } else {
      setConn('connecting', 'reconnecting');
    }
  });
}

function reconnect() {
  connect();
}

function setDaemonState(state) {
  const pill = byId('daemon-state');
  pill.textContent = state;
  pill.dataset.state = state;
}

function showCounts() {
  const { total, shown, byState } = table.counts();
  const parts = [...byState.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([state, n]) => `${n} ${state.toLowerCase()}`);
  const filtered = shown !== total ? `${shown} of ` : '';
  byId('counts').textContent = total === 0 ? '' : `${filtered}${total} · ${parts.join(', ')}`;
  byId('empty').hidden = total !== 0;
  byId('no-match').hidden = total === 0 || shown !== 0;
}

// ---- filter ----

let filterTimer = null;
function applyFilter() {
  table.setFilter(byId('filter').value, byId('state-filter').value);
  showCounts();
}
byId('filter').addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(applyFilter, 80);
});
byId('state-filter').addEventListener('change', applyFilter);

// ---- process log panel ----

const panel = byId('logview');
const processLog = new LogFollower(byId('logview-text'), byId('logview-status'), byId('logview-follow'));
let logTarget = null;

function openLog(namespec, channel = 'stdout') {
  logTarget = { namespec, channel };
  panel.hidden = false;
  panel.dataset.ns = namespec;
  byId('logview-title').textContent = namespec;
  for (const b of panel.querySelectorAll('[data-channel]')) {
    b.setAttribute('aria-pressed', String(b.dataset.channel === channel));
  }
  const base = `api/log/${enc(namespec)}`;
  void processLog.open(`${base}?channel=${channel}&length=0`, `${base}/follow?channel=${channel}&tail=65536`);
  history.replaceState(null, '', `#log=${enc(namespec)}`);
}

function closeLog() {
  processLog.close();
  panel.hidden = true;
  logTarget = null;
  history.replaceState(null, '', location.pathname);
}

panel.addEventListener('click', (e) => {
  const channel = e.target.closest('[data-channel]');
  if (channel && logTarget) openLog(logTarget.namespec, channel.dataset.channel);
});
byId('logview-close').addEventListener('click', closeLog);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !panel.hidden) closeLog();
});

function openFromHash() {
  const m = /^#log=(.+)$/.exec(location.hash);
  if (m) openLog(decodeURIComponent(m[1]));
}

// ---- tabs ----

const mainLog = new LogFollower(byId('mainlog'), byId('mainlog-status'), byId('mainlog-follow'));
const config = new ConfigView({
  plan: byId('plan'),
  report: byId('report'),
  source: byId('plan-source'),
  refresh: byId('plan-refresh'),
  apply: byId('plan-apply'),
  msg: byId('apply-msg'),
});

function selectTab(name) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute('aria-selected', String(selected));
    byId(`tab-${tab.dataset.tab}`).hidden = !selected;
  }
  if (name === 'daemonlog') void mainLog.open('api/mainlog?length=0', 'api/mainlog/follow?tail=65536');
  else mainLog.close();
  if (name === 'config') void config.load();
}
for (const tab of document.querySelectorAll('[role="tab"]')) {
  tab.addEventListener('click', () => selectTab(tab.dataset.tab));
}

// ---- start ----

wireActions(byId('tab-processes'), table, (ns) => openLog(ns));
setInterval(() => table.tick(), 1000);
connect();
openFromHash();

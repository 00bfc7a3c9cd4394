// The process table: one row element per process, built once and updated in place; group sections with
// headers; filtering by hiding rows; uptimes ticked only for rows on screen.
import { allowedActions, exitText, formatUptime, matchesFilter, shortUptime, SIGNALS } from './format.js';

const $ = (root, selector) => root.querySelector(selector);

/**
 * Gives a signal picker its options (after its placeholder). Pickers start empty and are filled when their
 * row comes on screen or the picker is touched: a thousand rows would otherwise carry ten thousand options.
 */
export function ensureSignalOptions(select) {
  if (select.options.length > 1) return;
  select.append(...SIGNALS.map((s) => new Option(`SIG${s}`, s)));
}

/** Fills pickers the moment they are used (pointer or keyboard), before the browser opens them. */
export function fillPickersOnUse(root) {
  const fill = (event) => {
    const select = event.target.closest?.('select[data-action="signal"]');
    if (select) ensureSignalOptions(select);
  };
  root.addEventListener('pointerdown', fill, true);
  root.addEventListener('focusin', fill, true);
}

export class ProcessTable {
  constructor(container, templates) {
    this.container = container;
    this.templates = templates;
    /** namespec -> row */
    this.rows = new Map();
    /** group name -> group */
    this.groups = new Map();
    this.rowOf = new WeakMap();
    this.visible = new Set();
    this.skew = 0;
    this.filterText = '';
    this.filterState = '';
    this.observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => this.#onIntersect(entries), { rootMargin: '200px 0px' })
        : null;
  }

  /** Server time now, in seconds (the page's clock corrected by the last message's `now`). */
  serverNow() {
    return (Date.now() + this.skew) / 1000;
  }

  /** A full list: rows are created, updated, moved or removed to match it exactly. */
  applySnapshot(message) {
    this.skew = message.now - Date.now();
    const present = new Set(message.processes.map((p) => p.namespec));
    for (const [ns, row] of this.rows) if (!present.has(ns)) this.#removeRow(row);
    const byGroup = new Map();
    for (const p of message.processes) {
      if (!byGroup.has(p.group)) byGroup.set(p.group, []);
      byGroup.get(p.group).push(p);
    }
    for (const [name, group] of this.groups) {
      if (!byGroup.has(name)) {
        group.el.remove();
        this.groups.delete(name);
      }
    }
    // The first render builds off-document, then inserts once.
    const target = this.groups.size === 0 ? document.createDocumentFragment() : this.container;
    let previous = null;
    for (const [name, procs] of byGroup) {
      const group = this.groups.get(name) ?? this.#createGroup(name);
      placeAfter(target, group.el, previous);
      previous = group.el;
      let previousRow = null;
      for (const p of procs) {
        const row = this.rows.get(p.namespec) ?? this.#createRow(p, group);
        if (row.group !== group) {
          row.group.members.delete(row.p.namespec);
          row.group = group;
          group.members.set(p.namespec, row);
        }
        this.#fill(row, p);
        placeAfter(group.body, row.el, previousRow);
        previousRow = row.el;
      }
      this.#setSolo(group, procs.length === 1 && procs[0].name === name);
    }
    if (target !== this.container) this.container.append(target);
    this.applyFilter();
  }

  /** Changed processes only; false when one is unknown (the caller then needs a snapshot). */
  applyUpdate(message) {
    this.skew = message.now - Date.now();
    const touched = new Set();
    for (const p of message.processes) {
      const row = this.rows.get(p.namespec);
      if (!row) return false;
      this.#fill(row, p);
      this.#filterRow(row);
      touched.add(row.group);
    }
    for (const group of touched) this.#groupSummary(group);
    return true;
  }

  setFilter(text, state) {
    this.filterText = text.trim();
    this.filterState = state;
    this.applyFilter();
  }

  applyFilter() {
    for (const row of this.rows.values()) this.#filterRow(row);
    for (const group of this.groups.values()) this.#groupSummary(group);
  }

  /** The state counts for the toolbar: `[total, shown, Map(state -> n)]`. */
  counts() {
    const byState = new Map();
    let shown = 0;
    for (const row of this.rows.values()) {
      byState.set(row.p.statename, (byState.get(row.p.statename) ?? 0) + 1);
      if (!row.el.hidden) shown++;
    }
    return { total: this.rows.size, shown, byState };
  }

  /** Moves uptimes on for the rows on screen (every row when IntersectionObserver is missing). */
  tick() {
    const rows = this.observer ? this.visible : this.rows.values();
    for (const row of rows) if (row.p.statename === 'RUNNING') this.#renderTimes(row);
  }

  /** Enables the row's controls as its state allows, unless an action on it is pending. */
  refreshControls(row) {
    const allowed = allowedActions(row.p.statename);
    for (const [action, control] of Object.entries(row.controls))
      control.disabled = row.busy || !allowed[action];
  }

  #createGroup(name) {
    const el = this.templates.group.content.firstElementChild.cloneNode(true);
    el.dataset.group = name;
    const group = {
      name,
      el,
      body: $(el, '.gbody'),
      head: null,
      count: null,
      members: new Map(),
      solo: true,
    };
    this.groups.set(name, group);
    return group;
  }

  /** A group of one process named like it needs no header; the header is built when it first has more. */
  #setSolo(group, solo) {
    group.solo = solo;
    group.el.classList.toggle('solo', solo);
    if (solo || group.head) return;
    group.head = this.templates.head.content.firstElementChild.cloneNode(true);
    $(group.head, '.gname').textContent = group.name;
    group.count = $(group.head, '.gcount');
    ensureSignalOptions($(group.head, 'select[data-action="signal"]'));
    group.el.prepend(group.head);
    this.#groupSummary(group);
  }

  #createRow(p, group) {
    const el = this.templates.row.content.firstElementChild.cloneNode(true);
    el.dataset.ns = p.namespec;
    const row = {
      el,
      p: null,
      group,
      busy: false,
      state: $(el, '.state'),
      name: $(el, '.name'),
      pid: $(el, '.c-pid'),
      uptime: $(el, '.c-uptime'),
      desc: $(el, '.c-desc'),
      exit: $(el, '.c-exit'),
      msg: $(el, '.msg'),
      controls: {
        start: $(el, '[data-action="start"]'),
        stop: $(el, '[data-action="stop"]'),
        restart: $(el, '[data-action="restart"]'),
        signal: $(el, '[data-action="signal"]'),
        clear: $(el, '[data-action="clear"]'),
      },
    };
    row.name.textContent = p.namespec;
    row.name.title = `Show the log of ${p.namespec}`;
    this.rows.set(p.namespec, row);
    this.rowOf.set(el, row);
    group.members.set(p.namespec, row);
    this.observer?.observe(el);
    return row;
  }

  #removeRow(row) {
    this.observer?.unobserve(row.el);
    this.visible.delete(row);
    row.el.remove();
    row.group.members.delete(row.p.namespec);
    this.rows.delete(row.p.namespec);
  }

  /** Writes only what changed, so an update touches a handful of text nodes. */
  #fill(row, p) {
    const old = row.p;
    row.p = p;
    if (!old || old.statename !== p.statename) {
      row.el.dataset.state = p.statename;
      row.state.textContent = p.statename;
      row.state.className = `state s-${p.statename.toLowerCase()}`;
      this.refreshControls(row);
    }
    if (!old || old.pid !== p.pid) row.pid.textContent = p.pid > 0 ? String(p.pid) : '';
    const exit = exitText(p);
    if (row.exit.textContent !== exit) row.exit.textContent = exit;
    this.#renderTimes(row);
  }

  #renderTimes(row) {
    const p = row.p;
    let uptime = '';
    let desc = p.description;
    if (p.statename === 'RUNNING' && p.start > 0) {
      const seconds = Math.floor(this.serverNow()) - p.start;
      uptime = shortUptime(seconds);
      desc = `pid ${p.pid}, uptime ${formatUptime(seconds)}`;
    }
    if (row.uptime.textContent !== uptime) row.uptime.textContent = uptime;
    if (row.desc.textContent !== desc) row.desc.textContent = desc;
  }

  #filterRow(row) {
    const hide = !matchesFilter(row.p, this.filterText, this.filterState);
    if (row.el.hidden !== hide) row.el.hidden = hide;
  }

  #groupSummary(group) {
    let running = 0;
    let shown = 0;
    for (const row of group.members.values()) {
      if (row.p.statename === 'RUNNING') running++;
      if (!row.el.hidden) shown++;
    }
    const n = group.members.size;
    const text = `${n} process${n === 1 ? '' : 'es'} · ${running} running`;
    if (group.count && group.count.textContent !== text) group.count.textContent = text;
    const hide = shown === 0;
    if (group.el.hidden !== hide) group.el.hidden = hide;
  }

  #onIntersect(entries) {
    for (const entry of entries) {
      const row = this.rowOf.get(entry.target);
      if (!row) continue;
      if (entry.isIntersecting) {
        this.visible.add(row);
        ensureSignalOptions(row.controls.signal);
        if (row.p.statename === 'RUNNING') this.#renderTimes(row);
      } else {
        this.visible.delete(row);
      }
    }
  }
}

/** Puts `node` right after `previous` in `parent` (first when previous is null), moving it only if needed. */
function placeAfter(parent, node, previous) {
  const want = previous ? previous.nextSibling : parent.firstChild;
  if (node.parentNode === parent && (node === want || node.previousSibling === previous)) return;
  parent.insertBefore(node, want);
}

// The config view: the pending plan (what `svd diff` would show) with an Apply button, and the apply report.
import { ApiError, getJson, postJson } from './api.js';
import { describePlanProcess, PLAN_SYMBOLS, showValue } from './format.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fieldList(fields) {
  const list = el('ul', 'fields');
  for (const f of fields) {
    const item = el('li');
    item.append(
      el('code', 'field', f.field),
      ': ',
      el('code', 'old', showValue(f.old)),
      ' → ',
      el('code', 'new', showValue(f.new)),
      el('span', `class ${f.class}`, f.class === 'restart' ? 'restart' : 'in place'),
    );
    list.append(item);
  }
  return list;
}

function renderPlan(answer) {
  const out = el('div');
  for (const warning of answer.warnings) out.append(el('p', 'warning', warning));
  out.append(el('p', `summary${answer.plan.changes ? ' changes' : ''}`, answer.summary));
  let unchanged = 0;
  for (const g of answer.plan.groups) {
    if (g.action === 'unchanged') {
      unchanged++;
      continue;
    }
    const block = el('div', `pgroup a-${g.action}`);
    block.dataset.group = g.name;
    const notes = [g.kind, ...(g.rebuild ? ['rebuilt: its kind, pool or socket changed'] : [])];
    block.append(el('h3', null, `${PLAN_SYMBOLS[g.action]} group ${g.name} (${notes.join('; ')})`));
    if (g.fields.length > 0) block.append(fieldList(g.fields));
    const list = el('ul', 'pprocs');
    for (const p of g.processes) {
      if (p.action === 'unchanged') continue;
      const item = el('li', `a-${p.action}`);
      item.dataset.ns = p.namespec;
      item.append(
        el('span', 'sym', PLAN_SYMBOLS[p.action]),
        ' ',
        el('strong', null, p.namespec),
        `: ${describePlanProcess(p)}`,
      );
      if (p.fields.length > 0) item.append(fieldList(p.fields));
      list.append(item);
    }
    block.append(list);
    out.append(block);
  }
  if (unchanged > 0)
    out.append(el('p', 'muted', `= ${unchanged} group${unchanged === 1 ? '' : 's'} unchanged`));
  const raw = el('details', 'raw');
  raw.append(el('summary', null, 'as text (svd diff)'), el('pre', null, answer.text));
  out.append(raw);
  return out;
}

function renderDiagnostics(answer) {
  const out = el('div', 'diagnostics');
  out.append(el('p', 'error', 'The configuration does not load; nothing can be applied:'));
  const list = el('ul');
  for (const d of answer.diagnostics) list.append(el('li', null, d));
  out.append(list);
  return out;
}

function renderReport(answer) {
  const out = el('div');
  const c = answer.counts;
  out.append(
    el('h3', null, `Applied: ${c.done} done, ${c.failed} failed, ${c.skipped} skipped`),
    el('p', 'muted', answer.summary),
  );
  if (answer.steps.length === 0) out.append(el('p', 'muted', 'Nothing to do.'));
  const list = el('ol', 'steps');
  for (const s of answer.steps) {
    const item = el('li', `step ${s.status}`);
    item.append(el('span', `badge ${s.status}`, s.status), ` ${s.op} ${s.target}`);
    if (s.message) item.append(el('span', 'muted', ` — ${s.message}`));
    list.append(item);
  }
  out.append(list);
  return out;
}

export class ConfigView {
  constructor({ plan, report, source, refresh, apply, msg }) {
    Object.assign(this, {
      planEl: plan,
      reportEl: report,
      sourceEl: source,
      refreshBtn: refresh,
      applyBtn: apply,
      msg,
    });
    refresh.addEventListener('click', () => this.load());
    apply.addEventListener('click', () => this.apply());
  }

  async load() {
    this.refreshBtn.disabled = true;
    this.refreshBtn.setAttribute('aria-busy', 'true');
    try {
      this.#show(await getJson('api/plan'));
    } catch (e) {
      if (e instanceof ApiError && e.body && e.body.ok === false) this.#show(e.body);
      else this.planEl.replaceChildren(el('p', 'error', e.message));
    } finally {
      this.refreshBtn.disabled = false;
      this.refreshBtn.removeAttribute('aria-busy');
    }
  }

  #show(answer) {
    this.sourceEl.textContent = answer.source ? `from ${answer.source}` : '';
    this.planEl.replaceChildren(answer.ok ? renderPlan(answer) : renderDiagnostics(answer));
    this.applyBtn.disabled = !(answer.ok && answer.plan.changes);
  }

  async apply() {
    this.applyBtn.disabled = true;
    this.applyBtn.setAttribute('aria-busy', 'true');
    this.msg.className = 'msg pending';
    this.msg.textContent = 'applying…';
    try {
      const answer = await postJson('api/apply');
      this.reportEl.replaceChildren(renderReport(answer));
      this.msg.className = answer.ok ? 'msg ok' : 'msg error';
      this.msg.textContent = answer.ok ? 'applied' : 'applied with failures';
    } catch (e) {
      this.msg.className = 'msg error';
      if (e instanceof ApiError && e.body && e.body.ok === false) {
        this.msg.textContent = 'not applied: the configuration does not load';
        this.#show(e.body);
        return;
      }
      this.msg.textContent = e.message;
    } finally {
      this.applyBtn.removeAttribute('aria-busy');
    }
    await this.load();
  }
}

// The live stream's coalescing, on a real loopback server with a scripted engine and timers run by hand:
// a burst of state changes goes out as one batch, group changes as a snapshot, and the engine subscription is
// held only while someone reads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProcessSnapshot } from '../../src/engine/engine.js';
import type { EngineEvent, EngineListener } from '../../src/engine/events.js';
import { processInfo } from '../../src/engine/process-info.js';
import type { ProcessStateName } from '../../src/model/states.js';
import { ProcessEventHub } from '../../src/web/event-hub.js';
import type { ThrottleTimers } from '../../src/web/throttle.js';
import { openSse, type SseReader } from './support/sse-client.js';

/** An engine stand-in: a table of states, and events sent by the test. */
class ScriptedEngine {
  readonly listeners = new Set<EngineListener>();
  readonly states = new Map<string, ProcessStateName>();
  readonly state = 'RUNNING' as const;
  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  snapshot(): ProcessSnapshot[] {
    return [...this.states].map(([name, state]) => ({
      spec: {} as ProcessSnapshot['spec'],
      info: processInfo({
        name,
        group: 'g',
        state,
        startWall: 0,
        stopWall: 0,
        nowWall: 0,
        spawnerr: null,
        exitstatus: null,
        pid: 0,
        stdoutLogfile: null,
        stderrLogfile: null,
      }),
    }));
  }
  change(name: string, to: ProcessStateName): void {
    const from = this.states.get(name) ?? 'STOPPED';
    this.states.set(name, to);
    this.emit({ type: 'process-state', name, group: 'g', from, to, pid: 0, tries: 0, expected: true });
  }
  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** Timers that only fire when the test says so. */
class HandTimers implements ThrottleTimers {
  nowMs = 0;
  due: { at: number; fn: () => void }[] = [];
  now = () => this.nowMs;
  set = (fn: () => void, ms: number) => {
    const t = { at: this.nowMs + ms, fn };
    this.due.push(t);
    return t;
  };
  clear = (h: unknown) => {
    this.due = this.due.filter((t) => t !== h);
  };
  advance(ms: number): void {
    this.nowMs += ms;
    const ready = this.due.filter((t) => t.at <= this.nowMs);
    this.due = this.due.filter((t) => t.at > this.nowMs);
    for (const t of ready) t.fn();
  }
}

const engine = new ScriptedEngine();
const timers = new HandTimers();
const hub = new ProcessEventHub(engine, { intervalMs: 100, timers });
let server: Server;
let port = 0;
const readers: SseReader[] = [];

before(async () => {
  for (let i = 0; i < 50; i++) engine.states.set(`p${String(i).padStart(2, '0')}`, 'RUNNING');
  server = createServer((_req, res) => hub.connect(res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  for (const r of readers) r.close();
  hub.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

async function reader(): Promise<SseReader> {
  const r = await openSse(port, '/', {});
  readers.push(r);
  await r.waitFor((e) => e.event === 'snapshot', 'the first snapshot');
  return r;
}

const updates = (r: SseReader) => r.events.filter((e) => e.event === 'update');

test(
  'a burst of state changes within one interval reaches every reader as one batch',
  { timeout: 20_000 },
  async () => {
    const a = await reader();
    const b = await reader();
    assert.equal(engine.listeners.size, 1, 'one engine subscription, shared');
    // The first change after a quiet spell goes out at once.
    engine.change('p00', 'STOPPING');
    timers.advance(0);
    await a.waitFor((e) => e.event === 'update' && e.data.includes('"p00"'), 'the lone change');
    // Then 49 changes inside the interval: held back until it ends, then sent together.
    for (let i = 1; i < 50; i++) engine.change(`p${String(i).padStart(2, '0')}`, 'STOPPED');
    engine.change('p00', 'STOPPED');
    timers.advance(50);
    assert.equal(timers.due.length, 1, 'one pending flush for the whole burst');
    timers.advance(50);
    for (const r of [a, b]) {
      const batch = await r.waitFor((e) => e.event === 'update' && e.data.includes('"p49"'), 'the batch');
      const processes = (JSON.parse(batch.data) as { processes: { name: string; statename: string }[] })
        .processes;
      assert.equal(processes.length, 50);
      assert.ok(processes.every((p) => p.statename === 'STOPPED'));
    }
    assert.equal(updates(a).length, 2);
  },
);

test(
  'a group change or a new process sends a fresh snapshot instead of an update',
  { timeout: 20_000 },
  async () => {
    const r = await reader();
    const before = r.events.filter((e) => e.event === 'snapshot').length;
    engine.states.set('p50', 'STARTING');
    engine.change('p50', 'RUNNING');
    timers.advance(1000);
    const snap = await r.waitFor(
      (e) => e.event === 'snapshot' && e.data.includes('"p50"'),
      'a snapshot naming the new process',
    );
    assert.equal((JSON.parse(snap.data) as { processes: unknown[] }).processes.length, 51);
    engine.emit({ type: 'group-removed', group: 'x' });
    timers.advance(1000);
    await r.waitFor(
      (e) => e.event === 'snapshot' && r.events.filter((x) => x.event === 'snapshot').length > before + 1,
      'snapshot',
    );
  },
);

test('the engine subscription ends when the last reader leaves', { timeout: 20_000 }, async () => {
  for (const r of readers.splice(0)) r.close();
  const deadline = Date.now() + 10_000;
  while (hub.readers > 0 || engine.listeners.size > 0) {
    if (Date.now() > deadline) throw new Error('readers were not released');
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(engine.listeners.size, 0);
});

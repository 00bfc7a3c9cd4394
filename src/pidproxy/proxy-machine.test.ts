import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  initialProxyState,
  PROXIED_SIGNALS,
  stepProxy,
  type PidfileRead,
  type ProxiedSignal,
  type ProxyConfig,
  type ProxyEffect,
  type ProxyState,
} from './proxy-machine.js';

const config: ProxyConfig = { pidfile: '/run/d.pid', command: '/usr/sbin/d', graceMs: 1000, selfPid: 50 };
const CHILD = 100;

/** A fake world: which pids run, what the pidfile says, the clock. Probes are taken from it as the shell does. */
class World {
  state: ProxyState;
  alive = new Set<number>();
  pidfile: PidfileRead = { kind: 'unusable', problem: 'it does not exist' };
  now = 0;
  private writes = 0;

  constructor(stale?: { pid: number }) {
    if (stale) this.writePidfile(stale.pid);
    this.state = initialProxyState(stale ? this.stamp() : null);
    this.alive.add(CHILD);
    this.step({ type: 'spawned', pid: CHILD });
  }
  writePidfile(pid: number): void {
    this.writes += 1;
    this.pidfile = { kind: 'pid', pid, stamp: this.stamp() };
  }
  private stamp(): string {
    return `write-${this.writes}`;
  }
  private probe() {
    const p = this.pidfile;
    const target = this.state.target;
    return {
      now: this.now,
      pidfile: p,
      pidfileAlive: p.kind === 'pid' && this.alive.has(p.pid),
      targetAlive: target !== null && this.alive.has(target),
    };
  }
  private step(event: Parameters<typeof stepProxy>[2]): readonly ProxyEffect[] {
    const result = stepProxy(config, this.state, event);
    this.state = result.state;
    return result.effects;
  }
  poll(): readonly ProxyEffect[] {
    return this.step({ type: 'poll', probe: this.probe() });
  }
  childExits(status: number): readonly ProxyEffect[] {
    this.alive.delete(CHILD);
    return this.step({ type: 'child-exited', status, probe: this.probe() });
  }
  signal(signal: ProxiedSignal): readonly ProxyEffect[] {
    return this.step({ type: 'signal', signal, probe: this.probe() });
  }
}

const kill = (pid: number, signal: ProxiedSignal): ProxyEffect => ({ type: 'kill', pid, signal });
const exit = (code: number): ProxyEffect => ({ type: 'exit', code });
const stderr = (line: string): ProxyEffect => ({ type: 'say', stream: 'stderr', line });
const cantRead: ProxyEffect = { type: 'say', stream: 'stdout', line: "Can't read child pidfile /run/d.pid!" };

test('a forking daemon: signals reach the pidfile pid, and pidproxy exits only when that process has', () => {
  const w = new World();
  assert.deepEqual(w.poll(), []);
  assert.deepEqual(w.childExits(0), [], 'the daemon may write its pidfile just after its parent returns');
  w.alive.add(200);
  w.writePidfile(200);
  assert.deepEqual(w.poll(), []);
  assert.equal(w.state.target, 200);
  assert.deepEqual(w.signal('SIGHUP'), [kill(200, 'SIGHUP')]);
  assert.deepEqual(w.signal('SIGUSR1'), [kill(200, 'SIGUSR1')]);
  assert.deepEqual(
    w.signal('SIGTERM'),
    [kill(200, 'SIGTERM')],
    'unlike supervisor, TERM does not exit at once',
  );
  assert.deepEqual(w.poll(), []);
  w.alive.delete(200);
  assert.deepEqual(w.poll(), [exit(0)]);
  assert.deepEqual(w.poll(), [], 'nothing happens after the exit');
});

test("a daemon that dies on its own ends pidproxy with the command's status", () => {
  const w = new World();
  w.alive.add(200);
  w.writePidfile(200);
  w.poll();
  w.childExits(0);
  w.alive.delete(200);
  assert.deepEqual(w.poll(), [exit(0)]);
});

test("unreadable pidfile at signal time: supervisor's line, then the command itself gets the signal", () => {
  const w = new World();
  assert.deepEqual(w.signal('SIGUSR2'), [
    cantRead,
    stderr('pidproxy: sending SIGUSR2 to /usr/sbin/d (pid 100) instead'),
    kill(CHILD, 'SIGUSR2'),
  ]);
});

test('a pidfile removed while the daemon runs: the last target still gets the signal', () => {
  const w = new World();
  w.alive.add(200);
  w.writePidfile(200);
  w.poll();
  w.pidfile = { kind: 'unusable', problem: 'it does not exist' };
  assert.deepEqual(w.signal('SIGHUP'), [
    cantRead,
    stderr('pidproxy: sending SIGHUP to pid 200 instead'),
    kill(200, 'SIGHUP'),
  ]);
});

test('a pidfile naming a dead pid or pidproxy itself is not signalled', () => {
  const w = new World();
  w.writePidfile(333);
  assert.deepEqual(w.signal('SIGHUP')[0], stderr('pidproxy: /run/d.pid names pid 333, which is not running'));
  w.alive.add(config.selfPid);
  w.writePidfile(config.selfPid);
  const effects = w.signal('SIGHUP');
  assert.deepEqual(effects[0], stderr('pidproxy: /run/d.pid names pidproxy itself'));
  assert.ok(!effects.some((e) => e.type === 'kill' && e.pid === config.selfPid));
});

test('the command fails before writing the pidfile: one line and its status', () => {
  const w = new World();
  assert.deepEqual(w.childExits(3), [
    stderr('pidproxy: /usr/sbin/d exited with status 3 and /run/d.pid names no running process'),
    exit(3),
  ]);
});

test('the command exits 0 and never writes the pidfile: pidproxy gives up after the grace period', () => {
  const w = new World();
  assert.deepEqual(w.childExits(0), []);
  w.now = 999;
  assert.deepEqual(w.poll(), []);
  w.now = 1000;
  assert.deepEqual(w.poll(), [
    stderr(
      'pidproxy: /usr/sbin/d exited with status 0 and /run/d.pid names no running process after waiting 1s',
    ),
    exit(0),
  ]);
});

test('a stop signal while waiting for the pidfile after the command exited ends the wait', () => {
  const w = new World();
  w.childExits(0);
  assert.deepEqual(w.signal('SIGTERM'), [cantRead, exit(0)]);
});

test('a leftover pidfile naming a live process is not trusted until it is rewritten', () => {
  const w = new World({ pid: 300 });
  w.alive.add(300);
  assert.deepEqual(w.poll(), []);
  assert.equal(w.state.target, null);
  assert.deepEqual(w.signal('SIGHUP'), [
    stderr('pidproxy: /run/d.pid is unchanged since /usr/sbin/d started; not trusting pid 300'),
    stderr('pidproxy: sending SIGHUP to /usr/sbin/d (pid 100) instead'),
    kill(CHILD, 'SIGHUP'),
  ]);
  w.alive.add(201);
  w.writePidfile(201);
  w.poll();
  assert.equal(w.state.target, 201);
});

test("a leftover pidfile that is never rewritten: the command's exit ends pidproxy", () => {
  const w = new World({ pid: 300 });
  w.alive.add(300);
  assert.equal(w.childExits(1).at(-1)?.type, 'exit');
});

test("a rewritten pidfile is followed: signals go to the new pid, and the old pid's exit does not end pidproxy", () => {
  const w = new World();
  w.alive.add(200);
  w.writePidfile(200);
  w.poll();
  w.childExits(0);
  w.alive.add(201);
  w.writePidfile(201);
  assert.deepEqual(w.signal('SIGUSR2'), [kill(201, 'SIGUSR2')]);
  w.alive.delete(200);
  assert.deepEqual(w.poll(), []);
  w.alive.delete(201);
  assert.deepEqual(w.poll(), [exit(0)]);
});

test('a foreground wrapper (mysqld_safe): pidproxy outlives the daemon while the wrapper runs, then takes its status', () => {
  const w = new World();
  w.alive.add(200);
  w.writePidfile(200);
  w.poll();
  assert.deepEqual(w.signal('SIGTERM'), [kill(200, 'SIGTERM')]);
  w.alive.delete(200);
  assert.deepEqual(w.poll(), []);
  assert.deepEqual(w.childExits(7), [exit(7)]);
});

test('a command that writes its own pid: its exit ends pidproxy with its status, quietly', () => {
  const w = new World();
  w.writePidfile(CHILD);
  w.poll();
  assert.equal(w.state.target, CHILD);
  assert.deepEqual(w.childExits(143), [exit(143)]);
});

test('spawn failure: one line and the status; later events change nothing', () => {
  const state = initialProxyState(null);
  const failed = stepProxy(config, state, {
    type: 'spawn-failed',
    reason: 'no such file or directory',
    status: 127,
  });
  assert.deepEqual(failed.effects, [
    stderr("pidproxy: can't run /usr/sbin/d: no such file or directory"),
    exit(127),
  ]);
  const probe = {
    now: 0,
    pidfile: { kind: 'pid', pid: 9, stamp: 'x' } as const,
    pidfileAlive: true,
    targetAlive: false,
  };
  assert.deepEqual(stepProxy(config, failed.state, { type: 'signal', signal: 'SIGTERM', probe }).effects, []);
});

test('property: one exit at most, never while the command or the target runs, never a signal to self or a leftover pid', () => {
  const action = fc.oneof(
    fc.record({ kind: fc.constant('poll' as const), advance: fc.nat(600) }),
    fc.record({ kind: fc.constant('signal' as const), signal: fc.constantFrom(...PROXIED_SIGNALS) }),
    fc.record({ kind: fc.constant('child-exit' as const), status: fc.constantFrom(0, 1, 7, 143) }),
    fc.record({ kind: fc.constant('write' as const), pid: fc.constantFrom(200, 201, CHILD, config.selfPid) }),
    fc.record({ kind: fc.constant('remove' as const) }),
    fc.record({ kind: fc.constant('start' as const), pid: fc.constantFrom(200, 201) }),
    fc.record({ kind: fc.constant('die' as const), pid: fc.constantFrom(200, 201, 300) }),
  );
  fc.assert(
    fc.property(fc.boolean(), fc.array(action, { maxLength: 40 }), (withStale, actions) => {
      const w = new World(withStale ? { pid: 300 } : undefined);
      w.alive.add(300);
      let exits = 0;
      for (const a of actions) {
        let effects: readonly ProxyEffect[] = [];
        if (a.kind === 'poll') {
          w.now += a.advance;
          effects = w.poll();
        } else if (a.kind === 'signal') effects = w.signal(a.signal);
        else if (a.kind === 'child-exit') {
          if (w.state.child.kind === 'running') effects = w.childExits(a.status);
        } else if (a.kind === 'write') w.writePidfile(a.pid);
        else if (a.kind === 'remove') w.pidfile = { kind: 'unusable', problem: 'it does not exist' };
        else if (a.kind === 'start') w.alive.add(a.pid);
        else w.alive.delete(a.pid);
        for (const e of effects) {
          if (e.type === 'kill') {
            assert.notEqual(e.pid, config.selfPid);
            assert.notEqual(e.pid, 300, 'the leftover pid is never signalled');
          }
          if (e.type === 'exit') {
            exits += 1;
            assert.equal(w.alive.has(CHILD), false);
            if (w.state.target !== null) assert.equal(w.alive.has(w.state.target), false);
            const p = w.pidfile;
            const trusted = p.kind === 'pid' && p.stamp !== w.state.staleStamp && p.pid !== config.selfPid;
            if (trusted && p.pid !== CHILD) assert.equal(w.alive.has(p.pid), false, 'the daemon still runs');
          }
        }
      }
      assert.ok(exits <= 1);
    }),
  );
});

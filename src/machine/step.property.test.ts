import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialProc, type Proc, type ProcEvent, type TimerName } from './proc.js';
import { step, type MachineSpec } from './step.js';

const spec: MachineSpec = {
  name: 'p',
  startsecs: 1,
  startretries: 2,
  autorestart: true,
  exitcodes: [0],
  stopsignal: 'TERM',
  stopwaitsecs: 2,
  stopasgroup: false,
  killasgroup: false,
};

// Commands a random driver may issue; each is turned into an event valid-ish for the current proc.
type Cmd =
  | { c: 'start' }
  | { c: 'stop' }
  | { c: 'give-up' }
  | { c: 'spawn-ok' }
  | { c: 'spawn-fail' }
  | { c: 'exit'; code: number; after: number }
  | { c: 'fire'; timer: TimerName; stale: boolean }
  | { c: 'stale-exit' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.constant<Cmd>({ c: 'start' }),
  fc.constant<Cmd>({ c: 'stop' }),
  fc.constant<Cmd>({ c: 'give-up' }),
  fc.constant<Cmd>({ c: 'spawn-ok' }),
  fc.constant<Cmd>({ c: 'spawn-fail' }),
  fc.record({
    c: fc.constant('exit' as const),
    code: fc.integer({ min: 0, max: 3 }),
    after: fc.integer({ min: 0, max: 3000 }),
  }),
  fc.record({
    c: fc.constant('fire' as const),
    timer: fc.constantFrom<TimerName>('startsecs', 'backoff', 'stopwait'),
    stale: fc.boolean(),
  }),
  fc.constant<Cmd>({ c: 'stale-exit' }),
);

const LIVE = new Set(['STARTING', 'RUNNING', 'STOPPING', 'UNKNOWN']);

test('random event sequences keep the machine invariants', () => {
  fc.assert(
    fc.property(fc.array(cmd, { maxLength: 80 }), (cmds) => {
      let p: Proc = initialProc;
      let now = 0;
      let nextPid = 100;
      const armed = new Map<TimerName, number>();
      // Quick exits since the last time the counter could legitimately reset.
      let quickExits = 0;
      for (const c of cmds) {
        let e: ProcEvent;
        switch (c.c) {
          case 'start':
          case 'stop':
          case 'give-up':
            e = { type: c.c };
            break;
          case 'spawn-ok':
            e = { type: 'spawned', incarnation: p.incarnation, pid: nextPid++ };
            break;
          case 'spawn-fail':
            e = { type: 'spawn-failed', incarnation: p.incarnation, message: 'boom' };
            break;
          case 'exit':
            now += c.after;
            e = { type: 'exited', pid: p.pid, code: c.code, signal: null };
            break;
          case 'fire': {
            const due = armed.get(c.timer);
            if (due !== undefined && !c.stale) now = Math.max(now, due);
            e = { type: 'timer', timer: c.timer, incarnation: c.stale ? p.incarnation - 1 : p.incarnation };
            break;
          }
          case 'stale-exit':
            e = { type: 'exited', pid: 99999, code: 0, signal: null };
            break;
        }
        const before = p;
        const snapshot = structuredClone(p);
        const r = step(p, e, spec, now);
        // Pure: the proc it was given is left as it was (the next one is a copy).
        assert.deepEqual(before, snapshot);
        if ('rejected' in r) {
          continue;
        }
        // A timer that fired is no longer armed, whatever the machine does next.
        if (e.type === 'timer' && e.incarnation === before.incarnation && before.armed.includes(e.timer)) {
          armed.delete(e.timer);
        }
        for (const eff of r.effects) {
          if (eff.type === 'set-timer') {
            assert.ok(!armed.has(eff.timer), `second ${eff.timer} timer armed`);
            armed.set(eff.timer, now + eff.ms);
          } else if (eff.type === 'cancel-timer') {
            assert.ok(armed.has(eff.timer), `cancel of an unarmed ${eff.timer}`);
            armed.delete(eff.timer);
          } else if (eff.type === 'notify') {
            if (eff.from === 'STARTING' && eff.to === 'BACKOFF') quickExits++;
            if (eff.to === 'RUNNING') quickExits = 0;
            if (eff.to === 'FATAL' && before.state !== 'BACKOFF' && c.c !== 'give-up') {
              // FATAL from retries: exactly startretries + 1 failed starts in a row.
              assert.equal(quickExits, spec.startretries + 1);
            }
            if (eff.to === 'FATAL') quickExits = 0;
          }
        }
        p = r.next;
        // A live pid only in STARTING, RUNNING or STOPPING (UNKNOWN keeps a pid it could not signal).
        if (p.pid !== 0) assert.ok(LIVE.has(p.state), `pid ${p.pid} in ${p.state}`);
        if (p.state === 'RUNNING' || p.state === 'STOPPING') assert.notEqual(p.pid, 0);
        assert.deepEqual([...armed.keys()].sort(), [...p.armed].sort());
        assert.ok(new Set(p.armed).size === p.armed.length);
        if (p.state === 'FATAL') assert.equal(p.armed.length, 0);
        if (c.c === 'fire' && c.stale) assert.equal(r.effects.length, 0);
      }
    }),
    { numRuns: 2000 },
  );
});

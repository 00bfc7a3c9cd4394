// Every supervisor.* and system.* method called with Python's xmlrpc.client and supervisor's own transport,
// against Debian's supervisord and against svd's daemon on the same config: the answers' shapes (field names
// and types), faults (codes and strings) and HTTP errors must be the same (spec §4, §10.1 items 20-24).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run, sideBySide, type ControlDaemon } from '../support/control-daemon.js';
import { programs, running, sleeperReady } from '../support/ctl-compare.js';
import { supervisorMissing, supervisorPython } from '../support/oracle.js';
import { repoRoot } from '../support/paths.js';

const daemons = sideBySide(
  { body: programs() },
  {
    skip: supervisorMissing,
    ready: async (d) => {
      await running(d, 3);
      await sleeperReady(d);
    },
  },
);

interface Entry {
  readonly call: string;
  readonly shape?: unknown;
  readonly value?: unknown;
  readonly fault?: [number, string];
  readonly http?: number;
}

/** An entry without svd.* names in listMethods and methodSignature. */
function withoutSvd(e: Entry): Entry {
  const own = (name: string) => !name.startsWith('svd.');
  if (e.call === 'listMethods') return { ...e, value: (e.value as string[]).filter(own) };
  const keep = (v: unknown) => Object.fromEntries(Object.entries(v as object).filter(([n]) => own(n)));
  if (e.call === 'methodSignature') return { ...e, shape: keep(e.shape), value: keep(e.value) };
  return e;
}

/**
 * Where svd answers differently on purpose (README, "where svd differs"): a wrong-typed argument is an
 * INCORRECT_PARAMETERS fault, where supervisor answers HTTP 500 and logs a traceback.
 */
const DELIBERATE: Readonly<Record<string, Entry>> = {
  'getProcessInfo int': {
    call: 'getProcessInfo int',
    fault: [
      2,
      "INCORRECT_PARAMETERS: supervisor.getProcessInfo: argument 'name' must be a string, got int 5",
    ],
  },
};

async function probe(d: ControlDaemon): Promise<Entry[]> {
  const r = await run(supervisorPython, [join(repoRoot, 'test', 'compat', 'api-probe.py'), d.socket, d.dir]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Entry[];
}

test(
  'every method answers with supervisor 4.2.5 shapes, faults and HTTP errors',
  { skip: supervisorMissing, timeout: 120_000 },
  async () => {
    // One after the other, so that neither probe's load shifts the other daemon's timing.
    const [real, svd] = daemons();
    const expected = (await probe(real)).map((e) => DELIBERATE[e.call] ?? e);
    const raw = await probe(svd);
    // svd adds its own namespace, listed as supervisor lists any rpcinterface's; the rest must be equal.
    const names = raw.find((e) => e.call === 'listMethods')?.value as string[];
    assert.ok(names.includes('svd.apply'));
    const actual = raw.map(withoutSvd);
    assert.equal(actual.length, expected.length);
    expected.forEach((want, i) => assert.deepEqual(actual[i], want, want.call));
    // Spot checks that the comparison is about something.
    const byCall = new Map(actual.map((e) => [e.call, e]));
    assert.deepEqual(byCall.get('readLog bad offset')?.fault, [3, 'BAD_ARGUMENTS']);
    assert.deepEqual(byCall.get('getProcessInfo member without group')?.fault, [10, 'BAD_NAME: ga']);
    assert.equal(byCall.get('getProcessInfo int')?.fault?.[0], 2);
    assert.deepEqual(byCall.get('clearProcessLogs log made a folder')?.fault, [30, 'FAILED: sleeper']);
    assert.equal((byCall.get('listMethods')?.value as string[]).length, 41);
  },
);

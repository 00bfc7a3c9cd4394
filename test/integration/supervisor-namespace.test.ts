// The supervisor.* namespace over an engine with a fake spawner and a manual clock, through the dispatcher
// (what /RPC2 calls): names, signatures, faults, SHUTDOWN_STATE, logs, reloadConfig and groups.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import type { EffectiveConfig, GroupSpec } from '../../src/model/config.js';
import { createDispatcher } from '../../src/rpc/dispatcher.js';
import { LoadedConfig, type RereadOutcome } from '../../src/rpc/supervisor-loaded-config.js';
import { createSupervisorNamespace } from '../../src/rpc/supervisor-namespace.js';
import type { XmlRpcValue } from '../../src/rpc/xmlrpc-value.js';
import { FakeSpawner } from '../support/fake-spawner.js';
import { ManualClock } from '../support/manual-clock.js';
import { programGroup } from '../support/specs.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-ns-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The 41 names of supervisor 4.2.5's system.listMethods with their signatures (spec §4.5, checked on 4.2.5). */
const SIGNATURES: Record<string, string[]> = {
  'supervisor.addProcessGroup': ['boolean', 'string'],
  'supervisor.clearAllProcessLogs': ['array'],
  'supervisor.clearLog': ['boolean'],
  'supervisor.clearProcessLog': ['boolean', 'string'],
  'supervisor.clearProcessLogs': ['boolean', 'string'],
  'supervisor.getAPIVersion': ['string'],
  'supervisor.getAllConfigInfo': ['array'],
  'supervisor.getAllProcessInfo': ['array'],
  'supervisor.getIdentification': ['string'],
  'supervisor.getPID': ['int'],
  'supervisor.getProcessInfo': ['struct', 'string'],
  'supervisor.getState': ['struct'],
  'supervisor.getSupervisorVersion': ['string'],
  'supervisor.getVersion': ['string'],
  'supervisor.readLog': ['string', 'int', 'int'],
  'supervisor.readMainLog': ['string', 'int', 'int'],
  'supervisor.readProcessLog': ['string', 'string', 'int', 'int'],
  'supervisor.readProcessStderrLog': ['string', 'string', 'int', 'int'],
  'supervisor.readProcessStdoutLog': ['string', 'string', 'int', 'int'],
  'supervisor.reloadConfig': ['array'],
  'supervisor.removeProcessGroup': ['boolean', 'string'],
  'supervisor.restart': ['boolean'],
  'supervisor.sendProcessStdin': ['boolean', 'string', 'string'],
  'supervisor.sendRemoteCommEvent': ['boolean', 'string', 'string'],
  'supervisor.shutdown': ['boolean'],
  'supervisor.signalAllProcesses': ['array', 'string'],
  'supervisor.signalProcess': ['boolean', 'string', 'string'],
  'supervisor.signalProcessGroup': ['array', 'string', 'string'],
  'supervisor.startAllProcesses': ['array', 'boolean'],
  'supervisor.startProcess': ['boolean', 'string', 'boolean'],
  'supervisor.startProcessGroup': ['array', 'string', 'boolean'],
  'supervisor.stopAllProcesses': ['array', 'boolean'],
  'supervisor.stopProcess': ['boolean', 'string', 'boolean'],
  'supervisor.stopProcessGroup': ['array', 'string', 'boolean'],
  'supervisor.tailProcessLog': ['array', 'string', 'int', 'int'],
  'supervisor.tailProcessStderrLog': ['array', 'string', 'int', 'int'],
  'supervisor.tailProcessStdoutLog': ['array', 'string', 'int', 'int'],
  'system.listMethods': ['array'],
  'system.methodHelp': ['string', 'string'],
  'system.methodSignature': ['array', 'string'],
  'system.multicall': ['array', 'array'],
};

function config(groups: GroupSpec[], identifier = 'svd-test'): EffectiveConfig {
  return { supervisord: { identifier }, groups } as unknown as EffectiveConfig;
}

function setup(groups: GroupSpec[]) {
  const clock = new ManualClock();
  const spawner = new FakeSpawner();
  const engine = new Engine({ clock, spawner });
  for (const g of groups) engine.addGroup(g);
  engine.run();
  const mainLog = join(dir, `main-${Math.random().toString(36).slice(2)}.log`);
  let current = config(groups);
  let next: RereadOutcome = { ok: true, config: current };
  const remote: [string, string][] = [];
  const dispatcher = createDispatcher();
  dispatcher.register(
    'supervisor',
    createSupervisorNamespace({
      engine,
      mainLog: {
        logfile: () => mainLog,
        path: () => mainLog,
        clear: () => ({ ok: false, fault: 'NO_FILE' }),
      },
      config: new LoadedConfig({ current: () => current, reread: () => next }),
      pid: 4242,
      uidOf: () => null,
      sendRemoteCommEvent: (type, data) => remote.push([type, data]),
    }),
  );
  const call = async (method: string, ...params: XmlRpcValue[]) => dispatcher.dispatch(method, params);
  const value = async (method: string, ...params: XmlRpcValue[]) => {
    const outcome = await call(method, ...params);
    assert.ok(outcome.ok, `${method} faulted: ${outcome.ok ? '' : outcome.fault.faultString}`);
    return outcome.value;
  };
  const fault = async (method: string, ...params: XmlRpcValue[]) => {
    const outcome = await call(method, ...params);
    assert.ok(!outcome.ok, `${method} did not fault`);
    return outcome.fault.faultString;
  };
  return {
    clock,
    spawner,
    engine,
    mainLog,
    remote,
    dispatcher,
    value,
    fault,
    setNext: (o: RereadOutcome) => (next = o),
    setCurrent: (c: EffectiveConfig) => (current = c),
  };
}

test('41 method names with supervisor 4.2.5 signatures, each with help text', async () => {
  const t = setup([]);
  assert.deepEqual(await t.value('system.listMethods'), Object.keys(SIGNATURES).sort());
  for (const [name, signature] of Object.entries(SIGNATURES)) {
    assert.deepEqual(await t.value('system.methodSignature', name), signature, name);
    assert.ok(String(await t.value('system.methodHelp', name)).length > 20, name);
  }
});

test('versions, identification, state and pid', async () => {
  const t = setup([]);
  assert.equal(await t.value('supervisor.getAPIVersion'), '3.0');
  assert.equal(await t.value('supervisor.getVersion'), '3.0');
  assert.equal(await t.value('supervisor.getSupervisorVersion'), '4.2.5');
  assert.equal(await t.value('supervisor.getIdentification'), 'svd-test');
  assert.deepEqual(await t.value('supervisor.getState'), { statecode: 1, statename: 'RUNNING' });
  assert.equal(await t.value('supervisor.getPID'), 4242);
});

test('while shutting down every method faults SHUTDOWN_STATE except sendRemoteCommEvent', async () => {
  const t = setup([programGroup({ name: 'web' })]);
  assert.equal(await t.value('supervisor.shutdown'), true);
  for (const name of Object.keys(SIGNATURES).filter((n) => n.startsWith('supervisor.'))) {
    if (name === 'supervisor.sendRemoteCommEvent') continue;
    const arity = (SIGNATURES[name] as string[]).length - 1;
    assert.equal(await t.fault(name, ...Array<XmlRpcValue>(arity).fill('web')), 'SHUTDOWN_STATE', name);
  }
  assert.equal(await t.value('supervisor.sendRemoteCommEvent', 'type', 'data'), true);
  assert.deepEqual(t.remote, [['type', 'data']]);
});

test('argument counts, types and stdin chars', async () => {
  const t = setup([programGroup({ name: 'web', startsecs: 0 })]);
  assert.equal(await t.fault('supervisor.getProcessInfo'), 'INCORRECT_PARAMETERS');
  assert.equal(await t.fault('supervisor.startProcess', 'web', true, 1), 'INCORRECT_PARAMETERS');
  assert.equal(
    await t.fault('supervisor.getProcessInfo', 5),
    "INCORRECT_PARAMETERS: supervisor.getProcessInfo: argument 'name' must be a string, got int 5",
  );
  assert.equal(await t.fault('supervisor.sendProcessStdin', 'web', 5), 'INCORRECT_PARAMETERS: 5');
  assert.equal(await t.value('supervisor.sendProcessStdin', 'web', 'héllo\n'), true);
  assert.equal(
    t.spawner
      .last('web')
      .stdin.map((b) => b.toString())
      .join(''),
    'héllo\n',
  );
  assert.equal(await t.value('supervisor.signalProcess', 'web', 18), true);
  assert.equal(await t.fault('supervisor.signalProcess', 'web', 'FOO'), 'BAD_SIGNAL: FOO');
});

test('startProcess with wait stays open until startsecs pass; without wait it returns at once', async () => {
  const t = setup([programGroup({ name: 'web', autostart: false, startsecs: 2 })]);
  let done = false;
  const pending = t.value('supervisor.startProcess', 'web').then((v) => {
    done = true;
    return v;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false);
  t.clock.advance(2001);
  assert.equal(await pending, true);
  assert.deepEqual(await t.value('supervisor.stopProcessGroup', 'web', false), [
    { name: 'web', group: 'web', status: 80, description: 'OK' },
  ]);
});

test('readLog reads the main log; bad windows fault; process logs without a file fault NO_FILE', async () => {
  const t = setup([programGroup({ name: 'web' })]);
  assert.equal(await t.fault('supervisor.readLog', 0, 0), `NO_FILE: ${t.mainLog}`);
  writeFileSync(t.mainLog, 'hello world\n');
  assert.equal(await t.value('supervisor.readLog', 0, 5), 'hello');
  assert.equal(await t.value('supervisor.readMainLog', -6, 0), 'world\n');
  assert.equal(await t.value('supervisor.readLog', '6', '5'), 'world');
  assert.equal(await t.fault('supervisor.readLog', -100, 5), 'BAD_ARGUMENTS');
  assert.equal(await t.fault('supervisor.readLog', 0, -5), 'BAD_ARGUMENTS');
  assert.equal(await t.fault('supervisor.clearLog'), 'NO_FILE');
  assert.equal(await t.fault('supervisor.readProcessStdoutLog', 'web', 0, 10), 'NO_FILE');
  assert.equal(await t.fault('supervisor.readProcessLog', 'nosuch', 0, 10), 'BAD_NAME: nosuch');
  assert.deepEqual(await t.value('supervisor.tailProcessStdoutLog', 'web', 0, 10), ['', 0, false]);
});

test('reloadConfig reports by group; add, remove and getAllConfigInfo follow the last loaded config', async () => {
  const web = programGroup({ name: 'web', autostart: false });
  const old = programGroup({ name: 'old', autostart: false });
  const t = setup([web, old]);
  const fresh = programGroup({ name: 'fresh', autostart: false });
  const changedWeb = programGroup({ name: 'web', autostart: false, command: '/bin/other' });
  t.setNext({ ok: true, config: config([changedWeb, fresh], 'renamed') });

  assert.equal(await t.fault('supervisor.addProcessGroup', 'fresh'), 'BAD_NAME: fresh');
  assert.deepEqual(await t.value('supervisor.reloadConfig'), [[['fresh'], ['web'], ['old']]]);
  assert.equal(await t.value('supervisor.getIdentification'), 'renamed');
  const infos = (await t.value('supervisor.getAllConfigInfo')) as { name: string; inuse: boolean }[];
  assert.deepEqual(
    infos.map((i) => [i.name, i.inuse]),
    [
      ['fresh', false],
      ['web', true],
    ],
  );
  assert.equal(await t.value('supervisor.addProcessGroup', 'fresh'), true);
  assert.equal(await t.fault('supervisor.addProcessGroup', 'fresh'), 'ALREADY_ADDED: fresh');
  assert.equal(await t.value('supervisor.removeProcessGroup', 'old'), true);
  assert.equal(await t.fault('supervisor.removeProcessGroup', 'old'), 'BAD_NAME: old');
  assert.deepEqual(await t.value('supervisor.reloadConfig'), [[[], ['web'], []]]);

  await t.value('supervisor.startProcess', 'web', false);
  assert.equal(await t.fault('supervisor.removeProcessGroup', 'web'), 'STILL_RUNNING: web');

  t.setNext({ ok: false, message: '/etc/x.conf:3:1: error: [program:bad] requires command' });
  assert.equal(
    await t.fault('supervisor.reloadConfig'),
    'CANT_REREAD: /etc/x.conf:3:1: error: [program:bad] requires command',
  );
});

test('a full reload drops a re-read config: the daemon’s own config is the last loaded again', async () => {
  const t = setup([programGroup({ name: 'web' })]);
  t.setNext({ ok: true, config: config([], 'reread') });
  await t.value('supervisor.reloadConfig');
  assert.equal(await t.value('supervisor.getIdentification'), 'reread');
  t.setCurrent(config([programGroup({ name: 'web' })], 'reloaded'));
  assert.equal(await t.value('supervisor.getIdentification'), 'reloaded');
});

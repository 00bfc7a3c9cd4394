// Drives one daemon through a third-party npm client of supervisor's XML-RPC API (`supervisord` or
// `node-supervisord`, loaded from the directory the test installed them in) and prints one JSON line per call:
// the label and the decoded value with its JavaScript type, the fault, or the transport error. Every method the
// client exposes is called, through the client's own method.
// Usage: node npm-clients-probe.cjs CLIENTS_DIR CLIENT URL USER PASSWORD DAEMON_DIR MODE
//   CLIENT: supervisord | node-supervisord; URL: unix:///path or http://127.0.0.1:PORT; USER/PASSWORD: '' for none.
//   MODE: api (every method, ending with restart), last (every method, ending with shutdown), anonymous (one
//   call without credentials), events (the calls that make events for a listener).
'use strict';
const { join } = require('node:path');
const { mkdirSync, rmSync, writeFileSync } = require('node:fs');

const [clientsDir, clientName, url, user, password, daemonDir, mode] = process.argv.slice(2);
const load = (name) => require(join(clientsDir, 'node_modules', name));

/** The client under test as `call(method, ...params) -> Promise`, through the package's own methods. */
function makeClient(withAuth) {
  if (clientName === 'supervisord') {
    // This package reads credentials from the URL only.
    const u = withAuth && user ? url.replace('http://', `http://${user}:${password}@`) : url;
    const c = load('supervisord').connect(u);
    return (method, ...params) =>
      new Promise((resolve, reject) =>
        c[method](...params, (err, value) => (err ? reject(err) : resolve(value))),
      );
  }
  const { SupervisordClient } = load('node-supervisord');
  const c =
    withAuth && user ? new SupervisordClient(url, { username: user, password }) : new SupervisordClient(url);
  return (method, ...params) => c[method](...params);
}

function typed(v) {
  if (v === null || v === undefined) return ['nil'];
  if (typeof v === 'boolean') return ['bool', v];
  if (typeof v === 'number') return [Number.isInteger(v) ? 'int' : 'double', v];
  if (typeof v === 'string') return ['str', v];
  if (v instanceof Date) return ['date', v.toISOString()];
  if (Buffer.isBuffer(v)) return ['base64', v.toString('base64')];
  if (Array.isArray(v)) return ['array', v.map(typed)];
  return [
    'struct',
    Object.keys(v)
      .sort()
      .map((k) => [k, typed(v[k])]),
  ];
}

/** A fault as its code and string; an HTTP refusal as its status; anything else as its error code or message. */
function failure(err) {
  if (err && err.faultCode !== undefined) return ['fault', err.faultCode, err.faultString];
  if (err && err.res && err.res.statusCode !== 200) return ['http', err.res.statusCode];
  return ['error', (err && err.code) || String(err && err.message)];
}

const call = makeClient(true);

async function answer(method, ...params) {
  try {
    return typed(await call(method, ...params));
  } catch (err) {
    return failure(err);
  }
}

function print(label, value) {
  process.stdout.write(JSON.stringify([label, value]) + '\n');
}

async function probe(method, ...params) {
  print(`${method}(${params.map((p) => JSON.stringify(p)).join(',')})`, await answer(method, ...params));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` holds (20 s at most), ignoring errors: the daemon may be restarting. */
async function until(what, check) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not serving yet.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * cat and talker RUNNING, nothing in a transitional state, and the lines of talker's current run in its logs:
 * RUNNING (startsecs=0) comes before the output, and an earlier run's lines must not count.
 */
async function settled() {
  await until('the autostart programs', async () => {
    const all = await call('getAllProcessInfo');
    const running = (n) => all.some((p) => p.name === n && p.statename === 'RUNNING');
    const moving = all.some((p) => ['STARTING', 'STOPPING', 'BACKOFF'].includes(p.statename));
    return running('cat') && running('talker') && !moving;
  });
  const { pid } = await call('getProcessInfo', 'talker');
  // talker writes its pid in seven digits, zero-padded (npm-clients.test.ts).
  const digits = String(pid).padStart(7, '0');
  await until('talker output', async () => {
    const out = await call('tailProcessStdoutLog', 'talker', 0, 100);
    const err = await call('tailProcessStderrLog', 'talker', 0, 100);
    return out[0].includes(`out-line pid ${digits}\n`) && err[0].includes(`err-line pid ${digits}\n`);
  });
}

const lateIni = join(daemonDir, 'extra', 'late.ini');
const lateSection = '[program:late]\ncommand=sleep 1000\nautostart=false\nstartsecs=0\nstopwaitsecs=2\n';

async function anonymous() {
  try {
    print('no credentials', typed(await makeClient(false)('getState')));
  } catch (err) {
    print('no credentials', failure(err));
  }
}

/** Events for the listener, one cause at a time: a state change, output, captured output, remote, groups. */
async function events() {
  await probe('startProcess', 'chatty');
  // The captured chunk comes first, so the log line is there only after the captured event went out.
  await until('chatty output', async () =>
    (await call('tailProcessStdoutLog', 'chatty', 0, 100))[0].includes('hello'),
  );
  await probe('sendRemoteCommEvent', 'probe-type', 'data with café and spaces');
  await probe('stopProcess', 'chatty');
  mkdirSync(join(daemonDir, 'extra'), { recursive: true });
  writeFileSync(lateIni, lateSection);
  await probe('reloadConfig');
  await probe('addProcessGroup', 'late');
  await probe('removeProcessGroup', 'late');
  await probe('sendRemoteCommEvent', 'probe-type', 'last');
}

async function main() {
  rmSync(lateIni, { force: true });
  if (mode === 'anonymous') return anonymous();
  if (mode === 'events') return events();
  if (user) await anonymous();
  await settled();

  // The daemon and its API.
  await probe('getAPIVersion');
  await probe('getVersion');
  await probe('getSupervisorVersion');
  await probe('getIdentification');
  await probe('getState');
  await probe('getPID');
  await probe('getAllProcessInfo');
  await probe('getProcessInfo', 'talker');
  await probe('getProcessInfo', 'grp:g1');
  await probe('getProcessInfo', 'nope');
  await probe('getAllConfigInfo');
  await probe('listMethods');
  await probe('methodHelp', 'supervisor.getState');
  await probe('methodHelp', 'supervisor.nope');
  await probe('methodSignature', 'supervisor.startProcess');
  await probe('methodSignature', 'supervisor.nope');

  // One process.
  await probe('startProcess', 'idle');
  await probe('startProcess', 'idle');
  await probe('getProcessInfo', 'idle');
  await probe('signalProcess', 'idle', 'CONT');
  await probe('signalProcess', 'idle', 'NOSUCH');
  await probe('stopProcess', 'idle');
  await probe('stopProcess', 'idle');
  await probe('signalProcess', 'idle', 'HUP');
  await probe('startProcess', 'idle', false);
  await until('idle RUNNING', async () => (await call('getProcessInfo', 'idle')).statename === 'RUNNING');
  await probe('stopProcess', 'idle', true);
  await probe('startProcess', 'missing-command');
  await probe('startProcess', 'quick');
  await probe('startProcess', 'nope');
  await probe('startProcess', 'grp:nope');
  await probe('stopProcess', 'nope');

  // Groups, numprocs, all.
  await probe('startProcessGroup', 'grp');
  await probe('signalProcessGroup', 'grp', 'CONT');
  await probe('stopProcessGroup', 'grp');
  await probe('startProcessGroup', 'nope');
  await probe('startProcess', 'multi:*');
  await probe('getProcessInfo', 'multi:multi_1');
  await probe('stopProcess', 'multi:*');
  await probe('signalProcessGroup', 'multi', 'USR1');
  await probe('stopAllProcesses');
  await probe('getAllProcessInfo');
  await probe('startAllProcesses');
  await settled();

  // Logs.
  await probe('readProcessStdoutLog', 'talker', 0, 0);
  await probe('readProcessStderrLog', 'talker', 0, 0);
  await probe('readProcessLog', 'talker', 0, 0);
  await probe('readProcessStdoutLog', 'talker', -4, 0);
  await probe('readProcessStdoutLog', 'talker', 100, 0);
  await probe('readProcessStdoutLog', 'nope', 0, 0);
  await probe('tailProcessStdoutLog', 'talker', 0, 5);
  await probe('tailProcessStderrLog', 'talker', 0, 100);
  await probe('tailProcessLog', 'talker', 0, 100);
  await probe('tailProcessStdoutLog', 'nope', 0, 100);
  await probe('sendProcessStdin', 'cat', 'stdin line café\n');
  await until('cat echoed', async () =>
    (await call('tailProcessStdoutLog', 'cat', 0, 100))[0].includes('café'),
  );
  await probe('tailProcessStdoutLog', 'cat', 0, 100);
  await probe('sendProcessStdin', 'missing-command', 'x');
  await probe('sendProcessStdin', 'nope', 'x');
  await probe('sendRemoteCommEvent', 'probe-type', 'probe data');
  await probe('clearProcessLog', 'cat');
  await probe('readProcessStdoutLog', 'cat', 0, 0);
  await probe('clearProcessLogs', 'talker');
  await probe('readProcessStderrLog', 'talker', 0, 0);
  await probe('clearProcessLogs', 'nope');
  await probe('clearAllProcessLogs');
  await probe('readLog', 0, 0);
  await probe('clearLog');
  await probe('readMainLog', 0, 0);

  // Several calls in one.
  await probe('multicall', [
    { methodName: 'supervisor.getState', params: [] },
    { methodName: 'supervisor.getProcessInfo', params: ['nope'] },
    { methodName: 'supervisor.stopProcess', params: ['idle'] },
    { methodName: 'nope.nope', params: [] },
  ]);

  // Reload: a group added to the config, added, removed.
  mkdirSync(join(daemonDir, 'extra'), { recursive: true });
  writeFileSync(lateIni, lateSection);
  await probe('reloadConfig');
  await probe('addProcessGroup', 'late');
  await probe('addProcessGroup', 'late');
  await probe('addProcessGroup', 'nope');
  await probe('startProcess', 'late');
  await probe('removeProcessGroup', 'late');
  await probe('stopProcessGroup', 'late');
  await probe('removeProcessGroup', 'late');
  await probe('removeProcessGroup', 'late');
  rmSync(lateIni);
  await probe('reloadConfig');

  // Errors of the protocol itself.
  await probe('getProcessInfo');

  if (mode === 'last') {
    await probe('shutdown');
    await until('the daemon gone', async () => {
      try {
        await call('getState');
        return false;
      } catch (err) {
        return err.faultCode === undefined;
      }
    });
    await sleep(200);
    await probe('getState');
  } else {
    await probe('restart');
    await settled();
    await probe('getState');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  },
);

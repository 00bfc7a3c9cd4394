// Third-party Node.js clients from npm, pinned in test/compat/npm-clients/, against Debian's supervisord and svd
// on the same config: `supervisord` (unix socket and http, credentials in the URL), `node-supervisord` (http,
// with and without Basic auth) call every method they expose, and a listener written with
// `supervisord-eventlistener` receives the events those calls cause. Decoded values with their JavaScript
// types, faults, refusals and events must be the same. `.ci/run` installs the packages outside the project
// (SVD_NPM_CLIENTS, else /tmp/svd-npm-clients); without them the test is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/cleanup.js';
import { daemonsPerFile, mask, run, type ControlDaemon } from '../support/control-daemon.js';
import { supervisorMissing } from '../support/oracle.js';
import { repoRoot } from '../support/paths.js';

const manifestDir = join(repoRoot, 'test', 'compat', 'npm-clients');
const clientsDir = process.env['SVD_NPM_CLIENTS'] ?? join(tmpdir(), 'svd-npm-clients');

/** A skip reason unless every pinned package is installed in `clientsDir` at its pinned version. */
function clientsMissing(): string | false {
  const manifest = JSON.parse(readFileSync(join(manifestDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const install = `cp test/compat/npm-clients/package*.json ${clientsDir}/ && npm ci --prefix ${clientsDir}`;
  for (const [name, version] of Object.entries(manifest.dependencies)) {
    const file = join(clientsDir, 'node_modules', name, 'package.json');
    if (!existsSync(file)) return `the npm package ${name} is not installed in ${clientsDir} (${install})`;
    const installed = (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    if (installed !== version)
      return `${name} ${installed} in ${clientsDir} is not the pinned ${version} (${install})`;
  }
  return false;
}

const skip = supervisorMissing || clientsMissing();
const credentials = { username: 'user', password: 's3cret' };
const PROBE = join(repoRoot, 'test', 'compat', 'npm-clients-probe.cjs');
const LISTENER = join(repoRoot, 'test', 'compat', 'npm-eventlistener-probe.cjs');

// Programs for every method: stdin, stdout and stderr lines, a stopped one, a missing command, an early exit,
// a group, numprocs; extra/*.ini is where the probe adds a group for reloadConfig and addProcessGroup.
const body = [
  '[program:cat]',
  'command=cat',
  'startsecs=0',
  '[program:talker]',
  // Each run's lines carry its pid, so the probe can wait for the current run's output (masked in comparison).
  // Zero-padded to seven digits: pids climb past 1000 and 10000 and wrap at pid_max (32768 here) within a run,
  // and a pid one digit longer on one daemon would change the log's size (the offset a tail answers) and its
  // last bytes.
  `command=/bin/sh -c "printf 'out-line pid %%07d\\n' $$; printf 'err-line pid %%07d\\n' $$ >&2; exec sleep 1000"`,
  'startsecs=0',
  'stopwaitsecs=2',
  '[program:idle]',
  'command=sleep 1000',
  'autostart=false',
  'startsecs=0',
  'stopwaitsecs=2',
  '[program:missing-command]',
  'command=/nonexistent/command',
  'autostart=false',
  '[program:quick]',
  `command=/bin/sh -c "exit 3"`,
  'autostart=false',
  'startsecs=1',
  'startretries=0',
  '[program:multi]',
  'command=sleep 1000',
  'process_name=%(program_name)s_%(process_num)d',
  'numprocs=2',
  'autostart=false',
  'startsecs=0',
  'stopwaitsecs=2',
  ...['g1', 'g2'].flatMap((g) => [
    `[program:${g}]`,
    'command=sleep 1000',
    'autostart=false',
    'startsecs=0',
    'stopwaitsecs=2',
  ]),
  '[group:grp]',
  'programs=g1,g2',
  '[include]',
  'files=extra/*.ini',
].join('\n');

// A listener on every event type the probe's calls cause; chatty's captured block, then a line longer than a
// capture token (supervisord holds back a shorter one until more output comes: README, where svd differs).
const eventsBody = [
  '[eventlistener:lis]',
  `command=${process.execPath} ${LISTENER} ${clientsDir} %(here)s/events.jsonl`,
  'events=PROCESS_STATE,REMOTE_COMMUNICATION,PROCESS_LOG,PROCESS_COMMUNICATION,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE',
  'buffer_size=100',
  '[program:chatty]',
  `command=/bin/sh -c "printf '<!--XSUPERVISOR:BEGIN-->captured café<!--XSUPERVISOR:END-->'; echo 'hello café, a line longer than a token'; exec sleep 1000"`,
  'autostart=false',
  'startsecs=0',
  'stopwaitsecs=2',
  'stdout_events_enabled=true',
  'stdout_capture_maxbytes=1MB',
  '[include]',
  'files=extra/*.ini',
].join('\n');

/** Three pairs of supervisord and svd, all started together: without credentials, with them, with a listener. */
const daemons = daemonsPerFile(
  [
    ['supervisord', { body, inet: true }],
    ['svd', { body, inet: true }],
    ['supervisord', { body, inet: true, credentials }],
    ['svd', { body, inet: true, credentials }],
    ['supervisord', { body: eventsBody }],
    ['svd', { body: eventsBody }],
  ],
  { skip },
);
const plain = (): [ControlDaemon, ControlDaemon] => {
  const [real, svd] = daemons();
  return [real, svd];
};
const authed = (): [ControlDaemon, ControlDaemon] => {
  const [, , real, svd] = daemons();
  return [real, svd];
};

type Typed = [string, ...unknown[]];
type Line = [string, Typed];

const TIME_FIELDS = new Set(['pid', 'now', 'start', 'stop']);
// Which process a stop finishes first is a race in supervisord (its reap after each kill), and so is whether
// start all notices quick's failure (startsecs=1) in an earlier poll than talker's RUNNING (startsecs=0): seen
// once in CI. These are compared as sets; checkFullRun checks svd's own order.
const RACY_ORDER = /^(stopProcessGroup|stopAllProcesses|stopProcess\("multi:\*"\)|startAllProcesses)/;

/** A typed value with times, pids, the daemon's dir and AUTO log names masked, recursively. */
function normalizeValue(v: Typed, dir: string): Typed {
  const [type, ...rest] = v;
  if (type === 'str') return ['str', mask(String(rest[0]), dir)];
  if (type === 'array') return ['array', (rest[0] as Typed[]).map((x) => normalizeValue(x, dir))];
  if (type === 'struct') {
    const entries = rest[0] as [string, Typed][];
    return [
      'struct',
      entries.map(([k, x]): [string, Typed] =>
        TIME_FIELDS.has(k) && x[0] === 'int' && x[1] !== 0
          ? [k, ['int', '<N>']]
          : [k, normalizeValue(x, dir)],
      ),
    ];
  }
  return v;
}

/** One probe line made comparable; what differs on purpose is reduced to its type (README, where svd differs). */
function normalizeLine([label, value]: Line, dir: string): string {
  let v = normalizeValue(value, dir);
  if (label === 'getPID()') v = ['int', '<N>'];
  // The daemons' own log lines, with their timing.
  if (/^(readLog|readMainLog)\(/.test(label) && v[0] === 'str') v = ['str', '<LOG>'];
  // svd's own docstrings; svd.* beside supervisor's methods.
  if (label === 'methodHelp("supervisor.getState")' && v[0] === 'str') v = ['str', '<HELP>'];
  if (label === 'listMethods()' && v[0] === 'array')
    v = ['array', (v[1] as Typed[]).filter((m) => !String(m[1]).startsWith('svd.'))];
  return JSON.stringify([label, v]);
}

/** A normalized line whose result order is a race in supervisord, with its results sorted. */
function orderFree(line: string): string {
  const [label, v] = JSON.parse(line) as Line;
  if (!RACY_ORDER.test(label) || v[0] !== 'array') return line;
  return JSON.stringify([label, ['array', (v[1] as Typed[]).map((x) => JSON.stringify(x)).sort()]]);
}

async function probe(
  d: ControlDaemon,
  client: string,
  url: string,
  auth: boolean,
  mode: string,
): Promise<string[]> {
  const [user, password] = auth ? [credentials.username, credentials.password] : ['', ''];
  const r = await run(process.execPath, [PROBE, clientsDir, client, url, user, password, d.dir, mode]);
  assert.equal(r.code, 0, `${d.kind}: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => normalizeLine(JSON.parse(l) as Line, d.dir));
}

const unixUrl = (d: ControlDaemon): string => `unix://${d.socket}`;
const httpUrl = (d: ControlDaemon): string => `http://127.0.0.1:${d.port}`;

/** The same probe against both daemons, one after the other; returns svd's lines after checking them equal. */
async function compare(
  [real, svd]: [ControlDaemon, ControlDaemon],
  client: string,
  url: (d: ControlDaemon) => string,
  auth: boolean,
  mode: string,
): Promise<string[]> {
  const expected = await probe(real, client, url(real), auth, mode);
  const actual = await probe(svd, client, url(svd), auth, mode);
  const [ours, theirs] = [actual.map(orderFree), expected.map(orderFree)];
  // The lines that differ lead the message: CI keeps only the end of a long diff.
  assert.deepEqual(ours, theirs, differingLines(ours, theirs));
  return actual;
}

/** Where two probe transcripts part, as a short message: each line that one has and the other lacks. */
function differingLines(ours: readonly string[], theirs: readonly string[]): string {
  const only = (a: readonly string[], b: readonly string[]) => a.filter((l) => !b.includes(l)).slice(0, 6);
  return [
    `svd ${ours.length} lines, supervisord ${theirs.length}`,
    ...only(ours, theirs).map((l) => `svd only: ${l}`),
    ...only(theirs, ours).map((l) => `supervisord only: ${l}`),
  ].join('\n');
}

/** Spot checks that a full run is about something. */
function checkFullRun(lines: readonly string[]): void {
  assert.ok(lines.length > 70, `${lines.length} lines`);
  assert.ok(lines.includes('["startProcess(\\"nope\\")",["fault",10,"BAD_NAME: nope"]]'));
  assert.ok(lines.includes('["addProcessGroup(\\"late\\")",["fault",90,"ALREADY_ADDED: late"]]'));
  assert.ok(
    lines.some((l) =>
      l.startsWith('["tailProcessStdoutLog(\\"cat\\",0,100)",["array",[["str","stdin line café\\n"]'),
    ),
  );
  // Results known at once come before those waited on (quick's startsecs=1), as supervisord answers them.
  const startAll = lines.find((l) => l.startsWith('["startAllProcesses()"')) ?? '';
  assert.ok(startAll.indexOf('"talker"') < startAll.indexOf('"quick"'), startAll);
}

test(
  '`supervisord` (npm) over the unix socket: every method answers as supervisord',
  { skip, timeout: 120_000 },
  async () => {
    checkFullRun(await compare(plain(), 'supervisord', unixUrl, false, 'api'));
  },
);

test(
  '`supervisord` (npm) over http: every method answers as supervisord',
  { skip, timeout: 120_000 },
  async () => {
    checkFullRun(await compare(plain(), 'supervisord', httpUrl, false, 'api'));
  },
);

test(
  '`node-supervisord` over http: every method answers as supervisord, shutdown last',
  { skip, timeout: 120_000 },
  async () => {
    const lines = await compare(plain(), 'node-supervisord', httpUrl, false, 'last');
    checkFullRun(lines);
    assert.deepEqual(lines.slice(-2), [
      '["shutdown()",["bool",true]]',
      '["getState()",["error","ECONNREFUSED"]]',
    ]);
  },
);

test(
  'both clients with Basic auth over http; refused without credentials, also over the unix socket',
  { skip, timeout: 180_000 },
  async () => {
    const refused = '["no credentials",["http",401]]';
    assert.deepEqual(await compare(authed(), 'supervisord', unixUrl, true, 'anonymous'), [refused]);
    const withUrlCredentials = await compare(authed(), 'supervisord', httpUrl, true, 'api');
    assert.equal(withUrlCredentials[0], refused);
    checkFullRun(withUrlCredentials);
    const withOptions = await compare(authed(), 'node-supervisord', httpUrl, true, 'last');
    assert.equal(withOptions[0], refused);
    checkFullRun(withOptions);
  },
);

interface ListenerEvent {
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly data: Record<string, string> | null;
}

function readEvents(d: ControlDaemon): ListenerEvent[] {
  const file = join(d.dir, 'events.jsonl');
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as ListenerEvent)
    : [];
}

/** The listener's events up to the probe's last remote event (what follows is the daemon's shutdown, racy). */
function listenerEvents(d: ControlDaemon): string[] {
  const events = readEvents(d);
  const last = events.findIndex((e) => e.data?.['type'] === 'probe-type\nlast');
  return events.slice(0, last + 1).map((e) => {
    // The package splits a payload at spaces and colons, so a pid may run into the next line.
    const pid = /^\d+/.exec(e.data?.['pid'] ?? '')?.[0];
    const data = e.data && pid ? { ...e.data, pid: e.data['pid']?.replace(pid, '<N>') } : e.data;
    // len counts the pid's digits: it is checked net of them.
    const headers = pid ? { ...e.headers, len: `${Number(e.headers['len']) - pid.length}+pid` } : e.headers;
    return JSON.stringify({ type: e.type, headers, data });
  });
}

test(
  'a `supervisord-eventlistener` listener gets the same events, and its answers are taken',
  { skip, timeout: 120_000 },
  async () => {
    const [, , , , ...events] = daemons();
    // The listener's own RUNNING, after its startsecs: from then on it takes each event as it comes.
    const listening = (d: ControlDaemon) =>
      readEvents(d).some((e) => e.type === 'PROCESS_STATE_RUNNING' && e.data?.['processname'] === 'lis');
    await eventually(() => events.every(listening), 20_000, 'the listener RUNNING on both');
    for (const d of events) {
      const lines = await probe(d, 'supervisord', unixUrl(d), false, 'events');
      assert.ok(lines.includes('["removeProcessGroup(\\"late\\")",["bool",true]]'), lines.join('\n'));
    }
    const received = (d: ControlDaemon) => listenerEvents(d);
    await eventually(() => events.every((d) => received(d).length > 0), 20_000, 'the last event on both');
    const [theirs, ours] = events.map(received) as [string[], string[]];
    assert.deepEqual(ours, theirs);
    const types = theirs.map((l) => (JSON.parse(l) as ListenerEvent).type);
    for (const t of [
      'SUPERVISOR_STATE_CHANGE_RUNNING',
      'PROCESS_STATE_RUNNING',
      'PROCESS_LOG_STDOUT',
      'PROCESS_COMMUNICATION_STDOUT',
      'REMOTE_COMMUNICATION',
      'PROCESS_STATE_STOPPED',
      'PROCESS_GROUP_ADDED',
      'PROCESS_GROUP_REMOVED',
    ])
      assert.ok(types.includes(t), `${t} in ${types.join(' ')}`);
  },
);

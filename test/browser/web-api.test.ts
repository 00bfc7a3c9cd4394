// The dashboard's JSON API and live streams on a real daemon with real processes, over a loopback port with
// Basic auth: every route refused without credentials, supervisor's faults as JSON, validation, SSE.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killAllSpawned } from '../support/cleanup.js';
import { fixture } from '../support/real-engine.js';
import {
  AUTH,
  startDashboardDaemon,
  type DashboardDaemon,
  type ProcessRow,
} from './support/dashboard-daemon.js';
import { openSse } from './support/sse-client.js';

const SLEEP = fixture('sleep-forever');
// Echoes a numbered line on each SIGUSR1 (the trap runs once the short sleep returns).
const ECHOER = `/bin/sh -c 'n=0; trap "n=\\$((n+1)); echo got-usr1-\\$n" USR1; echo ready; while :; do sleep 0.1; done'`;

const PROGRAMS = `
[program:sleeper]
command=${SLEEP}
startsecs=0

[program:echoer]
command=${ECHOER}
startsecs=0

[program:worker]
command=${SLEEP}
numprocs=2
process_name=%(program_name)s_%(process_num)d
startsecs=0

[program:idle]
command=${SLEEP}
autostart=false
`;

let d: DashboardDaemon;
let original = '';

const row = (list: ProcessRow[], ns: string) => list.find((p) => p.namespec === ns);
const stateOf = (ns: string, state: string) => (list: ProcessRow[]) => row(list, ns)?.statename === state;

before(async () => {
  d = await startDashboardDaemon(PROGRAMS);
  original = readFileSync(d.conf, 'utf8');
  await d.until(
    (l) =>
      ['sleeper', 'echoer', 'worker:worker_0', 'worker:worker_1'].every((ns) => stateOf(ns, 'RUNNING')(l)),
    'autostart',
  );
});

after(async () => {
  try {
    await d?.stop();
  } finally {
    killAllSpawned();
  }
});

test('without credentials (or with wrong ones) the page, its files, the API and the event stream answer 401', async () => {
  const wrong = `Basic ${Buffer.from('admin:nope').toString('base64')}`;
  for (const path of ['/', '/index.html', '/assets/app.js', '/api/processes', '/api/events', '/api/plan']) {
    const bare = await d.fetch(path, { auth: false });
    assert.equal(bare.status, 401, path);
    assert.equal(bare.headers['www-authenticate'], 'Basic realm="default"', path);
    assert.equal((await d.fetch(path, { auth: false, headers: { Authorization: wrong } })).status, 401, path);
  }
  const post = await d.fetch('/api/processes/sleeper/stop', {
    method: 'POST',
    auth: false,
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  assert.equal(post.status, 401);
  const events = await openSse(d.port, '/api/events', {});
  events.close();
  assert.equal(events.status, 401);
  assert.equal((await d.until(stateOf('sleeper', 'RUNNING'), 'sleeper untouched')).length, 5);
});

test('the page and its files are served from the daemon, with no reference to anywhere else', async () => {
  const page = await d.fetch('/');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(refs.length >= 3);
  for (const ref of refs) {
    // Relative, so the page also works behind a reverse proxy that serves it under a sub-path.
    assert.ok(ref.startsWith('assets/'), ref);
    const asset = await d.fetch(`/${ref}`);
    assert.equal(asset.status, 200, ref);
    const text = asset.text.replace(`xmlns="http://www.w3.org/2000/svg"`, '');
    assert.doesNotMatch(text, /https?:\/\//, `${ref} loads nothing from elsewhere`);
    const again = await d.fetch(`/${ref}`, { headers: { 'If-None-Match': String(asset.headers.etag) } });
    assert.equal(again.status, 304, ref);
  }
  assert.equal((await d.fetch('/assets/..%2Fpackage.json')).status, 404);
  assert.equal((await d.fetch('/assets/nothing.js')).status, 404);
  const ok = await d.fetch('/ok.html');
  assert.equal(ok.text, 'OK');
});

test('GET /api/processes lists every process sorted by group and name, with namespec, state and pid', async () => {
  const reply = await d.fetch('/api/processes');
  assert.equal(reply.status, 200);
  assert.equal(reply.json.supervisor.state, 'RUNNING');
  const list = reply.json.processes as ProcessRow[];
  assert.deepEqual(
    list.map((p) => p.namespec),
    ['echoer', 'idle', 'sleeper', 'worker:worker_0', 'worker:worker_1'],
  );
  const idle = row(list, 'idle');
  assert.equal(idle?.statename, 'STOPPED');
  assert.equal(idle?.description, 'Not started');
  const sleeper = row(list, 'sleeper');
  assert.ok(sleeper && sleeper.pid > 0);
  const one = await d.fetch('/api/processes/worker%3Aworker_1');
  assert.equal(one.json.namespec, 'worker:worker_1');
  assert.equal(one.json.group, 'worker');
});

test('stop and start one process; faults answer with the supervisor fault name and code', async () => {
  const stop = await d.post('/api/processes/worker:worker_0/stop');
  assert.deepEqual([stop.status, stop.json], [200, { ok: true }]);
  // The call waits for the stop, as supervisorctl's does.
  assert.equal((await d.fetch('/api/processes/worker:worker_0')).json.statename, 'STOPPED');
  const again = await d.post('/api/processes/worker:worker_0/stop');
  assert.equal(again.status, 409);
  assert.deepEqual(again.json, {
    error: { fault: 'NOT_RUNNING', code: 70, message: 'NOT_RUNNING: worker:worker_0' },
  });
  const start = await d.post('/api/processes/worker:worker_0/start');
  assert.deepEqual([start.status, start.json], [200, { ok: true }]);
  assert.equal((await d.fetch('/api/processes/worker:worker_0')).json.statename, 'RUNNING');
  const twice = await d.post('/api/processes/worker:worker_0/start');
  assert.deepEqual(
    [twice.status, twice.json.error.fault, twice.json.error.code],
    [409, 'ALREADY_STARTED', 60],
  );
  const unknown = await d.post('/api/processes/nosuch/start');
  assert.deepEqual(
    [unknown.status, unknown.json.error.fault, unknown.json.error.code],
    [404, 'BAD_NAME', 10],
  );
  const unknownGet = await d.fetch('/api/processes/nosuch');
  assert.equal(unknownGet.json.error.fault, 'BAD_NAME');
});

test('restart gives a new pid; a signal must be valid; clear empties the log', async () => {
  const before = (await d.fetch('/api/processes/sleeper')).json.pid as number;
  assert.deepEqual((await d.post('/api/processes/sleeper/restart')).json, { ok: true });
  const afterRestart = (await d.fetch('/api/processes/sleeper')).json;
  assert.equal(afterRestart.statename, 'RUNNING');
  assert.notEqual(afterRestart.pid, before);
  // A stopped process restarts too (supervisorctl restart on a stopped one starts it).
  assert.deepEqual((await d.post('/api/processes/idle/restart')).json, { ok: true });
  assert.deepEqual((await d.post('/api/processes/idle/stop')).json, { ok: true });

  const noSignal = await d.post('/api/processes/sleeper/signal');
  assert.deepEqual(
    [noSignal.status, noSignal.json.error.fault, noSignal.json.error.code, noSignal.json.error.message],
    [400, 'BAD_SIGNAL', 11, 'no signal given: send {"signal": "HUP"} or ?signal=HUP'],
  );
  // Not a name or a number: said so, even with a good ?signal= beside it (the body's value wins).
  for (const [value, type] of [
    [['HUP'], 'an array'],
    [null, 'null'],
    [true, 'a boolean'],
    [{}, 'an object'],
  ]) {
    const wrong = await d.post('/api/processes/sleeper/signal?signal=HUP', { signal: value });
    assert.deepEqual(
      [wrong.status, wrong.json.error.fault, wrong.json.error.message],
      [400, 'BAD_SIGNAL', `signal must be a name or a number, got ${type}`],
    );
  }
  const badSignal = await d.post('/api/processes/sleeper/signal', { signal: 'NOPE' });
  assert.equal(badSignal.json.error.fault, 'BAD_SIGNAL');
  const notRunning = await d.post('/api/processes/idle/signal', { signal: 'HUP' });
  assert.equal(notRunning.json.error.fault, 'NOT_RUNNING');
  assert.deepEqual((await d.post('/api/processes/echoer/signal?signal=USR1')).json, { ok: true });
  const logged = async () => (await d.fetch('/api/log/echoer?offset=0&length=4096')).json.text as string;
  await waitUntil(async () => (await logged()).includes('got-usr1-1'), 'the echoer to log the signal');

  assert.deepEqual((await d.post('/api/processes/echoer/clear')).json, { ok: true });
  await waitUntil(async () => !(await logged()).includes('got-usr1-1'), 'the cleared log');
});

test('group and "all" actions answer one result per process', async () => {
  const stopped = await d.post('/api/groups/worker/stop');
  assert.equal(stopped.status, 200);
  assert.deepEqual(
    (stopped.json.results as { namespec: string; fault: string | null }[])
      .map((r) => [r.namespec, r.fault])
      .sort(),
    [
      ['worker:worker_0', null],
      ['worker:worker_1', null],
    ],
  );
  await d.until(
    (l) => stateOf('worker:worker_0', 'STOPPED')(l) && stateOf('worker:worker_1', 'STOPPED')(l),
    'stop',
  );
  const started = await d.post('/api/processes/worker:*/start');
  assert.equal(started.json.results.length, 2);
  const restarted = await d.post('/api/groups/worker/restart');
  assert.equal(restarted.json.results.length, 2);
  assert.ok(restarted.json.results.every((r: { status: number }) => r.status === 80));
  const signalled = await d.post('/api/all/signal', { signal: 'CONT' });
  assert.equal(signalled.json.results.length, 4, 'every running process, not the stopped idle one');
  const cleared = await d.post('/api/all/clear');
  assert.equal(cleared.json.results.length, 5);
  const badGroup = await d.post('/api/groups/nosuch/stop');
  assert.deepEqual([badGroup.status, badGroup.json.error.fault], [404, 'BAD_NAME']);
  const badAction = await d.post('/api/all/explode');
  assert.deepEqual([badAction.status, badAction.json.error.fault], [404, 'UNKNOWN_METHOD']);
});

test('a log that cannot be emptied (a folder now at its path) fails clear: FAILED, in its own row for a group', async () => {
  const name = readdirSync(d.dir).find((f) => f.startsWith('worker_0-stdout---') && f.endsWith('.log'));
  assert.ok(name, 'the AUTO log of worker_0');
  const path = join(d.dir, name);
  rmSync(path);
  mkdirSync(path);
  try {
    const one = await d.post('/api/processes/worker:worker_0/clear');
    assert.deepEqual(
      [one.json.error.fault, one.json.error.code, one.json.error.message],
      ['FAILED', 30, 'FAILED: worker:worker_0'],
    );
    const rows = (reply: { json: { results: { namespec: string; fault: string | null }[] } }) =>
      reply.json.results
        .filter((r) => r.namespec.startsWith('worker:'))
        .map((r) => [r.namespec, r.fault])
        .sort();
    const failedRow = [
      ['worker:worker_0', 'FAILED'],
      ['worker:worker_1', null],
    ];
    assert.deepEqual(rows(await d.post('/api/groups/worker/clear')), failedRow);
    assert.deepEqual(rows(await d.post('/api/all/clear')), failedRow);
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
});

test('writes need a JSON body from this origin: other types, foreign origins, bad JSON and big bodies are refused', async () => {
  const form = await d.fetch('/api/processes/sleeper/stop', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'a=b',
  });
  assert.equal(form.status, 403);
  const foreign = await d.fetch('/api/processes/sleeper/stop', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' },
    body: '{}',
  });
  assert.equal(foreign.status, 403);
  const same = await d.fetch('/api/processes/nosuch/stop', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: d.url },
    body: '{}',
  });
  assert.equal(same.json.error.fault, 'BAD_NAME', 'the same origin passes the check');
  const badJson = await d.fetch('/api/processes/sleeper/stop', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{nope',
  });
  assert.deepEqual([badJson.status, badJson.json.error.fault], [400, 'INCORRECT_PARAMETERS']);
  const big = await d.fetch('/api/processes/sleeper/signal', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ signal: 'HUP', pad: 'x'.repeat(100_000) }),
  });
  assert.equal(big.status, 413);
  const wrongMethod = await d.fetch('/api/processes/sleeper/stop');
  assert.deepEqual([wrongMethod.status, wrongMethod.headers.allow], [405, 'POST']);
  assert.equal((await d.fetch('/api/processes/sleeper')).json.statename, 'RUNNING', 'nothing was stopped');
});

test('log names are looked up, never used as paths', async () => {
  for (const path of [
    '/api/log/..%2F..%2Fetc%2Fpasswd',
    '/api/log/%2Fetc%2Fpasswd/follow',
    '/api/log/a%00b',
  ]) {
    const reply = await d.fetch(path);
    assert.deepEqual([reply.status, reply.json.error.fault], [400, 'BAD_NAME'], path);
  }
  for (const path of ['/api/log/..', '/api/log/nosuch', '/api/log/worker:*']) {
    const reply = await d.fetch(path);
    assert.deepEqual([reply.status, reply.json.error.fault], [404, 'BAD_NAME'], path);
  }
  const channel = await d.fetch('/api/log/sleeper?channel=../../x');
  assert.deepEqual([channel.status, channel.json.error.fault], [400, 'BAD_ARGUMENTS']);
});

test('a process log is read by offset and followed live as the child writes', async () => {
  const first = await d.fetch('/api/log/echoer?offset=0&length=0');
  assert.equal(first.status, 200);
  const offset = first.json.offset as number;
  const follow = await openSse(d.port, '/api/log/echoer/follow?channel=stdout&tail=0', {
    Authorization: AUTH,
  });
  try {
    assert.equal(follow.status, 200);
    assert.match(String(follow.headers['content-type']), /^text\/event-stream/);
    await follow.waitFor((e) => e.event === 'file', 'the file event');
    await d.post('/api/processes/echoer/signal', { signal: 'USR1' });
    const line = await follow.waitFor(
      (e) => e.event === 'log' && /got-usr1-\d+/.test(JSON.parse(e.data) as string),
      'the new line',
    );
    assert.match(JSON.parse(line.data) as string, /got-usr1/);
  } finally {
    follow.close();
  }
  const next = await d.fetch(`/api/log/echoer?offset=${offset}&length=4096`);
  assert.match(next.json.text, /got-usr1/);
  assert.ok(next.json.offset > offset);
  const stderr = await d.fetch('/api/log/echoer?channel=stderr&length=10');
  assert.equal(stderr.status, 200);
});

test('the main log is read and followed', async () => {
  const read = await d.fetch('/api/mainlog?length=100000');
  assert.match(read.json.text, /supervisord started with pid/);
  const follow = await openSse(d.port, '/api/mainlog/follow?tail=4096', { Authorization: AUTH });
  try {
    await d.post('/api/processes/worker:worker_1/restart');
    await follow.waitFor(
      (e) => e.event === 'log' && (JSON.parse(e.data) as string).includes('worker_1'),
      'a main log line about the restart',
    );
    // The request itself, in words: what and on which process, not the request's JSON.
    await follow.waitFor(
      (e) =>
        e.event === 'log' && (JSON.parse(e.data) as string).includes('web: restart process worker:worker_1'),
      'the log line of the request',
    );
  } finally {
    follow.close();
  }
});

test('the event stream starts with a snapshot and then carries state changes in batches', async () => {
  const events = await openSse(d.port, '/api/events', { Authorization: AUTH });
  try {
    assert.equal(events.status, 200);
    const snapshot = await events.waitFor((e) => e.event === 'snapshot', 'the snapshot');
    const first = JSON.parse(snapshot.data) as { processes: ProcessRow[]; now: number };
    assert.equal(first.processes.length, 5);
    assert.ok(Math.abs(first.now - Date.now()) < 60_000);
    await d.post('/api/processes/sleeper/stop');
    const update = await events.waitFor(
      (e) =>
        e.event === 'update' &&
        (JSON.parse(e.data) as { processes: ProcessRow[] }).processes.some(
          (p) => p.namespec === 'sleeper' && p.statename === 'STOPPED',
        ),
      'sleeper STOPPED',
    );
    // An update carries only what changed.
    const changed = (JSON.parse(update.data) as { processes: ProcessRow[] }).processes;
    assert.ok(changed.every((p) => p.namespec === 'sleeper'));
    await d.post('/api/processes/sleeper/start');
    await events.waitFor(
      (e) => e.event === 'update' && e.data.includes('"namespec":"sleeper"') && e.data.includes('"RUNNING"'),
      'sleeper RUNNING',
    );
  } finally {
    events.close();
  }
});

test("supervisor's old query actions act for a script, not for another site's page; tail.html opens the log view", async () => {
  const pid = (await d.fetch('/api/processes/sleeper')).json.pid as number;
  const crossSite = { 'Sec-Fetch-Site': 'cross-site' };
  const foreign = await d.fetch('/?processname=sleeper&action=stop', { headers: crossSite });
  assert.deepEqual([foreign.status, foreign.headers.location], [303, './']);
  const form = await d.fetch('/index.html', {
    method: 'POST',
    body: 'processname=sleeper&action=stop',
    headers: { Origin: 'https://evil.example' },
  });
  assert.deepEqual([form.status, form.headers.location], [303, './']);
  const stopAll = await d.fetch('/index.html?action=stopall', { headers: crossSite });
  assert.equal(stopAll.status, 303);
  const now = (await d.fetch('/api/processes/sleeper')).json;
  assert.deepEqual([now.statename, now.pid], ['RUNNING', pid], 'nothing acted');
  const script = await d.fetch('/?processname=sleeper&action=restart');
  assert.deepEqual(
    [script.status, script.headers.location],
    [303, './?message=Process%20sleeper%20restarted'],
  );
  const after = (await d.fetch('/api/processes/sleeper')).json;
  assert.equal(after.statename, 'RUNNING');
  assert.notEqual(after.pid, pid, 'a script (no browser headers) restarted it');
  const tail = await d.fetch('/tail.html?processname=worker%3Aworker_1');
  assert.deepEqual([tail.status, tail.headers.location], [303, './#log=worker%3Aworker_1']);
});

test('the plan shows a config edit; apply carries it out; a broken config is reported and changes nothing', async () => {
  try {
    const none = await d.fetch('/api/plan');
    assert.deepEqual([none.status, none.json.ok, none.json.plan.changes], [200, true, false]);
    assert.equal(none.json.source, `-c ${d.conf}`);
    appendFileSync(d.conf, `\n[program:newbie]\ncommand=${SLEEP}\nstartsecs=0\n`);
    const plan = await d.fetch('/api/plan');
    assert.equal(plan.json.plan.changes, true);
    assert.match(plan.json.summary, /^Plan: 1 to add/);
    assert.match(plan.json.text, /\+ newbie: add, then start/);
    const applied = await d.post('/api/apply');
    assert.equal(applied.status, 200);
    assert.equal(applied.json.ok, true);
    assert.deepEqual(
      applied.json.steps.map(
        (s: { op: string; target: string; status: string }) => `${s.op} ${s.target} ${s.status}`,
      ),
      ['add-group newbie:* done', 'start newbie done'],
    );
    await d.until(stateOf('newbie', 'RUNNING'), 'newbie RUNNING');
    const settled = (await d.fetch('/api/plan')).json;
    assert.equal(settled.plan.changes, false, settled.text);

    writeFileSync(d.conf, `${original}\n[program:broken]\ncommand=x\nstartsecs=abc\n`);
    const broken = await d.fetch('/api/plan');
    assert.equal(broken.json.ok, false);
    assert.ok(broken.json.diagnostics.length > 0);
    const refused = await d.post('/api/apply');
    assert.deepEqual([refused.status, refused.json.ok], [422, false]);
    assert.equal((await d.fetch('/api/processes/newbie')).json.statename, 'RUNNING', 'nothing changed');
  } finally {
    writeFileSync(d.conf, original);
  }
  // Back to the original: newbie goes again.
  // A source named in the body is refused, not ignored: this apply is of the daemon's own configuration.
  const named = await d.post('/api/apply', { paths: ['/etc'] });
  assert.equal(named.status, 400);
  assert.match(JSON.stringify(named.json), /takes no options \(got paths\)/);
  assert.equal((await d.fetch('/api/processes/newbie')).json.statename, 'RUNNING', 'nothing applied');
  const back = await d.post('/api/apply');
  assert.equal(back.json.ok, true);
  await d.until((l) => row(l, 'newbie') === undefined, 'newbie removed');
});

async function waitUntil(check: () => Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

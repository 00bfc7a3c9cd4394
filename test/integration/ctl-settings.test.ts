// The ctl's settings from real files: the command line over [supervisorctl] over the defaults, %(here)s and
// %(ENV_X)s, unix paths made absolute, the default search, YAML's supervisorctl: (spec §1.2, §2.6.4).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCtlArgv, type CtlArgs } from '../../src/ctl/ctl-argv.js';
import { resolveCtlSettings, type CtlSettings } from '../../src/ctl/ctl-settings.js';
import { readHistory, writeHistory } from '../../src/ctl/ctl-shell.js';

const dir = mkdtempSync(join(tmpdir(), 'svd-ctl-settings-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function args(argv: string[]): CtlArgs {
  const r = parseCtlArgv(argv);
  assert.ok(r.ok);
  return r.args;
}

const where = (cwd = dir) => ({ cwd, binDir: join(dir, 'nobin'), env: { HOME: '/home/x', WHO: 'ops' } });

async function settings(argv: string[], cwd?: string): Promise<CtlSettings> {
  const r = await resolveCtlSettings(args(argv), where(cwd));
  assert.ok(r.ok, r.ok ? '' : r.message);
  return r.settings;
}

async function failure(argv: string[], cwd?: string): Promise<string> {
  const r = await resolveCtlSettings(args(argv), where(cwd));
  assert.ok(!r.ok);
  return r.message;
}

test('[supervisorctl] values with expansions; unix paths absolute; the command line wins', async () => {
  const conf = join(dir, 'a.conf');
  writeFileSync(
    conf,
    '[DEFAULT]\nusername=fromdefault\n[supervisord]\n[supervisorctl]\n' +
      'serverurl = unix://%(here)s/run/../sd.sock ; a comment\nprompt=%(ENV_WHO)s\npassword=p%%w\nhistory_file=~/.svd_history\n',
  );
  const s = await settings(['-c', conf, 'status']);
  assert.deepEqual(s, {
    serverUrl: `unix://${dir}/sd.sock`,
    username: 'fromdefault',
    password: 'p%w',
    prompt: 'ops',
    historyFile: join(homedir(), '.svd_history'),
    configFile: conf,
  });
  const o = await settings([
    '-c',
    conf,
    '-s',
    'http://127.0.0.1:9',
    '-u',
    'me',
    '-p',
    'pw',
    '-r',
    '/h',
    'status',
  ]);
  assert.deepEqual(
    [o.serverUrl, o.username, o.password, o.historyFile],
    ['http://127.0.0.1:9', 'me', 'pw', '/h'],
  );
});

test("supervisorctl's errors: missing file, missing section, names that cannot be expanded", async () => {
  assert.equal(
    await failure(['-c', join(dir, 'nope.conf')]),
    `could not find config file ${join(dir, 'nope.conf')}`,
  );
  const bare = join(dir, 'bare.conf');
  writeFileSync(bare, '[supervisord]\n');
  assert.equal(await failure(['-c', bare]), '.ini file does not include supervisorctl section');
  const unknown = join(dir, 'unknown.conf');
  writeFileSync(unknown, '[supervisorctl]\nserverurl=unix://%(nosuch)s/x.sock\nprompt=%(here)s\n');
  assert.match(
    await failure(['-c', unknown]),
    /^Format string 'unix:\/\/%\(nosuch\)s\/x\.sock' for 'supervisorctl\.serverurl' contains names \('nosuch'\) which cannot be expanded\. Available names: ENV_HOME, ENV_WHO, here$/,
  );
  const here = join(dir, 'here.conf');
  writeFileSync(here, '[supervisorctl]\nprompt=%(here)s\n');
  assert.match(await failure(['-c', here]), /for 'supervisorctl\.prompt' contains names \('here'\)/); // A device has no end: read up to the limit, then refused (supervisorctl reads until memory runs out).
  assert.equal(
    await failure(['-c', '/dev/zero']),
    '/dev/zero: config file is too large (more than 67108864 bytes; the limit is 67108864)',
  );
});

test('without -c: supervisord.conf in the working directory is found; -s still wins', async () => {
  const cwd = join(dir, 'cwd');
  mkdirSync(cwd);
  writeFileSync(join(cwd, 'supervisord.conf'), '[supervisorctl]\nserverurl=http://127.0.0.1:19999\n');
  assert.equal((await settings(['status'], cwd)).serverUrl, 'http://127.0.0.1:19999');
  const s = await settings(['-s', 'unix:///x.sock', 'status'], cwd);
  assert.equal(s.serverUrl, 'unix:///x.sock');
  assert.equal(s.prompt, 'supervisor');
});

test("a YAML file's supervisorctl:, read from that file alone, as an INI one", async () => {
  const yaml = join(dir, 'ctl.yaml');
  writeFileSync(yaml, 'supervisorctl:\n  serverurl: unix:///run/svd.sock\n  prompt: yamlctl\n');
  const s = await settings(['-c', yaml, 'status']);
  assert.deepEqual([s.serverUrl, s.prompt], ['unix:///run/svd.sock', 'yamlctl']);

  // A mistake in an included program is the daemon's to refuse: the ctl still reaches the daemon, which runs on.
  mkdirSync(join(dir, 'yinc'));
  const main = join(dir, 'yinc', 'main.yaml');
  writeFileSync(
    main,
    'supervisorctl:\n  serverurl: "unix://%(here)s/d.sock"\ninclude:\n  files: [more.yaml]\n',
  );
  writeFileSync(join(dir, 'yinc', 'more.yaml'), 'programs:\n  web: {command: /bin/true\n');
  assert.equal((await settings(['-c', main, 'status'])).serverUrl, `unix://${join(dir, 'yinc')}/d.sock`);

  // The file's own syntax error is one line naming its place, with exit 1 and no help hint.
  writeFileSync(main, 'supervisorctl:\n  serverurl: unix:///run/svd.sock\n\tprompt: x\n');
  const broken = await resolveCtlSettings(args(['-c', main, 'status']), where());
  assert.ok(!broken.ok);
  assert.match(broken.message, /main\.yaml:3:1: error: YAML: Tabs are not allowed as indentation$/);
  assert.equal(broken.uncaught, true);
});

test("svd's -f: the daemon a folder configures, its socket and credentials; relative to the working directory", async () => {
  const conf = join(dir, 'conf.d');
  mkdirSync(conf);
  writeFileSync(
    join(conf, 'main.yaml'),
    'supervisord: {}\nunix_http_server: {file: "%(here)s/d.sock", username: ops, password: pw}\n' +
      'supervisorctl: {prompt: svd-here}\n',
  );
  writeFileSync(join(conf, 'web.ini'), '[program:web]\ncommand=sleep 9\n');
  assert.deepEqual(await settings(['-f', 'conf.d', 'status']), {
    serverUrl: `unix://${conf}/d.sock`,
    username: 'ops',
    password: 'pw',
    prompt: 'svd-here',
    historyFile: null,
    configFile: null,
  });
  const over = await settings(['-f', conf, '-s', 'http://127.0.0.1:9', '-u', 'me', 'status']);
  assert.deepEqual([over.serverUrl, over.username, over.password], ['http://127.0.0.1:9', 'me', 'pw']);

  const inet = join(dir, 'inet.ini');
  writeFileSync(inet, '[supervisord]\n[inet_http_server]\nport=*:9123\n');
  assert.equal((await settings(['--file', inet, 'status'])).serverUrl, 'http://127.0.0.1:9123');

  assert.equal(await failure(['-f', conf, '-c', inet, 'status']), 'use either -c FILE or -f PATH, not both');
  // A mistake in a program is the daemon's to report (update's CANT_REREAD): status, stop and update still
  // reach it, as supervisorctl, which reads [supervisorctl] alone, does.
  writeFileSync(join(conf, 'bad.ini'), '[program:bad]\nautostart=maybe\n');
  assert.equal((await settings(['-f', conf, 'status'])).serverUrl, `unix://${conf}/d.sock`);
  // A mistake where the daemon's address or credentials are is the client's.
  writeFileSync(
    join(conf, 'main.yaml'),
    'supervisord: {}\nunix_http_server: {file: "%(here)s/d.sock", chmod: abc}\n',
  );
  const broken = await resolveCtlSettings(args(['-f', conf, 'status']), where());
  assert.ok(!broken.ok);
  assert.match(
    broken.message,
    /main\.yaml:\d+:\d+: error: .*chmod.* \(name the daemon with -s URL meanwhile\)$/,
  );
  assert.equal(
    broken.uncaught,
    true,
    'a configuration error, not a usage error: exit 1 without the help hint',
  );
});

test('history files: one line each, oldest first; libedit header skipped; unreadable is empty', () => {
  const file = join(dir, 'hist');
  writeFileSync(file, '_HiStOrY_V2_\nstatus\nstop web\n');
  assert.deepEqual(readHistory(file), ['stop web', 'status']);
  writeHistory(file, ['tail web', 'stop web', 'status']);
  assert.deepEqual(readHistory(file), ['tail web', 'stop web', 'status']);
  assert.deepEqual(readHistory(join(dir, 'none')), []);
  assert.deepEqual(readHistory(null), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { ConfigHost } from './config-host.js';
import { parseIni } from './ini-reader.js';
import {
  normalizeInetServer,
  normalizeSupervisorctl,
  normalizeSupervisord,
  readGlobalEnvironment,
} from './normalize-daemon.js';
import type { RawSection } from './raw-section.js';
import { SectionContext } from './section-context.js';

const host: ConfigHost = {
  cwd: '/srv',
  env: { HOME: '/root' },
  hostname: 'box',
  tmpdir: '/tmp',
  userExists: () => true,
  groupExists: () => true,
  isDirectory: () => true,
};

/** The lines `svd validate` prints for `text`, read as /etc/s.conf, after `run` normalised its sections. */
function lines(
  text: string,
  run: (ctx: SectionContext, section: (name: string) => RawSection) => void,
): string[] {
  const { file } = parseIni(text, '/etc/s.conf');
  const ctx = new SectionContext(host, file.defaults, false);
  const section = (name: string) => {
    const found = file.sections.find((s) => s.name === name);
    if (!found) throw new Error(`no [${name}] in the test's text`);
    return found;
  };
  run(ctx, section);
  return ctx.diagnostics.map(formatDiagnostic);
}

test('a server password refused for its format is not also reported as missing beside the username', () => {
  const text = '[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword=p%ss\n';
  const out = lines(text, (ctx, section) => normalizeInetServer(ctx, section('inet_http_server')));
  assert.equal(out.length, 1, out.join('\n'));
  assert.match(out[0] ?? '', /^\/etc\/s\.conf:4:\d+: error: password: <hidden password> is badly formatted/);
});

test('a username without a password is still incomplete authentication', () => {
  const text = '[inet_http_server]\nport=127.0.0.1:9001\nusername=u\n';
  const out = lines(text, (ctx, section) => normalizeInetServer(ctx, section('inet_http_server')));
  assert.deepEqual(out, [
    '/etc/s.conf:1:1: error: [inet_http_server] has incomplete authentication: set both username and password, or neither',
  ]);
});

const ownOptions =
  "[supervisord] environment= applies to program and server sections, not to [supervisord]'s own options";

test("an unset %(ENV_X)s in [supervisord]'s own options is hinted to the start's environment alone", () => {
  const text = '[supervisord]\nenvironment=LOGDIR="/srv/app/logs"\nlogfile=%(ENV_LOGDIR)s/supervisord.log\n';
  const out = lines(text, (ctx, section) =>
    normalizeSupervisord(ctx, section('supervisord'), section('supervisord').location),
  );
  assert.deepEqual(out, [
    `/etc/s.conf:3:9: error: logfile: %(ENV_LOGDIR) cannot be expanded in '%(ENV_LOGDIR)s/supervisord.log'; available names: here, ENV_<NAME> (set LOGDIR in the environment svd starts in; ${ownOptions})`,
  ]);
});

test('environment= itself is expanded before it applies: its own names are not among its names', () => {
  const text = '[supervisord]\nenvironment=A="1",B="%(ENV_A)s"\n';
  const out = lines(text, (ctx, section) =>
    normalizeSupervisord(ctx, section('supervisord'), section('supervisord').location),
  );
  assert.deepEqual(out, [
    `/etc/s.conf:2:22: error: environment: %(ENV_A) cannot be expanded in 'A="1",B="%(ENV_A)s"'; available names: here, ENV_<NAME> (set A in the environment svd starts in; ${ownOptions})`,
  ]);
});

test('a server section, read after [supervisord], may take the name from [supervisord] environment=', () => {
  const text = '[inet_http_server]\nport=127.0.0.1:%(ENV_PORT)s\n';
  const out = lines(text, (ctx, section) => normalizeInetServer(ctx, section('inet_http_server')));
  assert.deepEqual(out, [
    "/etc/s.conf:2:16: error: port: %(ENV_PORT) cannot be expanded in '127.0.0.1:%(ENV_PORT)s'; available names: ENV_<NAME> (set PORT in the environment svd starts in, or in [supervisord] environment=)",
  ]);
});

test('[supervisorctl]: a bare %s is refused by svd ctl only; supervisorctl reads the value with its names in place', () => {
  const run = (password: string) =>
    lines(`[supervisorctl]\nusername=u\npassword=${password}\n`, (ctx, section) =>
      normalizeSupervisorctl(ctx, section('supervisorctl')),
    );
  assert.deepEqual(run('p%ss'), [
    '/etc/s.conf:3:11: warning: password: <hidden password> is badly formatted; supervisord does not read [supervisorctl], but svd ctl refuses this file, and supervisorctl reads the value with its whole table of names in place of the unnamed conversion (write %% for a literal %)',
  ]);
  // Python's % refuses these too: %d of the table, a second unnamed conversion, one after a name.
  for (const password of ['p%ds', 'p%s%s', '%(ENV_HOME)s%s'])
    assert.match(
      run(password)[0] ?? '',
      /badly formatted; supervisord does not read \[supervisorctl\], but supervisorctl and svd ctl refuse this file \(write %% for a literal %\)$/,
      password,
    );
  assert.deepEqual(run('%(ENV_NOPE)s'), [
    '/etc/s.conf:3:10: warning: password: %(ENV_NOPE) cannot be expanded in <hidden password>; available names: ENV_<NAME>; supervisord does not read [supervisorctl], but supervisorctl and svd ctl refuse this file (set NOPE in the environment supervisorctl and svd ctl run in)',
  ]);
});

test("a client reading only the servers takes [supervisord] environment='s names, and none of its problems", () => {
  const text =
    '[supervisord]\nenvironment=PORT="9123"\nlogfile=/nowhere/at/all/x.log\n[inet_http_server]\nport=127.0.0.1:%(ENV_PORT)s\n';
  const out = lines(text, (ctx, section) => {
    readGlobalEnvironment(ctx, section('supervisord'));
    assert.equal(normalizeInetServer(ctx, section('inet_http_server')).port, '127.0.0.1:9123');
  });
  assert.deepEqual(out, []);
  const broken = lines('[supervisord]\nenvironment=A="%(ENV_NOPE)s"\n', (ctx, section) => {
    readGlobalEnvironment(ctx, section('supervisord'));
    assert.equal(ctx.envExpansions.ENV_A, undefined);
  });
  assert.deepEqual(broken, []);
});

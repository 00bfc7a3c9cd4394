import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDiagnostic } from '../model/diagnostics.js';
import type { ConfigHost } from './config-host.js';
import { parseIni } from './ini-reader.js';
import { normalizeInetServer } from './normalize-daemon.js';
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

// The config loader against supervisor's own parser: every good fixture gives the same effective
// settings in both; every bad fixture is refused by both, and svd names the line and the problem.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentHost } from '../../src/config/config-host.js';
import { loadConfig } from '../../src/config/load.js';
import { parseInetAddress } from '../../src/model/inet-address.js';
import { resolveSocketOwner } from '../../src/http/socket-owner.js';
import { formatDiagnostic } from '../../src/model/diagnostics.js';
import { assertGroupsAsSupervisor, parseWithSupervisor, supervisorMissing } from '../support/oracle.js';
import { fixturesDir } from '../support/paths.js';

const good = join(fixturesDir, 'conf', 'good');
const bad = join(fixturesDir, 'conf', 'bad');
const confFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.conf'))
    .sort();

/** `; ENV: NAME=value` lines: variables both parsers see, for a fixture about %(ENV_NAME)s. */
function fixtureEnv(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const m of readFileSync(file, 'utf8').matchAll(/^; ENV: (\w+)=(.*)$/gm))
    env[m[1] as string] = m[2] as string;
  return env;
}

function uidOf(user: unknown): unknown {
  if (typeof user !== 'string') return user;
  if (/^\d+$/.test(user)) return Number(user);
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  return line ? Number(line.split(':')[2]) : user;
}

/** chown=user[:group] as supervisord resolves it: [uid, gid], -1 for a group not named. */
function ownerOf(spec: string): unknown {
  const owner = resolveSocketOwner(spec);
  return owner ? [owner.uid, owner.gid] : spec;
}

describe('config loader against supervisor 4.2.5 (good fixtures)', { skip: supervisorMissing }, () => {
  for (const name of confFiles(good)) {
    test(`${name}: same groups, processes and settings as supervisor`, () => {
      const file = join(good, name);
      const env = fixtureEnv(file);
      const oracle = parseWithSupervisor(file, undefined, env);
      assert.ok(
        !('error' in oracle),
        `supervisor refused the fixture: ${'error' in oracle ? oracle.error : ''}`,
      );
      const host = currentHost();
      const ours = loadConfig({ configFile: file, host: { ...host, env: { ...host.env, ...env } } });
      assert.ok(ours.config, ours.diagnostics.map(formatDiagnostic).join('\n'));
      assertGroupsAsSupervisor(
        ours.config.groups,
        oracle.groups,
        (p, field, expected) => [
          field === 'user' ? uidOf(p.user) : (p as unknown as Record<string, unknown>)[field],
          expected,
        ],
        (group, og) => {
          if (og.buffer_size !== undefined) {
            assert.equal(group.eventlistener?.buffer_size, og.buffer_size);
            assert.deepEqual([...(group.eventlistener?.events ?? [])].sort(), og.events);
          }
          if (og.socket !== undefined) {
            assert.equal(group.fcgi?.socket, og.socket);
            assert.equal(group.fcgi?.socket_backlog, og.socket_backlog, `socket_backlog of ${og.name}`);
          }
          if (og.socket_mode !== undefined) {
            assert.equal(group.fcgi?.socket_mode, og.socket_mode, `socket_mode of ${og.name}`);
            // Without socket_owner, svd gives the socket to the processes' user when it binds it (fcgi-sockets.ts).
            const owner = group.fcgi?.socket_owner;
            if (owner) assert.deepEqual(ownerOf(owner), og.socket_owner, `socket_owner of ${og.name}`);
          }
        },
      );
      for (const [field, expected] of Object.entries(oracle.supervisord)) {
        assert.deepEqual(
          (ours.config.supervisord as unknown as Record<string, unknown>)[field],
          expected,
          `[supervisord] ${field}`,
        );
      }
      const unix = ours.config.unix_http_server;
      assert.deepEqual(
        unix && {
          username: unix.username,
          password: unix.password,
          file: unix.file,
          chmod: unix.chmod,
          chown: unix.chown === null ? [-1, -1] : ownerOf(unix.chown),
        },
        oracle.servers.unix_http_server ?? null,
        '[unix_http_server]',
      );
      const inet = ours.config.inet_http_server;
      const address = inet && parseInetAddress(inet.port);
      assert.deepEqual(
        inet && {
          username: inet.username,
          password: inet.password,
          ...(address?.ok ? address.address : { port: inet.port }),
        },
        oracle.servers.inet_http_server ?? null,
        '[inet_http_server]',
      );
      for (const [field, expected] of Object.entries(oracle.supervisorctl ?? {})) {
        assert.deepEqual(
          (ours.config.supervisorctl as unknown as Record<string, unknown>)[field],
          expected,
          `[supervisorctl] ${field}`,
        );
      }
    });
  }
});

/** `; ERROR: CODE` on a line, or `; ERROR@0: CODE` for a problem of the whole file. */
function expectedErrors(text: string): { line: number; code: string }[] {
  const out: { line: number; code: string }[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /; ERROR(@0)?: (\S+)/.exec(l);
    if (m) out.push({ line: m[1] ? 0 : i + 1, code: m[2] as string });
  });
  return out;
}

describe('config loader against supervisor 4.2.5 (bad fixtures)', () => {
  for (const name of confFiles(bad)) {
    const file = join(bad, name);
    const text = readFileSync(file, 'utf8');
    test(`${name}: refused with the line and the problem`, () => {
      if (!supervisorMissing && !text.includes('SVD-STRICTER')) {
        const oracle = parseWithSupervisor(file);
        assert.ok('error' in oracle, 'supervisor refuses it too');
      }
      const ours = loadConfig({ configFile: file });
      assert.equal(ours.config, null);
      const errors = ours.diagnostics.filter((d) => d.severity === 'error');
      const expected = expectedErrors(text);
      assert.ok(expected.length > 0, 'the fixture marks its error');
      for (const e of expected) {
        assert.ok(
          errors.some((d) => d.code === e.code && d.line === e.line && d.file === file),
          `expected ${e.code} at line ${e.line}, got:\n${errors.map(formatDiagnostic).join('\n')}`,
        );
      }
      for (const d of errors) {
        assert.ok(!formatDiagnostic(d).includes('\n'), 'one line per diagnostic');
      }
    });
  }
});

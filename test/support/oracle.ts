// Debian's supervisor as the oracle: its Python parser and tools, when installed.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { GroupSpec, ProcessSpec } from '../../src/model/config.js';
import { repoRoot } from './paths.js';

export const supervisorPython = '/usr/bin/python3';

/** A skip reason when Debian's supervisor is not installed, else false. `.ci/run` installs it. */
export const supervisorMissing: string | false =
  spawnSync(supervisorPython, ['-c', 'import supervisor'], { stdio: 'ignore' }).status === 0
    ? false
    : "Debian's supervisor package is not installed (apt-get install -y supervisor)";

export interface OracleProcess {
  readonly name: string;
  readonly [field: string]: unknown;
}
export interface OracleGroup {
  readonly name: string;
  readonly priority: number;
  readonly kind: string;
  readonly processes: OracleProcess[];
  readonly buffer_size?: number;
  readonly events?: string[];
  readonly socket?: string;
  readonly socket_backlog?: number | null;
  /** Unix sockets only: the mode, and the owner as [uid, gid] (the processes' user when socket_owner is unset). */
  readonly socket_mode?: string;
  readonly socket_owner?: [number, number] | null;
}
/** [unix_http_server] and [inet_http_server] as supervisord reads them (chown as [uid, gid], -1 unset). */
export interface OracleServers {
  readonly unix_http_server?: Record<string, unknown>;
  readonly inet_http_server?: Record<string, unknown>;
}
export type OracleResult =
  | { error: string }
  | {
      groups: OracleGroup[];
      supervisord: Record<string, unknown>;
      servers: OracleServers;
      /** What supervisorctl reads from [supervisorctl]; absent when the file has no such section. */
      supervisorctl?: Record<string, unknown>;
    };

/** supervisor's verdict on a config file: its error, or its effective groups and processes. */
export function parseWithSupervisor(
  file: string,
  cwd?: string,
  env?: Readonly<Record<string, string>>,
): OracleResult {
  const out = execFileSync(
    supervisorPython,
    [join(repoRoot, 'test', 'compat', 'supervisor-parse.py'), file],
    {
      encoding: 'utf8',
      cwd,
      env: env && { ...process.env, ...env },
    },
  );
  return JSON.parse(out) as OracleResult;
}

/**
 * Asserts that svd's groups are supervisor's: the same names, each with its priority, its processes in order, and
 * every field supervisor-parse.py reports for a process. `view` gives the pair a field is compared as (by default
 * svd's field as it is and supervisor's value); `more` checks what else a group has (a pool's, a socket's options).
 */
export function assertGroupsAsSupervisor(
  groups: readonly GroupSpec[],
  oracle: readonly OracleGroup[],
  view: (p: ProcessSpec, field: string, expected: unknown) => [unknown, unknown] = (p, field, expected) => [
    (p as unknown as Record<string, unknown>)[field],
    expected,
  ],
  more?: (group: GroupSpec, og: OracleGroup) => void,
): void {
  const byName = new Map(groups.map((g) => [g.name, g]));
  assert.deepEqual([...byName.keys()].sort(), oracle.map((g) => g.name).sort(), 'the same groups');
  for (const og of oracle) {
    const group = byName.get(og.name);
    assert.ok(group);
    assert.equal(group.priority, og.priority, `priority of group ${og.name}`);
    assert.deepEqual(
      group.processes.map((p) => p.name),
      og.processes.map((p) => p.name),
      `processes of ${og.name}, in order`,
    );
    more?.(group, og);
    og.processes.forEach((op, i) => {
      const p = group.processes[i] as ProcessSpec;
      for (const [field, expected] of Object.entries(op)) {
        const [a, b] = view(p, field, expected);
        assert.deepEqual(a, b, `${og.name}:${op.name} ${field}`);
      }
    });
  }
}

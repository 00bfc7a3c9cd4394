// Debian's supervisor as the oracle: its Python parser and tools, when installed.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
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

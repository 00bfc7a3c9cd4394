// Pure: supervisor's path datatypes (existing_directory, existing_dirpath), shared by the config file and the
// daemon's command line so that both decide alike; each caller words its own message.
import { dirname, isAbsolute, join } from 'node:path';
import type { ConfigHost } from './config-host.js';

export type PathHost = Pick<ConfigHost, 'cwd' | 'env' | 'isDirectory'>;

/** Expands a leading ~ as Python's expanduser does (not `~user`, which supervisor configs do not use). */
export function expandUser(path: string, host: Pick<ConfigHost, 'env'>): string {
  if (path === '~' || path.startsWith('~/')) return (host.env.HOME ?? '/root') + path.slice(1);
  return path;
}

/** `path` with ~ expanded, made absolute against the host's working directory. */
export function absolutePath(path: string, host: Pick<ConfigHost, 'cwd' | 'env'>): string {
  const p = expandUser(path, host);
  return isAbsolute(p) ? p : join(host.cwd, p);
}

/** supervisor's existing_directory: true when `path` (after ~) names a directory. */
export function isExistingDirectory(path: string, host: PathHost): boolean {
  return host.isDirectory(absolutePath(path, host));
}

/** supervisor's existing_dirpath: the folder `path` would be written in, when it does not exist; else null. */
export function missingParentDirectory(path: string, host: PathHost): string | null {
  const dir = dirname(absolutePath(path, host));
  return host.isDirectory(dir) ? null : dir;
}

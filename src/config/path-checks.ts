// Pure: supervisor's path datatypes (existing_directory, existing_dirpath), shared by the config file and the
// daemon's command line so that both decide alike; each caller words its own message.
import { isAbsolute, join } from 'node:path';
import type { ConfigHost } from './config-host.js';

/** The part of ConfigHost that path checks need. */
export type PathHost = Pick<ConfigHost, 'cwd' | 'env' | 'isDirectory'>;

/** Expands a leading ~ as Python's expanduser does (not `~user`, which supervisor configs do not use). */
export function expandUser(path: string, host: Pick<ConfigHost, 'env'>): string {
  if (path === '~' || path.startsWith('~/')) return (host.env.HOME ?? '/root') + path.slice(1);
  return path;
}

/**
 * Python's posixpath.normpath: `//` and `/./` collapse, `..` drops the name before it. Unlike Node's
 * path.normalize it keeps exactly two leading slashes (POSIX leaves their meaning to the system).
 */
export function normPath(path: string): string {
  if (path === '') return '.';
  const root = !path.startsWith('/') ? '' : path.startsWith('//') && !path.startsWith('///') ? '//' : '/';
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (!root && (parts.length === 0 || parts[parts.length - 1] === '..')))
      parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  return root + parts.join('/') || '.';
}

/** supervisor's normalize_path: `path` with ~ expanded, made absolute against the working directory, normalized. */
export function absolutePath(path: string, host: Pick<ConfigHost, 'cwd' | 'env'>): string {
  const p = expandUser(path, host);
  return normPath(isAbsolute(p) ? p : join(host.cwd, p));
}

/** `path` with ~ expanded, against the working directory, not normalized: the system resolves `x/..` (and fails
 * when x does not exist), as it does for supervisor's checks. Joined as Python's os.path.join does, so a start in
 * `/` gives `/run/x`, not `//run/x`. */
function unnormalized(path: string, host: Pick<ConfigHost, 'cwd' | 'env'>): string {
  const p = expandUser(path, host);
  if (isAbsolute(p)) return p;
  return host.cwd.endsWith('/') ? `${host.cwd}${p}` : `${host.cwd}/${p}`;
}

/** supervisor's existing_directory: true when `path` (after ~) names a directory. An empty path names none:
 * Python's os.path.isdir('') is false, where joining it to the working directory would name that. */
export function isExistingDirectory(path: string, host: PathHost): boolean {
  return path !== '' && host.isDirectory(unnormalized(path, host));
}

/** supervisor's existing_dirpath: the folder `path` would be written in, when it does not exist; else null. */
export function missingParentDirectory(path: string, host: PathHost): string | null {
  const dir = pythonDirname(unnormalized(path, host));
  return host.isDirectory(dir) ? null : dir;
}

/**
 * Python's os.path.dirname: everything before the last `/`, its trailing slashes dropped. Node's dirname drops
 * the path's own trailing slashes first, so `logs/` would be in `.` where Python looks for `logs` itself
 * (stdout_logfile=unix:/// is refused by supervisor: no folder `unix:`).
 */
function pythonDirname(path: string): string {
  const head = path.slice(0, path.lastIndexOf('/') + 1);
  return /^\/+$/.test(head) ? head : head.replace(/\/+$/, '');
}

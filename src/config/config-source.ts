// A configuration source as a command line names it (-c FILE or -f PATHs), and reading one from a client's
// argument (svd.plan, svd.apply). Pure apart from a stat; the daemon's own source lives in daemon/config-source.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isConfigFileName } from './read-sources.js';

/** A configuration as a command line names it: supervisord's main file (-c), or files and folders (-f). */
export type ConfigSource =
  | { readonly configFile: string; readonly paths?: undefined }
  | { readonly paths: readonly string[]; readonly configFile?: undefined };

/** `-c /etc/supervisord.conf` or `-f /etc/svd.d` as a person would type it. */
export function describeSource(source: ConfigSource): string {
  return source.configFile !== undefined
    ? `-c ${source.configFile}`
    : source.paths.map((p) => `-f ${p}`).join(' ');
}

/** Absolute paths, so the source means the same thing from any working directory. */
export function absoluteSource(source: ConfigSource, cwd: string): ConfigSource {
  return source.configFile !== undefined
    ? { configFile: resolve(cwd, source.configFile) }
    : { paths: source.paths.map((p) => resolve(cwd, p)) };
}

/** Reads a config source from an RPC argument: `{configFile: "..."}` or `{paths: ["...", ...]}`. */
export function sourceFromValue(value: unknown): ConfigSource | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.configFile === 'string' && v.configFile !== '') return { configFile: v.configFile };
  if (Array.isArray(v.paths) && v.paths.length > 0 && v.paths.every((p) => typeof p === 'string'))
    return { paths: v.paths as string[] };
  return null;
}

/**
 * Why the daemon will not read a source a client named (svd.plan, svd.apply), or null. The daemon often runs as
 * root, and a diagnostic quotes the lines it cannot read, so only folders and files named like configuration
 * files are read: `{configFile: "/etc/shadow"}` must not come back as an error message quoting it. A FIFO or a
 * device would block the daemon or fill its memory, whatever its name.
 */
export function clientSourceProblem(source: ConfigSource): string | null {
  const paths = source.configFile !== undefined ? [source.configFile] : source.paths;
  for (const path of paths) {
    let stats;
    try {
      stats = statSync(path);
    } catch {
      continue; // Missing: the loader says so.
    }
    if (stats.isDirectory()) continue;
    if (!stats.isFile() || !isConfigFileName(path))
      return `${path} is not a folder or a *.conf, *.ini, *.yaml or *.yml file`;
  }
  return null;
}

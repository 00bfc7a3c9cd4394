// Where supervisord and supervisorctl look for their configuration without -c (spec §2.1). A leaf module,
// so the ctl can use it without loading the config loader.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The search path, first match wins: beside the binary, the working directory, then /etc. */
export function defaultConfigCandidates(cwd: string, binDir: string): string[] {
  return [
    join(binDir, '..', 'etc', 'supervisord.conf'),
    join(binDir, '..', 'supervisord.conf'),
    join(cwd, 'supervisord.conf'),
    join(cwd, 'etc', 'supervisord.conf'),
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** The first of defaultConfigCandidates that exists (any file type, not read), or null. */
export function findDefaultConfig(cwd: string, binDir: string): string | null {
  return defaultConfigCandidates(cwd, binDir).find((p) => existsSync(p)) ?? null;
}

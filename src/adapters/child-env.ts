// Pure: a child's environment layered as supervisor 4.2.5 does (spec §2.5), later layers winning.
import type { ProcessSpec } from '../model/config.js';

/** What a child's environment is built from besides its own spec. */
export interface ChildEnvContext {
  /** The daemon's own environment. */
  readonly base: Readonly<Record<string, string | undefined>>;
  /** [supervisord] environment=. */
  readonly supervisord: Readonly<Record<string, string>>;
  /** SUPERVISOR_SERVER_URL for serverurl=AUTO; null when no server is configured. */
  readonly serverUrl: string | null;
  /** When user= switches to another user: its name and home (svd sets HOME, USER, LOGNAME; supervisor does not). */
  readonly user?: { readonly name: string; readonly home: string } | undefined;
}

/**
 * A new environment, lowest layer first: the daemon's (unset entries dropped), SUPERVISOR_ENABLED=1,
 * SUPERVISOR_SERVER_URL (skipped when the URL is null or empty), SUPERVISOR_PROCESS_NAME and _GROUP_NAME,
 * HOME/USER/LOGNAME for `ctx.user`, then [supervisord] environment=, then the program's environment=.
 */
export function childEnv(spec: ProcessSpec, ctx: ChildEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.base)) if (v !== undefined) env[k] = v;
  env['SUPERVISOR_ENABLED'] = '1';
  const url = spec.serverurl === 'AUTO' ? ctx.serverUrl : spec.serverurl;
  // With no URL an inherited SUPERVISOR_SERVER_URL (an outer supervisor's) stays, as supervisor leaves it.
  if (url !== null && url !== '') env['SUPERVISOR_SERVER_URL'] = url;
  env['SUPERVISOR_PROCESS_NAME'] = spec.name;
  env['SUPERVISOR_GROUP_NAME'] = spec.group;
  if (ctx.user) {
    env['HOME'] = ctx.user.home;
    env['USER'] = ctx.user.name;
    env['LOGNAME'] = ctx.user.name;
  }
  Object.assign(env, ctx.supervisord, spec.environment);
  return env;
}

// Pure: the daemon-wide sections ([supervisord], servers, [supervisorctl], [rpcinterface:x]).
import { dirname } from 'node:path';
import type {
  InetHttpServerSettings,
  RpcInterfaceSpec,
  SupervisorctlSettings,
  SupervisordSettings,
  UnixHttpServerSettings,
} from '../model/config.js';
import type { Diagnostic, SourceLocation } from '../model/diagnostics.js';
import { parseInetAddress } from '../model/inet-address.js';
import { envHints } from './expansion-failure.js';
import { expand, expansionScope, type Expansions } from './interpolate.js';
import type { Materialized } from './materialize.js';
import { isExistingDirectory } from './path-checks.js';
import type { RawSection, RawValue } from './raw-section.js';
import { withDefaults, type SectionContext } from './section-context.js';

const supervisorFactory = 'supervisor.rpcinterface:make_main_rpcinterface';

/**
 * [supervisord] with defaults filled (all of them when `section` is missing), logfile and pidfile absolute,
 * childlogdir and directory ~-expanded and checked. Sets `ctx.globalEnvironment` and its ENV_ names, so it
 * must run before any program section is normalised. Problems go to `ctx`; settings are returned anyway.
 */
export function normalizeSupervisord(
  ctx: SectionContext,
  section: RawSection | undefined,
  fallback: SourceLocation,
): SupervisordSettings {
  const here = dirname(section?.location.file ?? fallback.file);
  const empty: RawSection = { name: 'supervisord', format: 'ini', location: fallback, options: new Map() };
  // Expanded before its environment= applies (to the sections read after it), as supervisor does.
  const { values, info, rawOf } = ctx.materialize(
    section ?? empty,
    'SupervisordOptions',
    ['supervisord'],
    () => expansionScope(ctx.envExpansions, { here }),
    { envHintFor: () => envHints.supervisord },
  );
  const settings = withDefaults(info, values);
  if (values.childlogdir === undefined) settings.childlogdir = ctx.host.tmpdir;
  const at = (option: string) => rawOf(option)?.location ?? (section ?? empty).location;
  for (const option of ['logfile', 'pidfile'] as const) {
    const value = settings[option] as string;
    // Only the exact word syslog is special (supervisor's realize); NONE, auto or Syslog name a file.
    if (option === 'logfile' && value === 'syslog') continue;
    settings[option] = ctx.absolute(value);
    if (rawOf(option) !== undefined) ctx.checkParentDirectory(value, at(option), option, 'supervisord');
  }
  for (const option of ['childlogdir', 'directory'] as const) {
    const value = settings[option];
    if (typeof value !== 'string' || !(rawOf(option) !== undefined)) continue;
    // supervisor keeps the expanded path (existing_directory), so `childlogdir=~` logs into $HOME. A relative
    // childlogdir is the start's working directory's: supervisord makes its AUTO logs (mkstemp, an absolute
    // path) and clears the old ones before it changes into directory=.
    settings[option] = option === 'childlogdir' ? ctx.absolute(value) : ctx.expandUser(value);
    if (!isExistingDirectory(value, ctx.host)) {
      const what = value === '' ? 'an empty path' : value;
      ctx.error(at(option), 'SVD-CONF-NO-DIRECTORY', `${option}: ${what} is not an existing directory`, {
        section: 'supervisord',
        option,
        value,
      });
    }
  }
  if (typeof settings.user === 'string') ctx.checkUser(settings.user, at('user'), 'user', 'supervisord');
  warnDoubledPercent(ctx, rawOf('environment'));
  applyGlobalEnvironment(ctx, settings.environment as Record<string, string>);
  return settings as unknown as SupervisordSettings;
}

/** [supervisord] environment=, under every program's own, and its names as ENV_ expansions of the sections after it. */
function applyGlobalEnvironment(ctx: SectionContext, environment: Record<string, string>): void {
  ctx.globalEnvironment = environment;
  for (const [k, v] of Object.entries(environment)) ctx.envExpansions[`ENV_${k}`] = v;
}

/**
 * Only [supervisord] environment=, for a client that reads the server sections (whose %(ENV_X)s may name it) and
 * not the rest of [supervisord]. Its problems are the daemon's to report: none is added to `ctx`.
 */
export function readGlobalEnvironment(ctx: SectionContext, section: RawSection | undefined): void {
  if (section === undefined) return;
  const before = ctx.diagnostics.length;
  const here = dirname(section.location.file);
  const { values } = ctx.materialize(
    section,
    'SupervisordOptions',
    ['supervisord'],
    () => expansionScope(ctx.envExpansions, { here }),
    { only: new Set(['environment']) },
    false,
  );
  ctx.diagnostics.splice(before);
  if (values.environment !== undefined)
    applyGlobalEnvironment(ctx, values.environment as Record<string, string>);
}

/**
 * supervisor 4.2.5 expands [supervisord] environment= twice, so a file written for it says `%%%%` for a literal
 * `%`. svd expands it once, as every other option (and supervisor after 4.2.5): the child would see `%%`.
 */
function warnDoubledPercent(ctx: SectionContext, raw: RawValue | undefined): void {
  if (raw === undefined) return;
  const text = typeof raw.value === 'string' ? raw.value : JSON.stringify(raw.value ?? '');
  if (!text.includes('%%%%')) return;
  ctx.warn(
    raw.location,
    'SVD-CONF-ENV-PERCENT',
    "[supervisord] environment= has '%%%%', which svd reads as '%%' where supervisor 4.2.5 reads '%'",
    {
      section: 'supervisord',
      option: 'environment',
      hint: "supervisor 4.2.5 expands this option twice; svd once, as every other option: write '%%' for a literal '%'",
    },
  );
}

/**
 * The username and password of a server section, checked together. An option that was written but refused (its
 * own error is already reported, and it is absent from `materialized.values`) stops the check: it would report a
 * password that is written as missing.
 */
function checkCredentials(
  ctx: SectionContext,
  section: RawSection,
  settings: Record<string, unknown>,
  materialized: Pick<Materialized, 'values' | 'rawOf'>,
): void {
  const { values, rawOf } = materialized;
  const refused = (option: string) => rawOf(option) !== undefined && values[option] === undefined;
  if (refused('username') || refused('password')) return;
  const usernameAt = rawOf('username')?.location ?? section.location;
  // supervisor treats an empty username as no authentication at all, even beside a password: refuse that.
  // Both empty (`username=%(ENV_USER)s` with the variable set empty) asks for no credentials, as supervisor reads it.
  if (settings.username === '' && settings.password === '') {
    ctx.warn(
      usernameAt,
      'SVD-CONF-AUTH-EMPTY',
      `[${section.name}] username and password are both empty, so the server checks no credentials`,
      { section: section.name, option: 'username' },
    );
    return;
  }
  if (settings.username === '' && settings.password !== null) {
    ctx.error(
      usernameAt,
      'SVD-CONF-AUTH',
      `[${section.name}] username is empty beside a password, which would leave the server without authentication`,
      { section: section.name, option: 'username' },
    );
    return;
  }
  if ((settings.username === null) !== (settings.password === null)) {
    ctx.error(
      section.location,
      'SVD-CONF-AUTH',
      `[${section.name}] has incomplete authentication: set both username and password, or neither`,
      { section: section.name },
    );
  }
}

/** [unix_http_server] with defaults; `file` made absolute; its folder, chown and credentials checked. */
export function normalizeUnixServer(ctx: SectionContext, section: RawSection): UnixHttpServerSettings {
  const here = dirname(section.location.file);
  const { values, info, rawOf } = ctx.materialize(
    section,
    'UnixHttpServerOptions',
    ['unix_http_server'],
    () => expansionScope(ctx.envExpansions, { here }),
  );
  const settings = withDefaults(info, values);
  if (typeof settings.file === 'string') {
    settings.file = ctx.absolute(settings.file);
    ctx.checkParentDirectory(
      settings.file as string,
      rawOf('file')?.location ?? section.location,
      'file',
      section.name,
    );
  }
  if (typeof settings.chown === 'string')
    ctx.checkOwner(settings.chown, rawOf('chown')?.location ?? section.location, 'chown', section.name);
  checkCredentials(ctx, section, settings, { values, rawOf });
  return settings as unknown as UnixHttpServerSettings;
}

/** [inet_http_server] with defaults, port= checked with the server's own parser, credentials checked. */
export function normalizeInetServer(ctx: SectionContext, section: RawSection): InetHttpServerSettings {
  const { values, info, rawOf } = ctx.materialize(
    section,
    'InetHttpServerOptions',
    ['inet_http_server'],
    () => ctx.envExpansions,
  );
  const settings = withDefaults(info, values);
  if (typeof settings.port === 'string') {
    // The parser the server listens with, so the loader accepts exactly the forms supervisord does.
    const parsed = parseInetAddress(settings.port);
    if (!parsed.ok) {
      ctx.error(
        rawOf('port')?.location ?? section.location,
        'SVD-CONF-TYPE',
        `invalid value '${settings.port}' for port: ${parsed.message.trimEnd()}; expected host:port`,
        {
          section: section.name,
          option: 'port',
          value: settings.port,
          expected: 'host:port',
        },
      );
    }
  }
  checkCredentials(ctx, section, settings, { values, rawOf });
  return settings as unknown as InetHttpServerSettings;
}

/**
 * [supervisorctl] as supervisorctl reads it: %(ENV_X)s from the caller's own environment, and an expansion
 * that fails is a warning (supervisord never reads this section) that leaves the option at its default.
 */
export function normalizeSupervisorctl(
  ctx: SectionContext,
  section: RawSection | undefined,
): SupervisorctlSettings {
  const empty: RawSection = {
    name: 'supervisorctl',
    format: 'ini',
    location: { file: '', line: 0, column: 0 },
    options: new Map(),
  };
  const here = section ? dirname(section.location.file) : ctx.host.cwd;
  // supervisorctl's %(ENV_X)s are its own environment's: [supervisord] environment= is not among them.
  const clientEnv = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(ctx.host.env)) if (v !== undefined) clientEnv[`ENV_${k}`] = v;
  const scopeOf = (option: string) =>
    option === 'serverurl' || option === 'history_file' ? expansionScope(clientEnv, { here }) : clientEnv;
  const before = ctx.diagnostics.length;
  const { values, info } = ctx.materialize(
    section ?? empty,
    'SupervisorctlOptions',
    ['supervisorctl'],
    scopeOf,
    { envHintFor: () => envHints.supervisorctl },
    section !== undefined,
  );
  // supervisord never reads [supervisorctl]: a value that cannot be expanded is supervisorctl's (and svd ctl's)
  // problem, not the daemon's. So it is a warning here, and the option keeps its default.
  for (let i = before; i < ctx.diagnostics.length; i++) {
    const d = ctx.diagnostics[i] as Diagnostic;
    if (d.severity !== 'error' || !d.code.startsWith('SVD-CONF-EXPAND')) continue;
    ctx.diagnostics[i] = {
      ...d,
      severity: 'warning',
      message: `${d.message}; supervisord does not read [supervisorctl], but ${whoRefuses(String(d.value), scopeOf(d.option ?? ''))}`,
    };
  }
  const settings = withDefaults(info, values);
  // As supervisorctl reads them: a unix:// path and the history file normalized, ~ expanded.
  const url = settings.serverurl;
  if (typeof url === 'string' && url.startsWith('unix://'))
    settings.serverurl = `unix://${ctx.absolute(url.slice('unix://'.length))}`;
  if (typeof settings.history_file === 'string' && settings.history_file !== '')
    settings.history_file = ctx.absolute(settings.history_file);
  return settings as unknown as SupervisorctlSettings;
}

/**
 * Which clients refuse a [supervisorctl] value svd cannot expand. supervisorctl expands it with Python's `%`, which
 * takes one unnamed %s, %r or %a before any %(name) as its argument and puts the whole table of names there (the
 * value is then garbage, a password that cannot match); svd ctl refuses that, as svd refuses it everywhere.
 */
function whoRefuses(value: string, expansions: Expansions): string {
  return expand(value, expansions, '{...}').ok
    ? 'svd ctl refuses this file, and supervisorctl reads the value with its whole table of names in place of the unnamed conversion'
    : 'supervisorctl and svd ctl refuse this file';
}

/**
 * An [rpcinterface:x]; null (with a warning) for any factory but supervisor's main one, or when the factory
 * is missing (schema validation reports that).
 */
export function normalizeRpcInterface(
  ctx: SectionContext,
  section: RawSection,
  name: string,
): RpcInterfaceSpec | null {
  const here = dirname(section.location.file);
  const { values, rawOf } = ctx.materialize(section, 'RpcInterfaceOptions', ['rpcinterfaces', name], () =>
    expansionScope(ctx.envExpansions, { here }),
  );
  const factory = values['supervisor.rpcinterface_factory'];
  if (typeof factory !== 'string') return null;
  if (factory.trim() !== supervisorFactory) {
    ctx.warn(
      rawOf('supervisor.rpcinterface_factory')?.location ?? section.location,
      'SVD-CONF-RPCINTERFACE',
      `[${section.name}] is ignored: svd provides only ${supervisorFactory}, not Python plugins like ${factory}`,
      { section: section.name, option: 'supervisor.rpcinterface_factory' },
    );
    return null;
  }
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    if (k !== 'supervisor.rpcinterface_factory') options[k] = String(v);
  return { name, factory: factory.trim(), options };
}

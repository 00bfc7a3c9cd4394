// What `svd diff` and `svd apply` share: load and validate on this side (diagnostics name the user's
// paths), find the daemon the configuration names, and call its svd.* methods.
import { dirname } from 'node:path';
import type { ClientError } from '../../client/index.js';
import type { LoadResult } from '../../config/load.js';
import { configuredServer, type ConfiguredServer } from '../../client/server-url.js';
import { currentHost } from '../../config/config-host.js';
import { findDefaultConfig, loadConfig } from '../../config/load.js';
import { suggest } from '../../config/did-you-mean.js';
import type { EffectiveConfig } from '../../model/config.js';
import { formatDiagnostic, type Diagnostic } from '../../model/diagnostics.js';
import { absoluteSource, describeSource, type ConfigSource } from '../../config/config-source.js';
import type { XmlRpcValue } from '../../rpc/xmlrpc-value.js';
import { FAULT_CODES } from '../../model/faults.js';
import { ExitError, type CliIo } from '../io.js';
import { loadOptionsFrom, type SourceFlags } from './config-source.js';

/** The flags `svd diff` and `svd apply` share: source, daemon and credentials, --json, --restart-group. */
export interface ReconcileFlags extends SourceFlags {
  readonly serverurl?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly json?: boolean | undefined;
  readonly restartGroup?: boolean | string[] | undefined;
}

/** The daemon a configuration talks to: -s, else the one it configures (configuredServer). */
function serverOf(config: EffectiveConfig, flags: ReconcileFlags): ConfiguredServer {
  const configured = configuredServer(config);
  return {
    serverUrl: flags.serverurl ?? configured.serverUrl,
    username: flags.username ?? configured.username,
    password: flags.password ?? configured.password,
  };
}

/** A configuration loaded on the client's side, with the absolute source the daemon is asked to read. */
export interface LocalLoad {
  readonly result: LoadResult;
  readonly config: EffectiveConfig;
  readonly source: ConfigSource;
}

/**
 * The error for --restart-group names that are no group of `config`, else null. A misspelt name would
 * otherwise restart nothing and report success.
 */
function unknownRestartGroups(config: EffectiveConfig, flags: ReconcileFlags): string | null {
  if (!Array.isArray(flags.restartGroup)) return null;
  const names = new Set(config.groups.map((g) => g.name));
  const unknown = flags.restartGroup.filter((g) => !names.has(g));
  const first = unknown[0];
  if (first === undefined) return null;
  const hint = unknown.length === 1 ? suggest(first, names) : undefined;
  return (
    `--restart-group: no group named ${unknown.map((g) => `'${g}'`).join(', ')} in the configuration` +
    (hint ? ` (did you mean '${hint}'?)` : '')
  );
}

/**
 * Loads the configuration here; prints its problems; exits 1 when it is invalid or names unknown groups.
 * With `daemonExpands`, a `%(ENV_X)s` that this shell lacks is no error here: the daemon expands it with its
 * own environment (the one its programs get) when it plans, and reports it if it lacks the variable too.
 */
export function loadLocally(flags: ReconcileFlags, io: CliIo, daemonExpands = false): LocalLoad {
  const options = loadOptionsFrom(flags, io);
  let result = loadConfig(options);
  const missing = daemonExpands && !result.config ? missingEnvironment(result.diagnostics) : [];
  if (missing.length > 0) {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const name of missing) env[name] = '';
    const lenient = loadConfig({ ...options, host: { ...currentHost(), env } });
    if (lenient.config) {
      const names = missing.map((n) => `ENV_${n}`).join(', ');
      io.stderr.write(`svd: ${names} not set here: the daemon expands it with its own environment\n`);
      result = {
        config: lenient.config,
        diagnostics: result.diagnostics.filter((d) => d.severity !== 'error'),
      };
    }
  }
  const source = absoluteSource(
    options.configFile !== undefined ? { configFile: options.configFile } : { paths: options.paths ?? [] },
    process.cwd(),
  );
  // With --json a refusal is JSON on stdout too: the daemon's shape for an invalid source, so a tool reads one
  // shape whichever side refused; a command-line mistake has an `error` line instead of diagnostics.
  const refuse = (why: { diagnostics: readonly Diagnostic[] } | { error: string }): never => {
    io.stdout.write(JSON.stringify({ ok: false, source: describeSource(source), ...why }, null, 2) + '\n');
    throw new ExitError(1);
  };
  if (!result.config && flags.json) refuse({ diagnostics: result.diagnostics });
  printDiagnostics(result.diagnostics, io, !result.config);
  if (!result.config) throw new ExitError(1);
  const unknown = unknownRestartGroups(result.config, flags);
  if (unknown !== null && flags.json) refuse({ error: unknown });
  if (unknown !== null) {
    io.stderr.write(`svd: ${unknown}\n`);
    throw new ExitError(1);
  }
  return { result, config: result.config, source };
}

/** The variables of `%(ENV_X)s` expansions that failed, when every error is one of those; else none. */
function missingEnvironment(diagnostics: readonly Diagnostic[]): string[] {
  const names = new Set<string>();
  for (const d of diagnostics) {
    if (d.severity !== 'error') continue;
    const match = d.code === 'SVD-CONF-EXPAND-NAME' ? /%\(ENV_([^)]+)\)/.exec(d.message) : null;
    if (!match?.[1] || process.env[match[1]] !== undefined) return [];
    names.add(match[1]);
  }
  return [...names];
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIo, toStdout = false): void {
  const out = toStdout ? io.stdout : io.stderr;
  for (const d of diagnostics) out.write(formatDiagnostic(d) + '\n');
}

/**
 * What `svd diff` and `svd apply` print of the daemon's answer before their own report: with --json the answer
 * itself; a refusal's diagnostics (then exits 1); else the warnings only the daemon could give.
 */
export function printAnswer(
  answer: Record<string, unknown>,
  local: LocalLoad,
  flags: ReconcileFlags,
  io: CliIo,
): void {
  if (flags.json) io.stdout.write(JSON.stringify(answer, null, 2) + '\n');
  if (answer.ok !== true) {
    if (!flags.json) printDiagnostics((answer.diagnostics ?? []) as Diagnostic[], io, true);
    throw new ExitError(1);
  }
  if (!flags.json) printDaemonWarnings(answer, local, io);
}

/**
 * The warnings of a daemon's answer that the local load did not give (those were printed already): what only
 * the daemon can tell, such as a [supervisord] that differs from the one it runs with.
 */
function printDaemonWarnings(answer: Record<string, unknown>, local: LocalLoad, io: CliIo): void {
  const printed = new Set(local.result.diagnostics.map(formatDiagnostic));
  const fresh = ((answer.diagnostics ?? []) as Diagnostic[]).filter((d) => !printed.has(formatDiagnostic(d)));
  printDiagnostics(fresh, io);
}

function reconcileOptions(flags: ReconcileFlags): { [key: string]: XmlRpcValue } {
  const restart = flags.restartGroup;
  if (restart === true) return { restartGroups: true };
  if (Array.isArray(restart) && restart.length > 0) return { restartGroups: restart };
  return {};
}

/**
 * An svd.* answer: JSON text of {ok, diagnostics} or {ok, text, plan[, report]}; null for anything else (another
 * server, a broken proxy), which the commands could not render.
 */
function svdAnswerOf(method: 'svd.plan' | 'svd.apply', answer: unknown): Record<string, unknown> | null {
  if (typeof answer !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(answer);
  } catch {
    return null;
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value) || typeof value.ok !== 'boolean') return null;
  if (!value.ok) return Array.isArray(value.diagnostics) ? value : null;
  if (typeof value.text !== 'string' || !isObject(value.plan)) return null;
  if (method === 'svd.apply' && !(isObject(value.report) && Array.isArray(value.report.results))) return null;
  return value;
}

/**
 * Why files given with -f (and no -s) cannot be planned or applied, or null: with no [unix_http_server] or
 * [inet_http_server] they name no daemon (the default http://localhost:9001 would be tried and refused), and a
 * daemon reached with -s refuses them too (apply-checks.ts). A conf.d folder of program files is the usual case:
 * its main file, which includes the folder, is the configuration to give.
 */
function programFilesOnly(
  config: EffectiveConfig,
  flags: ReconcileFlags,
  source: ConfigSource,
): string | null {
  if (flags.serverurl !== undefined || source.configFile !== undefined) return null;
  if (config.unix_http_server !== null || config.inet_http_server !== null) return null;
  const main = findDefaultConfig(process.cwd(), dirname(process.argv[1] ?? '.'));
  return (
    `${describeSource(source)} has no [unix_http_server] or [inet_http_server], so it names no daemon, and ` +
    "applied it would become the daemon's whole configuration: give the main file that has [supervisord] " +
    `and the servers and includes these files (-c ${main ?? 'FILE'})`
  );
}

/** Calls an svd.* method of the daemon and parses its JSON answer; connection problems and odd answers exit 1. */
export async function callDaemon(
  config: EffectiveConfig,
  flags: ReconcileFlags,
  method: 'svd.plan' | 'svd.apply',
  source: ConfigSource,
  io: CliIo,
): Promise<Record<string, unknown>> {
  const unreachable = programFilesOnly(config, flags, source);
  if (unreachable !== null) {
    if (flags.json)
      io.stdout.write(
        JSON.stringify({ ok: false, source: describeSource(source), error: unreachable }, null, 2) + '\n',
      );
    else io.stderr.write(`svd: ${unreachable}\n`);
    throw new ExitError(1);
  }
  const { BadServerUrlError, createClient, isClientError, RemoteFault, TransportError } =
    await import('../../client/index.js');
  const server = serverOf(config, flags);
  const client = createClient(server);
  try {
    const sourceValue: XmlRpcValue =
      source.configFile !== undefined ? { configFile: source.configFile } : { paths: [...source.paths] };
    const answer = await client.call(method, [sourceValue, reconcileOptions(flags)]);
    const parsed = svdAnswerOf(method, answer);
    if (parsed === null) {
      io.stderr.write(
        `svd: ${server.serverUrl}: ${method} did not answer svd's JSON (is this server svd?)\n`,
      );
      throw new ExitError(1);
    }
    return parsed;
  } catch (error) {
    // supervisord has no svd.* methods, and its UNKNOWN_METHOD fault alone would not say what to do instead.
    if (error instanceof RemoteFault && error.faultCode === FAULT_CODES.UNKNOWN_METHOD) {
      io.stderr.write(
        `svd: ${server.serverUrl}: the daemon there has no ${method} (is it supervisord?): ` +
          `svd diff and svd apply need svd's daemon; supervisorctl reread and update work with either\n`,
      );
      throw new ExitError(1);
    }
    if (isClientError(error)) {
      // EACCES: the daemon runs and the socket's mode (supervisor's chmod=0700) keeps this user out.
      const hint = connectionHint(error, error instanceof TransportError && error.code === 'EACCES');
      // "unix:///x.sock no such file" names the server already. A password in the URL is not repeated.
      const url = withoutPassword(server.serverUrl);
      // supervisorctl's words for a URL without a host are Python's TypeError, which says nothing here.
      const said =
        error instanceof BadServerUrlError && error.problem === 'no-host' ? 'no host' : error.message;
      const message = said.split(server.serverUrl).join(url);
      const named = message.startsWith(url) ? '' : `${url}: `;
      io.stderr.write(`svd: ${named}${message}${hint}\n`);
      throw new ExitError(1);
    }
    throw error;
  } finally {
    client.close();
  }
}

/** What to do about a failure to reach the daemon, in a parenthesis after its message; '' when nothing to add. */
function connectionHint(error: ClientError, socketDenied: boolean): string {
  if (socketDenied)
    return " (permission denied by the socket's mode: run it as the socket's owner, often root)";
  switch (error.kind) {
    case 'unauthorized':
      return ' (wrong or missing credentials: [supervisorctl] username and password, or -u and -p)';
    case 'refused':
    case 'no-such-file':
      return ' (is the daemon running? use -s URL to name it)';
    case 'bad-url':
      return ' (-s takes unix:///path/to.sock or http://host:port)';
    default:
      return '';
  }
}

/** `http://user:secret@host/` as `http://user:***@host/`: an error line must not show a password. */
function withoutPassword(url: string): string {
  return url.replace(/^(https?:\/\/[^/@:]*):[^/@]*@/, '$1:***@');
}

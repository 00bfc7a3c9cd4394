// The ctl's settings: the command line over [supervisorctl] of the config file over the defaults (spec §1.2,
// §2.6.4). INI files are read with the config module's light INI reader and %(...)s expansion only, so the
// ctl starts without the config loader, ajv or yaml; a YAML file loads the YAML reader.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { ConfigTooLargeError, readConfigBytes } from '../config/bounded-read.js';
import { parseIni } from '../config/ini-reader.js';
import { findDefaultConfig } from '../config/default-paths.js';
import { expand, type Expansions } from '../config/interpolate.js';
import { pythonRepr } from '../model/python-repr.js';
import type { CtlArgs } from './ctl-argv.js';

/** What the ctl runs with once the command line, [supervisorctl] and the defaults are merged. */
export interface CtlSettings {
  readonly serverUrl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
  readonly historyFile: string | null;
  /** The config file read, if any. */
  readonly configFile: string | null;
}

/**
 * A failure is supervisorctl's usage error (`Error: ...`, the help hint, exit 2), or, with `uncaught`, one its
 * options code lets through as a Python exception (a file its INI parser rejects: a traceback and exit 1); svd's
 * -f reports a configuration that does not load so too, as `svd diff -f` exits 1 on one.
 */
export type CtlSettingsResult =
  | { readonly ok: true; readonly settings: CtlSettings }
  | { readonly ok: false; readonly message: string; readonly uncaught?: boolean };

const DEFAULT_SERVER_URL = 'http://localhost:9001';

/** Python's normalize_path: `~` expanded, made absolute and normalised. */
function normalizePath(path: string, cwd: string): string {
  const expanded = path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
  return resolve(cwd, expanded);
}

type Section = Readonly<Record<string, string | undefined>>;

/** The text of the config file `file` (named `given` on the command line), or supervisorctl's error. */
function readText(file: string, given: string): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: readConfigBytes(file).toString('utf8') };
  } catch (error) {
    if (error instanceof ConfigTooLargeError) return { ok: false, message: `${given}: ${error.message}` };
    // supervisorctl names the file as given and drops the reason (a folder, no permission).
    return { ok: false, message: `could not read config file ${given}` };
  }
}

/** The [supervisorctl] options of a file, or the error supervisorctl reports. */
async function readSection(
  file: string,
  given: string,
): Promise<{ ok: true; section: Section } | { ok: false; message: string; uncaught?: boolean }> {
  if (/\.ya?ml$/i.test(file)) return readYamlSection(file, given);
  const read = readText(file, given);
  if (!read.ok) return read;
  const text = read.text;
  const parsed = parseIni(text, file, { keepSection: (name) => name === 'supervisorctl' });
  const syntax = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntax)
    return {
      ok: false,
      message: `File contains parsing errors: ${file}: line ${syntax.line}: ${syntax.message}`,
      uncaught: true,
    };
  const section = parsed.file.sections.find((s) => s.name === 'supervisorctl');
  if (!section) return { ok: false, message: '.ini file does not include supervisorctl section' };
  const out: Record<string, string | undefined> = {};
  for (const key of ['serverurl', 'username', 'password', 'prompt', 'history_file']) {
    const raw = section.options.get(key) ?? parsed.file.defaults.get(key);
    if (raw !== undefined) out[key] = String(raw.value);
  }
  return { ok: true, section: out };
}

/**
 * The `supervisorctl:` options of a YAML file, read from that file alone as supervisorctl reads an INI one: its
 * includes and its programs are the daemon's business, so a mistake there does not cut the ctl off from the daemon
 * that still runs. A file with no `supervisorctl:` gives the defaults.
 */
async function readYamlSection(
  file: string,
  given: string,
): Promise<{ ok: true; section: Section } | { ok: false; message: string; uncaught?: boolean }> {
  const read = readText(file, given);
  if (!read.ok) return read;
  const text = read.text;
  const [{ parseYaml }, { formatDiagnostic }] = await Promise.all([
    import('../config/yaml-reader.js'),
    import('../model/diagnostics.js'),
  ]);
  const parsed = parseYaml(text, file);
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error) return { ok: false, message: formatDiagnostic(error), uncaught: true };
  const section = parsed.file.sections.find((s) => s.name === 'supervisorctl');
  const out: Record<string, string | undefined> = {};
  for (const key of ['serverurl', 'username', 'password', 'prompt', 'history_file']) {
    const raw = section?.options.get(key);
    if (raw !== undefined && raw.value !== null) out[key] = String(raw.value);
  }
  return { ok: true, section: out };
}

function expandOption(
  value: string,
  key: string,
  expansions: Expansions,
): { ok: true; value: string } | { ok: false; message: string } {
  const r = expand(value, expansions);
  if (r.ok) return r;
  if (r.kind === 'unknown-name') {
    const names = Object.keys(expansions).sort().join(', ');
    return {
      ok: false,
      message: `Format string ${pythonRepr(value)} for ${pythonRepr(`supervisorctl.${key}`)} contains names (${pythonRepr(r.name)}) which cannot be expanded. Available names: ${names}`,
    };
  }
  return {
    ok: false,
    message: `Format string ${pythonRepr(value)} for ${pythonRepr(`supervisorctl.${key}`)} is badly formatted: ${r.message}`,
  };
}

/** Where relative paths and the default config search start, and the environment for %(ENV_X)s. */
export interface SettingsEnvironment {
  readonly cwd: string;
  readonly binDir: string;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The ctl's settings: each option from the command line, else [supervisorctl] of the -c file (or of the
 * first file of the default search path), else supervisorctl's default. With -f, the daemon those files
 * configure. A missing -c file or an unexpandable value is a usage error, not an exception.
 */
export async function resolveCtlSettings(
  args: CtlArgs,
  where: SettingsEnvironment,
): Promise<CtlSettingsResult> {
  if (args.files.length > 0) return settingsFromFiles(args, where);
  let file: string | null = null;
  if (args.configuration !== undefined) {
    file = resolve(where.cwd, args.configuration);
    if (!existsSync(file)) return { ok: false, message: `could not find config file ${args.configuration}` };
  } else {
    file = findDefaultConfig(where.cwd, where.binDir);
  }
  const values: Record<string, string | null> = {
    serverurl: DEFAULT_SERVER_URL,
    username: null,
    password: null,
    prompt: 'supervisor',
    history_file: null,
  };
  if (file !== null) {
    const read = await readSection(file, args.configuration ?? file);
    if (!read.ok) return read;
    const env: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(where.env)) if (v !== undefined) env[`ENV_${k}`] = v;
    const withHere: Expansions = { ...env, here: dirname(file) };
    for (const [key, raw] of Object.entries(read.section)) {
      if (raw === undefined) continue;
      const r = expandOption(raw, key, key === 'serverurl' || key === 'history_file' ? withHere : env);
      if (!r.ok) return r;
      values[key] = r.value;
    }
    const url = values.serverurl as string;
    if (url.startsWith('unix://')) values.serverurl = `unix://${normalizePath(url.slice(7), where.cwd)}`;
    values.history_file = values.history_file ? normalizePath(values.history_file, where.cwd) : null;
  }
  return {
    ok: true,
    settings: {
      serverUrl: args.serverurl ?? (values.serverurl as string),
      username: args.username ?? values.username ?? null,
      password: args.password ?? values.password ?? null,
      prompt: values.prompt ?? 'supervisor',
      historyFile: args.historyFile ?? values.history_file ?? null,
      configFile: file,
    },
  };
}

/**
 * svd's -f: the daemon the files or folders configure (its socket or port, and its credentials), as
 * `svd diff -f` finds it, with [supervisorctl]'s prompt and history file. Only those sections are read
 * strictly: a mistake in a program is for `update` to report, as supervisorctl's CANT_REREAD.
 */
async function settingsFromFiles(args: CtlArgs, where: SettingsEnvironment): Promise<CtlSettingsResult> {
  if (args.configuration !== undefined)
    return { ok: false, message: 'use either -c FILE or -f PATH, not both' };
  const [{ loadControlSettings }, { configuredServer }, { formatDiagnostic }] = await Promise.all([
    import('../config/load.js'),
    import('../client/server-url.js'),
    import('../model/diagnostics.js'),
  ]);
  const { settings: config, diagnostics } = loadControlSettings({
    paths: args.files.map((f) => resolve(where.cwd, f)),
  });
  if (!config) {
    const first = diagnostics.find((d) => d.severity === 'error');
    const problem = first ? formatDiagnostic(first) : 'the configuration could not be read';
    // The daemon itself keeps running on its last good configuration: -s still reaches it.
    return { ok: false, message: `${problem} (name the daemon with -s URL meanwhile)`, uncaught: true };
  }
  const server = configuredServer(config);
  const historyFile = config.supervisorctl.history_file;
  return {
    ok: true,
    settings: {
      serverUrl: args.serverurl ?? server.serverUrl,
      username: args.username ?? server.username,
      password: args.password ?? server.password,
      prompt: config.supervisorctl.prompt,
      historyFile: args.historyFile ?? (historyFile ? normalizePath(historyFile, where.cwd) : null),
      configFile: null,
    },
  };
}

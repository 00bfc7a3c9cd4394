// Pure: one program, event listener or fcgi-program section -> its ProcessSpecs (spec §2.6.5-§2.6.7):
// numprocs expansion, per-process %(...)s names, supervisor's defaults, and the checks of each process.
import { dirname } from 'node:path';
import type { ProcessSpec, ProgramSettings } from '../model/config.js';
import { envHints, expansionFailure } from './expansion-failure.js';
import { expand, expansionScope, type Expansions } from './interpolate.js';
import { processSpecLiteral, programSettingsLiteral } from './process-spec-literal.js';
import { splitCommand } from './split-command.js';
import { forbiddenInName } from './name-rules.js';
import type { RawSection, RawValue } from './raw-section.js';
import { sectionInfo, svdSchema } from './schema-info.js';
import { withDefaults, type SectionContext } from './section-context.js';

/** A [program:x], [eventlistener:x] or [fcgi-program:x] section, by the kind and name its header gives. */
export interface ProgramSource {
  readonly kind: 'program' | 'eventlistener' | 'fcgi-program';
  readonly name: string;
  readonly section: RawSection;
}

const definitionOf = {
  program: 'ProgramOptions',
  eventlistener: 'EventListenerOptions',
  'fcgi-program': 'FcgiProgramOptions',
} as const;
const documentKeyOf = {
  program: 'programs',
  eventlistener: 'eventlisteners',
  'fcgi-program': 'fcgi_programs',
} as const;

/** Options expanded once per process, with process_num, numprocs and the program's ENV_ names. */
const perProcessOptions = new Set([
  'command',
  'process_name',
  'environment',
  'directory',
  'stdout_logfile',
  'stdout_logfile_backups',
  'stdout_logfile_maxbytes',
  'stdout_syslog',
  'stderr_logfile',
  'stderr_logfile_backups',
  'stderr_logfile_maxbytes',
  'stderr_syslog',
]);
const expandedTwice = new Set(['stdout_logfile', 'stderr_logfile']);
const verbatimProcessName = new Set(['process_name']);
const onlyEnvironment = new Set(['environment']);
const countOptions = ['numprocs', 'numprocs_start'] as const;
const onlyCounts = new Set<string>(countOptions);
const programInfo = sectionInfo('ProgramOptions');
/** `numprocs=99999999999` (a typo) would build processes until memory ran out, before validation refused it. */
const maxNumprocs = svdSchema.definitions['ProgramOptions']?.properties['numprocs']?.maximum ?? Infinity;
const programDefaults = withDefaults(programInfo, {});

/** A program section's processes, and its first process's option values. */
export interface BuiltProgram {
  readonly processes: ProcessSpec[];
  readonly values: Record<string, unknown>;
}

/**
 * The processes of one program, event listener or fcgi-program section in group `groupName`: numprocs
 * expanded, each process's options expanded with its process_num, checked, with supervisor's defaults.
 * `record` writes the first process's values into the effective document (a section listed by several
 * groups is recorded once). `values` are the first process's, which the group settings read (priority,
 * events, socket).
 */
export function buildProcesses(
  ctx: SectionContext,
  source: ProgramSource,
  groupName: string,
  record: boolean,
): BuiltProgram {
  const { section, name, kind } = source;
  const definition = definitionOf[kind];
  const docPath = [documentKeyOf[kind], name];
  const common: Expansions = expansionScope(ctx.envExpansions, {
    here: dirname(section.location.file),
    program_name: name,
    host_node_name: ctx.host.hostname,
    group_name: groupName,
  });
  const sets = (option: string) => section.options.has(option) || ctx.defaults.has(option);
  // Most sections set neither count nor environment: their passes are skipped (10,000 programs, 3 -> 1).
  const counts = countOptions.some(sets)
    ? ctx.materialize(section, definition, docPath, () => common, { only: onlyCounts }, false).values
    : {};
  const hasEnvironment = sets('environment');
  const numprocs = typeof counts.numprocs === 'number' ? counts.numprocs : 1;
  // Past the schema's maximum, one instance stands for the program until validation refuses the value.
  const built = numprocs > maxNumprocs ? 1 : numprocs;
  const start = typeof counts.numprocs_start === 'number' ? counts.numprocs_start : 0;
  const processes: ProcessSpec[] = [];
  let firstValues: Record<string, unknown> = {};
  const programHint = envHints.program(section.name);

  for (let i = 0; i < Math.max(built, 1); i++) {
    const processNum = start + i;
    const instance = expansionScope(common, { process_num: processNum, numprocs });
    // environment= first: its names are ENV_ expansions of the program's other options.
    const programEnv = hasEnvironment
      ? ctx.materialize(section, definition, docPath, () => instance, { only: onlyEnvironment }, false).values
          .environment
      : undefined;
    const ownEnv: Record<string, string> = {};
    if (programEnv !== undefined)
      for (const [k, v] of Object.entries(programEnv as Record<string, string>)) ownEnv[`ENV_${k}`] = v;
    const withProgramEnv = expansionScope(instance, ownEnv);
    const result = ctx.materialize(
      section,
      definition,
      docPath,
      (option) => (perProcessOptions.has(option) ? withProgramEnv : common),
      {
        expandTwice: expandedTwice,
        verbatim: verbatimProcessName,
        skip: onlyEnvironment,
        envHintFor: (option) => (perProcessOptions.has(option) ? programHint : envHints.global),
      },
      record && i === 0,
    );
    // Set after the pass, on the same values object the document holds.
    if (programEnv !== undefined) result.values.environment = programEnv;
    if (i === 0) firstValues = result.values;
    if (numprocs === 0) break;
    const spec = toProcessSpec(
      ctx,
      source,
      groupName,
      processNum,
      numprocs,
      result.values,
      result.rawOf,
      withProgramEnv,
    );
    if (spec) processes.push(spec);
  }
  return { processes, values: firstValues };
}

function toProcessSpec(
  ctx: SectionContext,
  source: ProgramSource,
  groupName: string,
  processNum: number,
  numprocs: number,
  values: Record<string, unknown>,
  raw: (option: string) => RawValue | undefined,
  expansions: Expansions,
): ProcessSpec | null {
  const { section, name: programName } = source;
  const at = (option: string) => raw(option)?.location ?? section.location;
  const extra = (option: string) => ({ section: section.name, option });
  const settings = programSettingsLiteral(values, programDefaults) as unknown as Record<string, unknown>;
  if (source.kind === 'eventlistener' && values.priority === undefined) settings.priority = 999;
  settings.environment = { ...ctx.globalEnvironment, ...(settings.environment as Record<string, string>) };

  const template = String(settings.process_name);
  if (numprocs > 1 && !template.includes('%(process_num)')) {
    ctx.error(
      raw('process_name')?.location ?? at('numprocs'),
      'SVD-CONF-PROCESS-NAME',
      `process_name must contain %(process_num) when numprocs > 1 (numprocs is ${numprocs})`,
      extra('process_name'),
    );
    return null;
  }
  const expandedName = expand(template, expansions);
  if (!expandedName.ok) {
    const failure = expansionFailure(
      'process_name',
      'process_name',
      template,
      expandedName,
      expansions,
      envHints.program(section.name),
    );
    const written = raw('process_name');
    ctx.error(written?.locationAt?.(expandedName.at) ?? at('process_name'), failure.code, failure.message, {
      ...extra('process_name'),
      hint: failure.hint,
    });
    return null;
  }
  const processName = expandedName.value.trim();
  const badChar = forbiddenInName(processName);
  if (processName === '' || badChar !== undefined) {
    ctx.error(
      at('process_name'),
      'SVD-CONF-NAME',
      processName === ''
        ? 'process_name expands to an empty name'
        : `process_name '${processName}' must not contain '${badChar}'`,
      extra('process_name'),
    );
    return null;
  }
  settings.process_name = template;

  if (values.killasgroup === undefined) settings.killasgroup = settings.stopasgroup;
  if (settings.stopasgroup === true && settings.killasgroup === false) {
    ctx.error(
      at('killasgroup'),
      'SVD-CONF-STOPASGROUP',
      'cannot set stopasgroup=true and killasgroup=false (stopasgroup implies killasgroup)',
      extra('killasgroup'),
    );
  }
  if (typeof settings.command === 'string' && settings.command.trim() === '') {
    ctx.warn(
      at('command'),
      'SVD-CONF-EMPTY-COMMAND',
      `[${section.name}] has an empty command; the process will fail to spawn`,
      extra('command'),
    );
  }
  const split = typeof settings.command === 'string' ? splitCommand(settings.command) : null;
  if (split && !split.ok) {
    // supervisor takes the file and fails each start (spawnerr "can't parse command", then FATAL).
    ctx.warn(
      at('command'),
      'SVD-CONF-COMMAND-UNPARSABLE',
      `[${section.name}] command cannot be split into words (${split.error}); the process will fail to spawn`,
      {
        ...extra('command'),
        hint: "in INI, ' ;' and ' #' start a comment, which may have cut the command short",
      },
    );
  }
  if (typeof settings.serverurl === 'string' && settings.serverurl.toUpperCase() === 'AUTO')
    settings.serverurl = 'AUTO';
  if (typeof settings.user === 'string') ctx.checkUser(settings.user, at('user'), 'user', section.name);

  for (const channel of ['stdout', 'stderr'] as const) {
    const key = `${channel}_logfile` as const;
    if (settings[key] === 'syslog') {
      ctx.warn(
        at(key),
        'SVD-CONF-DEPRECATED',
        `${key}=syslog is deprecated; use ${channel}_syslog=true`,
        extra(key),
      );
      settings[key] = 'NONE';
      settings[`${channel}_syslog`] = true;
    }
    const value = settings[key] as string;
    if (
      value === 'AUTO' &&
      settings[`${channel}_logfile_maxbytes`] === 0 &&
      !(channel === 'stderr' && settings.redirect_stderr)
    ) {
      ctx.warn(
        at(key),
        'SVD-CONF-AUTO-NO-ROTATION',
        `AUTO logging used for ${key} without rotation; set ${key}_maxbytes > 0 so it cannot fill the disk`,
        extra(key),
      );
    }
    if (value !== 'AUTO' && value !== 'NONE' && !(channel === 'stderr' && settings.redirect_stderr)) {
      settings[key] = ctx.expandUser(value);
      ctx.checkParentDirectory(value, at(key), key, section.name);
    }
  }
  if (settings.redirect_stderr === true) {
    const stderr = settings.stderr_logfile;
    if (stderr !== 'AUTO' && stderr !== 'NONE') {
      ctx.warn(
        at('stderr_logfile'),
        'SVD-CONF-REDIRECT',
        'redirect_stderr=true, so stderr_logfile is ignored',
        extra('stderr_logfile'),
      );
    }
    settings.stderr_logfile = 'NONE';
  }
  return processSpecLiteral(settings as unknown as ProgramSettings, {
    name: processName,
    group: groupName,
    program: programName,
    process_num: processNum,
    source: section.location,
  });
}

// Pure: programs, event listeners, fcgi-programs and groups -> GroupSpec[] with one ProcessSpec per
// process (spec §2.6.5-§2.6.10): numprocs expansion, per-process %(...)s names, defaults, checks.
import { dirname } from 'node:path';
import type {
  EventListenerPoolSettings,
  FcgiSocketSettings,
  GroupKind,
  GroupSpec,
  ProcessSpec,
  ProgramSettings,
} from '../model/config.js';
import { isEventType } from '../model/event-types.js';
import { DEFAULT_RESULT_HANDLER, RESULT_HANDLERS, isResultHandlerName } from '../model/result-handlers.js';
import type { SourceLocation } from '../model/diagnostics.js';
import { expand, expansionScope, type Expansions } from './interpolate.js';
import { writtenName, type RawSection } from './raw-section.js';
import { sectionInfo, svdSchema } from './schema-info.js';
import { withDefaults, type SectionContext } from './section-context.js';
import { processSpecLiteral, programSettingsLiteral } from './process-spec-literal.js';
import { parseFcgiAddress } from '../model/fcgi-address.js';
import { normPath } from './path-checks.js';

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

interface BuiltProgram {
  readonly processes: ProcessSpec[];
  readonly values: Record<string, unknown>;
}

function buildProcesses(
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
      { expandTwice: expandedTwice, verbatim: verbatimProcessName, skip: onlyEnvironment },
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
  raw: (option: string) => { location: SourceLocation } | undefined,
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
    ctx.error(
      at('process_name'),
      'SVD-CONF-EXPAND-NAME',
      `process_name: ${expandedName.message} in '${template}'`,
      extra('process_name'),
    );
    return null;
  }
  const processName = expandedName.value.trim();
  const badChar = [' ', ':', '/'].find((c) => processName.includes(c));
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

function sortedByPriorityAndName(processes: ProcessSpec[]): ProcessSpec[] {
  return processes.sort(
    (a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

function listenerSettings(
  ctx: SectionContext,
  source: ProgramSource,
  values: Record<string, unknown>,
): EventListenerPoolSettings {
  const at = (option: string) => source.section.options.get(option)?.location ?? source.section.location;
  const events: string[] = [];
  for (const event of (values.events as string[] | undefined) ?? []) {
    const upper = event.toUpperCase();
    // A set, as supervisor keeps it: a type named twice is delivered once and shown once.
    if (isEventType(upper)) {
      if (!events.includes(upper)) events.push(upper);
    } else
      ctx.error(
        at('events'),
        'SVD-CONF-EVENT',
        `unknown event type ${event} in [${source.section.name}] events`,
        { section: source.section.name, option: 'events', value: event },
      );
  }
  if (values.redirect_stderr === true) {
    ctx.error(
      at('redirect_stderr'),
      'SVD-CONF-REDIRECT',
      `[${source.section.name}] sets redirect_stderr=true, which is not allowed: it would interfere with the event listener protocol`,
      { section: source.section.name, option: 'redirect_stderr' },
    );
  }
  const handler =
    typeof values.result_handler === 'string' ? values.result_handler.trim() : DEFAULT_RESULT_HANDLER;
  if (!isResultHandlerName(handler)) {
    ctx.error(
      at('result_handler'),
      'SVD-CONF-RESULT-HANDLER',
      `result_handler ${handler} cannot be used: svd provides ${RESULT_HANDLERS.join(' and ')}`,
      { section: source.section.name, option: 'result_handler' },
    );
  }
  return {
    events: events as EventListenerPoolSettings['events'],
    buffer_size: typeof values.buffer_size === 'number' ? values.buffer_size : 10,
    result_handler: handler,
  };
}

function fcgiSettings(
  ctx: SectionContext,
  source: ProgramSource,
  values: Record<string, unknown>,
): FcgiSocketSettings {
  const at = (option: string) => source.section.options.get(option)?.location ?? source.section.location;
  const settings = withDefaults(sectionInfo('FcgiProgramOptions'), values);
  const socket = String(settings.socket ?? '');
  if (
    socket.startsWith('tcp://') &&
    (values.socket_owner !== undefined || values.socket_mode !== undefined)
  ) {
    ctx.error(
      at('socket'),
      'SVD-CONF-FCGI',
      'socket_owner and socket_mode can only be used with a unix:// socket',
      { section: source.section.name, option: 'socket' },
    );
  }
  if (typeof settings.socket_owner === 'string')
    ctx.checkOwner(settings.socket_owner, at('socket_owner'), 'socket_owner', source.section.name);
  // The spawn parses it the same way: a tcp form it could not listen on is refused at load, as supervisor does.
  if (socket.startsWith('tcp://') && parseFcgiAddress(socket) === null)
    ctx.error(
      at('socket'),
      'SVD-CONF-FCGI',
      `socket: '${socket}' is not tcp://host:port with a host without ':' or blanks and a port from 1 to 65535`,
      { section: source.section.name, option: 'socket', value: socket },
    );
  // As supervisor's socket URL: a unix path normalized (normpath), a tcp host lower-cased.
  const address = parseFcgiAddress(socket);
  return {
    socket: address?.kind === 'unix' ? `unix://${normPath(address.path)}` : (address?.url ?? socket),
    socket_backlog: (settings.socket_backlog as number | null) ?? null,
    socket_owner: (settings.socket_owner as string | null) ?? null,
    socket_mode: String(settings.socket_mode),
  };
}

export function normalizeGroups(
  ctx: SectionContext,
  sources: readonly ProgramSource[],
  groupSections: readonly RawSection[],
): GroupSpec[] {
  const groups: GroupSpec[] = [];
  const groupNames = new Map<string, RawSection>();
  const claim = (name: string, section: RawSection): boolean => {
    const previous = groupNames.get(name);
    if (previous) {
      ctx.error(
        section.location,
        'SVD-CONF-DUPLICATE-GROUP',
        `group name '${name}' of [${section.name}] is already used by [${previous.name}] at ${previous.location.file}:${previous.location.line}`,
        { section: section.name },
      );
      return false;
    }
    groupNames.set(name, section);
    return true;
  };
  // Keyed by the name as written in the header, as supervisor's group lookup is (see writtenName).
  const runnable = new Map<string, ProgramSource[]>();
  for (const source of sources) {
    if (source.kind === 'eventlistener') continue;
    const key = writtenName(source.section);
    const defined = runnable.get(key);
    if (defined) defined.push(source);
    else runnable.set(key, [source]);
  }
  const recorded = new Set<ProgramSource>();
  const listed = new Set<string>();

  for (const section of groupSections) {
    const name = section.name.slice('group:'.length).trim();
    const here = dirname(section.location.file);
    const { values, info } = ctx.materialize(section, 'GroupOptions', ['groups', name], () =>
      expansionScope(ctx.envExpansions, { here }),
    );
    const settings = withDefaults(info, values);
    const programsAt = section.options.get('programs')?.location ?? section.location;
    const processes: ProcessSpec[] = [];
    for (const programName of settings.programs as string[]) {
      listed.add(programName);
      const candidates = runnable.get(programName) ?? [];
      const source = candidates[0];
      if (!source) {
        ctx.error(
          programsAt,
          'SVD-CONF-UNKNOWN-PROGRAM',
          `[group:${name}] names unknown program or fcgi-program '${programName}'`,
          { section: section.name, option: 'programs', value: programName },
        );
        continue;
      }
      if (candidates.length > 1) {
        ctx.error(
          programsAt,
          'SVD-CONF-AMBIGUOUS-PROGRAM',
          `[group:${name}] name '${programName}' is ambiguous (it exists as program and fcgi-program)`,
          { section: section.name, option: 'programs' },
        );
        continue;
      }
      const built = buildProcesses(ctx, source, name, !recorded.has(source));
      recorded.add(source);
      processes.push(...sortedByPriorityAndName(built.processes));
    }
    if (claim(name, section))
      groups.push(groupSpec(ctx, name, 'group', settings.priority as number, processes, section));
  }

  for (const source of sources) {
    if (source.kind !== 'eventlistener' && listed.has(writtenName(source.section))) continue;
    const built = buildProcesses(ctx, source, source.name, true);
    const priority =
      typeof built.values.priority === 'number'
        ? built.values.priority
        : source.kind === 'eventlistener'
          ? -1
          : 999;
    if (!claim(source.name, source.section)) continue;
    const kind: GroupKind = source.kind;
    const spec = groupSpec(
      ctx,
      source.name,
      kind,
      priority,
      sortedByPriorityAndName(built.processes),
      source.section,
    );
    if (source.kind === 'eventlistener')
      groups.push({ ...spec, eventlistener: listenerSettings(ctx, source, built.values) });
    else if (source.kind === 'fcgi-program')
      groups.push({ ...spec, fcgi: fcgiSettings(ctx, source, built.values) });
    else groups.push(spec);
  }
  return groups.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function groupSpec(
  ctx: SectionContext,
  name: string,
  kind: GroupKind,
  priority: number,
  processes: ProcessSpec[],
  section: RawSection,
): GroupSpec {
  const seen = new Map<string, ProcessSpec>();
  for (const p of processes) {
    const previous = seen.get(p.name);
    if (previous) {
      ctx.error(
        p.source,
        'SVD-CONF-DUPLICATE-PROCESS',
        `process name '${p.name}' is used twice in group '${name}' (also by [program:${previous.program}] at ${previous.source.file}:${previous.source.line})`,
        { section: section.name },
      );
    }
    seen.set(p.name, p);
  }
  return { name, kind, priority, processes, source: section.location };
}

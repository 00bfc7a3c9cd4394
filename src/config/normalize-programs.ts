// Pure: programs, event listeners, fcgi-programs and groups -> GroupSpec[] (spec §2.6.5-§2.6.10): which group
// each section's processes join (program-processes.ts builds them), group priorities and names, duplicates, and
// the settings of an event listener pool and of an fcgi-program's socket.
import { dirname } from 'node:path';
import type {
  EventListenerPoolSettings,
  FcgiSocketSettings,
  GroupKind,
  GroupSpec,
  ProcessSpec,
} from '../model/config.js';
import { isEventType } from '../model/event-types.js';
import { parseFcgiAddress } from '../model/fcgi-address.js';
import { DEFAULT_RESULT_HANDLER, RESULT_HANDLERS, isResultHandlerName } from '../model/result-handlers.js';
import { expansionScope } from './interpolate.js';
import { normPath } from './path-checks.js';
import { buildProcesses, type ProgramSource } from './program-processes.js';
import { writtenName, type RawSection } from './raw-section.js';
import { sectionInfo } from './schema-info.js';
import { withDefaults, type SectionContext } from './section-context.js';

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
  // A value of the wrong shape altogether (no port) is the schema's to refuse: one error for one mistake.
  if (/^tcp:\/\/.+:[0-9]+$/.test(socket) && parseFcgiAddress(socket) === null)
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

/**
 * Every group, by priority then name: each [group:x] with the programs and fcgi-programs it lists, then each
 * such section no group lists, and every event listener, as a group of its own. Errors (an unknown or ambiguous
 * program, a group or process name used twice) go to `ctx`, whose diagnostics then refuse the configuration.
 */
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

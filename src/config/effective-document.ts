// Pure: the effective configuration as a schema document (what `svd config` prints). numprocs and
// heterogeneous groups become one program section per process, joined by a [group:x]; an event listener
// pool or fcgi program stays one section, its per-process values written as %(process_num) templates. Read
// back, the document gives the same effective configuration.
import type { EffectiveConfig, GroupSpec, ProcessSpec } from '../model/config.js';
import { expand } from './interpolate.js';
import { escapePercent, processNumTemplate } from './process-num-template.js';
import { sectionInfo } from './schema-info.js';

type Doc = Record<string, unknown>;

const programOptionNames = [...sectionInfo('ProgramOptions').options.keys()];
/** Options whose text supervisor expands twice, so a literal % is written %%%%. */
const twice = new Set(['stdout_logfile', 'stderr_logfile']);

function escapeValue(option: string, value: unknown): unknown {
  if (typeof value === 'string') return escapePercent(value, twice.has(option) ? 2 : 1);
  if (option === 'environment' && value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, string>).map(([k, v]) => [k, escapePercent(v)]),
    );
  }
  return value;
}

function escapeAll(values: object): Doc {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeValue(k, v)]));
}

/** One process as a section of its own: its name and its values literal, numprocs 1. */
function programOptions(p: ProcessSpec): Doc {
  const out: Doc = {};
  for (const option of programOptionNames) {
    const value = (p as unknown as Doc)[option];
    if (value === undefined || value === null) continue;
    out[option] = escapeValue(option, value);
  }
  out.process_name = escapePercent(p.name);
  out.numprocs = 1;
  out.numprocs_start = 0;
  return out;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/** One option of a pool, written so that each process reads its own value; undefined when it cannot be. */
function poolValue(option: string, values: readonly unknown[], nums: readonly number[]): unknown {
  const first = values[0];
  if (values.every((v) => same(v, first))) return escapeValue(option, first);
  const times = twice.has(option) ? 2 : 1;
  if (values.every((v) => typeof v === 'string'))
    return processNumTemplate(values as string[], nums, times) ?? undefined;
  // A number or boolean that differs between processes was a template too: its text (supervisor reads 1 as true).
  if (values.every((v) => typeof v === 'number' || typeof v === 'boolean'))
    return (
      processNumTemplate(
        values.map((v) => (typeof v === 'boolean' ? (v ? '1' : '0') : String(v))),
        nums,
        times,
      ) ?? undefined
    );
  if (option !== 'environment') return undefined;
  const maps = values as Record<string, string>[];
  const names = Object.keys(maps[0] ?? {});
  // A YAML environment's names are not expanded, so names that differ between processes cannot be written.
  if (!maps.every((m) => same(Object.keys(m), names))) return undefined;
  const out: Record<string, string> = {};
  for (const name of names) {
    const template = processNumTemplate(
      maps.map((m) => m[name] ?? ''),
      nums,
      1,
    );
    if (template === null) return undefined;
    out[name] = template;
  }
  return out;
}

/**
 * The process_name of a pool: its own template when that names every process without %(here)s, %(ENV_x)s or
 * %(host_node_name)s (whose values may differ where the document is read), else one of %(process_num) alone.
 */
function nameTemplate(processes: readonly ProcessSpec[], nums: readonly number[]): string {
  const own = processes[0]?.process_name ?? '';
  const names = processes.map((p) => p.name);
  const portable = processes.every((p) => {
    const scope = { program_name: p.program, group_name: p.group, process_num: p.process_num };
    const r = expand(own, { ...scope, numprocs: processes.length });
    return r.ok && r.value.trim() === p.name;
  });
  return portable ? own : (processNumTemplate(names, nums, 1) ?? own);
}

/**
 * A pool or fcgi program keeps its numprocs form: its processes share the pool or the socket. Each option
 * whose value differs between the processes is written as a template of %(process_num) that gives each its
 * own; one that no such template gives is written as the first process's, with a warning.
 */
function templated(group: GroupSpec, header: string, warnings: string[]): Doc {
  const processes = [...group.processes].sort((a, b) => a.process_num - b.process_num);
  const first = processes[0];
  // supervisor reads no per-process option of a pool without processes, command included.
  if (!first) return { numprocs: 0 };
  const nums = processes.map((p) => p.process_num);
  const out: Doc = {};
  for (const option of programOptionNames) {
    if (option === 'numprocs') out.numprocs = processes.length;
    else if (option === 'numprocs_start') out.numprocs_start = first.process_num;
    else if (option === 'process_name') out.process_name = nameTemplate(processes, nums);
    else {
      const values = processes.map((p) => (p as unknown as Doc)[option]);
      if (values[0] === undefined || values[0] === null) continue;
      const value = poolValue(option, values, nums);
      if (value !== undefined) out[option] = value;
      else {
        out[option] = escapeValue(option, values[0]);
        warnings.push(
          `[${header}] ${option}: its values differ between the processes in a way no %(process_num) template gives; every process reads ${first.name}'s`,
        );
      }
    }
  }
  return out;
}

/**
 * The schema document of an effective configuration (`svd config`): null values dropped, `%` escaped so
 * that expansion gives each value back (twice in *_logfile, which supervisor expands twice), and a group of
 * several processes written as one section per process with its [group:x]. A pool's option whose values
 * differ between its processes is a %(process_num) template; one that no template gives (a process_num
 * rendered in a way svd does not try) is written as the first process's, and `warnings` says so.
 */
export function effectiveDocument(config: EffectiveConfig, warnings: string[] = []): Doc {
  const doc: Doc = { supervisord: escapeAll(config.supervisord) };
  if (config.unix_http_server) doc.unix_http_server = escapeAll(config.unix_http_server);
  if (config.inet_http_server) doc.inet_http_server = escapeAll(config.inet_http_server);
  doc.supervisorctl = escapeAll(config.supervisorctl);
  const strip = (d: Doc) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== null));
  for (const key of ['supervisord', 'unix_http_server', 'inet_http_server', 'supervisorctl']) {
    if (doc[key]) doc[key] = strip(doc[key] as Doc);
  }
  if (config.rpcinterfaces.length > 0) {
    doc.rpcinterfaces = Object.fromEntries(
      config.rpcinterfaces.map((r) => [
        r.name,
        { 'supervisor.rpcinterface_factory': r.factory, ...r.options },
      ]),
    );
  }
  const programs: Doc = {};
  const groups: Doc = {};
  const eventlisteners: Doc = {};
  const fcgi: Doc = {};
  const used = new Set(config.groups.map((g) => g.name));
  const sectionNameFor = (group: GroupSpec, p: ProcessSpec): string => {
    let name = p.name;
    for (let n = 2; (name !== group.name && used.has(name)) || programs[name] !== undefined; n++) {
      name = `${group.name}_${p.name}${n > 2 ? `_${n - 1}` : ''}`;
    }
    used.add(name);
    return name;
  };

  for (const group of config.groups) {
    if (group.kind === 'eventlistener' && group.eventlistener) {
      const pool = templated(group, `eventlistener:${group.name}`, warnings);
      const defaultPriorities = group.priority === -1 && group.processes.every((p) => p.priority === 999);
      if (defaultPriorities) delete pool.priority;
      else pool.priority = group.priority;
      eventlisteners[group.name] = { ...pool, ...escapeAll(group.eventlistener) };
      continue;
    }
    if (group.kind === 'fcgi-program' && group.fcgi) {
      const socket = strip(escapeAll(group.fcgi));
      // Owner and mode belong to a unix socket; written beside a tcp:// one, the document would not load again.
      if (!group.fcgi.socket.startsWith('unix://')) {
        delete socket.socket_owner;
        delete socket.socket_mode;
      }
      fcgi[group.name] = {
        ...templated(group, `fcgi-program:${group.name}`, warnings),
        ...socket,
        priority: group.priority,
      };
      continue;
    }
    const only = group.processes[0];
    if (group.kind === 'program' && group.processes.length === 1 && only && only.name === group.name) {
      programs[group.name] = { ...programOptions(only), priority: group.priority };
      continue;
    }
    if (group.kind === 'program' && group.processes.length === 0) {
      programs[group.name] = { numprocs: 0, priority: group.priority };
      continue;
    }
    const members: string[] = [];
    for (const p of group.processes) {
      const name = sectionNameFor(group, p);
      programs[name] = programOptions(p);
      members.push(name);
    }
    groups[group.name] = { programs: members, priority: group.priority };
  }
  if (Object.keys(programs).length) doc.programs = programs;
  if (Object.keys(groups).length) doc.groups = groups;
  if (Object.keys(eventlisteners).length) doc.eventlisteners = eventlisteners;
  if (Object.keys(fcgi).length) doc.fcgi_programs = fcgi;
  return doc;
}

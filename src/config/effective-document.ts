// Pure: the effective configuration as a schema document (what `svd config` prints). numprocs and
// heterogeneous groups become one program section per process, joined by a [group:x], so reading
// the document back gives the same effective configuration.
import type { EffectiveConfig, GroupSpec, ProcessSpec } from '../model/config.js';
import { sectionInfo } from './schema-info.js';

type Doc = Record<string, unknown>;

const programOptionNames = [...sectionInfo('ProgramOptions').options.keys()];
/** Options whose text supervisor expands twice, so a literal % is written %%%%. */
const twice = new Set(['stdout_logfile', 'stderr_logfile']);

/** Escapes a value so that %(...)s expansion gives it back. */
function escapePercent(value: string, times = 1): string {
  let out = value;
  for (let i = 0; i < times; i++) out = out.replace(/%/g, '%%');
  return out;
}

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

function programOptions(p: ProcessSpec, literalName: boolean): Doc {
  const out: Doc = {};
  for (const option of programOptionNames) {
    const value = (p as unknown as Doc)[option];
    if (value === undefined || value === null) continue;
    out[option] = escapeValue(option, value);
  }
  if (literalName) {
    out.process_name = escapePercent(p.name);
    out.numprocs = 1;
    out.numprocs_start = 0;
  } else {
    out.process_name = p.process_name;
  }
  return out;
}

/** A pool or fcgi program keeps its numprocs form: its processes share the pool or the socket. */
function templated(group: GroupSpec): Doc {
  const first = group.processes[0];
  const out: Doc = first
    ? programOptions(first, group.processes.length === 1 && first.name === group.name)
    : {};
  if (first && group.processes.length !== 1) {
    out.numprocs = group.processes.length;
    out.numprocs_start = first.process_num;
  }
  if (!first) out.numprocs = 0;
  return out;
}

/**
 * The schema document of an effective configuration (`svd config`): null values dropped, `%` escaped so
 * that expansion gives each value back (twice in *_logfile, which supervisor expands twice), and a group of
 * several processes written as one section per process with its [group:x].
 */
export function effectiveDocument(config: EffectiveConfig): Doc {
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
      const pool = templated(group);
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
      fcgi[group.name] = { ...templated(group), ...socket, priority: group.priority };
      continue;
    }
    const only = group.processes[0];
    if (group.kind === 'program' && group.processes.length === 1 && only && only.name === group.name) {
      programs[group.name] = { ...programOptions(only, true), priority: group.priority };
      continue;
    }
    if (group.kind === 'program' && group.processes.length === 0) {
      programs[group.name] = { command: '', numprocs: 0, priority: group.priority };
      continue;
    }
    const members: string[] = [];
    for (const p of group.processes) {
      const name = sectionNameFor(group, p);
      programs[name] = programOptions(p, true);
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

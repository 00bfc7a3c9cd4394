// Pure: which configuration changes restart a running process and which apply in place. Imports model/ only.
import type { EventListenerPoolSettings, FcgiSocketSettings, ProgramField } from '../model/config.js';

/** `restart`: the change shapes the running process, so a running process is stopped and started again. */
export type ReloadClass = 'restart' | 'in-place';

/**
 * The class of every program option. `satisfies` makes a new schema option fail to build until someone decides
 * its class; a unit test checks the table against the schema's `x-svd-reload`.
 */
export const reloadClass = {
  command: 'restart',
  process_name: 'in-place',
  numprocs: 'in-place',
  numprocs_start: 'in-place',
  priority: 'in-place',
  autostart: 'in-place',
  startsecs: 'in-place',
  startretries: 'in-place',
  autorestart: 'in-place',
  exitcodes: 'in-place',
  stopsignal: 'in-place',
  stopwaitsecs: 'in-place',
  stopasgroup: 'in-place',
  killasgroup: 'in-place',
  user: 'restart',
  redirect_stderr: 'restart',
  stdout_logfile: 'restart',
  stdout_logfile_maxbytes: 'in-place',
  stdout_logfile_backups: 'in-place',
  stdout_capture_maxbytes: 'in-place',
  stdout_events_enabled: 'in-place',
  stdout_syslog: 'in-place',
  stderr_logfile: 'restart',
  stderr_logfile_maxbytes: 'in-place',
  stderr_logfile_backups: 'in-place',
  stderr_capture_maxbytes: 'in-place',
  stderr_events_enabled: 'in-place',
  stderr_syslog: 'in-place',
  environment: 'restart',
  directory: 'restart',
  umask: 'restart',
  serverurl: 'restart',
} as const satisfies Record<ProgramField, ReloadClass>;

/**
 * Fields of a ProcessSpec that are not program options but can differ for the same group and name: the section
 * it came from and its %(process_num). Neither reaches the child once the options are expanded.
 */
export const processMetaReloadClass = {
  program: 'in-place',
  process_num: 'in-place',
} as const satisfies Record<'program' | 'process_num', ReloadClass>;

/** A field diffProcess can report: a program option, or `program` / `process_num`. */
export type ProcessDiffField = ProgramField | keyof typeof processMetaReloadClass;

/** Group-level fields: the section kind, the group priority, an event listener pool's and an fcgi socket's settings. */
export type GroupField = 'kind' | 'priority' | keyof EventListenerPoolSettings | keyof FcgiSocketSettings;

/**
 * A pool's or a socket's settings are fixed when the group is built, so changing them rebuilds the group and
 * restarts its processes; the group priority only orders later starts and stops.
 */
export const groupReloadClass = {
  kind: 'restart',
  priority: 'in-place',
  events: 'restart',
  buffer_size: 'restart',
  result_handler: 'restart',
  socket: 'restart',
  socket_backlog: 'restart',
  socket_owner: 'restart',
  socket_mode: 'restart',
} as const satisfies Record<GroupField, ReloadClass>;

/** Every program option, in reloadClass's order: the order in which differences are listed. */
export const programFields = Object.keys(reloadClass) as ProgramField[];

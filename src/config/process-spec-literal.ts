// Pure: a ProcessSpec written as one object literal, so every spec shares one hidden class.
// Specs used to be spread copies of a settings record filled option by option. V8 keeps such records as
// dictionaries, and a spread copy of one got a hidden class of its own: measured 2.5 KiB per process held
// by the daemon for its whole life. tsc checks that the literal names every field.
import type { ProcessSpec, ProgramSettings } from '../model/config.js';

export type ProcessIdentity = Pick<ProcessSpec, 'name' | 'group' | 'program' | 'process_num' | 'source'>;

export function processSpecLiteral(s: ProgramSettings, id: ProcessIdentity): ProcessSpec {
  return {
    command: s.command,
    process_name: s.process_name,
    numprocs: s.numprocs,
    numprocs_start: s.numprocs_start,
    priority: s.priority,
    autostart: s.autostart,
    startsecs: s.startsecs,
    startretries: s.startretries,
    autorestart: s.autorestart,
    exitcodes: s.exitcodes,
    stopsignal: s.stopsignal,
    stopwaitsecs: s.stopwaitsecs,
    stopasgroup: s.stopasgroup,
    killasgroup: s.killasgroup,
    user: s.user,
    redirect_stderr: s.redirect_stderr,
    stdout_logfile: s.stdout_logfile,
    stdout_logfile_maxbytes: s.stdout_logfile_maxbytes,
    stdout_logfile_backups: s.stdout_logfile_backups,
    stdout_capture_maxbytes: s.stdout_capture_maxbytes,
    stdout_events_enabled: s.stdout_events_enabled,
    stdout_syslog: s.stdout_syslog,
    stderr_logfile: s.stderr_logfile,
    stderr_logfile_maxbytes: s.stderr_logfile_maxbytes,
    stderr_logfile_backups: s.stderr_logfile_backups,
    stderr_capture_maxbytes: s.stderr_capture_maxbytes,
    stderr_events_enabled: s.stderr_events_enabled,
    stderr_syslog: s.stderr_syslog,
    environment: s.environment,
    directory: s.directory,
    umask: s.umask,
    serverurl: s.serverurl,
    name: id.name,
    group: id.group,
    program: id.program,
    process_num: id.process_num,
    source: id.source,
  };
}

/* Generated from schema/svd.schema.json by `npm run gen`. Do not edit: change the schema and regenerate. */

/**
 * The normalised svd configuration document. INI sections and YAML keys map one to one: [program:web] is programs.web, [group:g] is groups.g, [eventlistener:e] is eventlisteners.e, [fcgi-program:f] is fcgi_programs.f, [rpcinterface:r] is rpcinterfaces.r.
 */
export interface SvdConfig {
  supervisord?: SupervisordOptions;
  unix_http_server?: UnixHttpServerOptions;
  inet_http_server?: InetHttpServerOptions;
  supervisorctl?: SupervisorctlOptions;
  include?: IncludeOptions;
  /**
   * XML-RPC namespaces by name.
   */
  rpcinterfaces?: {
    [k: string]: RpcInterfaceOptions;
  };
  /**
   * Programs by name.
   */
  programs?: {
    [k: string]: ProgramOptions;
  };
  /**
   * Heterogeneous groups by name.
   */
  groups?: {
    [k: string]: GroupOptions;
  };
  /**
   * Event listener pools by name.
   */
  eventlisteners?: {
    [k: string]: EventListenerOptions;
  };
  /**
   * FastCGI programs by name.
   */
  fcgi_programs?: {
    [k: string]: FcgiProgramOptions;
  };
}
/**
 * The [supervisord] section: the daemon itself.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "SupervisordOptions".
 */
export interface SupervisordOptions {
  /**
   * The daemon's own log: a path, or syslog (that word exactly). Any other word is a file name, as in supervisor (NONE is a file named NONE). Relative paths are made absolute against the daemon's working directory.
   */
  logfile?: string;
  /**
   * Rotate the daemon log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI.
   */
  logfile_maxbytes?: number;
  /**
   * Rotated daemon logs to keep.
   */
  logfile_backups?: number;
  /**
   * Threshold of the daemon log.
   */
  loglevel?: 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';
  /**
   * Where the daemon writes its pid.
   */
  pidfile?: string;
  /**
   * Umask of the daemon when it detaches. Octal digits, e.g. 022.
   */
  umask?: string;
  /**
   * Stay in the foreground.
   */
  nodaemon?: boolean;
  /**
   * In the foreground, do not copy the log to stdout.
   */
  silent?: boolean;
  /**
   * Raise the open-files limit to at least this, or refuse to start.
   */
  minfds?: number;
  /**
   * Raise the process limit to at least this, or refuse to start.
   */
  minprocs?: number;
  /**
   * Keep old AUTO child logs at start.
   */
  nocleanup?: boolean;
  /**
   * Directory of AUTO child logs; defaults to the system temporary directory.
   */
  childlogdir?: string;
  /**
   * Switch to this user at start (root only).
   */
  user?: string | null;
  /**
   * Change to this directory when detaching.
   */
  directory?: string | null;
  /**
   * Remove ANSI escape sequences from child output.
   */
  strip_ansi?: boolean;
  /**
   * Variables added to every process's environment. INI: KEY="value",KEY2=value2.
   */
  environment?: {
    [k: string]: string;
  };
  /**
   * Identifier of this daemon, reported over the API.
   */
  identifier?: string;
}
/**
 * [unix_http_server]: the control socket.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "UnixHttpServerOptions".
 */
export interface UnixHttpServerOptions {
  /**
   * Path of the unix socket.
   */
  file: string;
  /**
   * Mode of the socket file. Octal digits, e.g. 022.
   */
  chmod?: string;
  /**
   * Owner of the socket file, user or user:group.
   */
  chown?: string | null;
  /**
   * Basic-auth user; requires password.
   */
  username?: string | null;
  /**
   * Basic-auth password, in clear or as {SHA} followed by the hex SHA-1.
   */
  password?: string | null;
}
/**
 * [inet_http_server]: the TCP server (XML-RPC, JSON API, web page).
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "InetHttpServerOptions".
 */
export interface InetHttpServerOptions {
  /**
   * host:port to listen on. A port alone, :port or *:port listens on every interface.
   */
  port: string;
  /**
   * Basic-auth user; requires password.
   */
  username?: string | null;
  /**
   * Basic-auth password, in clear or as {SHA} followed by the hex SHA-1.
   */
  password?: string | null;
}
/**
 * [supervisorctl]: defaults of the client.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "SupervisorctlOptions".
 */
export interface SupervisorctlOptions {
  /**
   * unix:///path or http://host:port of the daemon.
   */
  serverurl?: string;
  /**
   * Basic-auth user.
   */
  username?: string | null;
  /**
   * Basic-auth password (clear text).
   */
  password?: string | null;
  /**
   * Prompt of the interactive shell.
   */
  prompt?: string;
  /**
   * File that keeps the shell's history.
   */
  history_file?: string | null;
}
/**
 * [include]: more files to read. Relative globs are relative to the including file's folder.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "IncludeOptions".
 */
export interface IncludeOptions {
  /**
   * Glob patterns (whitespace-separated in INI).
   */
  files: string[];
}
/**
 * [rpcinterface:x]: an XML-RPC namespace. Only supervisor's own factory is provided.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "RpcInterfaceOptions".
 */
export interface RpcInterfaceOptions {
  /**
   * package.module:callable of the factory.
   */
  'supervisor.rpcinterface_factory': string;
  [k: string]: string;
}
/**
 * A [program:x] section: one program, run as numprocs processes that form the group x (unless listed in a [group:...]).
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "ProgramOptions".
 */
export interface ProgramOptions {
  /**
   * The command to run, split like a POSIX shell (quotes and backslashes), without a shell. A relative program name is looked up on PATH. Required unless numprocs is 0 (no process to run). Reload: restart (a change restarts the process).
   */
  command?: string;
  /**
   * Name template of each process; must contain %(process_num) when numprocs > 1. The resulting name identifies a process: a new name is a new process (the old one is removed). Reload: in place (applied without a restart).
   */
  process_name?: string;
  /**
   * How many processes this program runs, at most 100000. A change starts or stops only the added or removed instances. Reload: in place (applied without a restart).
   */
  numprocs?: number;
  /**
   * The first process_num. Reload: in place (applied without a restart).
   */
  numprocs_start?: number;
  /**
   * Start order (ascending) and stop order (descending). Reload: in place (applied without a restart).
   */
  priority?: number;
  /**
   * Start when the daemon starts or when the group is added. Reload: in place (applied without a restart).
   */
  autostart?: boolean;
  /**
   * Seconds the process must stay up to count as started (STARTING -> RUNNING); 0 means at once. Reload: in place (applied without a restart).
   */
  startsecs?: number;
  /**
   * Failed starts allowed in a row before FATAL. Reload: in place (applied without a restart).
   */
  startretries?: number;
  /**
   * Restart after the process exits from RUNNING: true, false, or unexpected (only when its exit code is not in exitcodes). Reload: in place (applied without a restart).
   */
  autorestart?: boolean | 'unexpected';
  /**
   * Expected exit codes, used by autorestart=unexpected. Reload: in place (applied without a restart).
   */
  exitcodes?: number[];
  /**
   * First signal sent to stop the process. A signal name without SIG (TERM, HUP, ...); INI also accepts SIGTERM, any case, or a number. Reload: in place (applied without a restart).
   */
  stopsignal?: string;
  /**
   * Seconds to wait after stopsignal before SIGKILL. Reload: in place (applied without a restart).
   */
  stopwaitsecs?: number;
  /**
   * Send stopsignal to the process's whole process group; implies killasgroup. Reload: in place (applied without a restart).
   */
  stopasgroup?: boolean;
  /**
   * Send the final SIGKILL to the whole process group. Defaults to the value of stopasgroup. Reload: in place (applied without a restart).
   */
  killasgroup?: boolean;
  /**
   * Run the process as this user (name or uid); the daemon must run as root. Reload: restart (a change restarts the process).
   */
  user?: string | null;
  /**
   * Send the process's stderr to its stdout (2>&1). Reload: restart (a change restarts the process).
   */
  redirect_stderr?: boolean;
  /**
   * Where the process's stdout goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stdout_logfile?: string;
  /**
   * Rotate the stdout log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_logfile_maxbytes?: number;
  /**
   * How many rotated stdout logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stdout_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDOUT events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDOUT event for each chunk of stdout. Reload: in place (applied without a restart).
   */
  stdout_events_enabled?: boolean;
  /**
   * Also send each line of stdout to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stdout_syslog?: boolean;
  /**
   * Where the process's stderr goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stderr_logfile?: string;
  /**
   * Rotate the stderr log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_logfile_maxbytes?: number;
  /**
   * How many rotated stderr logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stderr_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDERR events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDERR event for each chunk of stderr. Reload: in place (applied without a restart).
   */
  stderr_events_enabled?: boolean;
  /**
   * Also send each line of stderr to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stderr_syslog?: boolean;
  /**
   * Variables added to the process's environment, over the daemon's and [supervisord] environment. INI: KEY="value",KEY2=value2. Reload: restart (a change restarts the process).
   */
  environment?: {
    [k: string]: string;
  };
  /**
   * Working directory of the process. Reload: restart (a change restarts the process).
   */
  directory?: string | null;
  /**
   * Umask of the process; null inherits the daemon's. Octal digits, e.g. 022. Reload: restart (a change restarts the process).
   */
  umask?: string | null;
  /**
   * SUPERVISOR_SERVER_URL passed to the process; AUTO derives it from the servers configured. Reload: restart (a change restarts the process).
   */
  serverurl?: string;
}
/**
 * [group:x]: a heterogeneous group of programs defined elsewhere.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "GroupOptions".
 */
export interface GroupOptions {
  /**
   * Programs (or fcgi-programs) in this group, in start order.
   */
  programs?: string[];
  /**
   * Priority of the group.
   */
  priority?: number;
}
/**
 * [eventlistener:x]: a pool of processes that receive events on stdin. Every program option applies; the pool priority defaults to -1.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "EventListenerOptions".
 */
export interface EventListenerOptions {
  /**
   * The command to run, split like a POSIX shell (quotes and backslashes), without a shell. A relative program name is looked up on PATH. Required unless numprocs is 0 (no process to run). Reload: restart (a change restarts the process).
   */
  command?: string;
  /**
   * Name template of each process; must contain %(process_num) when numprocs > 1. The resulting name identifies a process: a new name is a new process (the old one is removed). Reload: in place (applied without a restart).
   */
  process_name?: string;
  /**
   * How many processes this program runs, at most 100000. A change starts or stops only the added or removed instances. Reload: in place (applied without a restart).
   */
  numprocs?: number;
  /**
   * The first process_num. Reload: in place (applied without a restart).
   */
  numprocs_start?: number;
  /**
   * Priority of the pool (default -1, so listeners start first and stop last); an explicit value also sets each listener process's priority. Reload: in place (applied without a restart).
   */
  priority?: number;
  /**
   * Start when the daemon starts or when the group is added. Reload: in place (applied without a restart).
   */
  autostart?: boolean;
  /**
   * Seconds the process must stay up to count as started (STARTING -> RUNNING); 0 means at once. Reload: in place (applied without a restart).
   */
  startsecs?: number;
  /**
   * Failed starts allowed in a row before FATAL. Reload: in place (applied without a restart).
   */
  startretries?: number;
  /**
   * Restart after the process exits from RUNNING: true, false, or unexpected (only when its exit code is not in exitcodes). Reload: in place (applied without a restart).
   */
  autorestart?: boolean | 'unexpected';
  /**
   * Expected exit codes, used by autorestart=unexpected. Reload: in place (applied without a restart).
   */
  exitcodes?: number[];
  /**
   * First signal sent to stop the process. A signal name without SIG (TERM, HUP, ...); INI also accepts SIGTERM, any case, or a number. Reload: in place (applied without a restart).
   */
  stopsignal?: string;
  /**
   * Seconds to wait after stopsignal before SIGKILL. Reload: in place (applied without a restart).
   */
  stopwaitsecs?: number;
  /**
   * Send stopsignal to the process's whole process group; implies killasgroup. Reload: in place (applied without a restart).
   */
  stopasgroup?: boolean;
  /**
   * Send the final SIGKILL to the whole process group. Defaults to the value of stopasgroup. Reload: in place (applied without a restart).
   */
  killasgroup?: boolean;
  /**
   * Run the process as this user (name or uid); the daemon must run as root. Reload: restart (a change restarts the process).
   */
  user?: string | null;
  /**
   * Send the process's stderr to its stdout (2>&1). Reload: restart (a change restarts the process).
   */
  redirect_stderr?: boolean;
  /**
   * Where the process's stdout goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stdout_logfile?: string;
  /**
   * Rotate the stdout log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_logfile_maxbytes?: number;
  /**
   * How many rotated stdout logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stdout_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDOUT events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDOUT event for each chunk of stdout. Reload: in place (applied without a restart).
   */
  stdout_events_enabled?: boolean;
  /**
   * Also send each line of stdout to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stdout_syslog?: boolean;
  /**
   * Where the process's stderr goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stderr_logfile?: string;
  /**
   * Rotate the stderr log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_logfile_maxbytes?: number;
  /**
   * How many rotated stderr logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stderr_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDERR events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDERR event for each chunk of stderr. Reload: in place (applied without a restart).
   */
  stderr_events_enabled?: boolean;
  /**
   * Also send each line of stderr to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stderr_syslog?: boolean;
  /**
   * Variables added to the process's environment, over the daemon's and [supervisord] environment. INI: KEY="value",KEY2=value2. Reload: restart (a change restarts the process).
   */
  environment?: {
    [k: string]: string;
  };
  /**
   * Working directory of the process. Reload: restart (a change restarts the process).
   */
  directory?: string | null;
  /**
   * Umask of the process; null inherits the daemon's. Octal digits, e.g. 022. Reload: restart (a change restarts the process).
   */
  umask?: string | null;
  /**
   * SUPERVISOR_SERVER_URL passed to the process; AUTO derives it from the servers configured. Reload: restart (a change restarts the process).
   */
  serverurl?: string;
  /**
   * Event types the pool subscribes to (supertypes include their subtypes). Reload: restart (a change restarts the process).
   *
   * @minItems 1
   */
  events: [string, ...string[]];
  /**
   * Length of the pool's event queue; the oldest event is dropped on overflow. Reload: restart (a change restarts the process).
   */
  buffer_size?: number;
  /**
   * How the daemon judges a listener's RESULT: supervisor.dispatchers:default_handler (OK processes the event, anything else rejects it) or supervisor_stdout:event_handler (the supervisor-stdout package's: the event's lines are printed on the daemon's stdout as NAME CHANNEL | line). Reload: restart (a change restarts the process).
   */
  result_handler?: string;
}
/**
 * [fcgi-program:x]: a program whose processes share a listening socket, given to each as file descriptor 0.
 *
 * This interface was referenced by `SvdConfig`'s JSON-Schema
 * via the `definition` "FcgiProgramOptions".
 */
export interface FcgiProgramOptions {
  /**
   * The command to run, split like a POSIX shell (quotes and backslashes), without a shell. A relative program name is looked up on PATH. Required unless numprocs is 0 (no process to run). Reload: restart (a change restarts the process).
   */
  command?: string;
  /**
   * Name template of each process; must contain %(process_num) when numprocs > 1. The resulting name identifies a process: a new name is a new process (the old one is removed). Reload: in place (applied without a restart).
   */
  process_name?: string;
  /**
   * How many processes this program runs, at most 100000. A change starts or stops only the added or removed instances. Reload: in place (applied without a restart).
   */
  numprocs?: number;
  /**
   * The first process_num. Reload: in place (applied without a restart).
   */
  numprocs_start?: number;
  /**
   * Start order (ascending) and stop order (descending). Reload: in place (applied without a restart).
   */
  priority?: number;
  /**
   * Start when the daemon starts or when the group is added. Reload: in place (applied without a restart).
   */
  autostart?: boolean;
  /**
   * Seconds the process must stay up to count as started (STARTING -> RUNNING); 0 means at once. Reload: in place (applied without a restart).
   */
  startsecs?: number;
  /**
   * Failed starts allowed in a row before FATAL. Reload: in place (applied without a restart).
   */
  startretries?: number;
  /**
   * Restart after the process exits from RUNNING: true, false, or unexpected (only when its exit code is not in exitcodes). Reload: in place (applied without a restart).
   */
  autorestart?: boolean | 'unexpected';
  /**
   * Expected exit codes, used by autorestart=unexpected. Reload: in place (applied without a restart).
   */
  exitcodes?: number[];
  /**
   * First signal sent to stop the process. A signal name without SIG (TERM, HUP, ...); INI also accepts SIGTERM, any case, or a number. Reload: in place (applied without a restart).
   */
  stopsignal?: string;
  /**
   * Seconds to wait after stopsignal before SIGKILL. Reload: in place (applied without a restart).
   */
  stopwaitsecs?: number;
  /**
   * Send stopsignal to the process's whole process group; implies killasgroup. Reload: in place (applied without a restart).
   */
  stopasgroup?: boolean;
  /**
   * Send the final SIGKILL to the whole process group. Defaults to the value of stopasgroup. Reload: in place (applied without a restart).
   */
  killasgroup?: boolean;
  /**
   * Run the process as this user (name or uid); the daemon must run as root. Reload: restart (a change restarts the process).
   */
  user?: string | null;
  /**
   * Send the process's stderr to its stdout (2>&1). Reload: restart (a change restarts the process).
   */
  redirect_stderr?: boolean;
  /**
   * Where the process's stdout goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stdout_logfile?: string;
  /**
   * Rotate the stdout log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_logfile_maxbytes?: number;
  /**
   * How many rotated stdout logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stdout_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDOUT events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stdout_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDOUT event for each chunk of stdout. Reload: in place (applied without a restart).
   */
  stdout_events_enabled?: boolean;
  /**
   * Also send each line of stdout to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stdout_syslog?: boolean;
  /**
   * Where the process's stderr goes: AUTO (a file in childlogdir), NONE, syslog, or a path. Reload: restart (a change restarts the process).
   */
  stderr_logfile?: string;
  /**
   * Rotate the stderr log at this size; 0 never rotates. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_logfile_maxbytes?: number;
  /**
   * How many rotated stderr logs to keep; 0 keeps none. Reload: in place (applied without a restart).
   */
  stderr_logfile_backups?: number;
  /**
   * Size of the capture buffer for PROCESS_COMMUNICATION_STDERR events; 0 disables capture mode. A byte size: an integer with an optional KB, MB or GB suffix in INI. Reload: in place (applied without a restart).
   */
  stderr_capture_maxbytes?: number;
  /**
   * Emit a PROCESS_LOG_STDERR event for each chunk of stderr. Reload: in place (applied without a restart).
   */
  stderr_events_enabled?: boolean;
  /**
   * Also send each line of stderr to syslog, prefixed with the process name. Reload: in place (applied without a restart).
   */
  stderr_syslog?: boolean;
  /**
   * Variables added to the process's environment, over the daemon's and [supervisord] environment. INI: KEY="value",KEY2=value2. Reload: restart (a change restarts the process).
   */
  environment?: {
    [k: string]: string;
  };
  /**
   * Working directory of the process. Reload: restart (a change restarts the process).
   */
  directory?: string | null;
  /**
   * Umask of the process; null inherits the daemon's. Octal digits, e.g. 022. Reload: restart (a change restarts the process).
   */
  umask?: string | null;
  /**
   * SUPERVISOR_SERVER_URL passed to the process; AUTO derives it from the servers configured. Reload: restart (a change restarts the process).
   */
  serverurl?: string;
  /**
   * tcp://host:port or unix:///absolute/path. Reload: restart (a change restarts the process).
   */
  socket: string;
  /**
   * listen() backlog; null uses the OS default. Reload: restart (a change restarts the process).
   */
  socket_backlog?: number | null;
  /**
   * Owner of a unix socket, user or user:group. Reload: restart (a change restarts the process).
   */
  socket_owner?: string | null;
  /**
   * Mode of a unix socket. Octal digits, e.g. 022. Reload: restart (a change restarts the process).
   */
  socket_mode?: string;
}

# Parses a config file with Debian's supervisor (the oracle) and prints its effective settings as JSON,
# in the same shape and units as `svd config --format json` uses for processes.
# Usage: /usr/bin/python3 supervisor-parse.py FILE
import json
import os
import signal
import socket
import sys

from supervisor.datatypes import RestartUnconditionally, RestartWhenExitUnexpected
from supervisor.events import getEventNameByType
from supervisor.options import Automatic, ClientOptions, ServerOptions

LEVELS = {50: 'critical', 40: 'error', 30: 'warn', 20: 'info', 10: 'debug', 5: 'trace', 3: 'blather'}

SIGNAMES = {getattr(signal, n): n[3:] for n in dir(signal) if n.startswith('SIG') and not n.startswith('SIG_')}
SIGNAMES.update({6: 'ABRT', 17: 'CHLD', 29: 'IO', 34: 'RTMIN', 64: 'RTMAX'})


def logfile(value):
    if value is Automatic:
        return 'AUTO'
    if value is None:
        return 'NONE'
    return value


def autorestart(value):
    if value is RestartUnconditionally:
        return True
    if value is RestartWhenExitUnexpected:
        return 'unexpected'
    return False


def octal(value):
    # svd's form: 022, 0700, and four digits as they are when a sticky, setgid or setuid bit is set (1777).
    if value is None:
        return None
    return format(value, 'o') if value > 0o777 else '0' + format(value, 'o').zfill(2)


def process(p):
    return {
        'name': p.name,
        'command': p.command,
        'directory': p.directory,
        'umask': octal(p.umask),
        'priority': p.priority,
        'autostart': p.autostart,
        'autorestart': autorestart(p.autorestart),
        'startsecs': p.startsecs,
        'startretries': p.startretries,
        'user': None if p.uid is None else p.uid,
        'stopsignal': SIGNAMES.get(p.stopsignal, str(p.stopsignal)),
        'stopwaitsecs': p.stopwaitsecs,
        'stopasgroup': p.stopasgroup,
        'killasgroup': p.killasgroup,
        'exitcodes': list(p.exitcodes),
        'redirect_stderr': p.redirect_stderr,
        'environment': p.environment or {},
        'serverurl': 'AUTO' if p.serverurl is None else p.serverurl,  # '' sets no SUPERVISOR_SERVER_URL
        'stdout_logfile': logfile(p.stdout_logfile),
        'stdout_logfile_maxbytes': p.stdout_logfile_maxbytes,
        'stdout_logfile_backups': p.stdout_logfile_backups,
        'stdout_capture_maxbytes': p.stdout_capture_maxbytes,
        'stdout_events_enabled': p.stdout_events_enabled,
        'stdout_syslog': p.stdout_syslog,
        'stderr_logfile': logfile(p.stderr_logfile),
        'stderr_logfile_maxbytes': p.stderr_logfile_maxbytes,
        'stderr_logfile_backups': p.stderr_logfile_backups,
        'stderr_capture_maxbytes': p.stderr_capture_maxbytes,
        'stderr_events_enabled': p.stderr_events_enabled,
        'stderr_syslog': p.stderr_syslog,
    }


def main(path):
    opts = ServerOptions()
    opts.configfile = path
    try:
        opts.process_config(do_usage=False)
    except Exception as e:  # the oracle's verdict: rejected, with its message
        print(json.dumps({'error': str(e)}))
        return
    groups = []
    for g in opts.process_group_configs:
        entry = {
            'name': g.name,
            'priority': g.priority,
            'kind': type(g).__name__,
            'processes': [process(p) for p in g.process_configs],
        }
        if hasattr(g, 'buffer_size'):
            entry['buffer_size'] = g.buffer_size
            entry['events'] = sorted(getEventNameByType(e) for e in g.pool_events)
        if hasattr(g, 'socket_config') and g.socket_config is not None:
            entry['socket'] = g.socket_config.url
            entry['socket_backlog'] = g.socket_config.get_backlog()
            if hasattr(g.socket_config, 'get_mode'):  # a unix socket: its mode, and its owner as (uid, gid)
                entry['socket_mode'] = octal(g.socket_config.get_mode())
                owner = g.socket_config.get_owner()
                entry['socket_owner'] = None if owner is None else list(owner)
        groups.append(entry)
    section = opts.configroot.supervisord
    supervisord = {
        'logfile': opts.logfile if opts.logfile == 'syslog' else os.path.abspath(opts.logfile),
        'logfile_maxbytes': opts.logfile_maxbytes,
        'logfile_backups': opts.logfile_backups,
        'loglevel': LEVELS.get(opts.loglevel, opts.loglevel),
        'pidfile': os.path.abspath(opts.pidfile),
        'nodaemon': bool(opts.nodaemon),
        'minfds': opts.minfds,
        'minprocs': opts.minprocs,
        'identifier': opts.identifier,
        'childlogdir': opts.childlogdir,
        'directory': opts.directory,
        'environment': section.environment or {},
        'umask': octal(opts.umask),
        'user': section.user,
        'nocleanup': bool(opts.nocleanup),
        'silent': bool(opts.silent),
        'strip_ansi': bool(opts.strip_ansi),
    }
    servers = {}
    for c in section.server_configs:
        auth = {'username': c['username'], 'password': c['password']}
        if c['family'] is socket.AF_UNIX:
            servers['unix_http_server'] = dict(auth, file=c['file'], chmod=octal(c['chmod']), chown=list(c['chown']))
        else:
            servers['inet_http_server'] = dict(auth, host=c['host'], port=c['port'])
    result = {'groups': groups, 'supervisord': supervisord, 'servers': servers}
    ctl = supervisorctl(path)
    if ctl is not None:
        result['supervisorctl'] = ctl
    print(json.dumps(result, default=str))


def supervisorctl(path):
    """What supervisorctl reads from the file's [supervisorctl], or None when it has none."""
    opts = ClientOptions()
    opts.configfile = path
    try:
        opts.process_config(do_usage=False)
    except ValueError:  # '.ini file does not include supervisorctl section'
        return None
    return {
        'serverurl': opts.serverurl,
        'username': opts.username,
        'password': opts.password,
        'prompt': opts.prompt,
        'history_file': opts.history_file,
    }


main(sys.argv[1])

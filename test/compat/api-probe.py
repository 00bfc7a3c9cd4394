"""Calls every supervisor.* and system.* method over a unix socket with supervisor's own transport and prints,
for each call, the shape of its answer (field names and XML-RPC types), its fault, or its HTTP error, as JSON.
Used to compare svd's daemon with Debian's supervisord (test/compat/api-shapes.test.ts).

usage: api-probe.py SOCKET DIR"""
import glob
import json
import os
import sys
import time
import xmlrpc.client

from supervisor.xmlrpc import SupervisorTransport

socket_path, directory = sys.argv[1], sys.argv[2]
proxy = xmlrpc.client.ServerProxy(
    'http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://' + socket_path))


def shape(value):
    if isinstance(value, bool):
        return 'boolean'
    if isinstance(value, int):
        return 'int'
    if isinstance(value, float):
        return 'double'
    if isinstance(value, str):
        return 'string'
    if isinstance(value, list):
        return ['array'] + sorted({json.dumps(shape(v), sort_keys=True) for v in value})
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    return type(value).__name__


def masked(text):
    return text.replace(directory, '<DIR>')


def results(value):
    """Per-process results without their order (completion order is timing)."""
    return sorted([r['group'], r['name'], r['status'], masked(r['description'])] for r in value)


out = []


def call(label, fn, keep=None):
    entry = {'call': label}
    try:
        value = fn()
        entry['shape'] = shape(value)
        if keep is not None:
            entry['value'] = keep(value)
    except xmlrpc.client.Fault as e:
        entry['fault'] = [e.faultCode, masked(e.faultString)]
    except xmlrpc.client.ProtocolError as e:
        entry['http'] = e.errcode
    out.append(entry)


s = proxy.supervisor
same = lambda v: v


def settle(name, state='STOPPED', deadline=10.0):
    """Waits, unrecorded, until `name` is in `state`: a no-wait stop leaves the process STOPPING for a moment,
    and supervisord answers a start in that moment with ABNORMAL_TERMINATION (its spawn() sees a pid and
    returns), which is timing, not the answer's shape."""
    end = time.monotonic() + deadline
    while s.getProcessInfo(name)['statename'] != state and time.monotonic() < end:
        time.sleep(0.02)


call('getAPIVersion', s.getAPIVersion, same)
call('getVersion', s.getVersion, same)
call('getSupervisorVersion', s.getSupervisorVersion, same)
call('getIdentification', s.getIdentification, same)
call('getState', s.getState, same)
call('getPID', s.getPID)
call('readLog', lambda: s.readLog(0, 10))
call('readMainLog', lambda: s.readMainLog(-10, 0))
call('readLog bad offset', lambda: s.readLog(-100, 5))
call('readLog bad length', lambda: s.readLog(0, -5))
call('readLog string ints', lambda: s.readLog('0', '4'))
call('getProcessInfo', lambda: s.getProcessInfo('sleeper'))
call('getProcessInfo member without group', lambda: s.getProcessInfo('ga'))
call('getProcessInfo group spec', lambda: s.getProcessInfo('grp:*'))
call('getProcessInfo int', lambda: s.getProcessInfo(5))
call('getAllProcessInfo', s.getAllProcessInfo,
     lambda v: [[i['group'], i['name'], i['statename']] for i in v])
call('getAllConfigInfo', s.getAllConfigInfo,
     lambda v: [[i['group'], i['name'], i['inuse'], i['autostart'], i['group_prio'], i['process_prio'],
                 i['uid'], i['directory'], i['serverurl'], i['stopsignal'], i['exitcodes'],
                 i['stdout_logfile'] if i['stdout_logfile'] in ('none', 'auto') else 'path'] for i in v])
call('readProcessStdoutLog', lambda: s.readProcessStdoutLog('sleeper', 0, 100), same)
call('readProcessLog', lambda: s.readProcessLog('sleeper', -6, 0), same)
call('readProcessStderrLog', lambda: s.readProcessStderrLog('sleeper', 0, 10), same)
call('readProcessStdoutLog no log', lambda: s.readProcessStdoutLog('nolog', 0, 10))
call('readProcessStdoutLog bad name', lambda: s.readProcessStdoutLog('nosuch', 0, 10))
call('tailProcessStdoutLog', lambda: s.tailProcessStdoutLog('sleeper', 0, 3), same)
call('tailProcessLog', lambda: s.tailProcessLog('sleeper', 0, 1000), same)
call('tailProcessLog past the end', lambda: s.tailProcessLog('sleeper', 100, 1000), same)
call('tailProcessStderrLog', lambda: s.tailProcessStderrLog('sleeper', 0, 10), same)
call('tailProcessStdoutLog no log', lambda: s.tailProcessStdoutLog('nolog', 0, 10), same)
# tailFile's edges on sleeper's 6 bytes ('ready\n'): one byte short overflows; a negative offset or length.
call('tailProcessStdoutLog one short', lambda: s.tailProcessStdoutLog('sleeper', 0, 5), same)
call('tailProcessStdoutLog exact end', lambda: s.tailProcessStdoutLog('sleeper', 3, 3), same)
call('tailProcessStdoutLog negative offset', lambda: s.tailProcessStdoutLog('sleeper', -3, 2), same)
call('tailProcessStdoutLog negative length', lambda: s.tailProcessStdoutLog('sleeper', 0, -5), same)
call('tailProcessStdoutLog group spec', lambda: s.tailProcessStdoutLog('grp:*', 0, 5))
call('readProcessStdoutLog bad offset', lambda: s.readProcessStdoutLog('sleeper', -1, 1))
call('readProcessStdoutLog past the end', lambda: s.readProcessStdoutLog('sleeper', 100, 10), same)
call('readProcessStdoutLog tail more than the size', lambda: s.readProcessStdoutLog('sleeper', -100, 0), same)
call('clearProcessLogs', lambda: s.clearProcessLogs('sleeper'), same)
call('clearProcessLog bad name', lambda: s.clearProcessLog('nosuch'))
call('clearProcessLogs group spec', lambda: s.clearProcessLogs('grp:*'))
call('clearAllProcessLogs', s.clearAllProcessLogs, results)


def log_made_a_folder(name):
    """Replaces `name`'s AUTO stdout log by a folder: deleting it fails (EISDIR), so a clear cannot empty it."""
    path = glob.glob(os.path.join(directory, name + '-stdout---*.log'))[0]
    os.remove(path)
    os.mkdir(path)
    return path


folder = log_made_a_folder('sleeper')
call('clearProcessLogs log made a folder', lambda: s.clearProcessLogs('sleeper'))
call('clearAllProcessLogs log made a folder', s.clearAllProcessLogs, results)
os.rmdir(folder)
call('signalProcess', lambda: s.signalProcess('sleeper', 'CONT'), same)
call('signalProcess number', lambda: s.signalProcess('sleeper', 18), same)
call('signalProcess bad signal', lambda: s.signalProcess('sleeper', 'FOO'))
# supervisor takes int() of a signal: a double is truncated (18.7 is CONT), a boolean is 0 or 1.
call('signalProcess double', lambda: s.signalProcess('sleeper', 18.7), same)
call('signalProcess boolean', lambda: s.signalProcess('sleeper', False), same)
call('signalProcess double not a signal', lambda: s.signalProcess('sleeper', 99.5))
call('signalProcess empty signal', lambda: s.signalProcess('sleeper', ''))
call('signalProcess not running', lambda: s.signalProcess('nolog', 'CONT'))
# The signal is checked after the name and before the state; 0 is a signal (nothing is delivered).
call('signalProcess bad signal, bad name', lambda: s.signalProcess('nosuch', 'FOO'))
call('signalProcess bad signal, not running', lambda: s.signalProcess('nolog', 'FOO'))
call('signalProcess zero', lambda: s.signalProcess('sleeper', 0), same)
call('signalProcess negative', lambda: s.signalProcess('sleeper', -1))
call('signalProcess lowercase name', lambda: s.signalProcess('sleeper', 'cont'), same)
call('signalProcessGroup bad signal', lambda: s.signalProcessGroup('grp', 'FOO'), results)
call('signalProcess group spec', lambda: s.signalProcess('grp:*', 'CONT'), results)
call('signalProcessGroup', lambda: s.signalProcessGroup('grp', 'CONT'), results)
call('signalProcessGroup bad name', lambda: s.signalProcessGroup('nosuch', 'CONT'))
# A group name is looked up as it is: a number or a boolean names no group.
call('signalProcessGroup int name', lambda: s.signalProcessGroup(5, 'CONT'))
call('startProcessGroup int name', lambda: s.startProcessGroup(5))
call('stopProcessGroup boolean name', lambda: s.stopProcessGroup(True))
call('addProcessGroup double name', lambda: s.addProcessGroup(1.5))
call('removeProcessGroup int name', lambda: s.removeProcessGroup(5))
call('addProcessGroup array name', lambda: s.addProcessGroup(['x']))
call('signalAllProcesses', lambda: s.signalAllProcesses('CONT'), results)
call('stopProcess', lambda: s.stopProcess('sleeper'), same)
call('stopProcess not running', lambda: s.stopProcess('sleeper'))
# The fault names the process as the call did: `sleeper:sleeper`, not `sleeper` (superlance's tools, which print
# the faults, name every process so).
call('stopProcess not running, as group:name', lambda: s.stopProcess('sleeper:sleeper'))
call('signalProcess not running, as group:name', lambda: s.signalProcess('sleeper:sleeper', 'HUP'))
call('startProcess', lambda: s.startProcess('sleeper'), same)
call('startProcess already', lambda: s.startProcess('sleeper'))
call('startProcess already, as group:name', lambda: s.startProcess('sleeper:sleeper'))
call('startProcess no file', lambda: s.startProcess('broken'))
call('startProcess bad name', lambda: s.startProcess('nosuch'))
call('startProcess empty name', lambda: s.startProcess(''))
call('getProcessInfo empty name', lambda: s.getProcessInfo(''))
call('startProcess no wait', lambda: s.startProcess('nolog', False), same)
call('stopProcess no wait', lambda: s.stopProcess('nolog', False), same)
settle('nolog')
call('stopProcessGroup', lambda: s.stopProcessGroup('grp'), results)
call('stopProcessGroup again', lambda: s.stopProcessGroup('grp'), results)
call('startProcessGroup', lambda: s.startProcessGroup('grp'), results)
call('startProcess group spec', lambda: s.startProcess('grp:*'), results)
call('stopProcess group spec', lambda: s.stopProcess('grp:'), results)
call('startAllProcesses', s.startAllProcesses, results)
call('stopAllProcesses', s.stopAllProcesses, results)
call('startAllProcesses again', s.startAllProcesses, results)
call('sendProcessStdin', lambda: s.sendProcessStdin('sleeper', 'x\n'), same)
call('sendProcessStdin not running', lambda: s.sendProcessStdin('nolog', 'x'))
call('sendProcessStdin int', lambda: s.sendProcessStdin('sleeper', 5))
# The data's type is checked before the name; the fault shows Python's str() of it.
call('sendProcessStdin int, bad name', lambda: s.sendProcessStdin('nosuch', 5))
call('sendProcessStdin boolean', lambda: s.sendProcessStdin('sleeper', True))
call('sendProcessStdin array', lambda: s.sendProcessStdin('sleeper', [1, 'a']))
call('sendProcessStdin struct', lambda: s.sendProcessStdin('sleeper', {'a': 1}))
call('sendProcessStdin group spec', lambda: s.sendProcessStdin('grp:*', 'x'))
call('sendRemoteCommEvent', lambda: s.sendRemoteCommEvent('type', 'data'), same)
call('reloadConfig', s.reloadConfig, same)
call('addProcessGroup active', lambda: s.addProcessGroup('grp'))
call('addProcessGroup bad name', lambda: s.addProcessGroup('nosuch'))
call('removeProcessGroup running', lambda: s.removeProcessGroup('grp'))
call('removeProcessGroup bad name', lambda: s.removeProcessGroup('nosuch'))
call('too many arguments', lambda: s.getState(1))
call('too few arguments', lambda: s.getProcessInfo())
call('unknown method', lambda: s.nosuch())
call('hidden method', lambda: s._update('x'))
call('three dots', lambda: proxy.supervisor.a.b())
call('trailing dot', lambda: proxy._ServerProxy__request('supervisor.', ()))
call('no dot', lambda: proxy._ServerProxy__request('getState', ()))
call('dunder', lambda: proxy._ServerProxy__request('supervisor.__init__', ()))
call('attribute that is no method', lambda: proxy._ServerProxy__request('supervisor.supervisord', ()))
call('listMethods', proxy.system.listMethods, same)
call('methodSignature', lambda: {m: proxy.system.methodSignature(m) for m in proxy.system.listMethods()}, same)
call('methodHelp unknown', lambda: proxy.system.methodHelp('supervisor.nosuch'))
call('methodSignature unknown', lambda: proxy.system.methodSignature('nosuch'))
call('multicall', lambda: proxy.system.multicall([
    {'methodName': 'supervisor.getAPIVersion'},
    {'methodName': 'supervisor.nosuch'},
    {'methodName': 'supervisor.getProcessInfo', 'params': ['nosuch']},
    {'methodName': 'system.multicall', 'params': [[]]},
    {'params': []},
    {'methodName': 'supervisor.stopProcess', 'params': ['sleeper']},
    {'methodName': 'supervisor.startProcess', 'params': ['sleeper']},
]), same)
call('multicall edges', lambda: proxy.system.multicall([
    {'methodName': 'system.multicall'},
    {'methodName': 'bad.getState'},
    {'methodName': 'supervisor._update', 'params': ['x']},
    {'methodName': 'supervisor.getProcessInfo'},
    {'methodName': 'supervisor.getState', 'params': [1]},
    {'methodName': 'supervisor.getProcessInfo', 'params': 'sleeper'},
    {'methodName': 'supervisor.stopProcessGroup', 'params': ['nosuch']},
]), same)
call('multicall empty', lambda: proxy.system.multicall([]), same)
call('clearLog', s.clearLog, same)
call('readLog after clearLog', lambda: s.readLog(0, 0), lambda v: v.endswith('reopening log file\n'))
print(json.dumps(out, indent=1))

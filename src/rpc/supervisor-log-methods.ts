// supervisor.* methods over log files: readLog and clearLog of the main log, read/tail/clear of process logs
// (spec §4.5). Reads go through src/logs (readLogSlice, tailLog).
import { FailedError, NoFileError } from '../engine/errors.js';
import { readLogSlice, tailLog, type ReadLogResult } from '../logs/read-log.js';
import type { RpcMethod } from './dispatcher.js';
import { BadArgumentsError } from './faults.js';
import { intArg, nameArg } from './supervisor-args.js';
import type { SupervisorHost } from './supervisor-host.js';

function textOf(result: ReadLogResult): string {
  if (result.ok) return result.text;
  if (result.fault === 'BAD_ARGUMENTS') throw new BadArgumentsError();
  if (result.fault === 'NO_FILE') throw new NoFileError(result.detail ?? '');
  throw new FailedError(result.detail ?? '', { cause: result.error });
}

const READ_LOG_HELP = `Read length bytes of the main log, starting at offset.
A negative offset with length 0 reads that many bytes from the end; length 0
reads to the end of the file.

@param int offset  Where to start reading.
@param int length  How many bytes to read (0: all).
@return string result  The bytes read, decoded as UTF-8.`;

function readMainLog(host: SupervisorHost): RpcMethod {
  return {
    help: READ_LOG_HELP,
    call: async ([offset, length]) => {
      const path = host.mainLog.path();
      if (path === null) throw new NoFileError(host.mainLog.logfile() ?? '');
      return textOf(await readLogSlice(path, intArg(offset, 'offset'), intArg(length, 'length')));
    },
  };
}

type Channel = 'stdout' | 'stderr';

function logPathOf(host: SupervisorHost, name: string, channel: Channel): string {
  const info = host.engine.getProcessInfo(name);
  return channel === 'stdout' ? info.stdout_logfile : info.stderr_logfile;
}

function readProcessLog(host: SupervisorHost, channel: Channel): RpcMethod {
  return {
    help: `Read length bytes of a process's ${channel} log, starting at offset (same rules as readLog).

@param string name  The process name (or group:name).
@param int offset  Where to start reading.
@param int length  How many bytes to read (0: all).
@return string result  The bytes read, decoded as UTF-8.`,
    call: async ([name, offset, length]) => {
      const path = logPathOf(host, nameArg(name), channel);
      // supervisor's NO_FILE carries the path, or nothing when the channel has no log.
      if (path === '') throw new NoFileError('');
      return textOf(await readLogSlice(path, intArg(offset, 'offset'), intArg(length, 'length')));
    },
  };
}

function tailProcessLog(host: SupervisorHost, channel: Channel): RpcMethod {
  return {
    help: `Read the end of a process's ${channel} log for a follower. When the log grew past
offset+length since the last call, overflow is true and the window jumps to the end.

@param string name  The process name (or group:name).
@param int offset  Where the caller stopped reading (the last returned offset).
@param int length  The most bytes to return.
@return array result  [string bytes, int offset, bool overflow]`,
    call: async ([name, offset, length]) => {
      const path = logPathOf(host, nameArg(name), channel);
      if (path === '') return ['', 0, false];
      return await tailLog(path, intArg(offset, 'offset'), intArg(length, 'length'));
    },
  };
}

/**
 * supervisor.readLog (and readMainLog), clearLog, the process log reads and tails, clearProcessLogs (and
 * clearProcessLog) and clearAllProcessLogs over `host`.
 */
export function logMethods(host: SupervisorHost): Record<string, RpcMethod> {
  const clearProcessLogs: RpcMethod = {
    help: `Empty a process's stdout and stderr logs.

@param string name  The process name (or group:name).
@return boolean result  Always true unless an error is raised.`,
    call: ([name]) => host.engine.clearProcessLogs(nameArg(name)),
  };
  return {
    readLog: readMainLog(host),
    readMainLog: readMainLog(host),
    clearLog: {
      help: `Delete the main log and reopen it empty.

@return boolean result  Always true unless an error is raised.`,
      call: () => {
        const result = host.mainLog.clear();
        if (result.ok) return true;
        if (result.fault === 'NO_FILE') throw new NoFileError('');
        throw new FailedError('', { cause: result.error });
      },
    },
    readProcessStdoutLog: readProcessLog(host, 'stdout'),
    readProcessLog: readProcessLog(host, 'stdout'),
    readProcessStderrLog: readProcessLog(host, 'stderr'),
    tailProcessStdoutLog: tailProcessLog(host, 'stdout'),
    tailProcessLog: tailProcessLog(host, 'stdout'),
    tailProcessStderrLog: tailProcessLog(host, 'stderr'),
    clearProcessLogs,
    clearProcessLog: clearProcessLogs,
    clearAllProcessLogs: {
      help: `Empty the logs of every process.

@return array result  One {name, group, status, description} struct per process.`,
      call: () => host.engine.clearAllProcessLogs().map((r) => ({ ...r })),
    },
  };
}

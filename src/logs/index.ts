// The log layer's public surface: what the engine, the composition root and the RPC/HTTP layers import.
export {
  clearClosedLogFile,
  openLogFile,
  settleLogWrites,
  type LogFile,
  type LogFileOptions,
} from './log-file.js';
export type { LogWriter } from './log-writer.js';
export { LogFileError, type LogFileOp } from './log-file-error.js';
export { autoLogPath, cleanupAutoLogs, type CleanupReport } from './auto-logs.js';
export { autoLogName, autoLogPattern, isAutoLogName, type Channel } from './auto-log-name.js';
export {
  createDaemonLog,
  ignoreStreamErrors,
  type DaemonLog,
  type DaemonLogOptions,
  type ClearLogResult,
} from './daemon-log.js';
export {
  LEVEL_LABELS,
  formatLogLine,
  formatTimestamp,
  levelEnabled,
  parseLogLevel,
  type LogLevelName,
} from './log-levels.js';
export { createChannelLog, type ChannelLog, type ChannelLogOptions } from './channel-log.js';
export { createCaptureScanner, type CaptureScanner, type CapturePiece } from './capture-scanner.js';
export { createAnsiStripper, stripAnsi, type AnsiStripper } from './ansi-stripper.js';
export { createSyslogSink, lazySyslogSink, type SyslogSink, type SyslogSinkOptions } from './syslog-sink.js';
export { createChildSyslogWriter, daemonSyslogMessages, type ChildSyslogWriter } from './syslog-lines.js';
export { childOutputMessage } from './child-output-message.js';
export { pythonRepr } from '../model/python-repr.js';
export { readLogSlice, tailLog, type ReadLogResult, type ReadLogFault, type TailResult } from './read-log.js';
export { readWindow, tailWindow, type ReadWindow, type TailWindow } from './tail-window.js';
export { followLog, TRUNCATED_MARKER, type FollowListener, type FollowOptions } from './follow-log.js';

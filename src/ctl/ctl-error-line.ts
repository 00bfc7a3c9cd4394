// Pure: supervisorctl's generic error line for anything a command does not handle (spec §5.1):
// `error: <class 'X'>, <message>: file: <python file> line: <n>`, the file and line being where supervisorctl's
// Python raised it. svd prints the whole line as Debian's supervisorctl does for the same failure, place
// included, so what reads supervisorctl's output reads svd's; a failure supervisorctl would not raise has no place
// to name, and its line ends after the message.
import { constants } from 'node:os';
import {
  isClientError,
  type BadServerUrlError,
  type ClientError,
  type SocketStage,
  type TransportError,
} from '../client/client-errors.js';
import type { ServerUrlProblem } from '../client/server-url.js';

/** `errno` where the code is not an errno of the OS: getaddrinfo's EAI_* numbers, as Python's socket.gaierror shows them. */
const OS_ERRORS: Readonly<Record<string, { cls: string; text: string; errno?: number }>> = {
  ECONNREFUSED: { cls: 'ConnectionRefusedError', text: 'Connection refused' },
  ENOENT: { cls: 'FileNotFoundError', text: 'No such file or directory' },
  EACCES: { cls: 'PermissionError', text: 'Permission denied' },
  EPERM: { cls: 'PermissionError', text: 'Operation not permitted' },
  ECONNRESET: { cls: 'ConnectionResetError', text: 'Connection reset by peer' },
  EPIPE: { cls: 'BrokenPipeError', text: 'Broken pipe' },
  ETIMEDOUT: { cls: 'TimeoutError', text: 'Connection timed out' },
  ENOTSOCK: { cls: 'OSError', text: 'Socket operation on non-socket' },
  ECONNABORTED: { cls: 'ConnectionAbortedError', text: 'Software caused connection abort' },
  EHOSTUNREACH: { cls: 'OSError', text: 'No route to host' },
  ENOTDIR: { cls: 'NotADirectoryError', text: 'Not a directory' },
  EISDIR: { cls: 'IsADirectoryError', text: 'Is a directory' },
  EINVAL: { cls: 'OSError', text: 'Invalid argument' },
  ENETUNREACH: { cls: 'OSError', text: 'Network is unreachable' },
  EADDRNOTAVAIL: { cls: 'OSError', text: 'Cannot assign requested address' },
  EAFNOSUPPORT: { cls: 'OSError', text: 'Address family not supported by protocol' },
  ENAMETOOLONG: { cls: 'OSError', text: 'File name too long' },
  ELOOP: { cls: 'OSError', text: 'Too many levels of symbolic links' },
  EPROTOTYPE: { cls: 'OSError', text: 'Protocol wrong type for socket' },
  // Node names both EAI_NONAME and EAI_NODATA ENOTFOUND; glibc's words for EAI_NONAME, the usual one.
  ENOTFOUND: { cls: 'socket.gaierror', text: 'Name or service not known', errno: -2 },
  EAI_AGAIN: { cls: 'socket.gaierror', text: 'Temporary failure in name resolution', errno: -3 },
};

function osError(code: string, fallback: string): string {
  const known = OS_ERRORS[code];
  const errno = (constants.errno as Record<string, number | undefined>)[code];
  if (!known) return `<class 'OSError'>, ${errno === undefined ? fallback : `[Errno ${errno}] ${fallback}`}`;
  return `<class '${known.cls}'>, [Errno ${known.errno ?? errno ?? 0}] ${known.text}`;
}

/** What a client error says beyond its kind: a refused URL's problem, a socket failure's errno name and stage. */
function detailOf(
  error: ClientError,
): Partial<Pick<BadServerUrlError, 'problem'> & Pick<TransportError, 'code' | 'stage'>> {
  return error as Partial<BadServerUrlError & TransportError>;
}

/** The Python class of each refusal of a serverurl; ValueError for the others. */
const URL_PROBLEM_CLASSES: Partial<Record<ServerUrlProblem, string>> = {
  'no-host': 'TypeError',
  'control-character': 'http.client.InvalidURL',
  'idna-label': 'UnicodeError',
};

/** The class and message part of the line, as Python would print the exception. */
export function describeError(error: unknown): string {
  if (isClientError(error)) {
    const { problem, code } = detailOf(error);
    switch (error.kind) {
      case 'fault':
        return `<class 'xmlrpc.client.Fault'>, ${error.message}`;
      case 'unauthorized':
      case 'http-status':
        return `<class 'xmlrpc.client.ProtocolError'>, <${error.message}>`;
      case 'refused':
        return osError('ECONNREFUSED', error.message);
      case 'no-such-file':
        return osError('ENOENT', error.message);
      case 'transport':
        return osError(code ?? 'UNKNOWN', error.message);
      case 'bad-url':
        return `<class '${(problem && URL_PROBLEM_CLASSES[problem]) ?? 'ValueError'}'>, ${error.message}`;
      case 'bad-response':
        return `<class 'xml.parsers.expat.ExpatError'>, ${error.message}`;
    }
  }
  if (error instanceof Error)
    return `<class '${error.name === 'Error' ? 'Exception' : error.name}'>, ${error.message}`;
  return `<class 'Exception'>, ${String(error)}`;
}

/**
 * Failures of svd's ctl that supervisorctl's own code raises (an error sets `pythonOrigin` to one): a result code
 * it does not know, end of input at one of its questions, an integer XML-RPC cannot carry.
 */
export type CtlErrorOrigin =
  | 'start-result'
  | 'signal-result'
  | 'clear-result'
  | 'username-question'
  | 'password-question'
  | 'shutdown-question'
  | 'reload-question'
  | 'xmlrpc-int-range';

// Debian 12's supervisor 4.2.5 on its Python 3.11, the oracle whose lines svd's match.
const SUPERVISOR = '/usr/lib/python3/dist-packages/supervisor';
const PYTHON = '/usr/lib/python3.11';

/** Where supervisorctl raises each failure: the file and line its error line names. */
const ORIGINS: Readonly<
  Record<ServerUrlProblem | SocketStage | CtlErrorOrigin | 'fault' | 'http-status' | 'bad-response', string>
> = {
  // A serverurl refused, by SupervisorTransport, urllib's urlparse and ipaddress, http.client, the idna codec.
  'unknown-protocol': `${SUPERVISOR}/xmlrpc.py line: 505`,
  'unbalanced-brackets': `${PYTHON}/urllib/parse.py line: 514`,
  'text-before-bracket': `${PYTHON}/urllib/parse.py line: 447`,
  'text-after-bracket': `${PYTHON}/urllib/parse.py line: 451`,
  'bad-ipvfuture': `${PYTHON}/urllib/parse.py line: 461`,
  'ipv4-in-brackets': `${PYTHON}/urllib/parse.py line: 465`,
  'not-an-ip-address': `${PYTHON}/ipaddress.py line: 54`,
  'nfkc-netloc': `${PYTHON}/urllib/parse.py line: 436`,
  'port-not-integer': `${PYTHON}/urllib/parse.py line: 182`,
  'port-out-of-range': `${PYTHON}/urllib/parse.py line: 184`,
  'no-host': `${PYTHON}/http/client.py line: 1233`,
  'control-character': `${PYTHON}/http/client.py line: 1235`,
  'idna-label': `${PYTHON}/socket.py line: 962`,
  // Its socket failing: connecting (unix, inet), resolving, reading.
  'unix-connect': `${SUPERVISOR}/xmlrpc.py line: 557`,
  'inet-connect': `${PYTHON}/socket.py line: 836`,
  resolve: `${PYTHON}/socket.py line: 962`,
  exchange: `${PYTHON}/socket.py line: 706`,
  // The answer: not a 200, a fault, not XML.
  'http-status': `${SUPERVISOR}/xmlrpc.py line: 539`,
  fault: `${PYTHON}/xmlrpc/client.py line: 668`,
  'bad-response': `${PYTHON}/xmlrpc/client.py line: 451`,
  // supervisorctl's own.
  'start-result': `${SUPERVISOR}/supervisorctl.py line: 761`,
  'signal-result': `${SUPERVISOR}/supervisorctl.py line: 835`,
  'clear-result': `${SUPERVISOR}/supervisorctl.py line: 1260`,
  'username-question': `${SUPERVISOR}/supervisorctl.py line: 212`,
  'password-question': `${PYTHON}/getpass.py line: 148`,
  'shutdown-question': `${SUPERVISOR}/supervisorctl.py line: 987`,
  'reload-question': `${SUPERVISOR}/supervisorctl.py line: 1027`,
  'xmlrpc-int-range': `${PYTHON}/xmlrpc/client.py line: 552`,
};

function clientErrorOrigin(error: ClientError): string | null {
  const { problem, stage } = detailOf(error);
  switch (error.kind) {
    case 'bad-url':
      return problem ? ORIGINS[problem] : null;
    case 'refused':
    case 'no-such-file':
    case 'transport':
      return stage ? ORIGINS[stage] : null;
    case 'unauthorized':
    case 'http-status':
      return ORIGINS['http-status'];
    case 'fault':
    case 'bad-response':
      return ORIGINS[error.kind];
  }
}

/** Where supervisorctl would have raised `error`, as its line names it; null for a failure it has no place for. */
export function errorOrigin(error: unknown): string | null {
  if (isClientError(error)) return clientErrorOrigin(error);
  const origin = (error as { pythonOrigin?: CtlErrorOrigin } | null)?.pythonOrigin;
  return origin === undefined ? null : ORIGINS[origin];
}

/** supervisorctl's generic error line, `error: <class 'X'>, <message>: file: <file> line: <n>`. */
export function ctlErrorLine(error: unknown): string {
  const origin = errorOrigin(error);
  return `error: ${describeError(error)}${origin === null ? '' : `: file: ${origin}`}`;
}

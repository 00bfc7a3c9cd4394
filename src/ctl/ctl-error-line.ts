// Pure: supervisorctl's generic error line for anything a command does not handle (spec §5.1):
// `error: <class 'X'>, <message>`. supervisorctl appends `: file: <python file> line: <n>`, which names its
// own source; svd leaves that part out.
import { constants } from 'node:os';
import { isClientError, type BadServerUrlError } from '../client/client-errors.js';
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

/** The Python class of each refusal of a serverurl; ValueError for the others. */
const URL_PROBLEM_CLASSES: Partial<Record<ServerUrlProblem, string>> = {
  'no-host': 'TypeError',
  'control-character': 'http.client.InvalidURL',
  'idna-label': 'UnicodeError',
};

/** The class and message part of the line, as Python would print the exception. */
export function describeError(error: unknown): string {
  if (isClientError(error)) {
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
        return osError((error as unknown as { code: string }).code, error.message);
      case 'bad-url': {
        const { problem } = error as Partial<BadServerUrlError>;
        return `<class '${(problem && URL_PROBLEM_CLASSES[problem]) ?? 'ValueError'}'>, ${error.message}`;
      }
      case 'bad-response':
        return `<class 'xml.parsers.expat.ExpatError'>, ${error.message}`;
    }
  }
  if (error instanceof Error)
    return `<class '${error.name === 'Error' ? 'Exception' : error.name}'>, ${error.message}`;
  return `<class 'Exception'>, ${String(error)}`;
}

/** supervisorctl's generic error line, `error: <class 'X'>, <message>`, without its source file and line. */
export function ctlErrorLine(error: unknown): string {
  return `error: ${describeError(error)}`;
}

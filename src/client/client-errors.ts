// The client's typed failures, classified as supervisorctl classifies them (spec §5.1).
import { pythonRepr } from '../model/python-repr.js';
import type { ServerUrlProblem } from './server-url.js';

/** Which ClientError subclass a failure is, for a switch without instanceof. */
export type ClientErrorKind =
  | 'bad-url'
  | 'refused'
  | 'no-such-file'
  | 'unauthorized'
  | 'http-status'
  | 'fault'
  | 'transport'
  | 'bad-response';

const BRAND = Symbol.for('svd.ClientError');

/** Base of every client failure; `kind` tells them apart. */
export abstract class ClientError extends Error {
  abstract readonly kind: ClientErrorKind;
  readonly [BRAND] = true;
}

/** True for any ClientError, also one made by another copy of this module (the brand is a global symbol). */
export function isClientError(error: unknown): error is ClientError {
  return typeof error === 'object' && error !== null && (error as { [BRAND]?: unknown })[BRAND] === true;
}

/** The serverurl is refused before any connection; `problem` says by which of supervisorctl's checks. */
export class BadServerUrlError extends ClientError {
  override readonly name = 'BadServerUrlError';
  readonly kind = 'bad-url';
  readonly problem: ServerUrlProblem;
  constructor(problem: ServerUrlProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/**
 * Where a socket failure happened: connecting to a unix socket or to an inet address, resolving the host, or
 * later in the exchange. Python raises each in its own place.
 */
export type SocketStage = 'unix-connect' | 'inet-connect' | 'resolve' | 'exchange';

/** Nothing listens there: `<url> refused connection` (supervisorctl exits 4, or 1 after shutdown). */
export class ConnectionRefusedError extends ClientError {
  override readonly name = 'ConnectionRefusedError';
  readonly kind = 'refused';
  readonly serverUrl: string;
  readonly stage: SocketStage;
  constructor(serverUrl: string, stage: SocketStage, options?: { cause?: unknown }) {
    super(`${serverUrl} refused connection`, options);
    this.serverUrl = serverUrl;
    this.stage = stage;
  }
}

/** The unix socket file does not exist: `<url> no such file` (supervisorctl exits 7). */
export class NoSuchFileError extends ClientError {
  override readonly name = 'NoSuchFileError';
  readonly kind = 'no-such-file';
  readonly serverUrl: string;
  readonly stage: SocketStage;
  constructor(serverUrl: string, stage: SocketStage, options?: { cause?: unknown }) {
    super(`${serverUrl} no such file`, options);
    this.serverUrl = serverUrl;
    this.stage = stage;
  }
}

/**
 * Any answer but 200. The message is Python's ProtocolError text, `ProtocolError for
 * 127.0.0.1/RPC2: 500 Internal Server Error` (supervisorctl always names 127.0.0.1).
 */
export class HttpStatusError extends ClientError {
  override readonly name: string = 'HttpStatusError';
  readonly kind: ClientErrorKind = 'http-status';
  readonly status: number;
  readonly reason: string;
  readonly path: string;
  constructor(status: number, reason: string, path: string) {
    super(`ProtocolError for 127.0.0.1${path}: ${status} ${reason}`);
    this.status = status;
    this.reason = reason;
    this.path = path;
  }
}

/** 401: supervisorctl prints `Server requires authentication`. */
export class AuthenticationError extends HttpStatusError {
  override readonly name = 'AuthenticationError';
  override readonly kind = 'unauthorized';
}

/** An XML-RPC fault; the message is Python's repr, `<Fault 10: 'BAD_NAME: nosuch'>`. */
export class RemoteFault extends ClientError {
  override readonly name = 'RemoteFault';
  readonly kind = 'fault';
  readonly faultCode: number;
  readonly faultString: string;
  constructor(faultCode: number, faultString: string) {
    super(`<Fault ${faultCode}: ${pythonRepr(faultString)}>`);
    this.faultCode = faultCode;
    this.faultString = faultString;
  }
}

/** Any other socket failure (reset, timeout, permission denied on the socket). `code` is the errno name. */
export class TransportError extends ClientError {
  override readonly name = 'TransportError';
  readonly kind = 'transport';
  readonly code: string;
  readonly stage: SocketStage;
  constructor(message: string, code: string, stage: SocketStage, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.stage = stage;
  }
}

/** A 200 answer that is not an XML-RPC response. */
export class BadResponseError extends ClientError {
  override readonly name = 'BadResponseError';
  readonly kind = 'bad-response';
}

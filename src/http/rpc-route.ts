// POST /RPC2: read the body, decode the call, dispatch it, answer as supervisor does (spec §4.2).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from '../rpc/dispatcher.js';
import {
  ByteArena,
  decodeCall,
  encodeFault,
  encodeResponseBytes,
  type MethodCall,
} from '../rpc/xmlrpc-codec.js';
import { excerptOf } from '../model/excerpt.js';
import { pythonRepr } from '../model/python-repr.js';
import { errorLine } from './error-line.js';
import type { HttpLog, Route } from './route.js';
import { sendError, sendText } from './respond.js';
import { foreignOriginRefusal } from './same-origin.js';

const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** How long an oversized body may take to be discarded before its connection is dropped. */
const DRAIN_DEADLINE_MS = 30_000;

/** The body limit and logger of the /RPC2 route. */
export interface RpcRouteOptions {
  /** Larger request bodies are answered 413 without being read. Default 2 MB. */
  readonly maxBodyBytes?: number;
  readonly log?: HttpLog | undefined;
}

/** Resolves to the whole body, or null if the client went away before sending it. */
function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(null));
    req.on('close', () => {
      if (!req.complete) resolve(null);
    });
  });
}

/**
 * A request body in a log line, as supervisor writes it (`%r`, Python's repr), cut short: a 2 MB request must
 * not become a 2 MB log record.
 */
function excerpt(text: string): string {
  return pythonRepr(excerptOf(text));
}

/**
 * Per connection, the call being served. Calls pipelined on one connection (each sent before the last was
 * answered) are made one after another, in the order sent, as their answers go out: served side by side, a
 * startProcess sent right behind a stopProcess of the same program found it still stopping.
 */
const serving = new WeakMap<object, Promise<unknown>>();

/** Matches every path that starts with /RPC2, as supervisor's handler does. */
export function rpcRoute(dispatcher: Dispatcher, options: RpcRouteOptions = {}): Route {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log;
  const arena = new ByteArena();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'POST') return sendError(res, 400);
    // A page on another site must not drive the daemon with the browser's cached credentials (supervisor
    // does not check). The body is not read: the connection is closed after the answer.
    const refusal = foreignOriginRefusal(req.headers);
    if (refusal !== null) {
      log?.log('warn', `XML-RPC ${refusal}`);
      return sendError(res, 403, { close: true });
    }
    const length = req.headers['content-length'];
    if (!length) return sendError(res, 411);
    if (Number(length) > maxBodyBytes) {
      log?.log('error', `XML-RPC request of ${length} bytes refused (limit ${maxBodyBytes})`);
      // Node discards the unread body after the answer, so the client reads its 413 and the
      // connection stays usable; a client that trickles it forever is cut off.
      const cutoff = setTimeout(() => req.socket.destroy(), DRAIN_DEADLINE_MS);
      cutoff.unref();
      req.once('end', () => clearTimeout(cutoff));
      req.socket.once('close', () => clearTimeout(cutoff));
      return sendError(res, 413);
    }
    const body = await readBody(req);
    if (body === null) return;

    let text = '';
    let call: MethodCall;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
      call = decodeCall(text);
    } catch (error) {
      const why =
        error instanceof Error && error.message === 'no method name' ? 'no method name' : 'unmarshallable';
      log?.log('error', `XML-RPC request data ${excerpt(text)} is invalid: ${why}`);
      return sendError(res, 400);
    }

    const name = excerptOf(call.methodName);
    log?.log('trace', `XML-RPC method called: ${name}()`);
    let payload: Buffer;
    try {
      const before = serving.get(req.socket);
      const turn = before
        ? before.then(() => dispatcher.dispatch(call.methodName, call.params))
        : dispatcher.dispatch(call.methodName, call.params);
      serving.set(
        req.socket,
        turn.catch(() => undefined),
      );
      const outcome = await turn;
      if (outcome.ok) {
        log?.log('trace', `XML-RPC method ${name}() returned successfully`);
        payload = encodeResponseBytes(outcome.value, arena);
      } else {
        const { faultCode, faultString } = outcome.fault;
        log?.log(
          'trace',
          `XML-RPC method ${name}() returned fault: [${faultCode}] ${excerptOf(faultString)}`,
        );
        payload = Buffer.from(encodeFault(outcome.fault), 'utf8');
      }
    } catch (error) {
      // A bug in svd, not the caller's mistake (those are faults): one line, the stack only when debugging.
      log?.log(
        'error',
        `Handling XML-RPC request with data ${excerpt(text)} raised an unexpected exception: ${errorLine(error)}`,
      );
      if (error instanceof Error && error.stack) log?.log('debug', error.stack);
      return sendError(res, 500);
    }
    // A deferred call may outlive its client (supervisorctl interrupted during a stop).
    if (res.destroyed || res.writableEnded) return arena.release(payload);
    const sent = payload;
    sendText(res, 200, 'text/xml', sent, () => arena.release(sent));
  };

  return { name: 'xmlrpc', match: (path) => path.startsWith('/RPC2'), handle };
}

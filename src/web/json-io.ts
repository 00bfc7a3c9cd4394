// Effect helpers of the JSON API: answer with JSON, read a small JSON body, refuse cross-site writes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultName } from '../model/faults.js';
import { reasonOf } from '../http/error-page.js';
import { foreignOriginRefusal } from '../http/same-origin.js';
import { errorBody } from './api-errors.js';

/** Request bodies above this are refused (413) without being read. */
const MAX_JSON_BODY_BYTES = 16 * 1024;

/**
 * Answers `status` with `value` as JSON (one line, newline-ended, not cached); a response whose headers are
 * already sent is destroyed instead.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // Encoded once: measuring the string's UTF-8 length and then encoding it again cost ~3 ms of the ~8 ms a
  // 1,000-process list took.
  const body = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
  res.writeHead(status, reasonOf(status), {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

/** Answers `status` with the error body of `fault` and `message`. */
export function sendFault(
  res: ServerResponse,
  status: number,
  fault: FaultName,
  message: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJson(res, status, errorBody(fault, message), headers);
}

/** readJsonBody's answer: the object, or the refusal to answer with. */
export type BodyResult =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | {
      readonly ok: false;
      readonly status: number;
      readonly fault: FaultName;
      readonly message: string;
      /** The unread rest of the body makes the connection unusable: answer with `Connection: close`. */
      readonly close: boolean;
    };

const refuse = (status: number, fault: FaultName, message: string, close = false): BodyResult => ({
  ok: false,
  status,
  fault,
  message,
  close,
});

/**
 * A browser attaches cached Basic credentials to any request to this origin, a cross-site form post
 * included. Writes therefore need `Content-Type: application/json` (a cross-site page cannot send it
 * without a CORS preflight, which is never granted), and an `Origin`, when sent, must be this host
 * (foreignOriginRefusal, the check /RPC2 makes too).
 */
export function crossSiteRefusal(req: IncomingMessage): string | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return 'POST requests need Content-Type: application/json';
  return foreignOriginRefusal(req.headers);
}

/** Reads a JSON object body (empty means `{}`), at most MAX_JSON_BODY_BYTES. */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return refuse(413, 'BAD_ARGUMENTS', `request body over ${maxBytes} bytes`, true);
  const chunks: Buffer[] = [];
  let size = 0;
  const over = await new Promise<boolean>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        resolve(true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(false));
    // A client gone mid-body: the answer goes nowhere, whatever it is.
    req.on('error', () => resolve(true));
    req.on('close', () => resolve(!req.complete));
  });
  if (over) return refuse(413, 'BAD_ARGUMENTS', `request body over ${maxBytes} bytes`, true);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse(400, 'INCORRECT_PARAMETERS', 'request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return refuse(400, 'INCORRECT_PARAMETERS', 'request body must be a JSON object');
  }
  return { ok: true, value: value as Record<string, unknown> };
}

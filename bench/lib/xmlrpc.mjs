// Effect (unix socket): the smallest XML-RPC client that times a call the same way for both daemons: a fresh
// connection per call, from writing the request to the last byte of the response. The body is not decoded
// beyond what the bench checks (faults, how many structs came back).
import { request } from 'node:http';

function escape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function encodeParam(value) {
  if (typeof value === 'boolean') return `<value><boolean>${value ? 1 : 0}</boolean></value>`;
  if (typeof value === 'number') return `<value><int>${value}</int></value>`;
  return `<value><string>${escape(String(value))}</string></value>`;
}

/**
 * Calls `method` on the daemon listening at `socketPath`. Resolves with {ms, status, body, fault}; rejects on
 * a connection error or when `timeoutMs` passes.
 */
export function xmlrpcCall(socketPath, method, params = [], timeoutMs = 120_000) {
  const body =
    `<?xml version="1.0"?>\n<methodCall><methodName>${method}</methodName><params>` +
    params.map((p) => `<param>${encodeParam(p)}</param>`).join('') +
    `</params></methodCall>`;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(
      {
        socketPath,
        path: '/RPC2',
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          // The time stops at the last byte; decoding the body is the bench's work, not the daemon's.
          const ms = performance.now() - t0;
          const text = Buffer.concat(chunks).toString('utf8');
          const fault = /<fault>/.test(text)
            ? (/<string>([^<]*)<\/string>/.exec(text)?.[1] ?? 'fault')
            : null;
          resolve({ ms, status: res.statusCode, body: text, fault });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** How many process structs a getAllProcessInfo answer holds. */
export function countProcessInfos(body) {
  return body.split('<name>statename</name>').length - 1;
}

/** True when the daemon answers supervisor.getState over the socket. */
export async function rpcAvailable(socketPath) {
  try {
    const r = await xmlrpcCall(socketPath, 'supervisor.getState', [], 5000);
    return r.status === 200 && r.fault === null && r.body.includes('statename');
  } catch {
    return false;
  }
}

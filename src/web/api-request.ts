// Pure: what a /api/... request asks for, from its method and URL, with every input validated (docs/api.md).
import type { LogChannel } from '../http/logtail-path.js';
import type { FaultName } from '../model/faults.js';

/** The `<action>` of POST /api/processes/<namespec>/, /api/groups/<group>/ and /api/all/. */
export type ApiProcessAction = 'start' | 'stop' | 'restart' | 'signal' | 'clear';
export type { LogChannel };

/** What an action applies to: one process (or `group:*`), one group, or every process. */
export type ActionTarget =
  | { readonly kind: 'process'; readonly namespec: string }
  | { readonly kind: 'group'; readonly name: string }
  | { readonly kind: 'all' };

/** One valid /api request, by kind, with its parameters parsed. */
export type ApiRequest =
  | { readonly kind: 'list' }
  | { readonly kind: 'process'; readonly namespec: string }
  | {
      readonly kind: 'action';
      readonly target: ActionTarget;
      readonly action: ApiProcessAction;
      /** From `?signal=`; a JSON body may give it instead. */
      readonly signal: string | null;
    }
  | { readonly kind: 'plan' }
  | { readonly kind: 'apply' }
  | { readonly kind: 'events' }
  | {
      readonly kind: 'log';
      /** null for the daemon's main log. */
      readonly namespec: string | null;
      readonly channel: LogChannel;
      readonly offset: number;
      readonly length: number;
    }
  | {
      readonly kind: 'follow';
      readonly namespec: string | null;
      readonly channel: LogChannel;
      /** Bytes of the existing file to send first. */
      readonly tail: number;
    };

/** Why a request is refused: its HTTP status, fault and message. */
export interface ApiRefusal {
  readonly status: number;
  readonly fault: FaultName;
  readonly message: string;
  /** For 405: the one method the path accepts. */
  readonly allow?: 'GET' | 'POST' | undefined;
}

/** parseApiRequest's answer: the method and request, or the refusal. */
export type ApiParse =
  | { readonly ok: true; readonly method: 'GET' | 'POST'; readonly request: ApiRequest }
  | ({ readonly ok: false } & ApiRefusal);

/** The longest namespec or group name accepted: a guard, far above any real name. */
const MAX_NAME_LENGTH = 512;
/** The most bytes one log read returns or a follow sends first. */
export const MAX_LOG_WINDOW = 1024 * 1024;
const DEFAULT_LOG_LENGTH = 64 * 1024;
const DEFAULT_FOLLOW_TAIL = 16 * 1024;

const ACTIONS: ReadonlySet<string> = new Set(['start', 'stop', 'restart', 'signal', 'clear']);

const refuse = (status: number, fault: FaultName, message: string): ApiParse => ({
  ok: false,
  status,
  fault,
  message,
});
const notFound = (path: string) => refuse(404, 'UNKNOWN_METHOD', `no such endpoint: ${path}`);

type Segment = { ok: true; value: string } | { ok: false; refusal: ApiParse };

/** A percent-decoded name segment: never used as a path, only looked up; still kept printable and short. */
function nameSegment(raw: string, what: string): Segment {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return { ok: false, refusal: refuse(400, 'BAD_NAME', `malformed ${what}: ${raw}`) };
  }
  if (value === '' || value.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f/]/.test(value)) {
    return { ok: false, refusal: refuse(400, 'BAD_NAME', `invalid ${what}: ${JSON.stringify(value)}`) };
  }
  return { ok: true, value };
}

type Int = { ok: true; value: number } | { ok: false; refusal: ApiParse };

function intParam(query: URLSearchParams, key: string, fallback: number, min: number, max: number): Int {
  const text = query.get(key);
  if (text === null || text === '') return { ok: true, value: fallback };
  if (!/^-?\d{1,16}$/.test(text)) {
    return { ok: false, refusal: refuse(400, 'BAD_ARGUMENTS', `${key} must be an integer, got '${text}'`) };
  }
  const value = Number(text);
  if (value < min || value > max) {
    return { ok: false, refusal: refuse(400, 'BAD_ARGUMENTS', `${key} must be in ${min}..${max}`) };
  }
  return { ok: true, value };
}

function channelParam(
  query: URLSearchParams,
): { ok: true; value: LogChannel } | { ok: false; refusal: ApiParse } {
  const text = query.get('channel') ?? 'stdout';
  if (text === 'stdout' || text === 'stderr') return { ok: true, value: text };
  return {
    ok: false,
    refusal: refuse(400, 'BAD_ARGUMENTS', `channel must be stdout or stderr, got '${text}'`),
  };
}

/** `/api/log/<ns>[/follow]` and `/api/mainlog[/follow]`, after the method check. */
function logRequest(namespec: string | null, follow: boolean, query: URLSearchParams): ApiParse {
  const channel = channelParam(query);
  if (!channel.ok) return channel.refusal;
  if (follow) {
    const tail = intParam(query, 'tail', DEFAULT_FOLLOW_TAIL, 0, MAX_LOG_WINDOW);
    if (!tail.ok) return tail.refusal;
    return {
      ok: true,
      method: 'GET',
      request: { kind: 'follow', namespec, channel: channel.value, tail: tail.value },
    };
  }
  const offset = intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  if (!offset.ok) return offset.refusal;
  const length = intParam(query, 'length', DEFAULT_LOG_LENGTH, 0, MAX_LOG_WINDOW);
  if (!length.ok) return length.refusal;
  return {
    ok: true,
    method: 'GET',
    request: { kind: 'log', namespec, channel: channel.value, offset: offset.value, length: length.value },
  };
}

function actionRequest(target: ActionTarget, action: string | undefined, query: URLSearchParams): ApiParse {
  if (action === undefined || !ACTIONS.has(action))
    return refuse(404, 'UNKNOWN_METHOD', `no such action: ${action ?? ''}`);
  return {
    ok: true,
    method: 'POST',
    request: { kind: 'action', target, action: action as ApiProcessAction, signal: query.get('signal') },
  };
}

/** The route, before the method check: which method it wants and what it asks for. */
function route(parts: readonly string[], query: URLSearchParams, path: string): ApiParse {
  const [head, a, b, ...rest] = parts;
  if (rest.length > 0) return notFound(path);
  const get = (request: ApiRequest): ApiParse => ({ ok: true, method: 'GET', request });
  switch (head) {
    case 'processes': {
      if (a === undefined) return get({ kind: 'list' });
      const ns = nameSegment(a, 'namespec');
      if (!ns.ok) return ns.refusal;
      if (b === undefined) return get({ kind: 'process', namespec: ns.value });
      return actionRequest({ kind: 'process', namespec: ns.value }, b, query);
    }
    case 'groups': {
      if (a === undefined) return notFound(path);
      const name = nameSegment(a, 'group name');
      if (!name.ok) return name.refusal;
      return actionRequest({ kind: 'group', name: name.value }, b, query);
    }
    case 'all':
      if (b !== undefined) return notFound(path);
      return actionRequest({ kind: 'all' }, a, query);
    case 'plan':
      return a === undefined ? get({ kind: 'plan' }) : notFound(path);
    case 'apply':
      return a === undefined ? { ok: true, method: 'POST', request: { kind: 'apply' } } : notFound(path);
    case 'events':
      return a === undefined ? get({ kind: 'events' }) : notFound(path);
    case 'log': {
      if (a === undefined || (b !== undefined && b !== 'follow')) return notFound(path);
      const ns = nameSegment(a, 'namespec');
      if (!ns.ok) return ns.refusal;
      return logRequest(ns.value, b === 'follow', query);
    }
    case 'mainlog':
      if (b !== undefined || (a !== undefined && a !== 'follow')) return notFound(path);
      return logRequest(null, a === 'follow', query);
    default:
      return notFound(path);
  }
}

/**
 * Parses `method url` for a path under /api/. Names are percent-decoded per segment (so a namespec may hold
 * an encoded `:`, never a `/`); a trailing slash is ignored. A wrong method answers 405.
 */
export function parseApiRequest(method: string, url: string): ApiParse {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/#.*$/, '');
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  if (!path.startsWith('/api/')) return notFound(path);
  const parts = path.slice('/api/'.length).replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '')) return notFound(path);
  const parsed = route(parts, query, path);
  if (parsed.ok && parsed.method !== method) {
    return {
      ok: false,
      status: 405,
      fault: 'UNKNOWN_METHOD',
      message: `${path} accepts ${parsed.method} only`,
      allow: parsed.method,
    };
  }
  return parsed;
}

// The JSON API under /api/ (docs/api.md): one route that validates the request and hands it to its handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../engine/engine.js';
import type { ReconcileEngine } from '../engine/execute-plan.js';
import type { HttpLog, Route } from '../http/route.js';
import { answerOfError } from './api-errors.js';
import { parseApiRequest, type ActionTarget, type ApiRequest } from './api-request.js';
import type { ConfigView } from './config-plan.js';
import type { ProcessEventHub } from './event-hub.js';
import { crossSiteRefusal, readJsonBody, sendFault, sendJson } from './json-io.js';
import { followLogAsEvents, logPath, readLog, type MainLogPath } from './log-api.js';
import { runAction, type ActionEngine } from './process-actions.js';
import { processJson } from './process-view.js';

/** The engine methods the JSON API uses. */
export type ApiEngine = ActionEngine &
  ReconcileEngine &
  Pick<Engine, 'getProcessInfo' | 'snapshot' | 'state'>;

/** What the /api route works over. */
export interface ApiRouteOptions {
  readonly engine: ApiEngine;
  readonly hub: ProcessEventHub;
  /** Plan and apply; without it /api/plan and /api/apply answer CANT_REREAD. */
  readonly config?: ConfigView | undefined;
  readonly mainLogPath: MainLogPath;
  readonly log?: HttpLog | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, request: ApiRequest) => Promise<void>;

/**
 * The signal of a signal action: the body's `signal` (a name or a number), else `?signal=`. Anything else says what
 * was wrong, where supervisor's `BAD_SIGNAL: ` would leave the caller guessing.
 */
function signalOf(
  fromBody: unknown,
  fromQuery: string | null,
): { readonly ok: true; readonly name: string } | { readonly ok: false; readonly message: string } {
  if (typeof fromBody === 'string' || typeof fromBody === 'number')
    return { ok: true, name: String(fromBody) };
  if (fromBody !== undefined) {
    const type =
      fromBody === null
        ? 'null'
        : Array.isArray(fromBody)
          ? 'an array'
          : typeof fromBody === 'boolean'
            ? 'a boolean'
            : 'an object';
    return { ok: false, message: `signal must be a name or a number, got ${type}` };
  }
  if (fromQuery !== null) return { ok: true, name: fromQuery };
  return { ok: false, message: 'no signal given: send {"signal": "HUP"} or ?signal=HUP' };
}

/** An action's target as the log line names it; a name with other characters than a name's is quoted (JSON). */
function targetWords(target: ActionTarget): string {
  if (target.kind === 'all') return 'all';
  const name = target.kind === 'process' ? target.namespec : target.name;
  return `${target.kind} ${/^[\w.:*@-]+$/.test(name) ? name : JSON.stringify(name)}`;
}

/** Matches /api and everything under it. */
export function apiRoute(options: ApiRouteOptions): Route {
  const { engine, hub, config, mainLogPath, log } = options;

  const noSource = (res: ServerResponse): void =>
    sendFault(res, 422, 'CANT_REREAD', 'this server has no configuration source to plan from');

  const handle: Handler = async (req, res, request) => {
    switch (request.kind) {
      case 'list':
        return sendJson(res, 200, hub.snapshot());
      case 'process':
        return sendJson(res, 200, processJson(engine.getProcessInfo(request.namespec)));
      case 'events':
        return hub.connect(res);
      case 'action': {
        const body = await readJsonBody(req);
        if (!body.ok) return sendFault(res, body.status, body.fault, body.message, closing(body.close));
        const signal = signalOf(body.value['signal'], request.signal);
        if (request.action === 'signal' && !signal.ok)
          return sendFault(res, 400, 'BAD_SIGNAL', signal.message);
        const what = targetWords(request.target);
        const name = signal.ok ? signal.name : null;
        log?.log('info', `web: ${request.action} ${what}${request.action === 'signal' ? ` ${name}` : ''}`);
        return sendJson(res, 200, await runAction(engine, request.target, request.action, name));
      }
      case 'plan':
        if (!config) return noSource(res);
        return sendJson(res, 200, await config.plan());
      case 'apply': {
        const body = await readJsonBody(req);
        if (!body.ok) return sendFault(res, body.status, body.fault, body.message, closing(body.close));
        // The page's apply is of the daemon's own source. A source named here ({paths}, as svd.apply takes it)
        // would otherwise be ignored without a word, and another configuration than the caller meant applied.
        const options = Object.keys(body.value);
        if (options.length > 0)
          return sendFault(
            res,
            400,
            'BAD_ARGUMENTS',
            `POST /api/apply takes no options (got ${options.join(', ')}): it applies the daemon's own configuration; svd.apply on /RPC2 takes another source`,
          );
        if (!config) return noSource(res);
        log?.log('info', 'web: apply requested');
        const outcome = await config.apply();
        hub.refresh();
        if (!outcome.ok) return sendJson(res, 422, outcome.answer);
        return sendJson(res, 200, outcome.answer);
      }
      case 'log': {
        const path = logPath(engine, mainLogPath, request.namespec, request.channel);
        return sendJson(res, 200, await readLog(path, request.offset, request.length));
      }
      case 'follow': {
        const path = logPath(engine, mainLogPath, request.namespec, request.channel);
        followLogAsEvents(res, path, request.tail);
        return;
      }
    }
  };

  return {
    name: 'api',
    match: (path) => path === '/api' || path.startsWith('/api/'),
    async handle(req, res) {
      const parsed = parseApiRequest(req.method ?? 'GET', req.url ?? '/');
      if (!parsed.ok) {
        const allow: Record<string, string> = parsed.allow ? { Allow: parsed.allow } : {};
        return sendFault(res, parsed.status, parsed.fault, parsed.message, allow);
      }
      if (parsed.method === 'POST') {
        const refusal = crossSiteRefusal(req);
        if (refusal !== null) return sendFault(res, 403, 'INCORRECT_PARAMETERS', refusal, closing(true));
      }
      try {
        await handle(req, res, parsed.request);
      } catch (e) {
        const answer = answerOfError(e);
        if (answer === null) throw e;
        sendJson(res, answer.status, answer.body);
      }
    },
  };
}

function closing(close: boolean): Readonly<Record<string, string>> {
  return close ? { Connection: 'close' } : {};
}

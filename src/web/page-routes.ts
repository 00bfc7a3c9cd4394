// The page's routes: `/` (and supervisor's old page URLs) and its files under /assets/.
import type { HttpLog, Route } from '../http/route.js';
import { sendError } from '../http/respond.js';
import { errorLine } from '../http/error-line.js';
import { runLegacyAction, type LegacyEngine } from './legacy-actions.js';
import type { IncomingMessage } from 'node:http';
import { formQuery, pagePath, pageRequest, pythonQuote } from './legacy-ui.js';
import type { AssetStore } from './static-assets.js';

function queryOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q < 0 ? '' : raw.slice(q + 1).replace(/#.*$/, '');
}

/** supervisor's page form carries two short fields; anything much larger is no page form. */
const MAX_FORM_BYTES = 64 * 1024;

/** The whole body as text, or null if the client went away first. */
function readForm(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
    req.on('close', () => {
      if (!req.complete) resolve(null);
    });
  });
}

/**
 * The page at /, /index.html and /tail.html, where supervisor's old actions (GET query or POSTed form) still
 * act and redirect back with their message, and its files under /assets/.
 */
export function pageRoutes(assets: AssetStore, engine: LegacyEngine, log?: HttpLog): Route[] {
  return [
    {
      name: 'web-page',
      match: (path) => ['/', '/index.html', '/tail.html'].includes(pagePath(path)),
      async handle(req, res, path) {
        const method = req.method ?? 'GET';
        if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return sendError(res, 405);
        let query = queryOf(req.url);
        if (method === 'POST') {
          // supervisor's page acts on a POSTed urlencoded form too (its own status page is one form).
          const length = req.headers['content-length'];
          if (length === undefined) return sendError(res, 411);
          if (Number(length) > MAX_FORM_BYTES) return sendError(res, 413, { close: true });
          const form = await readForm(req);
          if (form === null) return;
          query = formQuery(query, form);
        }
        const page = pageRequest(method, pagePath(path), query, req.headers);
        switch (page.kind) {
          case 'action':
            // As supervisor's page: act, then back to the page with the outcome in `message`.
            runLegacyAction(engine, page.action, page.namespec).then(
              (message) => {
                const location = `./?message=${pythonQuote(message)}`;
                res.writeHead(303, 'See Other', { Location: location, 'Content-Length': 0 });
                res.end();
              },
              (e: unknown) => {
                log?.log('error', `page action ${page.action}: ${errorLine(e)}`);
                sendError(res, 500);
              },
            );
            return;
          case 'redirect':
            res.writeHead(303, 'See Other', { Location: page.location, 'Content-Length': 0 });
            res.end();
            return;
          case 'not-found':
            return sendError(res, 404);
          case 'bad-action':
            return sendError(res, 500);
          case 'page':
            return assets.serve(req, res, 'index.html');
        }
      },
    },
    {
      name: 'web-assets',
      match: (path) => path.startsWith('/assets/') || path === '/favicon.ico',
      handle(req, res, path) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405);
        const name = path === '/favicon.ico' ? 'favicon.svg' : path.slice('/assets/'.length);
        // Only exact names of the store are served; anything with a slash or dots is simply unknown.
        assets.serve(req, res, name);
      },
    },
  ];
}

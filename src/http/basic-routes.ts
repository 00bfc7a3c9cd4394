// Small routes: the /ok.html health probe and the catch-all 404 (spec §4.1, §8.4).
import type { Route } from './route.js';
import { sendError, sendText } from './respond.js';

/** `GET|POST /ok.html` → `200 text/plain` `OK`. */
export function okRoute(): Route {
  return {
    name: 'ok',
    match: (path, req) =>
      path.replace(/^\/+/, '') === 'ok.html' && (req.method === 'GET' || req.method === 'POST'),
    handle: (_req, res) => sendText(res, 200, 'text/plain', 'OK'),
  };
}

/** Matches everything: the last route, where supervisor's static file handler finds nothing. */
export function notFoundRoute(): Route {
  return { name: 'not-found', match: () => true, handle: (_req, res) => sendError(res, 404) };
}

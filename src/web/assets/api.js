// The page's calls to the JSON API (same origin; the browser supplies the Basic credentials).

/** An API answer that is not 2xx: `fault`, `code` and `message` from its JSON error body. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error;
    super(error ? error.message : `HTTP ${status}`);
    this.status = status;
    this.fault = error ? error.fault : null;
    this.code = error ? error.code : null;
    this.body = body;
  }
}

async function call(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method === 'POST') {
    // The API refuses writes without this type: a cross-site form cannot send it.
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body ?? {});
  }
  const res = await fetch(path, init);
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

export const getJson = (path) => call('GET', path);
export const postJson = (path, body) => call('POST', path, body);

export const enc = encodeURIComponent;

/** The API path of an action on a process (`ns`), a group, or everything. */
export function actionPath(scope, id, action) {
  if (scope === 'all') return `api/all/${action}`;
  if (scope === 'group') return `api/groups/${enc(id)}/${action}`;
  return `api/processes/${enc(id)}/${action}`;
}

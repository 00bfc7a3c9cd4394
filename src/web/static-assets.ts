// Effect: the page's files (src/web/assets), read once from the source tree, served with validators.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from '../http/respond.js';

/** Every file the page may load, by URL name: nothing else under /assets/ is ever read. */
const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'api.js': 'text/javascript; charset=utf-8',
  'actions.js': 'text/javascript; charset=utf-8',
  'config-view.js': 'text/javascript; charset=utf-8',
  'format.js': 'text/javascript; charset=utf-8',
  'log-view.js': 'text/javascript; charset=utf-8',
  'process-table.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** The page takes nothing from elsewhere: no CDN, no inline script, no framing by other sites. */
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Where the assets are: beside this module when a build copied them, else in the source tree, which
 * `dist/src/web/` reaches as `../../../src/web/assets` (so a clean checkout works after `npm run build`).
 */
export function findAssetsDir(): string | null {
  const candidates = [
    new URL('./assets/', import.meta.url),
    new URL('../../../src/web/assets/', import.meta.url),
  ];
  for (const url of candidates) {
    const dir = fileURLToPath(url);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return null;
}

/** The page's files, served from memory. */
export interface AssetStore {
  /** Answers GET/HEAD of the named asset (304 when the client's copy is current); 404 when unknown. */
  serve(req: IncomingMessage, res: ServerResponse, name: string): void;
}

/** Reads every asset on first use and keeps them in memory (they are small). */
export function assetStore(
  dir: string | null = findAssetsDir(),
  onMissing?: (what: string) => void,
): AssetStore {
  let assets: Map<string, Asset> | null = null;
  const load = (): Map<string, Asset> => {
    if (assets) return assets;
    assets = new Map();
    for (const [name, type] of Object.entries(TYPES)) {
      try {
        if (dir === null) throw new Error('no assets directory');
        const body = readFileSync(`${dir}${name}`);
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        assets.set(name, { body, type, etag });
      } catch {
        onMissing?.(`web asset ${name} not found (looked in ${dir ?? 'src/web/assets'})`);
      }
    }
    return assets;
  };
  return {
    serve(req, res, name) {
      const asset = load().get(name);
      if (!asset) return sendError(res, 404);
      const headers = {
        'Content-Type': asset.type,
        // Revalidate every time: the page and its script must never come from different builds.
        'Cache-Control': 'no-cache',
        ETag: asset.etag,
        ...SECURITY_HEADERS,
      };
      if (req.headers['if-none-match'] === asset.etag) {
        res.writeHead(304, 'Not Modified', headers);
        res.end();
        return;
      }
      res.writeHead(200, 'OK', { ...headers, 'Content-Length': asset.body.length });
      res.end(req.method === 'HEAD' ? undefined : asset.body);
    },
  };
}

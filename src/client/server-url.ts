// Pure: supervisorctl's serverurl, `http://host[:port]` or `unix:///path` (spec §2.6.4).

export type ServerUrl =
  | { readonly kind: 'unix'; readonly url: string; readonly socketPath: string }
  | { readonly kind: 'http'; readonly url: string; readonly host: string; readonly port: number };

export type ServerUrlResult =
  { readonly ok: true; readonly value: ServerUrl } | { readonly ok: false; readonly message: string };

/** As SupervisorTransport: anything but http:// and unix:// is refused with its message. */
export function parseServerUrl(url: string): ServerUrlResult {
  const unknown = { ok: false, message: `Unknown protocol for serverurl ${url}` } as const;
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    return socketPath === '' ? unknown : { ok: true, value: { kind: 'unix', url, socketPath } };
  }
  if (!url.startsWith('http://')) return unknown;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: `Invalid serverurl ${url}` };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') return { ok: false, message: `Invalid serverurl ${url}` };
  return {
    ok: true,
    value: { kind: 'http', url, host, port: parsed.port === '' ? 80 : Number(parsed.port) },
  };
}

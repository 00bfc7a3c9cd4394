// Pure: a request path as it goes on the wire.

/**
 * `path` with every character outside printable ASCII percent-encoded as its UTF-8 bytes (`/logtail/é` becomes
 * `/logtail/%C3%A9`); printable ASCII is sent as written, as supervisorctl sends it. Node would write the path as
 * Latin-1 (é as the byte E9, which supervisord cannot decode), and Node's server refuses raw bytes above 7F in a
 * request line; supervisord and svd both decode the escapes.
 */
export function wirePath(path: string): string {
  return path.replace(/[^\x21-\x7e]+/g, (run) =>
    [...Buffer.from(run, 'utf8')]
      .map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

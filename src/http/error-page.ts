// Pure: the small HTML error page supervisor's HTTP server answers with (spec §4.1).

/** Reason phrases as medusa words them (so 413 is "Request Entity Too Large"). */
const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  411: 'Length Required',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The reason phrase medusa sends with `status`; `Error` for a status it has none for. */
export function reasonOf(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** The body supervisor sends with every error status, byte for byte (CRLF line ends, as medusa). */
export function errorPage(status: number): string {
  return [
    '<head>',
    '<title>Error response</title>',
    '</head>',
    '<body>',
    '<h1>Error response</h1>',
    `<p>Error code ${status}.`,
    `<p>Message: ${reasonOf(status)}.`,
    '</body>',
    '',
  ].join('\r\n');
}

/**
 * A whole HTTP/1.1 error response as bytes on the wire, for a socket Node no longer serves as HTTP (a CONNECT):
 * supervisor's page, and `Connection: close`.
 */
export function rawErrorResponse(status: number): string {
  const body = errorPage(status);
  return (
    `HTTP/1.1 ${status} ${reasonOf(status)}\r\n` +
    `Content-Type: text/html\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

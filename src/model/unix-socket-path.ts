// Pure: whether a unix socket path is too long to bind or connect to. sockaddr_un holds 108 bytes; Node (libuv)
// keeps one of them for a NUL and silently cuts a longer path to 107 bytes, so a bind would create a socket at
// the shortened path and a connect could reach another socket. Python refuses a path over 108 bytes with
// `AF_UNIX path too long`; svd refuses one over 107, the most Node can use.

const MAX_BYTES = 107;

/** True when `path` is over 107 bytes in UTF-8: callers refuse it with Python's `AF_UNIX path too long`. */
export function unixSocketPathTooLong(path: string): boolean {
  return new TextEncoder().encode(path).length > MAX_BYTES;
}

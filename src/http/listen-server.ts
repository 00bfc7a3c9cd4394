// Effect: server.listen as a promise that rejects with the bind error.
import type { Server } from 'node:http';
import type { ListenOptions } from 'node:net';

/**
 * `umask`: the process's umask while a unix socket file is bound (the bind happens inside listen(), synchronously),
 * restored before this returns; undefined leaves it alone.
 */
export function listenServer(server: Server, options: ListenOptions, umask?: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    const previous = umask === undefined ? undefined : process.umask(umask);
    try {
      server.listen(options, () => {
        server.off('error', onError);
        resolve();
      });
    } finally {
      if (previous !== undefined) process.umask(previous);
    }
  });
}

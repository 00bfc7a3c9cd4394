// Effect: server.listen as a promise that rejects with the bind error.
import type { Server } from 'node:http';
import type { ListenOptions } from 'node:net';

export function listenServer(server: Server, options: ListenOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(options, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

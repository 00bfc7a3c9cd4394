// Effect: supervisord's daemonize step. The foreground process starts a detached copy of itself (setsid,
// stdio to /dev/null) and exits 0 once the copy reports that it is up, or 2 with the copy's startup error.
import { spawn } from 'node:child_process';
import { closeSync, writeSync } from 'node:fs';

const DETACHED_ENV = 'SVD_DETACHED';
const READY_FD = 3;

// Read once and removed from our environment: a child, and a nested svd or supervisord among them, must not
// inherit the marker and take itself for a detached copy.
const detachedCopy = process.env[DETACHED_ENV] === '1';
delete process.env[DETACHED_ENV];

/** True in the copy `detach` started; read once at load, and the marker is removed from the environment. */
export function isDetachedCopy(): boolean {
  return detachedCopy;
}

/** Parent side: resolves with the exit status the foreground process should end with. */
export function detach(
  self: { command: string; args: readonly string[] },
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const child = spawn(self.command, [...self.args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  const channel = child.stdio[READY_FD];
  let report = '';
  channel?.on('data', (b: Buffer) => (report += b.toString()));
  return new Promise((resolve) => {
    const finish = () => {
      if (report.startsWith('ok')) {
        child.unref();
        channel?.destroy();
        resolve(0);
      } else {
        stderr.write(report === '' ? 'Error: the daemon exited during startup\n' : report);
        resolve(2);
      }
    };
    channel?.on('close', finish);
    child.on('error', (e) => {
      report = `Error: ${e.message}\n`;
    });
  });
}

let startupReported = false;

/** Detached side: tell the waiting parent that startup succeeded (null) or failed (the text to print). */
export function reportStartup(error: string | null): void {
  // Once only: a reload runs the start-up again, and by then fd 3 may be some other file.
  if (!isDetachedCopy() || startupReported) return;
  startupReported = true;
  try {
    writeSync(READY_FD, error === null ? 'ok\n' : error);
    closeSync(READY_FD);
  } catch {
    // The parent is gone: nobody to tell.
  }
}

// The port through which regular log files hand their big chunks to a thread of their own (native/svd_logwrite.c,
// through src/adapters/native-spawn.ts): the JavaScript thread reads a child's next chunk while the last is
// written. Without one, every write is made on the JavaScript thread.

/** Writes of one process, made in the order they were queued. */
export interface LogWriter {
  /**
   * Queues `data` for `fd` (a regular file), to be written after the write numbered `after` (this file's last; 0
   * for none), and returns its number; or 0 when the caller is to write it itself, now (a small chunk with nothing
   * of the file pending). `data` must not change until written. Waits while the queue is full.
   */
  write(fd: number, data: Buffer, after: number, token: number, reportOk: boolean): number;
  /**
   * Returns once the write numbered `seq` and every one before it are done (-1: all), having told the outcomes of
   * the writes done so far to the onWritten handler.
   */
  wait(seq: number): void;
  /**
   * `handler(token, errnoName, dropped)` after a queued write failed (dropped bytes lost), and
   * `handler(token, null, 0)` after one queued with `reportOk` was written whole.
   */
  onWritten(handler: (token: number, errnoName: string | null, dropped: number) => void): void;
}

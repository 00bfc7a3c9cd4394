// An Engine over the real NodeSpawner and system clock, with in-memory child logs, for integration tests.
import { fileURLToPath } from 'node:url';
import { Engine } from '../../src/engine/engine.js';
import { NodeSpawner, type NodeSpawnerOptions } from '../../src/adapters/node-spawner.js';
import { systemClock } from '../../src/adapters/system-clock.js';
import type { LogSink } from '../../src/ports/log-sink.js';
import { tracked } from './cleanup.js';

/** Absolute path of a fixture program in test/fixtures/bin (the sources, not dist). */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/bin/${name}`, import.meta.url));
}

export interface RealEngine {
  readonly engine: Engine;
  /** Everything a process wrote, by `name:channel`. */
  output(name: string, channel?: 'stdout' | 'stderr'): string;
  /** Bytes a process wrote, without keeping them (for floods). */
  bytes(name: string, channel?: 'stdout' | 'stderr'): number;
  readonly lines: string[];
}

export function realEngine(options: NodeSpawnerOptions = {}, keep = true): RealEngine {
  const chunks = new Map<string, Buffer[]>();
  const counts = new Map<string, number>();
  const sink = (key: string): LogSink => ({
    path: `/memory/${key}`,
    write: (b) => {
      counts.set(key, (counts.get(key) ?? 0) + b.length);
      if (keep) chunks.set(key, [...(chunks.get(key) ?? []), b]);
    },
    reopen() {},
    close() {},
  });
  const lines: string[] = [];
  const engine = new Engine({
    clock: systemClock,
    spawner: tracked(new NodeSpawner(options)),
    childLogs: (spec) => ({ stdout: sink(`${spec.name}:stdout`), stderr: sink(`${spec.name}:stderr`) }),
    logger: (level, message) => lines.push(`${level} ${message}`),
  });
  return {
    engine,
    lines,
    output: (name, channel = 'stdout') => Buffer.concat(chunks.get(`${name}:${channel}`) ?? []).toString(),
    bytes: (name, channel = 'stdout') => counts.get(`${name}:${channel}`) ?? 0,
  };
}

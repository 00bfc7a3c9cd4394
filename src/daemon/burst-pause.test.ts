import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineEvent, EngineListener } from '../engine/events.js';
import { pauseOptimizerInBursts } from './burst-pause.js';
import { optimizerPaused, pauseOptimizer, resumeOptimizer } from './optimizer-pause.js';

/** An engine that only emits what the test tells it to. */
function emitter() {
  const listeners = new Set<EngineListener>();
  return {
    subscribe(l: EngineListener) {
      listeners.add(l);
      return () => void listeners.delete(l);
    },
    stateChanges(n: number) {
      for (let i = 0; i < n; i++) {
        const e: EngineEvent = {
          type: 'process-state',
          name: `p${i}`,
          group: `p${i}`,
          from: 'RUNNING',
          to: 'STOPPING',
          pid: 1000 + i,
          tries: 0,
          expected: true,
        };
        for (const l of listeners) l(e);
      }
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('many state changes in one turn pause the optimizer until a second without any', async () => {
  const engine = emitter();
  const end = pauseOptimizerInBursts(engine);
  try {
    engine.stateChanges(10);
    await turn();
    engine.stateChanges(10);
    assert.equal(optimizerPaused(), false, 'a few changes a turn are no burst');
    await turn();
    engine.stateChanges(60);
    assert.equal(optimizerPaused(), true, 'a stop of 60 at once is');
    await sleep(600);
    engine.stateChanges(1); // an exit of the burst keeps the pause
    await sleep(600);
    assert.equal(optimizerPaused(), true);
    await sleep(600);
    assert.equal(optimizerPaused(), false, 'resumed a second after the last change');
  } finally {
    end();
  }
});

test("a burst inside another pause (the start, a shutdown) leaves that pause's end to it", async () => {
  const engine = emitter();
  const end = pauseOptimizerInBursts(engine);
  const start = pauseOptimizer();
  try {
    engine.stateChanges(100);
    await sleep(1200);
    assert.equal(optimizerPaused(), true, 'still the start');
    resumeOptimizer(start);
    assert.equal(optimizerPaused(), false);
  } finally {
    end();
    resumeOptimizer(start);
  }
});

// The daemon's "last loaded config" (spec §4.5, §5.5): what reloadConfig parsed most recently, which
// addProcessGroup, getAllConfigInfo and supervisorctl's avail/update work from. Running groups are untouched.
import type { EffectiveConfig } from '../model/config.js';

/** A fresh read of the config source: the config, or the first error as one line (CANT_REREAD's detail). */
export type RereadOutcome =
  { readonly ok: true; readonly config: EffectiveConfig } | { readonly ok: false; readonly message: string };

/** The configuration the daemon runs, and a way to read its source again. */
export interface RereadableConfig {
  /** The config the daemon runs now; a new object after each reload or apply. */
  current(): EffectiveConfig;
  /** Parses the config source again, with the command line's overrides. */
  reread(): RereadOutcome;
}

/**
 * supervisor's "last loaded config": the daemon's own until reloadConfig reads another, which then stands
 * until the daemon runs a new configuration (a reload or an apply), when the daemon's own is back.
 */
export class LoadedConfig {
  readonly #source: RereadableConfig;
  /** A re-read config, valid while the daemon still runs the config it was read over. */
  #reread: { readonly over: EffectiveConfig; readonly config: EffectiveConfig } | null = null;

  constructor(source: RereadableConfig) {
    this.#source = source;
  }

  /** The last loaded config: the latest re-read one, or the daemon's own after a full reload. */
  get(): EffectiveConfig {
    const current = this.#source.current();
    return this.#reread?.over === current ? this.#reread.config : current;
  }

  /** Reads the source again; on success the result becomes the last loaded config. */
  reread(): RereadOutcome {
    const outcome = this.#source.reread();
    if (outcome.ok) this.#reread = { over: this.#source.current(), config: outcome.config };
    return outcome;
  }
}

// Where the daemon's configuration comes from (-c FILE or -f PATHs), and loading it with the command line's
// overrides. `svd apply` replaces the source; SIGHUP, reread and update read the current one.
import { loadConfig, type LoadResult } from '../config/load.js';
import type { ConfigSource } from '../config/config-source.js';
import type { EffectiveConfig } from '../model/config.js';
import { applyOverrides, type DaemonOptions } from './options.js';

/** The daemon's configuration source and the configuration it runs, with the command line's overrides. */
export class DaemonConfigState {
  #source: ConfigSource;
  #config: EffectiveConfig | null = null;
  readonly #options: DaemonOptions;

  constructor(source: ConfigSource, options: DaemonOptions) {
    this.#source = source;
    this.#options = options;
  }

  get source(): ConfigSource {
    return this.#source;
  }

  /** The configuration the daemon last applied (its groups may since have been changed by add/remove). */
  get config(): EffectiveConfig {
    if (!this.#config) throw new Error('the daemon has no configuration yet');
    return this.#config;
  }

  /** Records what the daemon now runs from: its start, a full reload, or a successful `svd apply`. */
  adopt(source: ConfigSource, config: EffectiveConfig): void {
    this.#source = source;
    this.#config = config;
  }

  /** Loads `source` (the current one by default); [supervisord] options given on the command line win. */
  load(source: ConfigSource = this.#source): LoadResult {
    const result = this.#options.load
      ? this.#options.load(source)
      : loadConfig(
          source.configFile !== undefined ? { configFile: source.configFile } : { paths: source.paths },
        );
    if (!result.config) return result;
    const config: EffectiveConfig = {
      ...result.config,
      supervisord: applyOverrides(result.config.supervisord, this.#options),
    };
    return { ...result, config };
  }
}

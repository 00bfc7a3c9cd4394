// The web dashboard's routes for one HTTP server: the page, its files and the JSON API with its live stream.
import type { HttpLog, Route } from '../http/route.js';
import { apiRoute, type ApiEngine } from './api-route.js';
import { configView, type ConfigSource } from './config-plan.js';
import { ReconcileLoop } from '../engine/reconcile-loop.js';
import type { EffectiveConfig } from '../model/config.js';
import { ProcessEventHub } from './event-hub.js';
import type { MainLogPath } from './log-api.js';
import { pageRoutes } from './page-routes.js';
import { assetStore, findAssetsDir } from './static-assets.js';

/** What the page and its API work over; without `configSource` the plan and apply endpoints are refused. */
export interface WebRoutesOptions {
  readonly engine: ApiEngine;
  /** The daemon's main log file now (DaemonLog.path); null when it has none. */
  readonly mainLogPath: MainLogPath;
  /** What the config view plans against; without it /api/plan and /api/apply answer CANT_REREAD. */
  readonly configSource?: ConfigSource | undefined;
  /**
   * The daemon's reconcile loop, so the page's applies queue behind reloads and `svd apply`; default: a loop
   * of the page's own (which serialises only the page's applies).
   */
  readonly reconcileLoop?: ReconcileLoop<EffectiveConfig> | undefined;
  readonly log?: HttpLog | undefined;
  /** Default: src/web/assets, found from dist/ or the source tree. */
  readonly assetsDir?: string | undefined;
  /** The longest wait before a state change is sent to the page (default 100 ms). */
  readonly eventIntervalMs?: number | undefined;
}

/**
 * The routes to put in standardRoutes' `web` slot (after /RPC2, the log tails and /ok.html, before the 404),
 * so they sit behind the server's Basic auth like every other route.
 */
export function webRoutes(options: WebRoutesOptions): Route[] {
  const hub = new ProcessEventHub(options.engine, { intervalMs: options.eventIntervalMs });
  const assets = assetStore(options.assetsDir ?? findAssetsDir(), (what) => options.log?.log('error', what));
  return [
    apiRoute({
      engine: options.engine,
      hub,
      config: options.configSource
        ? configView(
            options.configSource,
            options.reconcileLoop ?? new ReconcileLoop<EffectiveConfig>(options.engine),
          )
        : undefined,
      mainLogPath: options.mainLogPath,
      log: options.log,
    }),
    ...pageRoutes(assets, options.engine, options.log),
  ];
}

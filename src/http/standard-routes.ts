// supervisor's handler order for one server: XML-RPC, log tails, web views, then the catch-all (spec §4.1).
import type { Dispatcher } from '../rpc/dispatcher.js';
import { notFoundRoute, okRoute } from './basic-routes.js';
import {
  logtailRoute,
  mainLogtailRoute,
  type LogtailRouteOptions,
  type MainLogtailRouteOptions,
} from './logtail-route.js';
import type { HttpLog, Route } from './route.js';
import { rpcRoute } from './rpc-route.js';

/** What the routes of one server serve; a route left out falls through to 404. */
export interface StandardRoutesOptions {
  readonly dispatcher: Dispatcher;
  /** Request bodies above this are answered 413. Default 2 MB. */
  readonly maxBodyBytes?: number;
  /** /logtail/<namespec>[/<channel>]; without it those paths fall through to 404. */
  readonly logtail?: LogtailRouteOptions;
  /** /mainlogtail; without it that path falls through to 404. */
  readonly mainLogtail?: MainLogtailRouteOptions;
  /** The web page's routes (/, /index.html, /tail.html, assets), tried after /ok.html, before the 404. */
  readonly web?: readonly Route[];
  readonly log?: HttpLog | undefined;
}

/** supervisor's route order: /RPC2, /logtail, /mainlogtail, /ok.html, the web page, then 404 for the rest. */
export function standardRoutes(options: StandardRoutesOptions): Route[] {
  const routes: Route[] = [
    rpcRoute(options.dispatcher, { maxBodyBytes: options.maxBodyBytes, log: options.log }),
  ];
  if (options.logtail) routes.push(logtailRoute(options.logtail));
  if (options.mainLogtail) routes.push(mainLogtailRoute(options.mainLogtail));
  routes.push(okRoute(), ...(options.web ?? []), notFoundRoute());
  return routes;
}

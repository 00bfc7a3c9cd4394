// The web dashboard's public surface: what the daemon's server wiring imports.
export { webRoutes, type WebRoutesOptions } from './web-routes.js';
export type { ConfigSource } from './config-plan.js';
export type { ApiEngine } from './api-route.js';

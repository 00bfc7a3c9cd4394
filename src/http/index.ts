// The HTTP layer's public surface: servers, routes, and what the composition root wires into them.
export {
  startInetHttpServer,
  startUnixHttpServer,
  type HttpServerHandle,
  type HttpServerOptions,
} from './http-servers.js';
export { standardRoutes, type StandardRoutesOptions } from './standard-routes.js';
export {
  createRequestListener,
  type HttpLog,
  type PipelineOptions,
  type Route,
  type RouteTable,
} from './route.js';
export { rpcRoute, type RpcRouteOptions } from './rpc-route.js';
export {
  logtailRoute,
  mainLogtailRoute,
  type LogFollower,
  type LogResolver,
  type LogtailRouteOptions,
  type MainLogtailRouteOptions,
} from './logtail-route.js';
export type { LogChannel } from './logtail-path.js';
export { notFoundRoute, okRoute } from './basic-routes.js';
export { sendError, sendText, pathOf } from './respond.js';
export { ADDRESS_IN_USE_MESSAGE, HttpServerStartError } from './server-start-error.js';
export { checkAuthorization, credentialsOf, type Credentials } from './basic-auth.js';
export { errorLine } from './error-line.js';

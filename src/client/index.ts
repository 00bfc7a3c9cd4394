// The client's public surface, for `svd ctl` and the supervisorctl front end. Importing it loads no
// node:http and no XML parser; they load on the first call.
export { createClient, type ClientOptions, type HttpStream, type XmlRpcClient } from './xmlrpc-client.js';
export {
  AuthenticationError,
  BadResponseError,
  BadServerUrlError,
  ClientError,
  ConnectionRefusedError,
  HttpStatusError,
  NoSuchFileError,
  RemoteFault,
  TransportError,
  isClientError,
  type ClientErrorKind,
  type SocketStage,
} from './client-errors.js';
export { parseServerUrl, type ServerUrl, type ServerUrlProblem } from './server-url.js';
export type { XmlRpcValue } from '../rpc/xmlrpc-value.js';

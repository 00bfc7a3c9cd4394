// The fcgi layer's public surface: what the daemon composes and the spawner consults.
export { FcgiSockets, type FcgiStdin, type FcgiSocketsOptions } from './fcgi-sockets.js';
export { parseFcgiAddress, DEFAULT_BACKLOG, type FcgiAddress } from '../model/fcgi-address.js';
export { openListeningSocket, type ListeningSocket, type ListenOptions } from './listen-socket.js';

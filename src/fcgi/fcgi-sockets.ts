// The listening sockets of [fcgi-program:x] groups (spec §2.6.10): created when the group is added, handed to each
// of its processes as fd 0, closed (a unix socket's file unlinked) when the group is removed or the daemon exits.
import type { GroupSpec, ProcessSpec } from '../model/config.js';
import type { DaemonLogger } from '../ports/log-sink.js';
import type { EngineListener } from '../engine/events.js';
import { resolveSocketOwner } from '../http/socket-owner.js';
import { lookupUser } from '../adapters/user-db.js';
import { DEFAULT_BACKLOG, parseFcgiAddress } from '../model/fcgi-address.js';
import {
  openListeningSocket,
  type ListenOptions,
  type ListenOutcome,
  type ListeningSocket,
} from './listen-socket.js';
import type { FcgiAddress } from '../model/fcgi-address.js';

/** What a process gets as stdin: the group's socket, the reason it has none, or null (not an fcgi process). */
export type FcgiStdin = { readonly fd: number } | { readonly error: string } | null;

/** The logger, and a replaceable socket opener (tests). */
export interface FcgiSocketsOptions {
  readonly logger?: DaemonLogger | undefined;
  /** Opens one socket; the default binds and listens for real. */
  readonly open?: ((address: FcgiAddress, options: ListenOptions) => ListenOutcome) | undefined;
}

interface Entry {
  readonly spec: GroupSpec;
  socket: ListeningSocket | null;
  error: string | null;
}

/**
 * The sockets of the active [fcgi-program:x] groups: opened when a group is added, closed (a unix socket's
 * file unlinked) when it is removed. A socket that could not be opened is retried at each spawn; until then
 * the spawn fails with the reason.
 */
export class FcgiSockets {
  readonly #log: DaemonLogger;
  readonly #open: (address: FcgiAddress, options: ListenOptions) => ListenOutcome;
  readonly #groups = new Map<string, Entry>();

  constructor(options: FcgiSocketsOptions = {}) {
    this.#log = options.logger ?? (() => {});
    this.#open = options.open ?? openListeningSocket;
  }

  /** Follows the engine's groups: a socket per added fcgi-program group, closed when the group goes. */
  attach(engine: { subscribe(listener: EngineListener): () => void }): () => void {
    return engine.subscribe((e) => {
      if (e.type === 'group-added' && e.spec?.kind === 'fcgi-program') this.add(e.spec);
      else if (e.type === 'group-removed') this.remove(e.group);
    });
  }

  /** Creates the group's socket; a failure is logged and remembered, and each spawn tries again. */
  add(spec: GroupSpec): void {
    this.remove(spec.name);
    const entry: Entry = { spec, socket: null, error: null };
    this.#groups.set(spec.name, entry);
    this.#create(entry);
  }

  /** Closes a group's socket, if it has one. */
  remove(name: string): void {
    const entry = this.#groups.get(name);
    if (!entry) return;
    this.#groups.delete(name);
    if (entry.socket) {
      this.#log('info', `Closing socket ${this.#url(entry.spec)}`);
      entry.socket.close();
    }
  }

  /** Closes every socket (the daemon exits). */
  closeAll(): void {
    for (const name of [...this.#groups.keys()]) this.remove(name);
  }

  /** For the spawner: the socket a process of an fcgi group gets as fd 0 (retrying a failed creation). */
  readonly stdinFor = (spec: ProcessSpec): FcgiStdin => {
    const entry = this.#groups.get(spec.group);
    if (!entry) return null;
    if (!entry.socket) this.#create(entry);
    return entry.socket ? { fd: entry.socket.fd } : { error: entry.error ?? 'no socket' };
  };

  #url(spec: GroupSpec): string {
    const socket = spec.fcgi?.socket ?? '';
    return parseFcgiAddress(socket)?.url ?? socket;
  }

  #create(entry: Entry): void {
    const { spec } = entry;
    const url = this.#url(spec);
    const fail = (reason: string) => {
      entry.error = `Could not create FastCGI socket ${url}: ${reason}`;
      this.#log('error', entry.error);
    };
    const address = parseFcgiAddress(spec.fcgi?.socket ?? '');
    if (!address) return fail('bad socket format');
    const owner = socketOwner(spec);
    if (owner === undefined) return fail(`Invalid user:group definition ${spec.fcgi?.socket_owner ?? ''}`);
    this.#log('info', `Creating socket ${url}`);
    const outcome = this.#open(address, {
      backlog: spec.fcgi?.socket_backlog ?? DEFAULT_BACKLOG,
      owner: address.kind === 'unix' ? owner : null,
      mode: address.kind === 'unix' ? Number.parseInt(spec.fcgi?.socket_mode ?? '0700', 8) : null,
    });
    if (!outcome.ok) return fail(outcome.message);
    entry.socket = outcome.socket;
    entry.error = null;
  }
}

/**
 * socket_owner as (uid, gid); without one, the processes' user (with its primary group) when it is not the
 * daemon's own user, as supervisor does; null to leave ownership alone, undefined for an unknown name.
 */
function socketOwner(spec: GroupSpec): { uid: number; gid: number } | null | undefined {
  const configured = spec.fcgi?.socket_owner ?? null;
  if (configured !== null) return resolveSocketOwner(configured);
  const user = spec.processes[0]?.user ?? null;
  if (user === null || user === '') return null;
  const entry = lookupUser(user);
  if (!entry || entry.uid === process.getuid?.()) return null;
  return { uid: entry.uid, gid: entry.gid };
}

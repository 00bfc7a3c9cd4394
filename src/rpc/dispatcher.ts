// Routes decoded XML-RPC calls to registered methods, with supervisor's system.* namespace (spec §4.2, §4.5).
import {
  ArgumentTypeError,
  FAULT_CODES,
  IncorrectParametersError,
  SignatureUnsupportedError,
  UnknownMethodError,
  faultOf,
} from './faults.js';
import { parseHelpTags, signatureOf } from './method-signature.js';
import { resultChars } from './result-size.js';
import { describeValue } from './supervisor-args.js';
import { isStruct, type Fault, type XmlRpcValue } from './xmlrpc-value.js';

/** What a method body knows about its call. */
export interface RpcContext {
  /** The full `namespace.method` name the client called. */
  readonly methodName: string;
}

/**
 * A method body. It may return a promise (a deferred response: start/stop with wait) and reports
 * supervisor faults by throwing an SvdError; anything else it throws is a bug (HTTP 500).
 */
export type RpcHandler = (
  args: readonly XmlRpcValue[],
  context: RpcContext,
) => XmlRpcValue | Promise<XmlRpcValue>;

/** One callable method: its help text, its argument count, its body. */
export interface RpcMethod {
  /** What system.methodHelp returns, verbatim; its `@param`/`@return` tags give system.methodSignature. */
  readonly help: string;
  /** Fewest arguments accepted. Default: every `@param` in `help` is required. */
  readonly minArgs?: number;
  /** Most arguments accepted. Default: the number of `@param` tags in `help`. */
  readonly maxArgs?: number;
  readonly call: RpcHandler;
}

/** Methods of one namespace by name. Names starting with `_` are hidden: never listed, never callable. */
export type RpcNamespace = Readonly<Record<string, RpcMethod>>;

/** A call's value, or the fault it ended in (an unexpected exception rejects instead). */
export type DispatchOutcome =
  { readonly ok: true; readonly value: XmlRpcValue } | { readonly ok: false; readonly fault: Fault };

/** Who hears of bugs, and the multicall result limit. */
export interface DispatcherOptions {
  /** Told of every unexpected exception, including those a multicall turns into FAILED entries. */
  readonly onUnexpectedError?: (error: unknown, methodName: string) => void;
  /** The most a multicall's results may hold, as resultChars counts. Default MAX_MULTICALL_RESULT_CHARS. */
  readonly maxMulticallResultChars?: number;
}

/**
 * 64 Mi characters: a multicall may carry one readLog of a log rotated at the default 50 MB, or thousands
 * of small answers. supervisor has no limit: 1,000 readLog(0, 0) of a 5 MB log in one multicall built
 * gigabytes and killed the daemon (out of heap), orphaning its children.
 */
export const MAX_MULTICALL_RESULT_CHARS = 64 * 1024 * 1024;

/** The XML-RPC method table of one daemon run. */
export interface Dispatcher {
  /** Adds a namespace, or replaces it wholesale (a reload). `system` is built in and cannot be replaced. */
  register(namespace: string, methods: RpcNamespace): void;
  unregister(namespace: string): void;
  /** Every callable method, sorted, as system.listMethods returns them. */
  listMethods(): string[];
  /**
   * Runs one call. Resolves to its value or its fault; rejects only on an unexpected exception,
   * which the HTTP layer answers with 500 as supervisor does.
   */
  dispatch(methodName: string, params: readonly XmlRpcValue[]): Promise<DispatchOutcome>;
}

interface Resolved {
  readonly method: RpcMethod;
  readonly minArgs: number;
  readonly maxArgs: number;
}

const SYSTEM = 'system';

/**
 * The entry a multicall answers once its results passed the limit. FAILED, supervisor's fault for an
 * operation that could not be carried out: each call's arguments are fine on their own (not
 * INCORRECT_PARAMETERS or BAD_ARGUMENTS); it is the request as a whole that asks for more than the daemon
 * builds for one answer. The entries before it keep their results; the client can ask again for the rest.
 */
function overLimit(limit: number, what: string): XmlRpcValue {
  return {
    faultCode: FAULT_CODES.FAILED,
    faultString: `FAILED: system.multicall results exceed ${limit} characters; ${what}`,
  };
}

/**
 * A dispatcher holding only `system.*` (listMethods, methodHelp, methodSignature, multicall). A call needs
 * exactly one dot and a known name not starting with `_` (UNKNOWN_METHOD), and an argument count within
 * the method's (INCORRECT_PARAMETERS). A multicall runs its calls in order; an entry's fault, or an
 * unexpected exception (as FAILED), stays in its entry; past the result limit, entries are FAILED.
 */
export function createDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const namespaces = new Map<string, Map<string, Resolved>>();
  const maxResultChars = options.maxMulticallResultChars ?? MAX_MULTICALL_RESULT_CHARS;

  const toResolved = (method: RpcMethod): Resolved => {
    const count = parseHelpTags(method.help).params.length;
    const maxArgs = method.maxArgs ?? count;
    return { method, minArgs: method.minArgs ?? Math.min(count, maxArgs), maxArgs };
  };

  const put = (namespace: string, methods: RpcNamespace): void => {
    if (namespace === '' || namespace.includes('.')) throw new Error(`invalid namespace name '${namespace}'`);
    const table = new Map<string, Resolved>();
    for (const [name, method] of Object.entries(methods)) {
      if (name.startsWith('_') || name === '' || name.includes('.')) continue;
      table.set(name, toResolved(method));
    }
    namespaces.set(namespace, table);
  };

  /** supervisor's traverse(): exactly one dot, no leading underscore, a known name. */
  const resolve = (methodName: string): Resolved => {
    const parts = methodName.split('.');
    const [namespace = '', name = ''] = parts;
    if (parts.length !== 2 || name.startsWith('_')) throw new UnknownMethodError();
    const found = namespaces.get(namespace)?.get(name);
    if (!found) throw new UnknownMethodError();
    return found;
  };

  const invoke = async (methodName: string, params: readonly XmlRpcValue[]): Promise<XmlRpcValue> => {
    const { method, minArgs, maxArgs } = resolve(methodName);
    // supervisor's exact faultString for a wrong count: clients and its own tests match on it.
    if (params.length < minArgs || params.length > maxArgs) throw new IncorrectParametersError();
    try {
      return await method.call(params, { methodName });
    } catch (error) {
      if (error instanceof ArgumentTypeError)
        throw new IncorrectParametersError(`${methodName}: ${error.detail}`, { cause: error });
      throw error;
    }
  };

  const listMethods = (): string[] => {
    const names: string[] = [];
    for (const [namespace, table] of namespaces)
      for (const name of table.keys()) names.push(`${namespace}.${name}`);
    return names.sort();
  };

  const helpOf = (name: XmlRpcValue | undefined): string => {
    if (typeof name !== 'string') throw new SignatureUnsupportedError();
    try {
      return resolve(name).method.help;
    } catch {
      throw new SignatureUnsupportedError();
    }
  };

  /** One entry of a multicall: its value, or its fault as a struct (spec §4.5, §10.1 item 24). */
  const callOne = async (call: XmlRpcValue | undefined, index: number): Promise<XmlRpcValue> => {
    if (!isStruct(call)) {
      // supervisor calls .get() on each entry outside its error handling (HTTP 500); svd faults that entry.
      const fault = new IncorrectParametersError(
        `system.multicall: entry ${index} must be a struct {methodName, params}, got ${describeValue(call)}`,
      );
      return { faultCode: fault.code, faultString: fault.faultString };
    }
    const name = call['methodName'];
    const params = call['params'] ?? [];
    try {
      if (name === undefined) throw new IncorrectParametersError('No methodName');
      if (name === 'system.multicall')
        throw new IncorrectParametersError('Recursive system.multicall forbidden');
      if (typeof name !== 'string') throw new UnknownMethodError();
      if (!Array.isArray(params)) throw new IncorrectParametersError();
      return await invoke(name, params as readonly XmlRpcValue[]);
    } catch (error) {
      const fault = faultOf(error);
      if (fault) return { faultCode: fault.faultCode, faultString: fault.faultString };
      options.onUnexpectedError?.(error, typeof name === 'string' ? name : 'system.multicall');
      const kind = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      return { faultCode: FAULT_CODES.FAILED, faultString: `FAILED: ${kind}:${message}` };
    }
  };

  const system: RpcNamespace = {
    listMethods: {
      help: 'List the names of every method this server offers.\n\n@return array result  The method names, sorted.',
      call: () => listMethods(),
    },
    methodHelp: {
      help: "Return a method's documentation.\n\n@param string name  The method's name.\n@return string result  Its documentation.",
      call: ([name]) => helpOf(name),
    },
    methodSignature: {
      help:
        "Return a method's signature as [return type, parameter types...].\n\n" +
        "@param string name  The method's name.\n@return array result  The types.",
      call: ([name]) => {
        const signature = signatureOf(helpOf(name));
        if (!signature) throw new SignatureUnsupportedError();
        return signature;
      },
    },
    multicall: {
      help:
        'Run several calls in one request, one after the other. Each call is a struct\n' +
        "{'methodName': string, 'params': array}; each result is the call's value, or a\n" +
        "struct {'faultCode': int, 'faultString': string} when it failed.\n\n" +
        '@param array calls  The calls.\n@return array result  The results, in order.',
      call: async ([calls]) => {
        if (!Array.isArray(calls)) throw new IncorrectParametersError();
        const results: XmlRpcValue[] = [];
        let total = 0;
        for (const [index, call] of (calls as readonly XmlRpcValue[]).entries()) {
          if (total > maxResultChars) {
            results.push(overLimit(maxResultChars, 'this call was not run'));
            continue;
          }
          const result = await callOne(call, index);
          total += resultChars(result);
          // The entry that crosses the limit is dropped too: what is kept stays within it.
          results.push(total > maxResultChars ? overLimit(maxResultChars, 'its result was dropped') : result);
        }
        return results;
      },
    },
  };
  put(SYSTEM, system);

  return {
    register(namespace, methods) {
      if (namespace === SYSTEM) throw new Error('the system namespace is built in');
      put(namespace, methods);
    },
    unregister(namespace) {
      if (namespace !== SYSTEM) namespaces.delete(namespace);
    },
    listMethods,
    async dispatch(methodName, params) {
      try {
        return { ok: true, value: await invoke(methodName, params) };
      } catch (error) {
        const fault = faultOf(error);
        if (fault) return { ok: false, fault };
        throw error;
      }
    },
  };
}

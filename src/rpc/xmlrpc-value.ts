// Pure leaf module: the values XML-RPC carries, as svd holds them. Imports nothing.

/**
 * A `<dateTime.iso8601>` value, kept as its wire text (`20240131T12:00:00`): XML-RPC times carry no
 * zone, so turning them into a `Date` would invent one.
 */
export class DateTimeValue {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  /** The wire form of a `Date`, in UTC. */
  static fromDate(date: Date): DateTimeValue {
    const p = (n: number, w = 2): string => String(n).padStart(w, '0');
    return new DateTimeValue(
      `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}T` +
        `${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())}`,
    );
  }
}

/**
 * Any XML-RPC value. Integers are `number` (or `bigint` beyond 2^53 when decoding); a non-integer
 * number is a double. `Uint8Array` is base64. `null` is `<nil/>`.
 */
export type XmlRpcValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | DateTimeValue
  | readonly XmlRpcValue[]
  | XmlRpcStruct;

/** An XML-RPC `<struct>`: string keys, any values. */
export interface XmlRpcStruct {
  readonly [key: string]: XmlRpcValue;
}

/** A fault as it travels: `faultString` is supervisor's `NAME` or `NAME: detail`. */
export interface Fault {
  readonly faultCode: number;
  readonly faultString: string;
}

/** A decoded `<methodCall>`. */
export interface MethodCall {
  readonly methodName: string;
  readonly params: readonly XmlRpcValue[];
}

/** A decoded `<methodResponse>`: one value, or a fault. */
export type MethodResponse =
  { readonly ok: true; readonly value: XmlRpcValue } | { readonly ok: false; readonly fault: Fault };

/** True for a struct: an object that is not an array, base64 bytes or a dateTime. */
export function isStruct(value: XmlRpcValue | undefined): value is XmlRpcStruct {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array) &&
    !(value instanceof DateTimeValue)
  );
}

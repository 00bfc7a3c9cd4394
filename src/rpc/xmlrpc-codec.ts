// Pure: the XML-RPC codec's public surface (spec §4.2). Requests are read with saxes (untrusted input).
import { parseXmlStrict } from './saxes-tree.js';
import { decodeCallTree, decodeResponseTree } from './xmlrpc-decode.js';
import type { MethodCall, MethodResponse } from './xmlrpc-value.js';

export {
  DateTimeValue,
  isStruct,
  type Fault,
  type MethodCall,
  type MethodResponse,
  type XmlRpcStruct,
  type XmlRpcValue,
} from './xmlrpc-value.js';
export {
  ByteArena,
  XmlRpcEncodeError,
  encodeCall,
  encodeFault,
  encodeResponse,
  encodeResponseBytes,
  encodeValue,
  escapeXml,
  pythonFloatRepr,
} from './xmlrpc-encode.js';
export { MAX_DEPTH, XmlRpcDecodeError } from './xml-element.js';

/** A `<methodCall>` as supervisor reads it. Throws XmlRpcDecodeError (HTTP 400). */
export function decodeCall(xml: string): MethodCall {
  return decodeCallTree(parseXmlStrict(xml));
}

/** A `<methodResponse>` as Python's client reads it. Throws XmlRpcDecodeError. */
export function decodeResponse(xml: string): MethodResponse {
  return decodeResponseTree(parseXmlStrict(xml));
}

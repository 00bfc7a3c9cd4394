// Pure: the XML-RPC codec's public surface (spec §4.2): values, encoders and decoders.
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
  XmlRpcEncodeError,
  encodeCall,
  encodeFault,
  encodeResponse,
  encodeValue,
  escapeXml,
  pythonFloatRepr,
} from './xmlrpc-encode.js';
export { MAX_DEPTH, XmlRpcDecodeError, decodeCall, decodeResponse } from './xmlrpc-decode.js';

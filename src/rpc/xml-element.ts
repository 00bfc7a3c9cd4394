// Pure leaf module: the small element tree both XML readers build. Imports nothing.

/** Deepest element nesting accepted; the XML-RPC interpreter recurses once per level. */
export const MAX_DEPTH = 256;

/** The body is not an XML-RPC document svd accepts: the server answers HTTP 400. */
export class XmlRpcDecodeError extends Error {
  override readonly name = 'XmlRpcDecodeError';
}

/** An element with its name, all its direct character data (CDATA included) and its child elements. */
export interface XmlElement {
  readonly name: string;
  text: string;
  readonly children: XmlElement[];
}

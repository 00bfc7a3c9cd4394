// Pure: supervisor's old web UI URLs, made harmless. Its status page ran actions from GET query strings
// (`/?processname=web&action=stop`), which any page on the web could trigger through a logged-in browser;
// here they only lead to the new page, and `tail.html` opens the same process's log view.

export type PageRequest =
  | { readonly kind: 'page' }
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'not-found' };

/**
 * What `/`, `/index.html` and `/tail.html` answer. A query (supervisor's `action`, `message`,
 * `processname`) or a POST (supervisor's form) redirects to the bare page without acting.
 */
export function pageRequest(method: string, path: string, query: string): PageRequest {
  if (path === '/tail.html') {
    const name = new URLSearchParams(query).get('processname');
    return { kind: 'redirect', location: name ? `./#log=${encodeURIComponent(name)}` : './' };
  }
  if (path !== '/' && path !== '/index.html') return { kind: 'not-found' };
  if (method === 'POST' || query !== '') return { kind: 'redirect', location: './' };
  return { kind: 'page' };
}

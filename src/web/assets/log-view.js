// A log that follows live: an EventSource on a /follow endpoint appending text to a <pre>, keeping at most
// MAX_CHARS of it; it scrolls with the text while "follow" is ticked.
import { ApiError, getJson } from './api.js';

const MAX_CHARS = 512 * 1024;

export class LogFollower {
  constructor(pre, status, follow) {
    this.pre = pre;
    this.status = status;
    this.follow = follow;
    this.source = null;
    this.chars = 0;
    this.scrollQueued = false;
    follow.addEventListener('change', () => this.#scroll());
  }

  /**
   * Follows `streamUrl` after `checkUrl` (a plain read of the same log) answered, so that an unknown
   * process or a channel without a log shows the API's message instead of a silent failure.
   */
  async open(checkUrl, streamUrl) {
    this.close();
    this.clear();
    this.setStatus('opening…');
    const token = (this.token = {});
    try {
      await getJson(checkUrl);
    } catch (e) {
      if (this.token !== token) return;
      this.setStatus(e instanceof ApiError ? e.message : String(e), true);
      return;
    }
    if (this.token !== token) return;
    const source = new EventSource(streamUrl);
    this.source = source;
    // Each (re)connection starts with `file` (or `waiting`) and resends the file's tail: start afresh.
    source.addEventListener('file', (e) => {
      this.clear();
      this.setStatus(`following ${JSON.parse(e.data).path}`);
    });
    source.addEventListener('waiting', (e) => {
      this.clear();
      this.setStatus(`waiting for ${JSON.parse(e.data).path} to appear`);
    });
    source.addEventListener('log', (e) => this.append(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      if (this.source !== source) return;
      this.setStatus(source.readyState === EventSource.CLOSED ? 'disconnected' : 'reconnecting…', true);
    });
  }

  close() {
    this.token = null;
    if (this.source) this.source.close();
    this.source = null;
  }

  clear() {
    this.pre.replaceChildren();
    this.chars = 0;
  }

  setStatus(text, error = false) {
    this.status.textContent = text;
    this.status.classList.toggle('error', error);
  }

  append(text) {
    this.pre.append(document.createTextNode(text));
    this.chars += text.length;
    while (this.chars > MAX_CHARS && this.pre.firstChild) {
      this.chars -= this.pre.firstChild.textContent.length;
      this.pre.firstChild.remove();
    }
    this.#scroll();
  }

  #scroll() {
    if (!this.follow.checked || this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      this.pre.scrollTop = this.pre.scrollHeight;
    });
  }
}

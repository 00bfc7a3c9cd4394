// Pure leaf module: a caller's text cut short for a fault string or a log line, so a 2 MB argument never
// becomes a 2 MB message.

/** Longest excerpt of a caller's value put into a fault string or a log line. */
export const MAX_VALUE_EXCERPT = 200;

/** Cuts `text` to MAX_VALUE_EXCERPT characters, marking the cut. */
export function excerptOf(text: string): string {
  return text.length > MAX_VALUE_EXCERPT ? `${text.slice(0, MAX_VALUE_EXCERPT)}...` : text;
}

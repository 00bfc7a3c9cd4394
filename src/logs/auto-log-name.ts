// Pure: names of AUTO child logs and the pattern that finds them again at startup (spec §3.11).

/** A child's output channel. */
export type Channel = 'stdout' | 'stderr';

/** The characters Python's tempfile uses for its random part. */
const AUTO_NAME_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const AUTO_NAME_RANDOM_LENGTH = 8;

/** `<process>-<channel>---<identifier>-<random>.log`, e.g. `web-stdout---supervisor-pyclej0f.log`. */
export function autoLogName(
  processName: string,
  channel: Channel,
  identifier: string,
  random: string,
): string {
  return `${processName}-${channel}---${identifier}-${random}.log`;
}

/** Eight characters of AUTO_NAME_ALPHABET chosen by `randomIndex(n)`, which returns an integer in [0, n). */
export function autoLogRandomPart(randomIndex: (n: number) => number): string {
  let out = '';
  for (let i = 0; i < AUTO_NAME_RANDOM_LENGTH; i++)
    out += AUTO_NAME_ALPHABET[randomIndex(AUTO_NAME_ALPHABET.length)];
  return out;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * supervisor's `.+?---<identifier>-\S+\.log\.{0,1}\d{0,4}`, matched at the start of a file name only
 * (Python's re.match), so it covers current AUTO logs and their rotated `.N` copies. The identifier is
 * matched literally; supervisor pastes it into the regex unescaped.
 */
export function autoLogPattern(identifier: string): RegExp {
  return new RegExp(`^.+?---${escapeRegExp(identifier)}-\\S+\\.log\\.?\\d{0,4}`);
}

/** Whether a file name in childlogdir is an AUTO log (or rotated copy) of this identifier. */
export function isAutoLogName(fileName: string, identifier: string): boolean {
  return autoLogPattern(identifier).test(fileName);
}

// Effect (V8 flags): keeps the daemon's young generation at its initial size (1 MB semi-spaces).
// While it spawns hundreds of children most young objects survive, and V8 answers by growing the semi-spaces
// to their 16 MB maximum, which it never gives back: ~30 MB of resident memory a mostly idle daemon does not
// need (measured: 1,000 programs, 120 MB RSS -> 90 MB). --max-semi-space-size can only be set on the command
// line; the growth factor is read at every resize, so setting it at start is enough.
import { setFlagsFromString } from 'node:v8';

/** Call first thing, before the daemon loads its config and spawns. */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

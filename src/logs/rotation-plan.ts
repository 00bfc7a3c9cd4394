// Pure: which renames a size-based rotation performs (spec §3.11), in the order they must happen.

/** One rename of a rotation; a missing `from` is skipped, as supervisor does. */
export interface Rename {
  readonly from: string;
  readonly to: string;
}

/**
 * The renames that turn `f, f.1 … f.(backups-1)` into `f.1 … f.backups`, oldest first so nothing is
 * overwritten before it has moved; the previous `f.backups` is replaced. Empty when backups <= 0
 * (rotation then truncates `f` in place).
 */
export function rotationRenames(path: string, backups: number): Rename[] {
  const renames: Rename[] = [];
  if (backups <= 0) return renames;
  for (let i = backups - 1; i >= 1; i--) renames.push({ from: `${path}.${i}`, to: `${path}.${i + 1}` });
  renames.push({ from: path, to: `${path}.1` });
  return renames;
}

/** Whether a regular file of `size` bytes is due for rotation; maxbytes <= 0 never rotates. */
export function rotationDue(size: number, maxbytes: number): boolean {
  return maxbytes > 0 && size >= maxbytes;
}

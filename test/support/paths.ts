// Locations inside the repository, for tests compiled to dist/test/...
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The repository root (tests run from dist/test/..., three levels below it). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturesDir = join(repoRoot, 'test', 'fixtures');
export const svdBin = join(repoRoot, 'dist', 'src', 'cli', 'bin', 'svd.js');

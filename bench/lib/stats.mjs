// Pure: summaries of repeated measurements. Medians, not means: the machine is shared and noisy.

/** {n, median, min, max} of the finite samples, or null when there are none. */
export function summarize(samples) {
  const xs = samples.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = xs.length >> 1;
  const median = xs.length % 2 === 1 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { n: xs.length, median, min: xs[0], max: xs[xs.length - 1] };
}

/** a/b of two medians, or null when either is missing or b is zero. */
export function ratio(a, b) {
  if (!a || !b || b.median === 0) return null;
  return a.median / b.median;
}

/** Milliseconds since an origin taken with performance.now(). */
export function since(t0) {
  return performance.now() - t0;
}

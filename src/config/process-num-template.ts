// Pure: a value for one section of an event listener pool or fcgi program that gives each of its processes its
// own value once expanded: literal text escaped, %(process_num) with a conversion where the values differ.
import { expand } from './interpolate.js';

/** Escapes a value so that %(...)s expansion gives it back. */
export function escapePercent(value: string, times = 1): string {
  let out = value;
  for (let i = 0; i < times; i++) out = out.replace(/%/g, '%%');
  return out;
}

/** The %(process_num) conversions a pool's template may use, in the order they are tried. */
const numberSpecs: readonly string[] = (() => {
  const specs = new Set<string>();
  const widths = ['', ...Array.from({ length: 12 }, (_, i) => String(i + 1))];
  for (const flags of ['', '0', '-', '+', ' ', '#', '#0', '+0', ' 0'])
    for (const conversion of ['d', 'x', 'X', 'o'])
      for (const width of widths) specs.add(`${flags}${width}${conversion}`);
  for (const conversion of ['c', 'e', 'E', 'f', 'F', 'g', 'G']) specs.add(conversion);
  return [...specs];
})();

/** One piece of a template: literal text, or a %(process_num) placeholder with its conversion. */
type Part = string | { readonly spec: string };

/**
 * Splits `values[i]` into literal text shared by all and %(process_num) placeholders that render `nums[i]`,
 * or null when no split does: a depth-first search, literal text first, that remembers dead ends.
 */
function splitByProcessNum(values: readonly string[], nums: readonly number[]): Part[] | null {
  // Conversions that render these numbers alike are one choice (%(process_num)1d is %(process_num)d).
  const placeholders = new Map<string, { spec: string; pieces: readonly (string | null)[] }>();
  for (const spec of numberSpecs) {
    const pieces = nums.map((n) => {
      const r = expand(`%(process_num)${spec}`, { process_num: n });
      return r.ok && r.value !== '' ? r.value : null;
    });
    const key = pieces.join('\n');
    if (!pieces.includes(null) && !placeholders.has(key)) placeholders.set(key, { spec, pieces });
  }
  const choices = [...placeholders.values()];
  const dead = new Set<string>();
  const stack: { at: number[]; choice: number; part: Part }[] = [
    { at: values.map(() => 0), choice: 0, part: '' },
  ];
  for (let top = stack[0]; top; top = stack[stack.length - 1]) {
    const at = top.at;
    if (values.every((v, i) => at[i] === v.length)) return stack.slice(0, -1).map((f) => f.part);
    let next: number[] | null = null;
    while (next === null && top.choice <= choices.length) {
      const choice = top.choice++;
      const placeholder = choice === 0 ? undefined : choices[choice - 1];
      const char = values[0]?.[at[0] ?? 0];
      const pieces = placeholder?.pieces ?? values.map(() => char ?? null);
      if (!values.every((v, i) => typeof pieces[i] === 'string' && v.startsWith(pieces[i], at[i]))) continue;
      const moved = at.map((p, i) => p + (pieces[i] ?? '').length);
      if (dead.has(moved.join())) continue;
      top.part = placeholder ? { spec: placeholder.spec } : (char ?? '');
      next = moved;
    }
    if (next === null) {
      dead.add(at.join());
      stack.pop();
    } else stack.push({ at: next, choice: 0, part: '' });
  }
  return null;
}

/** The values of a few processes: every length of process_num, the ends, and every process of a small pool. */
function sampleOf(nums: readonly number[]): number[] {
  if (nums.length <= 16) return nums.map((_, i) => i);
  const byLength = new Map<number, number>();
  nums.forEach((n, i) => byLength.has(String(n).length) || byLength.set(String(n).length, i));
  return [...new Set([0, 1, nums.length - 1, ...byLength.values()])];
}

/**
 * A value for one section that gives process i `values[i]` when expanded (`times` times) with process_num
 * `nums[i]`: literal text escaped, and %(process_num) where the values differ; null when no template does.
 * Checked by expanding it for every process.
 */
export function processNumTemplate(
  values: readonly string[],
  nums: readonly number[],
  times: number,
): string | null {
  const first = values[0] ?? '';
  if (values.every((v) => v === first)) return escapePercent(first, times);
  const sample = sampleOf(nums);
  for (let round = 0; round < 8; round++) {
    const parts = splitByProcessNum(
      sample.map((i) => values[i] ?? ''),
      sample.map((i) => nums[i] ?? 0),
    );
    if (parts === null) return null;
    const template = parts
      .map((p) => (typeof p === 'string' ? escapePercent(p, times) : `%(process_num)${p.spec}`))
      .join('');
    const wrong = values.findIndex((v, i) => {
      let text: string = template;
      for (let t = 0; t < times; t++) {
        const r = expand(text, { process_num: nums[i] ?? 0, numprocs: nums.length });
        if (!r.ok) return true;
        text = r.value;
      }
      return text !== v;
    });
    if (wrong < 0) return template;
    sample.push(wrong);
  }
  return null;
}

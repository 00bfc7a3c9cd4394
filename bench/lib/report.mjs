// Pure rendering of judged figures: a console table and the markdown table for README.
import { targetText } from './figures.mjs';

function num(x, unit) {
  if (x === null || x === undefined) return '—';
  if (unit === 'x') return x.toFixed(2);
  if (Math.abs(x) >= 100) return x.toFixed(0);
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

function cell(s, unit) {
  if (!s) return '—';
  return s.n === 1 ? num(s.median, unit) : `${num(s.median, unit)} (${num(s.min, unit)}–${num(s.max, unit)})`;
}

const ratioText = (r) => (r === null ? '—' : `${r.toFixed(r < 0.1 ? 3 : 2)}x`);

/** Rows of strings: figure, unit, svd, supervisor, floor, svd/sup, svd/floor, target, verdict. */
export function rows(judged) {
  return judged.map(({ def, result, note }) => [
    def.label,
    def.unit,
    cell(result.svd, def.unit),
    cell(result.supervisor, def.unit),
    cell(result.floor, def.unit),
    ratioText(result.vsSupervisor),
    ratioText(result.vsFloor),
    targetText(def.target),
    result.verdict + (note ? ` (${note})` : ''),
  ]);
}

const HEAD = [
  'figure',
  'unit',
  'svd median (min–max)',
  'supervisor',
  'floor',
  'svd/sup',
  'svd/floor',
  'target',
  'verdict',
];

export function consoleTable(judged) {
  const all = [HEAD, ...rows(judged)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

export function markdownTable(judged) {
  const esc = (c) => c.replace(/\|/g, '\\|');
  return [
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...rows(judged).map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** The whole latest.md: what ran, where, and the table. */
export function markdownReport({ date, machine, mode, reps, judged, notes }) {
  return [
    `# svd vs supervisor — \`npm run bench${mode === 'quick' ? ' -- --quick' : ''}\``,
    '',
    `${date} · ${machine.nproc} cores · ${machine.cpu} · node ${machine.node} · supervisor ${machine.supervisor} · ` +
      `${reps} repetition${reps === 1 ? '' : 's'}, alternating svd and supervisor; medians with (min–max).`,
    '',
    markdownTable(judged),
    '',
    'Floor: a bare Node loop doing the same spawns, kills or writes (bench/fixtures/node-floor.mjs), or for the ' +
      'log burst the same writer redirected straight to a file; in the rows marked "the kernel", ' +
      'bench/fixtures/kernel-floor.py, which stops the same children with nothing but kill and waitpid. ' +
      'How each figure is taken: bench/README.md.',
    ...(notes.length ? ['', '## Notes', '', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}

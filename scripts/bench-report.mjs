/**
 * `npm run bench -- --write-docs`: the figures of a bench run written into docs/benchmark.md
 * (between the `bench:figures` markers of the run's Node major, so the prose around them stays
 * hand-written) and a small bar chart, docs/benchmark-node<major>.svg, of the median wall time of
 * each tool, cold and warm. Generated
 * from the run's result, never edited by hand, so the page shows what was measured.
 */
import fs from 'node:fs';
import path from 'node:path';

// One block per Node major: deploy-guard and knip both parse faster from Node 22 on, so each
// runtime's figures are a run of their own (`npm run bench -- --node 24 --write-docs`).
const markers = (major) => ({
  start: `<!-- bench:figures:node${major}:start (written by npm run bench -- --write-docs) -->`,
  end: `<!-- bench:figures:node${major}:end -->`,
});

const sec = (ms) => (ms === undefined ? 'n/a' : ms < 1000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const met = (v) => (v === null || v === undefined ? 'n/a' : v ? 'met' : '**not met**');

const LABELS = {
  'deploy-guard': 'deploy-guard, cold (no cache)',
  'deploy-guard 1 thread': 'deploy-guard, cold, --threads 1',
  'deploy-guard babel': 'deploy-guard, cold, --parser babel',
  'deploy-guard warm': 'deploy-guard, warm (--cache, one module changed)',
  'deploy-guard start-up': 'floor: start-up (--version)',
  'oxc parse floor': 'floor: oxc parse alone, one thread',
  knip: 'knip',
  ripgrep: 'ripgrep (the I/O floor)',
};

function markdown(result) {
  const m = result.machine;
  const lines = [
    `Measured ${result.date} on ${m.cores} cores (${m.cpu}), Node ${m.node.replace(/^v/, '')}, ${result.runs} interleaved run(s) of each tool; ` +
      `${result.shape.workers} Workers × ${result.shape.files} modules, ${result.tree.sourceFiles} JS/TS files (${(result.tree.sourceBytes / 2 ** 20).toFixed(1)} MiB). ` +
      `Load average (1 min) as the runs ended: ${m.loadAverage ?? 'not recorded'} (the tool being measured adds about 1); other jobs on the machine slow every tool alike only roughly, so compare the ratios of one run, not seconds across runs.`,
    '',
    `![median wall time per tool on Node ${m.node.replace(/^v/, '').split('.')[0]}, cold and warm, log scale](${chartName(m.node)})`,
    '',
    '| tool | median | min–max | peak memory (median / max) |',
    '| --- | --- | --- | --- |',
  ];
  for (const t of result.tools) {
    lines.push(`| ${LABELS[t.name] ?? t.name} ${t.version && !t.name.startsWith('deploy-guard ') ? t.version.replace(/^ripgrep /, '') : ''} | ${sec(t.medianMs)} | ${sec(t.minMs)}–${sec(t.maxMs)} | ${t.peakMiB ?? 'n/a'} / ${t.maxPeakMiB ?? 'n/a'} MiB |`);
  }
  const r = result.ratios;
  const f = (v, d) => (v === undefined ? 'n/a' : v.toFixed(d));
  const exact = (c) => (c ? `${c.found}/${c.expected} planted faults, ${c.unexpected.length} unexpected, ${c.fromNodeModules} from node_modules` : 'n/a');
  lines.push(
    '',
    `- cold / knip: **${f(r.deployGuardOverKnip, 2)}** (target ≤ 0.10: ${met(result.targets.atMostTenthOfKnip)}); cold / ripgrep: ${f(r.deployGuardOverRipgrep, 1)}`,
    ...(r.parseFloorOverKnip === undefined ? [] : [`- floor, oxc's parse of every module in one thread with no analysis (\`scripts/bench-parse-floor.mjs\`) / knip: ${f(r.parseFloorOverKnip, 2)}`]),
    `- cold with the default threads / cold with --threads 1: ${f(r.threadsOverOneThread, 2)}`,
    // Measured only where the default parser is oxc (Node >= 22); below that Babel is the default.
    ...(r.babelOverDefault === undefined ? [] : [`- cold with Babel (\`--parser babel\`, the parser where oxc cannot run) / cold with the default parser: ${f(r.babelOverDefault, 2)}; Babel / knip: ${f(r.babelOverKnip, 2)}`]),
    `- warm / knip: **${f(r.warmOverKnip, 3)}** (target ≤ 0.03: ${met(result.targets.warmAtMost3PercentOfKnip)}); warm / ripgrep: **${f(r.warmOverRipgrep, 1)}** (target ≤ 10: ${met(result.targets.warmAtMost10xRipgrep)})`,
    ...(r.startUpOverKnip === undefined ? [] : [`- floor, Node starting and loading the bundle (\`--version\`) / knip: ${f(r.startUpOverKnip, 3)}`]),
    `- peak memory below 300 MiB, cold and warm: ${met(result.targets.peakUnder300MiB)}`,
    `- correctness: cold ${exact(result.correctness)}; warm ${exact(result.warmCorrectness)}`,
  );
  return lines.join('\n');
}

function svg(result) {
  const bars = result.tools.filter((t) => t.medianMs !== undefined);
  const width = 640;
  const left = 300;
  const barHeight = 22;
  const gap = 10;
  const top = 28;
  const height = top + bars.length * (barHeight + gap) + 24;
  // Log scale: ripgrep's tenths of a second and knip's tens of seconds on one chart.
  const lo = Math.log10(0.05);
  const hi = Math.log10(Math.max(...bars.map((b) => b.medianMs / 1000)) * 2);
  const x = (s) => left + ((Math.log10(Math.max(s, 0.05)) - lo) / (hi - lo)) * (width - left - 20);
  const colour = { 'deploy-guard': '#2f6fb5', 'deploy-guard 1 thread': '#7f9fc5', 'deploy-guard babel': '#9db8d9', 'deploy-guard warm': '#5aa1e3', 'deploy-guard start-up': '#bbbbbb', 'oxc parse floor': '#bbbbbb', knip: '#b5652f', ripgrep: '#6b8e23' };
  const esc = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="18" font-weight="bold">Median wall time, ${result.shape.workers} Workers × ${result.shape.files} modules, Node ${major(result.machine.node)} (log scale; ${result.machine.cores} cores)</text>`,
  ];
  for (const tick of [0.1, 1, 10, 100]) {
    if (Math.log10(tick) > hi) continue;
    parts.push(`<line x1="${x(tick).toFixed(1)}" y1="${top - 4}" x2="${x(tick).toFixed(1)}" y2="${height - 20}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(tick).toFixed(1)}" y="${height - 6}" text-anchor="middle" fill="#666">${tick} s</text>`);
  }
  bars.forEach((b, i) => {
    const y = top + i * (barHeight + gap);
    const s = b.medianMs / 1000;
    parts.push(`<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(LABELS[b.name] ?? b.name)}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${Math.max(1, x(s) - left).toFixed(1)}" height="${barHeight}" fill="${colour[b.name] ?? '#888'}"/>`);
    parts.push(`<text x="${(x(s) + 4).toFixed(1)}" y="${y + 15}">${sec(b.medianMs)}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

const major = (node) => node.replace(/^v/, '').split('.')[0];
const chartName = (node) => `benchmark-node${major(node)}.svg`;

/** Writes the run's chart and its runtime's figures block of docs/benchmark.md; returns the files written. */
export function writeDocs(root, result) {
  const page = path.join(root, 'docs', 'benchmark.md');
  const chart = path.join(root, 'docs', chartName(result.machine.node));
  const text = fs.readFileSync(page, 'utf8');
  const { start: START, end: END } = markers(major(result.machine.node));
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/benchmark.md has no ${START} … ${END} block to write the figures into`);
  fs.writeFileSync(page, `${text.slice(0, start + START.length)}\n${markdown({ ...result, date: new Date().toISOString().slice(0, 10) })}\n${text.slice(end)}`);
  fs.writeFileSync(chart, svg(result));
  return [page, chart];
}

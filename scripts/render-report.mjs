#!/usr/bin/env node
/**
 * Renders the job summary and the PR comment of the example in examples/incident the way GitHub
 * shows them, as PNG files for the README, so the first screen is looked at, not guessed:
 *   1. runs the built action (dist/index.js; run `npm run build` first) as the runner does, with
 *      a GitHub API stand-in on 127.0.0.1 that keeps the comment it is sent;
 *   2. turns the summary and the comment into HTML with `marked` (GitHub-flavoured markdown) and
 *      GitHub's own markdown stylesheet (`github-markdown-css`), in a frame like GitHub's;
 *   3. draws each ```mermaid block with `mermaid` in the page, as GitHub does (its default theme,
 *      `securityLevel: strict`); a block Mermaid cannot parse fails the run rather than leave
 *      Mermaid's error picture in the README;
 *   4. takes a screenshot of each with headless Chromium, one first screen high.
 * The renderer is not a project dependency: it is installed into a folder under the OS temp dir.
 * Chromium is Debian's (`apt-get install -y chromium fonts-noto-color-emoji`).
 *
 * Usage: node scripts/render-report.mjs [output folder, default docs/images]
 *        node scripts/render-report.mjs OUTPUT_FOLDER --markdown=report.md   (any markdown report,
 *        e.g. from `deploy-guard check --format markdown`, to OUTPUT_FOLDER/report.png; no build needed)
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(root, 'docs', 'images'));
const markdownFile = process.argv.slice(2).find((a) => a.startsWith('--markdown='))?.slice('--markdown='.length);
const tools = path.join(os.tmpdir(), 'deploy-guard-render');
const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((name) => {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});
if (!chromium) throw new Error('no chromium on PATH: apt-get install -y chromium fonts-noto-color-emoji');
if (!markdownFile && !fs.existsSync(path.join(root, 'dist', 'index.js'))) throw new Error('dist/index.js is missing: run npm run build first');

// Pinned, so the renders change only when the report does.
const RENDERER = ['marked@15.0.12', 'github-markdown-css@5.8.1', 'mermaid@11.17.2'];
if (!RENDERER.every((spec) => fs.existsSync(path.join(tools, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'package.json')))) {
  fs.mkdirSync(tools, { recursive: true });
  execFileSync('npm', ['install', '--prefix', tools, '--no-save', '--no-audit', '--no-fund', ...RENDERER], { stdio: 'inherit' });
}
const require = createRequire(path.join(tools, 'package.json'));
const { marked } = require('marked');
const css = fs.readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8');
const mermaidScript = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');

/**
 * marked writes a ```mermaid block as <pre><code class="language-mermaid">, its text HTML-escaped;
 * Mermaid draws <pre class="mermaid"> elements and decodes that escaping itself. The page's title
 * says whether every diagram was drawn, for the check after the screenshot.
 */
function withDiagrams(html) {
  const blocks = html.replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>');
  if (blocks === html) return html;
  return `${blocks}<script src="${pathToFileURL(mermaidScript)}"></script>
<script>
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
  mermaid.run({ querySelector: 'pre.mermaid' }).then(
    () => { document.title = document.querySelector('pre.mermaid svg') ? 'diagrams drawn' : 'no diagram drawn'; },
    (error) => { document.title = 'diagram error: ' + error.message; },
  );
</script>`;
}

/** The API stand-in: no comments yet, and it keeps the one the action posts. */
function startApi() {
  let posted = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.method === 'POST') {
        posted = JSON.parse(body).body;
        res.statusCode = 201;
        return res.end(JSON.stringify({ id: 1, body: posted, user: { login: 'github-actions[bot]', type: 'Bot' } }));
      }
      res.end('[]');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, comment: () => posted, close: () => server.close() })));
}

async function runAction(apiUrl) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'dg-render-'));
  try {
    const event = path.join(temp, 'event.json');
    const summary = path.join(temp, 'summary.md');
    fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 7 } }));
    fs.writeFileSync(summary, '');
    fs.writeFileSync(path.join(temp, 'output'), '');
    const env = {
      PATH: process.env.PATH, GITHUB_WORKSPACE: root, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: path.join(temp, 'output'),
      GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: apiUrl, GITHUB_REPOSITORY: 'acme/jobmatch',
      GITHUB_SERVER_URL: 'https://github.com', GITHUB_SHA: '4f2c9a1e7b3d5f8a0c6e2b4d9f1a3c5e7b9d0f2a', GITHUB_RUN_ID: '1',
      'INPUT_WORKING-DIRECTORY': 'examples/incident', INPUT_COMMENT: 'true', 'INPUT_GITHUB-TOKEN': 'render-token',
    };
    await new Promise((resolve) => spawn(process.execPath, [path.join(root, 'dist', 'index.js')], { cwd: root, env, stdio: 'ignore' }).on('close', resolve));
    return fs.readFileSync(summary, 'utf8');
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/** A page like GitHub's: the summary in a job-summary box, the comment under a bot's header. */
function page(markdown, kind) {
  const header = kind === 'comment'
    ? '<div class="head"><b>github-actions</b> <span class="bot">bot</span> commented</div>'
    : '<div class="head"><b>deploy-guard summary</b></div>';
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}
body { background: #fff; margin: 0; padding: 16px; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.box { border: 1px solid #d0d7de; border-radius: 6px; max-width: ${kind === 'comment' ? 880 : 1012}px; }
.head { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; font-size: 14px; color: #1f2328; border-radius: 6px 6px 0 0; }
.bot { border: 1px solid #d0d7de; border-radius: 2em; padding: 0 6px; font-size: 12px; color: #59636e; }
.markdown-body { padding: 16px; font-size: 14px; }
pre.mermaid { background: none; text-align: center; }
</style></head><body><div class="box">${header}<article class="markdown-body">${withDiagrams(marked.parse(markdown, { gfm: true }))}</article></div></body></html>`;
}

function screenshot(html, file, width, height) {
  const htmlFile = path.join(os.tmpdir(), `dg-render-${path.basename(file, '.png')}.html`);
  fs.writeFileSync(htmlFile, html);
  // Virtual time lets Mermaid finish drawing before the page is captured.
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--allow-file-access-from-files', '--virtual-time-budget=10000', `--window-size=${width},${height}`];
  try {
    if (html.includes('pre class="mermaid"')) {
      const dom = execFileSync(chromium, [...flags, '--dump-dom', pathToFileURL(htmlFile).href], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
      const title = /<title>([^<]*)<\/title>/.exec(dom)?.[1] ?? 'the page did not finish';
      if (title !== 'diagrams drawn') throw new Error(`${path.basename(file)}: ${title}`);
    }
    execFileSync(chromium, [...flags, `--screenshot=${file}`, pathToFileURL(htmlFile).href], { stdio: 'ignore' });
  } finally {
    fs.rmSync(htmlFile, { force: true });
  }
}

if (markdownFile) {
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `${path.basename(markdownFile, path.extname(markdownFile))}.png`);
  screenshot(page(fs.readFileSync(markdownFile, 'utf8'), 'summary'), file, 1044, 1400);
  console.log(`wrote ${file}`);
  process.exit(0);
}

const api = await startApi();
try {
  const summary = await runAction(api.url);
  const comment = api.comment();
  if (!summary || !comment) throw new Error('the action wrote no summary or no comment');
  fs.mkdirSync(outDir, { recursive: true });
  screenshot(page(summary, 'summary'), path.join(outDir, 'summary.png'), 1044, 1400);
  screenshot(page(comment, 'comment'), path.join(outDir, 'comment.png'), 912, 1100);
  console.log(`wrote ${path.relative(root, path.join(outDir, 'summary.png'))} and ${path.relative(root, path.join(outDir, 'comment.png'))}`);
} finally {
  api.close();
}

// `npm run bench`: measures the engine and the bundled stdio server on generated workloads and compares with
// yaml-language-server on the same file; writes the figures into BENCHMARKS.md (section "bench") and prints them.
// Options: --quick (fewer sizes and samples), --no-write.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { CORPUS, DIST, machine, ROOT, writeSection } from './lib.mjs';
import { LspProcess, percentile, serverOnWorkspace, writeWorkspace } from './lsp.mjs';
import { pipelineWorkload, runnerWorkload } from './workload.mjs';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, 'no-write': { type: 'boolean', default: false } },
});
const require = createRequire(import.meta.url);
const engine = require(join(DIST, 'engine.js'));

class MemHost {
  constructor(files) {
    this.files = new Map(Object.entries(files).map(([p, t]) => [`/ws/${p}`, t]));
  }
  readFile(path) {
    const text = this.files.get(path);
    return text === undefined ? { kind: 'missing' } : { kind: 'ok', text };
  }
  readDirectory() {
    return undefined;
  }
}

/** The file a one-line edit goes into, and the edited text (`n` makes each edit different). */
function editTarget(files) {
  const path = Object.keys(files).find((p) => p.startsWith('ci/')) ?? '.gitlab-ci.yml';
  const text = files[path];
  const at = text.indexOf('N: "');
  return { path, edit: (n) => `${text.slice(0, at)}N: "e${n}"${text.slice(text.indexOf('\n', at))}` };
}

/** As the language server analyses: a kept ParseCache, fixes built when a code action asks for them. */
function analyzeWith(host, cache) {
  return engine.analyze(host, {
    fixes: 'lazy',
    workspaceRoot: '/ws',
    pipelines: ['/ws/.gitlab-ci.yml'],
    runnerConfigs: ['/ws/config.toml'],
    cache,
  });
}

function engineFigures(files, samples) {
  const cold = [];
  const cli = [];
  for (let i = 0; i < Math.max(2, Math.ceil(samples / 4)); i++) {
    const host = new MemHost(files);
    let t = performance.now();
    analyzeWith(host, new engine.ParseCache());
    cold.push(performance.now() - t);
    // As the CLI analyses: no cache, fixes built with the findings.
    t = performance.now();
    engine.analyze(new MemHost(files), {
      workspaceRoot: '/ws',
      pipelines: ['/ws/.gitlab-ci.yml'],
      runnerConfigs: ['/ws/config.toml'],
    });
    cli.push(performance.now() - t);
  }
  const host = new MemHost(files);
  const cache = new engine.ParseCache();
  const first = analyzeWith(host, cache);
  const { path, edit } = editTarget(files);
  const warm = [];
  for (let i = 0; i < samples; i++) {
    host.files.set(`/ws/${path}`, edit(i));
    const t = performance.now();
    analyzeWith(host, cache);
    warm.push(performance.now() - t);
  }
  return {
    cold: percentile(cold, 50),
    cli: percentile(cli, 50),
    edit50: percentile(warm, 50),
    edit95: percentile(warm, 95),
    findings: first.findings.length,
    jobs: first.pipelines[0]?.jobs.length ?? 0,
  };
}

/**
 * didChange → pulled diagnostics through the bundled server, for one-line edits in one included file (`nodeArgs` go
 * to node before the server script).
 */
async function lspFigures(files, samples, nodeArgs = []) {
  const { server, open: openFile, dispose } = await serverOnWorkspace(files, 'gitlab-ci-dind-bench-', nodeArgs);
  try {
    const { path, edit } = editTarget(files);
    const uri = await openFile(path);
    let t = performance.now();
    await server.request('textDocument/diagnostic', { textDocument: { uri } });
    const open = performance.now() - t;
    const times = [];
    for (let i = 1; i <= samples; i++) {
      t = performance.now();
      await server.notify('textDocument/didChange', {
        textDocument: { uri, version: i },
        contentChanges: [{ text: edit(i) }],
      });
      const report = await server.request('textDocument/diagnostic', { textDocument: { uri } });
      if (!Array.isArray(report.items)) throw new Error('no diagnostics report');
      times.push(performance.now() - t);
    }
    return { open, p50: percentile(times, 50), p95: percentile(times, 95), rss: server.memory() };
  } finally {
    await dispose();
  }
}

/** yaml-language-server validating the same single file against GitLab's CI schema: didChange → published diagnostics. */
async function incumbentFigures(text, samples) {
  const dir = writeWorkspace({ '.gitlab-ci.yml': text }, 'gitlab-ci-dind-bench-');
  const bin = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
  const schema = pathToFileURL(join(CORPUS, 'schemas', 'gitlab-ci.json')).href;
  const uri = pathToFileURL(join(dir, '.gitlab-ci.yml')).href;
  const settings = {
    yaml: {
      validate: true,
      schemas: { [schema]: ['*.gitlab-ci.yml', '.gitlab-ci.yml'] },
      schemaStore: { enable: false },
    },
  };
  const server = new LspProcess(process.execPath, [bin, '--stdio'], {
    configuration: (item) => settings[item.section] ?? settings.yaml,
  });
  try {
    await server.request('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
    });
    await server.notify('initialized', {});
    await server.notify('workspace/didChangeConfiguration', { settings });
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('N: "'));
    const edit = (n) => lines.map((l, i) => (i === at ? l.replace(/N: "[^"]*"/, `N: "e${n}"`) : l)).join('\n');
    let t = performance.now();
    let wait = server.published((p) => p.uri === uri);
    await server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 0, text } });
    const first = await wait;
    const open = performance.now() - t;
    const times = [];
    for (let i = 1; i <= samples; i++) {
      t = performance.now();
      wait = server.published((p) => p.uri === uri && (p.version === undefined || p.version === i));
      await server.notify('textDocument/didChange', {
        textDocument: { uri, version: i },
        contentChanges: [{ text: edit(i) }],
      });
      await wait;
      times.push(performance.now() - t);
    }
    return { open, p50: percentile(times, 50), p95: percentile(times, 95), diagnostics: first.diagnostics.length };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Node arguments that give the server V8's heap defaults back (the command line wins over its heap policy). */
const V8_DEFAULTS = ['--heap-growing-percent=0', '--allocation-site-pretenuring'];

const fmt = (ms) => (ms === undefined || Number.isNaN(ms) ? 'n/a' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));

async function main() {
  const quick = values.quick;
  const samples = quick ? 5 : 15;
  const rows = [];
  const matrix = [];
  for (const jobs of quick ? [10, 100, 1000] : [10, 100, 1000, 5000])
    for (const inc of [1, 10, 50]) matrix.push({ jobs, inc, style: 'plain', runners: 1 });
  for (const style of ['anchors', 'extends'])
    for (const jobs of quick ? [1000] : [1000, 5000]) matrix.push({ jobs, inc: 10, style, runners: 1 });
  matrix.push({ jobs: 1000, inc: 10, style: 'plain', runners: 50 });
  for (const m of matrix) {
    const files = { ...pipelineWorkload(m.jobs, m.inc, m.style), 'config.toml': runnerWorkload(m.runners) };
    const e = engineFigures(files, samples);
    const lspRun = m.inc === 10 || (m.jobs === 5000 && m.inc === 50) ? await lspFigures(files, samples) : undefined;
    rows.push({ ...m, ...e, lsp: lspRun });
    console.log(JSON.stringify(rows[rows.length - 1]));
  }

  const comparisons = [];
  for (const jobs of quick ? [50, 1000] : [50, 1000, 5000]) {
    const files = { ...pipelineWorkload(jobs, 0, 'plain'), 'config.toml': runnerWorkload(1) };
    const ours = await lspFigures(files, samples);
    const theirs = await incumbentFigures(files['.gitlab-ci.yml'], samples);
    comparisons.push({ jobs, lines: files['.gitlab-ci.yml'].split('\n').length, ours, theirs });
    console.log(JSON.stringify(comparisons[comparisons.length - 1]));
  }

  // A longer edit run, with the server's heap policy (server/src/lsp/memory.ts) and with V8's defaults: a flag on
  // the node command line wins over the policy.
  const longJobs = quick ? 1000 : 5000;
  const longEdits = quick ? 15 : 40;
  const longRuns = [];
  for (const inc of [0, 10]) {
    const files = { ...pipelineWorkload(longJobs, inc, 'plain'), 'config.toml': runnerWorkload(1) };
    const policy = await lspFigures(files, longEdits);
    const defaults = await lspFigures(files, longEdits, V8_DEFAULTS);
    longRuns.push({ inc, policy, defaults });
    console.log(JSON.stringify(longRuns[longRuns.length - 1]));
  }

  const vsix = readdirSync(ROOT)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => ({ f, size: statSync(join(ROOT, f)).size, mtime: statSync(join(ROOT, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)[0];
  const peak = Math.max(...rows.map((r) => r.lsp?.rss?.peak ?? 0), ...comparisons.map((c) => c.ours.rss?.peak ?? 0));

  const out = [
    '## Benchmark (`npm run bench`)',
    '',
    `Machine: ${await machine()}. Times in ms; p50 unless marked. Each workload: a root \`.gitlab-ci.yml\` including`,
    'F files that hold the jobs (two in three are DinD build jobs using a template), plus a `config.toml` with R Docker',
    'runners. "cold" = a whole-workspace analysis with an empty parse cache, as the server opens a workspace (fixes',
    'deferred to code actions); "CLI" = the same as `gitlab-ci-dind check` runs it (no cache, fixes built); "edit" =',
    're-analysis after a one-line edit in the first job of the first included file (every later job of that file',
    'moves), with the ParseCache the server keeps; "LSP" = `didChange` → pulled diagnostics through',
    '`dist/server.js --stdio` (includes JSON-RPC and conversion).',
    '',
    '| jobs | files | style | runners | findings | cold | CLI | edit p50 | edit p95 | LSP p50 | LSP p95 | server peak RSS MB |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.jobs} | ${r.inc} | ${r.style} | ${r.runners} | ${r.findings} | ${fmt(r.cold)} | ${fmt(r.cli)} | ${fmt(r.edit50)} | ${fmt(r.edit95)} | ${fmt(r.lsp?.p50)} | ${fmt(r.lsp?.p95)} | ${r.lsp?.rss ? r.lsp.rss.peak.toFixed(0) : ''} |`,
    ),
    '',
    '### Side by side with yaml-language-server (schema-only) on the same single file',
    '',
    'One `.gitlab-ci.yml` holding every job; yaml-language-server validates it against',
    '`../shared/corpus/schemas/gitlab-ci.json`; both measured as `didChange` → diagnostics after a one-line edit.',
    '',
    '| jobs | lines | ours open | its open | ours edit p50 | its edit p50 | ours edit p95 | its edit p95 | ours / its (p50) |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...comparisons.map(
      (c) =>
        `| ${c.jobs} | ${c.lines} | ${fmt(c.ours.open)} | ${fmt(c.theirs.open)} | ${fmt(c.ours.p50)} | ${fmt(c.theirs.p50)} | ${fmt(c.ours.p95)} | ${fmt(c.theirs.p95)} | ${(c.ours.p50 / c.theirs.p50).toFixed(2)} |`,
    ),
    '',
    `Server peak RSS over the runs above (opening + ${samples} edits): ${peak.toFixed(0)} MB. .vsix: ${vsix ? `${vsix.f}, ${(vsix.size / 1024).toFixed(0)} KB` : 'not built (run `npm run package`)'}.`,
    'Extension activation time is not measured here (it needs an editor; see the e2e suite).',
    '',
    '### A longer edit run, with and without the heap policy',
    '',
    `${longEdits} one-line edits at ${longJobs.toLocaleString('en')} jobs (the edit above), through the server as it starts itself (with its`,
    'heap policy, `server/src/lsp/memory.ts`) and started with `' + V8_DEFAULTS.join(' ') + "` (V8's defaults).",
    '',
    '| jobs | files | peak RSS MB, policy | peak RSS MB, V8 defaults | LSP p50, policy | LSP p50, V8 defaults | LSP p95, policy | LSP p95, V8 defaults |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...longRuns.map(
      (r) =>
        `| ${longJobs} | ${r.inc} | ${r.policy.rss?.peak.toFixed(0) ?? 'n/a'} | ${r.defaults.rss?.peak.toFixed(0) ?? 'n/a'} | ${fmt(r.policy.p50)} | ${fmt(r.defaults.p50)} | ${fmt(r.policy.p95)} | ${fmt(r.defaults.p95)} |`,
    ),
    '',
  ].join('\n');
  console.log(out);
  if (!values['no-write']) await writeSection('bench', out);
}

await main();

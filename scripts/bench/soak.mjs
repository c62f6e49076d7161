// Memory soak (`npm run soak`): 10,000 edits through the bundled stdio server, each a didChange and a diagnostic
// pull, with the server's resident set size sampled every 500 edits. The server's memory is flat when the last
// quartile of samples is within 10% (or 10 MB) of the first. Results go to BENCHMARKS.md (soak section).
//
// Options: --edits <n> (default 10000), --every <n> (default 500), --no-write (print only).
import { parseArgs } from 'node:util';

import { machine, writeSection } from './lib.mjs';
import { serverOnWorkspace } from './lsp.mjs';
import { pipelineWorkload, runnerWorkload } from './workload.mjs';

const { values } = parseArgs({
  options: {
    edits: { type: 'string', default: '10000' },
    every: { type: 'string', default: '500' },
    'no-write': { type: 'boolean', default: false },
  },
});
const EDITS = Number(values.edits);
const EVERY = Number(values.every);
const JOBS = 50;
const INCLUDED = 5;
/** Growth between the first and the last quartile still called flat: relative, or absolute for small servers. */
const FLAT_RATIO = 1.1;
const FLAT_MB = 10;

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** Edit `n` of the soak: the open file with one value changed, and every 7th edit a transient YAML error. */
function editOf(text, n) {
  const at = text.indexOf('N: "');
  const line = n % 7 === 0 ? `N: [unclosed ${n}` : `N: "e${n}"`;
  return `${text.slice(0, at)}${line}${text.slice(text.indexOf('\n', at))}`;
}

async function main() {
  const files = { ...pipelineWorkload(JOBS, INCLUDED), 'config.toml': runnerWorkload(5) };
  const samples = [];
  const started = performance.now();
  const { server, open, dispose } = await serverOnWorkspace(files, 'gitlab-ci-dind-soak-');
  try {
    const path = Object.keys(files).find((p) => p.startsWith('ci/'));
    const uri = await open(path);
    await server.request('textDocument/diagnostic', { textDocument: { uri } });
    samples.push({ edits: 0, ...server.memory() });
    for (let n = 1; n <= EDITS; n++) {
      await server.notify('textDocument/didChange', {
        textDocument: { uri, version: n },
        contentChanges: [{ text: editOf(files[path], n) }],
      });
      const report = await server.request('textDocument/diagnostic', { textDocument: { uri } });
      if (!Array.isArray(report.items)) throw new Error(`edit ${n}: no diagnostic report`);
      if (n % EVERY === 0) {
        const memory = server.memory();
        if (!memory) throw new Error('the server RSS cannot be read (/proc is Linux-only)');
        samples.push({ edits: n, ...memory });
        process.stdout.write(`${n} edits: RSS ${memory.rss.toFixed(1)} MB\n`);
      }
    }
  } finally {
    await dispose();
  }
  const seconds = (performance.now() - started) / 1000;
  // The first sample (right after opening) is warm-up; quartiles are over the samples taken during the edits.
  const during = samples.filter((s) => s.edits > 0);
  const quarter = Math.max(1, Math.floor(during.length / 4));
  const first = mean(during.slice(0, quarter).map((s) => s.rss));
  const last = mean(during.slice(-quarter).map((s) => s.rss));
  const flat = last <= Math.max(first * FLAT_RATIO, first + FLAT_MB);
  const peak = Math.max(...samples.map((s) => s.peak));

  const rows = samples.map((s) => `| ${s.edits} | ${s.rss.toFixed(1)} |`).join('\n');
  const body = `## Memory soak (\`npm run soak\`)

${EDITS.toLocaleString('en')} edits (didChange of one included file + a diagnostic pull each; every 7th edit leaves a
YAML error) of a ${JOBS}-job pipeline over ${INCLUDED} included files with a 5-runner config, through the bundled stdio
server, in ${seconds.toFixed(0)} s. RSS sampled every ${EVERY} edits.

- First quartile mean RSS: **${first.toFixed(1)} MB**; last quartile: **${last.toFixed(1)} MB**
  (${(((last - first) / first) * 100).toFixed(1)}%); peak RSS ${peak.toFixed(1)} MB.
- Verdict: **${flat ? 'flat' : 'GROWING'}** (flat = last quartile within ${Math.round((FLAT_RATIO - 1) * 100)}% or ${FLAT_MB} MB of the first).
- Machine: ${await machine()}.

| edits | RSS (MB) |
| ---: | ---: |
${rows}
`;
  process.stdout.write(`\n${body}`);
  if (!values['no-write']) await writeSection('soak', body);
  if (!flat) process.exitCode = 1;
}

await main();

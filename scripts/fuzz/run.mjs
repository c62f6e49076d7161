// The long fuzz run: `npm run fuzz [-- --inputs N --workers W --no-write]`. Mutates the corpus files (the same
// fuzzer as test/robustness/fuzz.test.ts, with the same reproducible input numbers) across worker threads and
// reports the counts: inputs, findings, fixes checked, time per input, failures, internal errors. The summary goes to
// stdout and into BENCHMARKS.md (section "fuzz"). Exits 1 when any property failed.
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

import { bundle, CORPUS, machine, ROOT, writeSection } from '../bench/lib.mjs';

const CHUNK = 500;
/** One input may take at most this long before it counts as a failure. */
const SLOW_MS = 5000;
/** Every how many inputs the incremental analysis is compared with a cold one (it costs two more analyses). */
const INCREMENTAL_EVERY = 4;

if (isMainThread) {
  const { values } = parseArgs({
    options: {
      inputs: { type: 'string', default: '100000' },
      first: { type: 'string', default: '0' },
      workers: { type: 'string', default: String(availableParallelism()) },
      'no-write': { type: 'boolean', default: false },
    },
  });
  if (!existsSync(CORPUS)) {
    console.error(`fuzz: the shared corpus is absent (expected at ../shared/corpus beside the repository)`);
    process.exit(2);
  }
  mkdirSync(`${ROOT}/out/fuzz`, { recursive: true });
  const core = await bundle('test/robustness/fuzz-core.ts', 'out/fuzz/fuzz-core.js');
  const total = Number(values.inputs);
  const first = Number(values.first);
  const workers = Math.max(1, Number(values.workers));
  const started = performance.now();
  let next = first;
  const totals = {
    inputs: 0,
    findings: 0,
    fixesChecked: 0,
    maxMs: 0,
    totalMs: 0,
    slow: 0,
    failures: [],
    fixFailures: [],
    internalErrors: [],
  };
  let lastPrint = 0;
  await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = new Worker(new URL(import.meta.url), { workerData: { core, corpus: CORPUS } });
      const feed = () => {
        if (next >= first + total) {
          void worker.terminate();
          return;
        }
        const count = Math.min(CHUNK, first + total - next);
        worker.postMessage({ first: next, count });
        next += count;
      };
      return new Promise((resolve, reject) => {
        worker.on('message', (t) => {
          totals.inputs += t.inputs;
          totals.findings += t.findings;
          totals.fixesChecked += t.fixesChecked;
          totals.totalMs += t.totalMs;
          totals.slow += t.slow;
          totals.maxMs = Math.max(totals.maxMs, t.maxMs);
          totals.failures.push(...t.failures);
          totals.fixFailures.push(...t.fixFailures);
          totals.internalErrors.push(...t.internalErrors);
          if (performance.now() - lastPrint > 10_000) {
            lastPrint = performance.now();
            console.log(
              `${totals.inputs} inputs, ${totals.failures.length} failures, ${totals.internalErrors.length} internal errors`,
            );
          }
          feed();
        });
        worker.on('error', reject);
        worker.on('exit', resolve);
        feed();
      });
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = render(totals, seconds, workers, first, await machine());
  console.log(summary);
  if (!values['no-write']) await writeSection('fuzz', summary);
  process.exit(totals.failures.length + totals.fixFailures.length + totals.internalErrors.length > 0 ? 1 : 0);
} else {
  const require = createRequire(import.meta.url);
  const { fuzz, loadSeeds } = require(workerData.core);
  const seeds = loadSeeds(workerData.corpus);
  parentPort.on('message', ({ first, count }) => {
    parentPort.postMessage(
      fuzz(seeds, first, count, { maxFixes: 20, slowMs: SLOW_MS, incrementalEvery: INCREMENTAL_EVERY }),
    );
  });
}

function groups(list) {
  const by = new Map();
  for (const f of list) {
    const key = f.message.replace(/\d+/g, 'N').split('\n')[0].slice(0, 200);
    const g = by.get(key) ?? { count: 0, seeds: [] };
    g.count++;
    if (g.seeds.length < 3) g.seeds.push(`${f.seed} (${f.source})`);
    by.set(key, g);
  }
  return [...by].sort((a, b) => b[1].count - a[1].count);
}

function render(t, seconds, workers, first, machineInfo) {
  const lines = [
    '## Fuzzing (`npm run fuzz`)',
    '',
    `Mutation fuzzer over the corpus files (YAML/TOML snippet insertion, truncation, character flips, line`,
    `duplication/deletion/swaps, indentation changes, splices between files, line-ending changes), inputs ${first}..${first + t.inputs - 1},`,
    `${workers} worker thread(s), ${seconds.toFixed(0)} s wall time. Machine: ${machineInfo}.`,
    '',
    '| inputs | findings | fixes checked | mean ms/input | max ms/input | inputs over ' +
      SLOW_MS +
      ' ms | crash-safety failures | fix failures | internal errors |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${t.inputs} | ${t.findings} | ${t.fixesChecked} | ${(t.totalMs / Math.max(1, t.inputs)).toFixed(1)} | ${t.maxMs.toFixed(0)} | ${t.slow} | ${t.failures.length - t.slow} | ${t.fixFailures.length} | ${t.internalErrors.length} |`,
    '',
    'Properties: no exception escapes `analyze`; every input finishes within the bound; every finding span lies in its',
    'file; every offered fix (up to 20 per input) has edits in range, without overlap, and its result re-parses without',
    'new syntax errors; for every ' +
      INCREMENTAL_EVERY +
      'th input, analysing the unmutated workspace with a cache and then',
    'the mutant (the editor case: blocks re-parsed, jobs and rule results reused and moved) equals a cold analysis,',
    'findings and jobs alike (a difference counts as a crash-safety failure). Internal errors are exceptions the engine',
    'caught inside one rule (reported as',
    '`dind/internal-error`): not crashes, but bugs. Reproduce input N with `fuzz(seeds, N, 1, …)` from',
    '`test/robustness/fuzz-core.ts`, or `npm run fuzz -- --first N --inputs 1 --no-write`.',
  ];
  const failing = groups([...t.failures, ...t.fixFailures, ...t.internalErrors]);
  if (failing.length > 0) {
    lines.push('', 'Distinct problems found (count, first inputs):', '');
    for (const [message, g] of failing.slice(0, 15))
      lines.push(`- ${g.count} × ${message} — inputs ${g.seeds.join(', ')}`);
  }
  return lines.join('\n');
}

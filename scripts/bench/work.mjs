// `node scripts/bench/work.mjs`: counts job-rule runs (and times them) for a cold analysis and for the re-analysis
// after a one-line edit, with the engine's shortcuts off (reference) and on. Counting work, unlike timing, is
// stable on a loaded machine. Prints one JSON line per workload.
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { DIST } from './lib.mjs';
import { pipelineWorkload, runnerWorkload } from './workload.mjs';

const engine = createRequire(import.meta.url)(join(DIST, 'engine.js'));
let runs = 0;
for (const rule of engine.RULES) {
  const check = rule.checkJob;
  if (check)
    rule.checkJob = function (c, report) {
      runs++;
      return check.call(this, c, report);
    };
}

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

const WORKLOADS = [
  [50, 0, 'plain', 1],
  [1000, 10, 'plain', 1],
  [1000, 10, 'extends', 1],
  [1000, 10, 'plain', 50],
  [5000, 10, 'plain', 1],
];

for (const [jobs, inc, style, runners] of WORKLOADS) {
  const files = { ...pipelineWorkload(jobs, inc, style), 'config.toml': runnerWorkload(runners) };
  const path = Object.keys(files).find((p) => p.startsWith('ci/')) ?? '.gitlab-ci.yml';
  const text = files[path];
  const at = text.indexOf('N: "');
  const edited = `${text.slice(0, at)}N: "e1"${text.slice(text.indexOf('\n', at))}`;
  const row = { jobs, files: inc, style, runners };
  for (const shortcuts of [false, true]) {
    const host = new MemHost(files);
    const cache = new engine.ParseCache();
    const run = (phase) => {
      runs = 0;
      const t = performance.now();
      engine.analyze(host, {
        fixes: 'lazy',
        workspaceRoot: '/ws',
        pipelines: ['/ws/.gitlab-ci.yml'],
        runnerConfigs: ['/ws/config.toml'],
        cache,
        shortcuts,
      });
      const tag = `${phase}_${shortcuts ? 'on' : 'off'}`;
      row[`${tag}_runs`] = runs;
      row[`${tag}_ms`] = Math.round(performance.now() - t);
    };
    run('cold');
    host.files.set(`/ws/${path}`, edited);
    run('edit');
  }
  console.log(JSON.stringify(row));
}

// The work-saving paths of `analyze` (shared job facts, one evaluation per class of identically configured runners,
// rule results reused from the cache) must not change a single finding: every corpus pipeline is analysed with the
// shortcuts off, on, and on again with a warm cache, against corpus runner configs and a config of duplicated runners.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { analyze, ParseCache, type Finding, type Host } from '@engine';

import { diskHost, filesUnder } from '../helpers/disk';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';

const RUNNER_FILE = '/runner-under-test/config.toml';

/** The disk, plus one in-memory runner config. */
const hostWith = (runnerText: string): Host => diskHost({ [RUNNER_FILE]: runnerText });

/** A config whose `[[runners]]` all appear twice more under other names (they form equivalence classes). */
function duplicated(text: string): string {
  const parts = text.split(/^(?=\[\[runners\]\])/m);
  const [head, ...runners] = parts;
  if (runners.length === 0) return text;
  const copies = [1, 2].flatMap((n) =>
    runners.map((r) => (/^\s*name\s*=/m.test(r) ? r.replace(/^(\s*name\s*=\s*")([^"]*)"/m, `$1$2-copy${n}"`) : r)),
  );
  return [head ?? '', ...runners, ...copies.map((c) => (c.endsWith('\n') ? c : `${c}\n`))].join('');
}

const plain = (fs: readonly Finding[]): unknown => JSON.parse(JSON.stringify(fs));

test(
  'perf: shortcuts on, off and with a warm cache give identical findings over the corpus',
  { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON },
  () => {
    const pipelines = ['gitlab-templates', 'real-world'].flatMap((d) => filesUnder(join(CORPUS, d), /\.ya?ml$/i));
    const runnerTexts = filesUnder(join(CORPUS, 'runner-configs'), /\.toml/).map((f) => readFileSync(f, 'utf8'));
    assert.ok(pipelines.length > 50 && runnerTexts.length > 5, 'the corpus holds pipelines and runner configs');
    let compared = 0;
    let withRunnerFindings = 0;
    let multiRunner = 0;
    pipelines.forEach((root, i) => {
      const runnerText = duplicated(runnerTexts[i % runnerTexts.length] ?? '');
      const host = hostWith(runnerText);
      const options = { workspaceRoot: dirname(root), pipelines: [root], runnerConfigs: [RUNNER_FILE] };
      const reference = analyze(host, { ...options, shortcuts: false });
      const cache = new ParseCache();
      const fast = analyze(host, { ...options, cache });
      const warm = analyze(host, { ...options, cache });
      assert.deepEqual(plain(fast.findings), plain(reference.findings), `${root}: shortcuts changed the findings`);
      assert.deepEqual(plain(warm.findings), plain(reference.findings), `${root}: the warm cache changed the findings`);
      compared += reference.findings.length;
      if (reference.findings.some((f) => f.runner !== null)) withRunnerFindings++;
      if ((reference.runnerConfigs[0]?.runners.length ?? 0) > 1) multiRunner++;
    });
    assert.ok(compared > 100, `findings compared: ${compared}`);
    assert.ok(withRunnerFindings > 10, `pipelines with runner-specific findings: ${withRunnerFindings}`);
    assert.ok(multiRunner > 10, `pipelines checked against several runners: ${multiRunner}`);
  },
);

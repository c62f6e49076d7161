import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { buildPipeline, DEFAULT_SETTINGS, jobData, jobProvenance, ParseCache, parseYaml, SourceStore } from '@engine';

import { build } from './util';

test('alias bomb (billion laughs) becomes a structure finding quickly, never a hang', () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  const names = 'bcdefghi';
  let prev = 'a';
  for (const n of names) {
    lines.push(`${n}: &${n} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
    prev = n;
  }
  lines.push(`job:\n  script: *${prev}`);
  const started = Date.now();
  const b = build({ '.gitlab-ci.yml': `${lines.join('\n')}\n` });
  const cache = new ParseCache();
  const elapsed = Date.now() - started;
  assert.ok(elapsed < 2000, `built in ${elapsed} ms`);
  assert.ok(b.pipeline.findings.some((f) => f.ruleId === 'dind/pipeline-structure' && /alias bomb/.test(f.message)));
  assert.deepEqual(b.pipeline.jobs, []);
  // A second analysis reuses the cached conversion and still reports it.
  const options = { workspaceRoot: '/ws', settings: DEFAULT_SETTINGS };
  const first = buildPipeline(new SourceStore(b.host, cache), '/ws/.gitlab-ci.yml', options);
  const second = buildPipeline(new SourceStore(b.host, cache), '/ws/.gitlab-ci.yml', options);
  assert.ok(first.findings.some((f) => /alias bomb/.test(f.message)));
  assert.deepEqual(second.findings, first.findings);
});

test('an alias bomb in an included file leaves the including file modelled', () => {
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]'];
  for (let i = 1; i < 8; i++)
    bomb.push(
      `l${i}: &l${i} [${Array(10)
        .fill(i === 1 ? '*a' : `*l${i - 1}`)
        .join(',')}]`,
    );
  const b = build({
    'bomb.yml': `${bomb.join('\n')}\n`,
    '.gitlab-ci.yml': 'include: bomb.yml\njob:\n  script: [echo]\n',
  });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['job'],
  );
  assert.ok(b.pipeline.findings.some((f) => f.file === '/ws/bomb.yml' && /alias bomb/.test(f.message)));
});

test('duplicate keys: the last one is kept and a warning is reported at the earlier one', () => {
  const text = 'job:\n  image: docker:20\n  image: docker:24\n  script: [echo]\njob:\n  script: [echo later]\n';
  const parsed = parseYaml(text);
  assert.deepEqual(
    parsed.problems.map((p) => `${p.severity} ${text.slice(p.span.start, p.span.end)}`),
    ['warning job', 'warning image'],
  );
  const b = build({ '.gitlab-ci.yml': text });
  assert.deepEqual(b.findings(), [
    'dind/yaml-syntax warning .gitlab-ci.yml:1',
    'dind/yaml-syntax warning .gitlab-ci.yml:2',
  ]);
  assert.deepEqual(
    b.job('job').script.map((l) => l.text),
    ['echo later'],
  );
  assert.equal(b.job('job').image, null);
});

test('merge keys: explicit keys win wherever they are written, earlier merged maps win over later ones', () => {
  const b = build({
    '.gitlab-ci.yml': `.a: &a { image: from-a, tags: [a], stage: a }
.b: &b { image: from-b, tags: [b], when: manual }
job:
  image: explicit
  <<: [*a, *b]
  script: [echo]
`,
  });
  const job = b.job('job');
  assert.equal(job.image?.name.value, 'explicit');
  assert.deepEqual(job.tags, ['a']);
  assert.equal(jobData(job)['when'], 'manual');
  assert.equal(b.at(jobProvenance(job).get('when')), '.gitlab-ci.yml:2');
});

test('broken YAML, non-mapping roots, empty and binary files give findings, not exceptions', () => {
  for (const text of [
    '',
    '- a\n- b\n',
    'key: [unclosed\n',
    '\u0000\u0001\u0002\ufffd binary',
    'a: *undefined_alias\n',
  ]) {
    const b = build({ '.gitlab-ci.yml': text });
    assert.deepEqual(b.pipeline.jobs, [], JSON.stringify(text));
  }
  assert.deepEqual(build({ '.gitlab-ci.yml': '- a\n' }).findings(), [
    'dind/pipeline-structure warning .gitlab-ci.yml:1',
  ]);
  assert.ok(
    build({ '.gitlab-ci.yml': 'key: [unclosed\n' })
      .findings()
      .some((f) => f.startsWith('dind/yaml-syntax error')),
  );
});

test('a missing root pipeline is a structure finding', () => {
  const b = build({}, { root: 'nope.yml' });
  assert.deepEqual(b.pipeline.jobs, []);
  assert.match(b.pipeline.findings[0]?.message ?? '', /does not exist/);
});

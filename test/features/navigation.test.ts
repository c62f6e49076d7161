import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { definitionsAt, documentLinks, runnerStatus } from '@engine';

import { CI, PRIVILEGED_RUNNER, ROOT, RUNNER, setup } from './util';

describe('document links', () => {
  test('string, local: and wildcard includes link to their files; a missing file gets no link', () => {
    const s = setup({
      '.gitlab-ci.yml': `include:\n  - ci/a.yml\n  - local: '/ci/b.yml'\n  - local: ci/parts/*.yml\n  - ci/missing.yml\n  - remote: https://example.com/x.yml\n|build:\n  script: x\n`,
      'ci/a.yml': 'a:\n  script: x\n',
      'ci/b.yml': 'b:\n  script: x\n',
      'ci/parts/p1.yml': 'p:\n  script: x\n',
    });
    const text = s.host.files.get(CI) ?? '';
    const links = documentLinks(s.analysis, CI, { root: ROOT });
    assert.deepEqual(
      links.map((l) => [text.slice(l.span.start, l.span.end), l.file ?? l.url]),
      [
        ['ci/a.yml', `${ROOT}/ci/a.yml`],
        ['/ci/b.yml', `${ROOT}/ci/b.yml`],
        ['ci/parts/*.yml', `${ROOT}/ci/parts/p1.yml`],
        ['https://example.com/x.yml', 'https://example.com/x.yml'],
      ],
    );
  });

  test('a `**` inside a segment crosses folders, as GitLab matches wildcards', () => {
    const s = setup({
      '.gitlab-ci.yml': 'include:\n  - local: ci/job**.yml\n|',
      'ci/jobs/b.yml': 'b:\n  script: x\n',
    });
    assert.deepEqual(
      documentLinks(s.analysis, CI, { root: ROOT }).map((l) => l.file),
      [`${ROOT}/ci/jobs/b.yml`],
    );
  });

  test('the string form of include:', () => {
    const s = setup({ '.gitlab-ci.yml': 'include: ci/a.yml\n|', 'ci/a.yml': 'a:\n  script: x\n' });
    assert.deepEqual(
      documentLinks(s.analysis, CI, { root: ROOT }).map((l) => l.file),
      [`${ROOT}/ci/a.yml`],
    );
  });
});

describe('go to definition', () => {
  test('an extends parent defined in an included file', () => {
    const s = setup({
      '.gitlab-ci.yml': 'include: ci/t.yml\nbuild:\n  extends: .do|cker\n  script: x\n',
      'ci/t.yml': '# templates\n.docker:\n  image: docker:27.5.1-cli\n',
    });
    const defs = definitionsAt(s.analysis, CI, s.offset);
    assert.equal(defs.length, 1);
    const target = s.host.files.get(defs[0]?.file ?? '') ?? '';
    assert.equal(defs[0]?.file, `${ROOT}/ci/t.yml`);
    assert.equal(target.slice(defs[0]?.span.start, defs[0]?.span.end), '.docker');
  });

  test('a job merged across files: every definition; extends as a list', () => {
    const s = setup({
      '.gitlab-ci.yml':
        'include: ci/t.yml\n.base:\n  tags: [a]\nbuild:\n  extends: [.other, .ba|se]\n  script: x\n.other:\n  script: y\n',
      'ci/t.yml': '.base:\n  image: alpine\n',
    });
    const defs = definitionsAt(s.analysis, CI, s.offset);
    assert.deepEqual(defs.map((d) => d.file).sort(), [CI, `${ROOT}/ci/t.yml`]);
  });

  test('!reference [job, key]: the job, then the key inside it', () => {
    const text = 'include: ci/t.yml\nbuild:\n  script:\n    - !reference [.setup, scr|ipt]\n';
    const t = '.setup:\n  image: x\n  script:\n    - echo hi\n';
    const onKey = setup({ '.gitlab-ci.yml': text, 'ci/t.yml': t });
    const keyDefs = definitionsAt(onKey.analysis, CI, onKey.offset);
    assert.equal(keyDefs.length, 1);
    assert.equal(t.slice(keyDefs[0]?.span.start, keyDefs[0]?.span.end), 'script');
    const onJob = setup({
      '.gitlab-ci.yml': text.replace('scr|ipt', 'script').replace('.setup,', '.se|tup,'),
      'ci/t.yml': t,
    });
    const jobDefs = definitionsAt(onJob.analysis, CI, onJob.offset);
    assert.equal(t.slice(jobDefs[0]?.span.start, jobDefs[0]?.span.end), '.setup');
  });

  test('no definition elsewhere', () => {
    const s = setup({ '.gitlab-ci.yml': 'build:\n  script: ec|ho\n' });
    assert.deepEqual(definitionsAt(s.analysis, CI, s.offset), []);
  });
});

describe('runner status', () => {
  test('the config checked against, relative to the root', () => {
    const s = setup({ '.gitlab-ci.yml': 'build:\n  script: x\n|', 'runner/config.toml': PRIVILEGED_RUNNER });
    const status = runnerStatus(s.analysis, { root: ROOT, settings: s.settings });
    assert.deepEqual(status, {
      label: 'runner/config.toml',
      configs: [RUNNER],
      assumed: false,
      runners: ['dind-runner'],
    });
  });

  test('assumed GitLab.com runners, and no config at all', () => {
    const assumed = setup({ '.gitlab-ci.yml': 'build:\n  script: x\n|' }, { assumeRunner: 'gitlab-saas' });
    assert.equal(
      runnerStatus(assumed.analysis, { root: ROOT, settings: assumed.settings }).label,
      'GitLab.com (assumed)',
    );
    assert.equal(runnerStatus(assumed.analysis, { root: ROOT, settings: assumed.settings }).assumed, true);
    const none = setup({ '.gitlab-ci.yml': 'build:\n  script: x\n|' });
    assert.equal(runnerStatus(none.analysis, { root: ROOT, settings: none.settings }).label, 'no runner config');
  });
});

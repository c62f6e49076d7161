import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { hoverAt, MAX_HOVER_JOBS } from '@engine';

import { PRIVILEGED_RUNNER, ROOT, setup } from './util';

function hover(
  files: Record<string, string>,
  settings = {},
): { markdown: string; text: string; span: [number, number] } {
  const s = setup(files, settings);
  const h = hoverAt(s.analysis, s.file, s.offset, { root: ROOT, settings: s.settings });
  assert.ok(h, 'expected a hover');
  const text = s.host.files.get(s.file) ?? '';
  return { markdown: h.markdown, text: text.slice(h.span.start, h.span.end), span: [h.span.start, h.span.end] };
}

describe('hover in .gitlab-ci.yml', () => {
  const template = `.docker:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
`;

  test('on a job name: effective image, services and variables with their origins and the runner facts', () => {
    const h = hover({
      '.gitlab-ci.yml': `include: ci/docker.yml\nbu|ild:\n  extends: .docker\n  script: docker build .\n`,
      'ci/docker.yml': template,
      'runner/config.toml': PRIVILEGED_RUNNER,
    });
    assert.equal(h.text, 'build');
    assert.match(h.markdown, /\*\*Job `build`\*\* · defined at `\.gitlab-ci\.yml:2`/);
    assert.match(
      h.markdown,
      /image `docker:27\.5\.1-cli` — `ci\/docker\.yml:2` via `include: ci\/docker\.yml` → `extends: \.docker`/,
    );
    assert.match(h.markdown, /service `docker:27\.5\.1-dind` \(alias `docker`\) — `ci\/docker\.yml:4`/);
    assert.match(h.markdown, /`DOCKER_TLS_CERTDIR` = `\/certs` — `ci\/docker\.yml:6`/);
    assert.match(h.markdown, /checked against runner `dind-runner` \(`runner\/config\.toml:1`\): executor `docker`/);
    assert.match(h.markdown, /dind `docker:27\.5\.1-dind`: TLS on, port 2376/);
    assert.match(h.markdown, /privileged \(`privileged`\) — `runner\/config\.toml:6`/);
    assert.match(h.markdown, /certs `\/certs\/client` shared by volume `\/certs\/client` — `runner\/config\.toml:7`/);
    assert.match(
      h.markdown,
      /client `DOCKER_HOST` `tcp:\/\/docker:2376` — chosen by the client image entrypoint \(certs\)/,
    );
  });

  test('on a service in an included template: one section per job using it, through include and extends', () => {
    const h = hover({
      '.gitlab-ci.yml': `include: ci/docker.yml\nbuild:\n  extends: .docker\n  script: docker build .\ntest:\n  extends: .docker\n  script: docker run x\n`,
      'ci/docker.yml': template.replace('- docker:27.5.1-dind', '- docker:27.5.1-d|ind'),
    });
    assert.equal(h.text, 'docker:27.5.1-dind');
    assert.match(h.markdown, /Job `build`/);
    assert.match(h.markdown, /Job `test`/);
    assert.match(h.markdown, /`ci\/docker\.yml:4` via `include: ci\/docker\.yml` → `extends: \.docker`/);
    assert.match(h.markdown, /not checked against a runner: no runner config found/);
  });

  test('on a service with a runner that is not privileged: says so, with the deciding key', () => {
    const h = hover({
      '.gitlab-ci.yml': `build:\n  image: docker:27.5.1-cli\n  services:\n    - dock|er:27.5.1-dind\n  script: docker info\n`,
      'runner/config.toml': PRIVILEGED_RUNNER.replace('privileged = true', 'privileged = false'),
    });
    assert.match(h.markdown, /not privileged \(`privileged`\) — `runner\/config\.toml:6`/);
  });

  test('on a DOCKER_HOST key in a template: the value per job, where it comes from, and the build container value', () => {
    const h = hover({
      '.gitlab-ci.yml': `.d:\n  variables:\n    DOCKER_HO|ST: tcp://docker:2375\nbuild:\n  extends: .d\n  script: docker info\n`,
    });
    assert.equal(h.text, 'DOCKER_HOST');
    assert.match(h.markdown, /Job `build`/);
    assert.match(h.markdown, /`DOCKER_HOST` = `tcp:\/\/docker:2375` — `\.gitlab-ci\.yml:3` via `extends: \.d`/);
    assert.match(h.markdown, /client `DOCKER_HOST` `tcp:\/\/docker:2375` — `\.gitlab-ci\.yml:3`/);
  });

  test('on a global variable value overridden in one job: only the jobs that use this value', () => {
    const h = hover({
      '.gitlab-ci.yml': `variables:\n  DOCKER_TLS_CERTDIR: "/ce|rts"\na:\n  script: x\nb:\n  variables:\n    DOCKER_TLS_CERTDIR: ""\n  script: y\n`,
    });
    assert.match(h.markdown, /Job `a`/);
    assert.doesNotMatch(h.markdown, /Job `b`/);
  });

  test('on a variable brought in by !reference: the job using it and the !reference step', () => {
    const h = hover({
      '.gitlab-ci.yml': `.vars:\n  variables:\n    DOCKER_HOST: tcp://dock|er:2376\nbuild:\n  variables: !reference [.vars, variables]\n  script: x\n`,
    });
    assert.match(h.markdown, /Job `build`/);
    assert.match(
      h.markdown,
      /`DOCKER_HOST` = `tcp:\/\/docker:2376` — `\.gitlab-ci\.yml:3` via `!reference \[\.vars, variables\]`/,
    );
  });

  test('a template used by many jobs lists at most a few and counts the rest', () => {
    const jobs = Array.from({ length: MAX_HOVER_JOBS + 2 }, (_, i) => `j${i}:\n  extends: .d\n  script: x\n`).join('');
    const h = hover({ '.gitlab-ci.yml': `.|d:\n  image: docker:27.5.1-cli\n${jobs}` });
    assert.match(h.markdown, new RegExp(`used by ${MAX_HOVER_JOBS + 2} jobs`));
    assert.equal((h.markdown.match(/\*\*Job /g) ?? []).length, MAX_HOVER_JOBS);
    assert.match(h.markdown, /…and 2 more jobs/);
  });

  test('the assumed GitLab.com runner is named as such', () => {
    const h = hover(
      {
        '.gitlab-ci.yml': `build:\n  image: docker:27.5.1-cli\n  services: [docker:27.5.1-dind]\n  scr|ipt: x\n`
          .replace('scr|ipt', 'script')
          .replace('build:', 'bu|ild:'),
      },
      { assumeRunner: 'gitlab-saas' },
    );
    assert.match(h.markdown, /checked against runner GitLab\.com instance runner \(assumed\)/);
  });
});

describe('hover in config.toml', () => {
  test('on a key: type, default, doc and docs link from the schema', () => {
    const h = hover({
      '.gitlab-ci.yml': 'build:\n  script: x\n',
      'runner/config.toml': PRIVILEGED_RUNNER.replace('privileged = true', 'privi|leged = true'),
    });
    assert.equal(h.text, 'privileged');
    assert.match(h.markdown, /\*\*`privileged`\*\* · `boolean` · default `false` · in `\[runners\.docker\]`/);
    assert.match(h.markdown, /\[GitLab Runner documentation\]\(https:\/\/docs\.gitlab\.com\/runner\//);
  });

  test('on a table header: the section documentation', () => {
    const h = hover({
      '.gitlab-ci.yml': 'build:\n  script: x\n',
      'runner/config.toml': PRIVILEGED_RUNNER.replace('[runners.docker]', '[runners.do|cker]'),
    });
    assert.equal(h.text, '[runners.docker]');
    assert.match(h.markdown, /Docker executor settings/);
  });

  test('on an unknown key of a closed table: says it is unknown', () => {
    const h = hover({
      '.gitlab-ci.yml': 'build:\n  script: x\n',
      'runner/config.toml': PRIVILEGED_RUNNER.replace('privileged = true', 'privileged = true\n    privilegd| = true'),
    });
    assert.match(h.markdown, /`privilegd` is not a known key of `\[runners\.docker\]`/);
  });
});

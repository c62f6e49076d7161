// `--fix` end to end with the real rules: the safe fix of dind/tls-certs-volume-missing edits config.toml (another
// file than the pipeline's finding), keeps every other byte (CRLF, comments), and the finding is gone afterwards.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { checkJson, runCli, workspace } from './cli-helpers';

const PIPELINE = `build:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
  script:
    - docker build -t app .
`;
const RUNNER = [
  '# runner used by the build job',
  '[[runners]]',
  '  name = "docker-runner"',
  '  executor = "docker"',
  '  [runners.docker]',
  '    privileged = true',
  '    volumes = ["/cache"] # keep the cache',
  '',
].join('\r\n');

test('check --fix applies the safe cross-file fix, keeps CRLF and comments, and the error is gone', () => {
  const dir = workspace({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER });
  const before = checkJson(dir);
  assert.equal(before.status, 1);
  assert.ok(before.findings.some((f) => f.ruleId === 'dind/tls-certs-volume-missing'));

  const r = runCli(dir, ['check', '--fix']);
  assert.match(r.stderr, /config\.toml/, 'stderr says which file was fixed');
  const fixed = readFileSync(join(dir, 'runner/config.toml'), 'utf8');
  assert.ok(fixed.includes('"/certs/client"'), fixed);
  assert.ok(!/(^|[^\r])\n/.test(fixed), 'CRLF line endings kept');
  const oldLines = RUNNER.split('\r\n');
  const newLines = fixed.split('\r\n');
  assert.equal(newLines.length, oldLines.length, 'no line added or removed');
  const changed = newLines.filter((l, i) => l !== oldLines[i]);
  assert.deepEqual(changed.length, 1, 'exactly one line changed');
  assert.match(changed[0] ?? '', /volumes = \[.*"\/cache".*"\/certs\/client".*\] # keep the cache/);
  assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), PIPELINE, 'the pipeline is untouched');

  const after = checkJson(dir);
  assert.ok(!after.findings.some((f) => f.ruleId === 'dind/tls-certs-volume-missing'));
  assert.equal(after.status, r.status, 'the --fix run reported what is left');
});

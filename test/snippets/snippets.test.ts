// Snippets are data with tests: each expands (placeholders filled with their defaults) to valid YAML/TOML, and each
// CI snippet paired with the runner snippet its description names produces no error finding from our own rules.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { parseToml, parseYaml } from '@engine';

import { REPO_ROOT } from '../helpers/paths';
import { analyzeCase } from '../helpers/rule-cases';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

function load(file: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(join(REPO_ROOT, 'snippets', file), 'utf8')) as Record<string, Snippet>;
}

/** Expands VS Code snippet syntax with every placeholder's default (our snippets use no nested placeholders). */
export function expand(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1] ?? '')) {
      out += text[++i];
    } else if (c === '$') {
      const rest = text.slice(i);
      const m = /^\$\{(\d+):([^}]*)\}|^\$\{(\d+)\|([^|]*)\|\}|^\$\{(\d+)\}|^\$(\d+)/.exec(rest);
      assert.ok(m, `unsupported snippet syntax at ${JSON.stringify(rest.slice(0, 20))}`);
      if (m[2] !== undefined) out += m[2];
      else if (m[4] !== undefined) out += m[4].split(',')[0] ?? '';
      i += m[0].length - 1;
    } else {
      out += c;
    }
  }
  return out;
}

const ci = load('gitlab-ci.json');
const runner = load('runner-config.json');

function byPrefix(set: Record<string, Snippet>, prefix: string): string {
  const s = Object.values(set).find((x) => (Array.isArray(x.prefix) ? x.prefix : [x.prefix]).includes(prefix));
  assert.ok(s, `snippet ${prefix} exists`);
  return expand(s.body);
}

test('snippet expansion fills defaults and unescapes dollars', () => {
  assert.equal(expand(['a: ${1:x}-${2|p,q|}', 'b: \\$HOME $0']), 'a: x-p\nb: $HOME ');
});

test('every snippet has a prefix and a description naming what it needs', () => {
  for (const [name, s] of [...Object.entries(ci), ...Object.entries(runner)]) {
    assert.ok((Array.isArray(s.prefix) ? s.prefix : [s.prefix]).length > 0, `${name} has a prefix`);
    assert.ok(s.description.length > 40, `${name} has a description`);
  }
  for (const [name, s] of Object.entries(ci)) {
    assert.match(s.description, /runner/i, `${name} says which runner config it needs`);
  }
  assert.ok(Object.keys(ci).length >= 7 && Object.keys(runner).length >= 5);
});

for (const [name, s] of Object.entries(ci)) {
  test(`CI snippet "${name}" expands to a valid pipeline`, () => {
    const text = expand(s.body);
    const parsed = parseYaml(text);
    assert.deepEqual(parsed.problems, []);
    const data: unknown = parsed.body?.toJS();
    assert.ok(data && typeof data === 'object', 'a mapping of jobs');
  });
}

for (const [name, s] of Object.entries(runner)) {
  test(`runner snippet "${name}" expands to a valid runner config`, () => {
    const text = expand(s.body);
    assert.deepEqual(parseToml(text).problems, []);
    assert.match(text, /^\[\[runners\]\]/);
  });
}

const PAIRS: [ciPrefix: string, runnerPrefix: string, adapt?: (toml: string) => string][] = [
  ['dind-socket-job', 'runner-docker-socket'],
  ['dind-tls-job', 'runner-docker-dind-tls'],
  ['dind-tls-job', 'runner-docker-dind-least-privilege'],
  ['dind-tls-job', 'runner-sysbox'],
  ['dind-notls-job', 'runner-docker-dind-tls'],
  ['dind-k8s-tls-job', 'runner-kubernetes-dind-tls'],
  ['dind-rootless-job', 'runner-docker-dind-least-privilege'],
  // The description asks for the shared socket volume in the TLS runner's volumes.
  [
    'dind-unix-socket-job',
    'runner-docker-dind-tls',
    (t) => t.replace('"/certs/client", "/cache"', '"/runner/services/docker", "/cache"'),
  ],
  ['dind-template', 'runner-docker-dind-tls'],
];

for (const [ciPrefix, runnerPrefix, adapt] of PAIRS) {
  test(`CI snippet ${ciPrefix} with runner snippet ${runnerPrefix}: no error finding`, () => {
    const toml = byPrefix(runner, runnerPrefix);
    const { analysis } = analyzeCase({
      files: { '.gitlab-ci.yml': byPrefix(ci, ciPrefix), 'runner/config.toml': adapt ? adapt(toml) : toml },
    });
    assert.ok((analysis.pipelines[0]?.jobs.length ?? 0) > 0, 'the snippet defines a job');
    assert.equal(analysis.runnerConfigs[0]?.runners.length, 1, 'the runner snippet defines one runner');
    const errors = analysis.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
  });
}

// Hostile inputs: each one must end in clear findings, within a generous time bound, with no exception escaping the
// engine (or the CLI). The engine is exercised through MemoryHost; disk-only cases (binary, invalid UTF-8, size)
// also go through the bundled CLI and its disk host.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  analyze,
  DEFAULT_SETTINGS,
  MAX_FILE_BYTES,
  MAX_FLOW_DEPTH,
  parseYaml,
  RULES,
  type Analysis,
  type Finding,
  type Rule,
} from '@engine';

import { runCli, workspace, type JsonFinding } from '../cli/cli-helpers';
import { MemoryHost } from '../helpers/memory-host';

const WS = '/ws';
/** Generous per-input bound: the CI machines are small and busy. */
const BOUND_MS = 20_000;

interface Run {
  readonly analysis: Analysis;
  readonly host: MemoryHost;
  readonly ms: number;
}

function run(files: Record<string, string>, runnerConfigs: readonly string[] = []): Run {
  const host = new MemoryHost(files, WS);
  const started = performance.now();
  const analysis = analyze(host, {
    workspaceRoot: WS,
    pipelines: files['.gitlab-ci.yml'] === undefined ? [] : [host.abs('.gitlab-ci.yml')],
    runnerConfigs: runnerConfigs.map((p) => host.abs(p)),
    settings: DEFAULT_SETTINGS,
  });
  const ms = performance.now() - started;
  assert.ok(ms < BOUND_MS, `took ${ms.toFixed(0)} ms`);
  return { analysis, host, ms };
}

function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

function noInternalError(a: Analysis): void {
  const internal = only(a.findings, 'dind/internal-error');
  assert.deepEqual(
    internal.map((f) => f.message),
    [],
    'no internal error',
  );
}

describe('hostile YAML', () => {
  test('an alias bomb (billion laughs) is refused with a finding instead of being expanded', () => {
    const names = 'abcdefghi';
    let text = `a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n`;
    for (let i = 1; i < names.length; i++) {
      const prev = `*${names[i - 1] ?? 'a'}`;
      text += `${names[i] ?? 'x'}: &${names[i] ?? 'x'} [${Array<string>(9).fill(prev).join(', ')}]\n`;
    }
    text += `build:\n  image: docker:24.0.7\n  script: *i\n`;
    const { analysis } = run({ '.gitlab-ci.yml': text });
    noInternalError(analysis);
    const bomb = analysis.findings.find((f) => /alias/i.test(f.message));
    assert.ok(bomb, `an alias finding among ${analysis.findings.map((f) => f.message).join(' | ')}`);
    assert.equal(bomb.severity === 'error' || bomb.severity === 'warning', true);
  });

  const deep: Record<string, string> = {
    'flow sequences': `job: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`,
    'flow mappings': `job: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`,
    'compact block sequences': `job:\n  script:\n    ${'- '.repeat(10_000)}x\n`,
    // A block mapping 3,000 levels deep is 4.5 M characters of indentation: the most that fits the size limit.
    'block mappings': `job:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}${' '.repeat(3001)}v\n`,
  };
  for (const [what, text] of Object.entries(deep)) {
    test(`deeply nested ${what} (10,000 levels) give a finding, not a stack overflow`, () => {
      assert.ok(text.length <= MAX_FILE_BYTES, 'the input is within the size limit');
      const { analysis } = run({ '.gitlab-ci.yml': text });
      noInternalError(analysis);
      const problems = analysis.findings.filter(
        (f) => f.ruleId === 'dind/yaml-syntax' || f.ruleId === 'dind/pipeline-structure',
      );
      assert.ok(problems.length > 0, 'a syntax or structure finding');
      for (const f of problems) {
        assert.doesNotMatch(f.message, /Maximum call stack/, 'the message explains the problem');
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, 'span in range');
      }
    });
  }

  test('flow collections nested past MAX_FLOW_DEPTH are refused before parsing, however often they are parsed', () => {
    const text = `job: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`;
    // The server parses a text again (hover, fixes): a parser that ran out of stack once could abort V8 the next time.
    for (let i = 0; i < 3; i++) {
      const parsed = parseYaml(text);
      assert.equal(parsed.documents.length, 0);
      assert.deepEqual(
        parsed.problems.map((p) => [p.span.start, p.severity]),
        [[text.indexOf('[') + MAX_FLOW_DEPTH, 'error']],
      );
      assert.match(parsed.problems[0]?.message ?? '', new RegExp(`more than ${MAX_FLOW_DEPTH} levels`));
    }
    // Quoted brackets are not collections; and the deepest allowed nesting parses.
    const quoted = `job: [${'"]", ['.repeat(MAX_FLOW_DEPTH)}1${']'.repeat(MAX_FLOW_DEPTH)}]\n`;
    assert.equal(parseYaml(quoted).problems.length, 1, 'the closing brackets inside quotes do not hide the depth');
    const allowed = `job: ${'['.repeat(MAX_FLOW_DEPTH)}${']'.repeat(MAX_FLOW_DEPTH)}\n`;
    assert.deepEqual(parseYaml(allowed).problems, []);
    const { analysis } = run({ '.gitlab-ci.yml': text });
    noInternalError(analysis);
    assert.ok(analysis.findings.some((f) => f.ruleId === 'dind/yaml-syntax' && /levels deep/.test(f.message)));
  });

  test('an include cycle through three files is reported once and each file is read once', () => {
    const { analysis, host } = run({
      '.gitlab-ci.yml': 'include: a.yml\n',
      'a.yml': 'include: b.yml\nbuild:\n  script: [echo]\n',
      'b.yml': 'include: a.yml\n',
    });
    noInternalError(analysis);
    const cycle = only(analysis.findings, 'dind/include-error');
    assert.equal(cycle.length, 1);
    assert.match(cycle[0]?.message ?? '', /cycle/i);
    assert.equal(cycle[0]?.file, `${WS}/b.yml`);
    assert.deepEqual(
      [...new Set(host.reads)].sort(),
      [`${WS}/.gitlab-ci.yml`, `${WS}/a.yml`, `${WS}/b.yml`],
      'only the three files are read',
    );
    assert.equal(host.reads.length, 3, 'each file is read once');
    assert.deepEqual(
      analysis.pipelines[0]?.jobs.map((j) => j.name),
      ['build'],
    );
  });

  test('a file including itself is a cycle finding', () => {
    const { analysis } = run({ '.gitlab-ci.yml': 'include: .gitlab-ci.yml\nbuild:\n  script: [echo]\n' });
    noInternalError(analysis);
    assert.equal(only(analysis.findings, 'dind/include-error').length, 1);
  });

  test('an extends cycle is reported and the jobs still model', () => {
    const { analysis } = run({
      '.gitlab-ci.yml':
        'a:\n  extends: b\n  script: [x]\nb:\n  extends: c\n  script: [x]\nc:\n  extends: a\n  script: [x]\n',
    });
    noInternalError(analysis);
    const cycle = only(analysis.findings, 'dind/extends-error');
    assert.ok(cycle.length >= 1);
    assert.ok(cycle.every((f) => /cycle/i.test(f.message)));
    assert.deepEqual(analysis.pipelines[0]?.jobs.map((j) => j.name).sort(), ['a', 'b', 'c']);
  });

  test('include: local paths escaping the workspace are refused and never read', () => {
    const secret = '/etc/secret.yml';
    const files = {
      '.gitlab-ci.yml': [
        'include:',
        '  - local: ../outside.yml',
        '  - local: /../../etc/secret.yml',
        '  - local: ci/../../../outside.yml',
        '  - ../sneaky.yml',
        'build:',
        '  script: [echo]',
        '',
      ].join('\n'),
    };
    const host = new MemoryHost(files, WS);
    host.files.set(secret, 'stolen:\n  script: [cat]\n');
    host.files.set('/outside.yml', 'stolen:\n  script: [cat]\n');
    const analysis = analyze(host, {
      workspaceRoot: WS,
      pipelines: [`${WS}/.gitlab-ci.yml`],
      runnerConfigs: [],
    });
    noInternalError(analysis);
    const outside = host.reads.filter((p) => !p.startsWith(`${WS}/`));
    assert.deepEqual(outside, [], 'nothing outside the workspace is read');
    const refused = only(analysis.findings, 'dind/include-error');
    assert.equal(refused.length, 4);
    assert.ok(refused.every((f) => /outside/i.test(f.message)));
    assert.deepEqual(
      analysis.pipelines[0]?.jobs.map((j) => j.name),
      ['build'],
    );
  });

  test('a 10 MB file is not parsed: one finding says it is too large', () => {
    const line = `    - echo ${'a'.repeat(80)}\n`;
    const big = `build:\n  script:\n${line.repeat(Math.ceil((10 * 1024 * 1024) / line.length))}`;
    const { analysis } = run({ '.gitlab-ci.yml': 'include: big.yml\n', 'big.yml': big });
    noInternalError(analysis);
    const large = analysis.findings.filter((f) => /too large/.test(f.message));
    assert.equal(large.length, 1, analysis.findings.map((f) => f.message).join(' | '));
    assert.equal(large[0]?.severity, 'error');
    assert.ok(!analysis.sources.yaml('/ws/big.yml'), 'the too-large file was never parsed');
  });

  test('binary text and lone surrogates from a host are findings, not exceptions', () => {
    const binary = '\u0000\u0001\u0002\uFFFD\uD800 \u0000 garbage: [\n\u001B';
    for (const text of [binary, `build:\n  script: ["\uD800"]\n  image: "\uDFFF"\n`, '\uFEFF\uFEFF:\n\u0085\u2028']) {
      const { analysis } = run({ '.gitlab-ci.yml': 'include: x.yml\n', 'x.yml': text });
      noInternalError(analysis);
    }
    const { analysis } = run({ '.gitlab-ci.yml': binary });
    noInternalError(analysis);
    assert.ok(
      analysis.findings.some((f) => f.ruleId === 'dind/yaml-syntax' || f.ruleId === 'dind/pipeline-structure'),
      'the binary root file is reported',
    );
  });

  test('an exception inside one rule becomes an internal-error finding; the other rules still report', () => {
    const boom: Rule = {
      meta: { ...(RULES[0] as Rule).meta, id: 'dind/test-boom', title: 'Throws on every job' },
      checkJob() {
        throw new TypeError('boom');
      },
      checkRunner() {
        throw new RangeError('runner boom');
      },
    };
    const files = {
      '.gitlab-ci.yml': 'build:\n  image: docker:24\n  services: [docker:24-dind]\n  script: [docker build .]\n',
      'config.toml': '[[runners]]\n  name = "r"\n  executor = "docker"\n  [runners.docker]\n    image = "alpine"\n',
    };
    const baseline = run(files, ['config.toml']).analysis.findings;
    assert.ok(baseline.length > 0, 'the workspace has findings to keep');
    const rules = RULES as Rule[];
    rules.push(boom);
    try {
      const { analysis } = run(files, ['config.toml']);
      const internal = only(analysis.findings, 'dind/internal-error');
      assert.ok(internal.some((f) => /dind\/test-boom.*TypeError: boom/.test(f.message)));
      assert.ok(internal.some((f) => /dind\/test-boom.*RangeError: runner boom/.test(f.message)));
      assert.deepEqual(
        analysis.findings.filter((f) => f.ruleId !== 'dind/internal-error').map((f) => `${f.ruleId} ${f.message}`),
        baseline.map((f) => `${f.ruleId} ${f.message}`),
        'every other finding is still reported',
      );
    } finally {
      rules.splice(rules.indexOf(boom), 1);
    }
  });
});

describe('hostile TOML', () => {
  test('a config.toml with 10,000 runners is modelled and checked', () => {
    let toml = 'concurrent = 4\n';
    for (let i = 0; i < 10_000; i++) {
      toml += `[[runners]]\n  name = "r${i}"\n  executor = "docker"\n  [runners.docker]\n    privileged = ${i % 2 === 0}\n`;
    }
    const { analysis } = run({ 'config.toml': toml }, ['config.toml']);
    noInternalError(analysis);
    assert.equal(analysis.runnerConfigs[0]?.runners.length, 10_000);
    const privileged = only(analysis.findings, 'dind/security-privileged');
    assert.equal(new Set(privileged.map((f) => f.runner)).size, 5000, 'one runner in two is privileged');
  });

  test('broken, binary and deeply nested TOML give syntax findings', () => {
    const inputs = [
      '[[runners]\nname = "x',
      '\u0000\u0001[[runners]]\u0000',
      `x = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n[[runners]]\n`,
      `x = ${'{a = '.repeat(5000)}1${'}'.repeat(5000)}\n[[runners]]\n`,
    ];
    for (const text of inputs) {
      const { analysis } = run({ 'config.toml': text }, ['config.toml']);
      noInternalError(analysis);
      assert.ok(
        analysis.findings.some((f) => f.ruleId === 'dind/toml-syntax' || f.ruleId === 'dind/runner-config-schema'),
        `a finding for ${JSON.stringify(text.slice(0, 30))}`,
      );
    }
  });
});

describe('hostile files on disk (CLI disk host)', () => {
  const json = (stdout: string): JsonFinding[] => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

  test('binary, invalid UTF-8, UTF-16 and too-large included files are include errors with the reason', () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1).fill(0x61);
    const dir = workspace({
      '.gitlab-ci.yml': 'include:\n  - bin.yml\n  - latin1.yml\n  - utf16.yml\n  - big.yml\nbuild:\n  script: [echo]\n',
      'bin.yml': new Uint8Array([0x61, 0x3a, 0x20, 0x00, 0xff, 0x01]),
      'latin1.yml': new Uint8Array([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
      'utf16.yml': new Uint8Array([0xff, 0xfe, 0x61, 0x00]),
      'big.yml': big,
    });
    const r = runCli(dir, ['check', '--format', 'json', '.']);
    assert.equal(r.status, 1, r.stderr);
    const errors = json(r.stdout).filter((f) => f.ruleId === 'dind/include-error');
    const byFile = (name: string): string => errors.find((f) => f.message.includes(name))?.message ?? '';
    assert.match(byFile('bin.yml'), /binary/);
    assert.match(byFile('latin1.yml'), /UTF-8/);
    assert.match(byFile('utf16.yml'), /UTF-16/);
    assert.match(byFile('big.yml'), /too large/);
  });

  test('a binary root pipeline is an unreadable input: exit 2 with the reason', () => {
    const dir = workspace({ '.gitlab-ci.yml': new Uint8Array([0x00, 0x01, 0x02, 0xff]) });
    const r = runCli(dir, ['check', '.gitlab-ci.yml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /binary/);
  });
});

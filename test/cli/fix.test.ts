import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { SourceStore, type Analysis, type Finding, type Fix, type Host } from '@engine';

import { fixInPlace, MAX_ROUNDS } from '../../server/src/cli/fix';
import { run, type Io } from '../../server/src/cli/run';
import { toEnginePath } from '../../server/src/cli/disk-host';
import { BROKEN_PIPELINE, workspace } from './cli-helpers';

/** A stand-in for the engine: `rule` looks at each file's text (read through the host) and returns findings. */
function fakeAnalyzer(files: readonly string[], rule: (file: string, text: string) => Finding[]) {
  let calls = 0;
  const analyzeAll = (host: Host): Analysis[] => {
    calls++;
    const findings: Finding[] = [];
    for (const file of files) {
      const r = host.readFile(file);
      if (r.kind === 'ok') findings.push(...rule(file, r.text));
    }
    return [{ findings, pipelines: [], runnerConfigs: [], sources: new SourceStore(host) }];
  };
  return { analyzeAll, calls: () => calls };
}

function finding(file: string, fixes: Fix[]): Finding {
  return {
    ruleId: 'dind/test',
    severity: 'error',
    message: 'test',
    file,
    span: { start: 0, end: 0 },
    job: null,
    runner: null,
    related: [],
    fixes,
  };
}

/** One finding per occurrence of `from`, each fixed by replacing that occurrence with `to`. */
function replaceEach(from: string, to: string) {
  return (file: string, text: string): Finding[] => {
    const out: Finding[] = [];
    for (let i = text.indexOf(from); i >= 0; i = text.indexOf(from, i + 1)) {
      out.push(
        finding(file, [
          { title: `use ${to}`, safe: true, edits: [{ file, span: { start: i, end: i + from.length }, newText: to }] },
        ]),
      );
    }
    return out;
  };
}

describe('fixInPlace', () => {
  test('writes safe fixes in place, keeping CRLF, the byte order mark and every other byte', () => {
    const yaml = '\ufeffbuild:\r\n  image: docker:24-dind # keep me\r\n  services: [docker:24-dind]\r\n';
    const toml = '[[runners]]\n  image = "docker:24-dind"\n';
    const dir = workspace({ '.gitlab-ci.yml': yaml, 'config.toml': toml });
    const files = [toEnginePath(join(dir, '.gitlab-ci.yml')), toEnginePath(join(dir, 'config.toml'))];
    const unsafeToo = (file: string, text: string): Finding[] =>
      replaceEach('24-dind', '24-cli')(file, text).map((f) => ({
        ...f,
        fixes: [
          { title: 'unsafe', safe: false, edits: [{ file, span: { start: 0, end: 0 }, newText: 'BAD' }] },
          ...f.fixes,
        ],
      }));
    const fake = fakeAnalyzer(files, unsafeToo);
    const outcome = fixInPlace(fake.analyzeAll);
    assert.equal(outcome.total, 3);
    assert.deepEqual([...outcome.perFile.values()], [2, 1]);
    assert.deepEqual(outcome.changedOnDisk, []);
    assert.equal(fake.calls(), 2, 'one round that fixes, one that finds nothing left');
    assert.deepEqual(
      readFileSync(join(dir, '.gitlab-ci.yml')),
      Buffer.from(yaml.replaceAll('24-dind', '24-cli'), 'utf8'),
    );
    assert.equal(readFileSync(join(dir, 'config.toml'), 'utf8'), toml.replace('24-dind', '24-cli'));
  });

  test('re-analyzes after each round: overlapping fixes and fixes that enable others land in later rounds', () => {
    const dir = workspace({ 'a.yml': 'x: aaaa\n' });
    const file = toEnginePath(join(dir, 'a.yml'));
    // Each "aa" is a finding; overlapping ones wait for a later round. "bb" only appears once "aa" is fixed.
    const rule = (f: string, text: string): Finding[] => [
      ...replaceEach('aa', 'b')(f, text),
      ...replaceEach('bb', 'c')(f, text),
    ];
    const fake = fakeAnalyzer([file], rule);
    const outcome = fixInPlace(fake.analyzeAll);
    assert.equal(readFileSync(file, 'utf8'), 'x: c\n');
    assert.equal(outcome.total, 3);
    assert.equal(fake.calls(), 3);
  });

  test(`stops after ${MAX_ROUNDS} rounds when fixes never converge`, () => {
    const dir = workspace({ 'a.yml': 'x: 1\n' });
    const file = toEnginePath(join(dir, 'a.yml'));
    const fake = fakeAnalyzer([file], (f, text) => [
      finding(f, [
        {
          title: 'grow',
          safe: true,
          edits: [{ file: f, span: { start: text.length, end: text.length }, newText: '#\n' }],
        },
      ]),
    ]);
    const outcome = fixInPlace(fake.analyzeAll);
    assert.equal(outcome.total, MAX_ROUNDS);
    assert.equal(readFileSync(file, 'utf8'), `x: 1\n${'#\n'.repeat(MAX_ROUNDS)}`);
  });

  test('never writes a file whose text changed on disk since it was read', () => {
    const dir = workspace({ 'a.yml': 'image: docker:24-dind\n' });
    const file = toEnginePath(join(dir, 'a.yml'));
    const fake = fakeAnalyzer([file], (f, text) => {
      writeFileSync(f, 'image: edited-meanwhile\n');
      return replaceEach('24-dind', '24-cli')(f, text);
    });
    const outcome = fixInPlace(fake.analyzeAll);
    assert.equal(outcome.total, 0);
    assert.deepEqual(outcome.changedOnDisk, [file]);
    assert.equal(readFileSync(file, 'utf8'), 'image: edited-meanwhile\n');
  });
});

const ESC = '\u001b[';

describe('text colours', () => {
  function capture(cwd: string, argv: string[], tty: boolean, env: Record<string, string> = {}) {
    let out = '';
    let err = '';
    const io: Io = { cwd, env, stdoutIsTty: tty, out: (t) => (out += t), err: (t) => (err += t) };
    const status = run(argv, io);
    return { status, out, err };
  }

  test('colours only on a TTY without NO_COLOR, and never in an --output file', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const tty = capture(dir, ['check'], true);
    assert.equal(tty.status, 1);
    assert.ok(tty.out.includes(`${ESC}31merror${ESC}0m`), tty.out);
    assert.ok(!capture(dir, ['check'], true, { NO_COLOR: '1' }).out.includes(ESC));
    assert.ok(!capture(dir, ['check'], false).out.includes(ESC));
    assert.equal(capture(dir, ['check', '--output', 'r.txt'], true).out, '');
    const written = readFileSync(join(dir, 'r.txt'), 'utf8');
    assert.match(written, /error/);
    assert.ok(!written.includes(ESC));
  });
});

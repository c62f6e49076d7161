import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { CLI_JS, REPO_ROOT } from '../helpers/paths';
import { BROKEN_PIPELINE, checkJson, CLEAN_PIPELINE, runCli, workspace, type JsonFinding } from './cli-helpers';

/** Zero-based range of the first `needle` in `text`, computed with JavaScript's UTF-16 string indices. */
function rangeOf(
  text: string,
  needle: string,
): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const lines = text.split(/\r\n|\n/);
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is in the text`);
  const character = (lines[line] ?? '').indexOf(needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

const ESC = '\u001b[';

function only(findings: JsonFinding[], ruleId: string): JsonFinding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

describe('exit status 2: bad usage names the problem', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown option', ['check', '--bogus'], /--bogus/],
    ['missing option value', ['check', '--format'], /--format/],
    ['bad --format', ['check', '--format', 'xml'], /invalid value "xml" for --format/],
    ['bad --assume-runner', ['check', '--assume-runner', 'aws'], /invalid value "aws" for --assume-runner/],
    ['--rule without a level', ['check', '--rule', 'dind/yaml-syntax'], /malformed --rule "dind\/yaml-syntax"/],
    ['--rule with a bad level', ['check', '--rule', 'dind/yaml-syntax=loud'], /invalid value "loud" for --rule/],
    ['--rule without an id', ['check', '--rule', '=off'], /malformed --rule "=off"/],
    ['unknown command', ['lint'], /unknown command "lint"/],
    ['no command', [], /missing command/],
    ['a path that does not exist', ['check', 'nope.yml'], /cannot read "nope\.yml": no such file or directory/],
    [
      'a missing --runner-config',
      ['check', '--runner-config', 'gone.toml'],
      /runner config "gone\.toml": no such file/,
    ],
    ['a --runner-config that is a folder', ['check', '--runner-config', 'sub'], /runner config "sub": .*directory/],
  ];
  for (const [name, args, message] of cases) {
    test(name, () => {
      const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE, 'sub/keep.txt': 'x' });
      const r = runCli(dir, args);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }
});

describe('unreadable inputs exit 2 with the reason', () => {
  test('a binary pipeline file', () => {
    const dir = workspace({ 'ci.yml': new Uint8Array([0x6a, 0x3a, 0x00, 0x01, 0x0a]) });
    const r = runCli(dir, ['check', 'ci.yml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read "ci\.yml": binary file/);
  });

  test('a binary .gitlab-ci.yml in a checked folder', () => {
    const dir = workspace({ 'proj/.gitlab-ci.yml': new Uint8Array([0, 1, 2, 3]) });
    const r = runCli(dir, ['check', 'proj']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot read "proj\/\.gitlab-ci\.yml": binary file/);
  });

  test('a file that is not valid UTF-8', () => {
    const dir = workspace({ 'ci.yml': new Uint8Array([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]) });
    const r = runCli(dir, ['check', 'ci.yml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not valid UTF-8/);
  });

  test('a UTF-16 file', () => {
    const dir = workspace({ 'ci.yml': Buffer.from('\ufeffa: 1\n', 'utf16le') });
    const r = runCli(dir, ['check', 'ci.yml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /UTF-16/);
  });

  test('a file over the size limit', () => {
    const dir = workspace({ 'big.yml': `a: "${'x'.repeat(5 * 1024 * 1024)}"\n` });
    const r = runCli(dir, ['check', 'big.yml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /too large/);
  });
});

describe('exit status 0 and 1', () => {
  test('a clean pipeline exits 0 and only says that no runner config was found', () => {
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE });
    const { status, findings } = checkJson(dir);
    assert.equal(status, 0);
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.severity, f.file]),
      [['dind/no-runner-config', 'info', '.gitlab-ci.yml']],
    );
    const assumed = checkJson(dir, ['--assume-runner', 'gitlab-saas']);
    assert.equal(assumed.status, 0);
    assert.deepEqual(only(assumed.findings, 'dind/no-runner-config'), []);
  });

  test('a YAML error is one dind/yaml-syntax finding at the zero-based UTF-16 range, exit 1', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const { status, findings } = checkJson(dir);
    assert.equal(status, 1);
    const syntax = only(findings, 'dind/yaml-syntax');
    assert.equal(syntax.length, 1);
    const f = syntax[0] as JsonFinding;
    assert.equal(f.file, '.gitlab-ci.yml');
    assert.equal(f.severity, 'error');
    // The stray `x` follows `  script: "é😀中" `: 17 UTF-16 units (16 code points, 22 UTF-8 bytes).
    assert.deepEqual(f.range, rangeOf(BROKEN_PIPELINE, 'x'));
    assert.equal(f.range.start.character, 17);
  });

  test('CRLF line breaks give the same line/character as LF', () => {
    const crlf = BROKEN_PIPELINE.replaceAll('\n', '\r\n');
    const lf = checkJson(workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE })).findings;
    const withCr = checkJson(workspace({ '.gitlab-ci.yml': crlf })).findings;
    assert.deepEqual(
      only(withCr, 'dind/yaml-syntax').map((f) => f.range),
      only(lf, 'dind/yaml-syntax').map((f) => f.range),
    );
    assert.equal(only(withCr, 'dind/yaml-syntax').length, 1);
  });

  test('a UTF-8 byte order mark does not shift columns', () => {
    const firstLine = 'k: "é😀中" x\n';
    const dir = workspace({ '.gitlab-ci.yml': `\ufeff${firstLine}` });
    const f = only(checkJson(dir).findings, 'dind/yaml-syntax');
    assert.deepEqual(
      f.map((x) => x.range),
      [rangeOf(firstLine, 'x')],
    );
  });

  test('a discovered config.toml with a syntax error gives dind/toml-syntax', () => {
    const toml = '[[runners]]\r\nname = "é😀" x\r\n';
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE, 'runner/config.toml': toml });
    const { status, findings } = checkJson(dir);
    assert.equal(status, 1);
    const f = only(findings, 'dind/toml-syntax');
    assert.equal(f.length, 1);
    assert.equal(f[0]?.file, 'runner/config.toml');
    assert.equal(f[0]?.severity, 'error');
    assert.deepEqual(f[0]?.range, rangeOf(toml, 'x'));
    // A runner config was found, so there is no "no runner config" finding.
    assert.deepEqual(only(findings, 'dind/no-runner-config'), []);
  });

  test('--runner-config and a *.toml path are checked as runner configs', () => {
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE, 'etc/runner.toml': '[[runners]]\nname = "a" x\n' });
    const viaOption = checkJson(dir, ['--runner-config', 'etc/runner.toml']);
    assert.equal(viaOption.status, 1);
    assert.deepEqual(
      only(viaOption.findings, 'dind/toml-syntax').map((f) => f.file),
      ['etc/runner.toml'],
    );
    const viaPath = checkJson(dir, ['etc/runner.toml']);
    assert.deepEqual(
      only(viaPath.findings, 'dind/toml-syntax').map((f) => f.file),
      ['etc/runner.toml'],
    );
  });

  test('--rule ID=off removes the finding and exits 0; --rule ID=warning downgrades it', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const off = checkJson(dir, ['--rule', 'dind/yaml-syntax=off']);
    assert.equal(off.status, 0);
    assert.deepEqual(only(off.findings, 'dind/yaml-syntax'), []);
    const warning = checkJson(dir, ['--rule', 'dind/yaml-syntax=warning']);
    assert.equal(warning.status, 0);
    assert.deepEqual(
      only(warning.findings, 'dind/yaml-syntax').map((f) => f.severity),
      ['warning'],
    );
  });

  test('--runner naming no [[runners]] entry warns on stderr', () => {
    const toml = '[[runners]]\n  name = "docker-runner"\n  executor = "shell"\n';
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE, 'config.toml': toml });
    const miss = runCli(dir, ['check', '--runner', 'nope']);
    assert.notEqual(miss.status, 2, miss.stderr);
    assert.match(miss.stderr, /no \[\[runners\]\] entry is named "nope"/);
    const hit = runCli(dir, ['check', '--runner', 'docker-runner']);
    assert.doesNotMatch(hit.stderr, /no \[\[runners\]\] entry/);
  });

  test('an unknown rule id in --rule is a warning, not an error', () => {
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE });
    const r = runCli(dir, ['check', '--rule', 'dind/no-such-rule=off']);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /unknown rule id "dind\/no-such-rule"/);
  });
});

describe('paths', () => {
  test('file paths are relative to the cwd: from the parent folder and from a sibling', () => {
    const root = workspace({ 'proj/.gitlab-ci.yml': BROKEN_PIPELINE, 'other/keep.txt': '' });
    const fromParent = checkJson(root, ['proj']);
    assert.deepEqual(
      only(fromParent.findings, 'dind/yaml-syntax').map((f) => f.file),
      ['proj/.gitlab-ci.yml'],
    );
    const fromSibling = checkJson(join(root, 'other'), ['../proj']);
    assert.deepEqual(
      only(fromSibling.findings, 'dind/yaml-syntax').map((f) => f.file),
      ['../proj/.gitlab-ci.yml'],
    );
    const filePath = checkJson(join(root, 'other'), ['../proj/.gitlab-ci.yml']);
    assert.deepEqual(
      only(filePath.findings, 'dind/yaml-syntax').map((f) => f.file),
      ['../proj/.gitlab-ci.yml'],
    );
  });

  test('the default path is the cwd', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    assert.deepEqual(
      only(checkJson(dir).findings, 'dind/yaml-syntax').map((f) => f.file),
      ['.gitlab-ci.yml'],
    );
  });

  test('any YAML file can be the pipeline root', () => {
    const dir = workspace({ 'ci/pipeline.yaml': BROKEN_PIPELINE });
    const { status, findings } = checkJson(dir, ['ci/pipeline.yaml']);
    assert.equal(status, 1);
    assert.deepEqual(
      only(findings, 'dind/yaml-syntax').map((f) => f.file),
      ['ci/pipeline.yaml'],
    );
  });

  test('several paths: findings are merged, de-duplicated and sorted by file', () => {
    const dir = workspace({ 'b/.gitlab-ci.yml': BROKEN_PIPELINE, 'a/.gitlab-ci.yml': BROKEN_PIPELINE });
    const { findings } = checkJson(dir, ['b', 'a', 'b']);
    assert.deepEqual(
      only(findings, 'dind/yaml-syntax').map((f) => f.file),
      ['a/.gitlab-ci.yml', 'b/.gitlab-ci.yml'],
    );
  });

  test('discovery skips node_modules and .git, and config.toml files without [[runners]]', () => {
    const bad = '[[runners]]\nname = "a" x\n';
    const dir = workspace({
      '.gitlab-ci.yml': CLEAN_PIPELINE,
      'node_modules/pkg/config.toml': bad,
      '.git/config.toml': bad,
      'app/config.toml': '[server]\nport = 1 x\n',
      'ops/config.toml': bad,
    });
    const files = only(checkJson(dir).findings, 'dind/toml-syntax').map((f) => f.file);
    assert.deepEqual(files, ['ops/config.toml']);
  });

  test('a folder with nothing to check says so on stderr and exits 0', () => {
    const dir = workspace({ 'README.md': '# hi\n' });
    const r = runCli(dir, ['check']);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /nothing to check/);
  });
});

describe('formats', () => {
  test('json has exactly the contract shape', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const r = runCli(dir, ['check', '--format', 'json']);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report), ['version', 'findings']);
    assert.equal(report['version'], 1);
    const findings = report['findings'] as Record<string, unknown>[];
    assert.ok(findings.length >= 1);
    const isPos = (p: unknown): boolean => {
      const o = p as Record<string, unknown>;
      return Number.isInteger(o['line']) && Number.isInteger(o['character']) && Object.keys(o).length === 2;
    };
    const isRange = (r: unknown): boolean => {
      const o = r as Record<string, unknown>;
      return Object.keys(o).join() === 'start,end' && isPos(o['start']) && isPos(o['end']);
    };
    for (const f of findings) {
      assert.deepEqual(Object.keys(f), [
        'ruleId',
        'severity',
        'message',
        'file',
        'range',
        'job',
        'runner',
        'related',
        'fixes',
      ]);
      assert.equal(typeof f['ruleId'], 'string');
      assert.ok(['error', 'warning', 'info'].includes(f['severity'] as string));
      assert.equal(typeof f['message'], 'string');
      assert.equal(typeof f['file'], 'string');
      assert.ok(!(f['file'] as string).includes('\\'));
      assert.ok(isRange(f['range']));
      assert.ok(f['job'] === null || typeof f['job'] === 'string');
      assert.ok(f['runner'] === null || typeof f['runner'] === 'string');
      assert.ok(Array.isArray(f['related']));
      assert.ok(Array.isArray(f['fixes']));
    }
  });

  test('text prints path:line:col: severity message [ruleId] (1-based) and a summary', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const { findings } = checkJson(dir);
    const r = runCli(dir, ['check']);
    assert.equal(r.status, 1);
    assert.ok(!r.stdout.includes(ESC), 'no colours when stdout is not a TTY');
    const lines = r.stdout.trimEnd().split('\n');
    for (const f of findings) {
      const expected = `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.message} [${f.ruleId}]`;
      assert.ok(lines.includes(expected), `missing line: ${expected}\n${r.stdout}`);
    }
    const count = (s: string): number => findings.filter((f) => f.severity === s).length;
    const summary = lines[lines.length - 1] ?? '';
    const m = /^(\d+) errors?, (\d+) warnings?, (\d+) infos?/.exec(summary);
    assert.ok(m, summary);
    assert.deepEqual([m[1], m[2], m[3]].map(Number), [count('error'), count('warning'), count('info')]);
    assert.ok(count('error') >= 1);
  });

  test('sarif has the required structure with 1-based regions', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const { findings } = checkJson(dir);
    const r = runCli(dir, ['check', '--format', 'sarif']);
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout) as {
      $schema: string;
      version: string;
      runs: {
        tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, unknown>[] } };
        results: {
          ruleId: string;
          level: string;
          message: { text: string };
          locations: {
            physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> };
          }[];
        }[];
      }[];
    };
    assert.match(log.$schema, /sarif/);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'gitlab-ci-dind');
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(run.tool.driver.version, pkg.version);
    assert.match(run.tool.driver.informationUri, /^https:\/\//);
    const ruleIds = run.tool.driver.rules.map((x) => x['id']);
    assert.deepEqual([...ruleIds].sort(), [...new Set(findings.map((f) => f.ruleId))].sort());
    const yamlRule = run.tool.driver.rules.find((x) => x['id'] === 'dind/yaml-syntax');
    assert.deepEqual(yamlRule?.['defaultConfiguration'], { level: 'error' });
    assert.equal(typeof (yamlRule?.['shortDescription'] as { text: string }).text, 'string');
    assert.match(yamlRule?.['helpUri'] as string, /^https:\/\//);

    const syntax = run.results.find((x) => x.ruleId === 'dind/yaml-syntax');
    const expected = findings.find((f) => f.ruleId === 'dind/yaml-syntax');
    assert.ok(syntax && expected);
    assert.equal(syntax.level, 'error');
    assert.equal(syntax.message.text, expected.message);
    const loc = syntax.locations[0]?.physicalLocation;
    assert.deepEqual(loc?.artifactLocation, { uri: '.gitlab-ci.yml', uriBaseId: '%SRCROOT%' });
    assert.deepEqual(loc?.region, {
      startLine: expected.range.start.line + 1,
      startColumn: expected.range.start.character + 1,
      endLine: expected.range.end.line + 1,
      endColumn: expected.range.end.character + 1,
    });
    const info = run.results.find((x) => x.ruleId === 'dind/no-runner-config');
    assert.equal(info?.level, 'note');
  });

  test('codequality has the required keys and fingerprints that survive unrelated edits', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    type Issue = {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    };
    const read = (): Issue[] => JSON.parse(runCli(dir, ['check', '--format', 'codequality']).stdout) as Issue[];
    const before = read();
    assert.ok(Array.isArray(before));
    const issue = before.find((i) => i.check_name === 'dind/yaml-syntax');
    assert.ok(issue);
    assert.equal(issue.severity, 'major');
    assert.equal(issue.location.path, '.gitlab-ci.yml');
    assert.equal(issue.location.lines.begin, rangeOf(BROKEN_PIPELINE, 'x').start.line + 1);
    assert.match(issue.fingerprint, /^[0-9a-f]{32,}$/);
    assert.equal(typeof issue.description, 'string');
    assert.equal(before.find((i) => i.check_name === 'dind/no-runner-config')?.severity, 'info');
    assert.equal(new Set(before.map((i) => i.fingerprint)).size, before.length, 'fingerprints are unique');

    writeFileSync(join(dir, '.gitlab-ci.yml'), `# a comment\n\n${BROKEN_PIPELINE}`);
    const after = read().find((i) => i.check_name === 'dind/yaml-syntax');
    assert.equal(after?.location.lines.begin, issue.location.lines.begin + 2);
    assert.equal(after?.fingerprint, issue.fingerprint);
  });

  test('--output writes the report to the file, not stdout, with the same exit status', () => {
    const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
    const r = runCli(dir, ['check', '--format', 'json', '--output', 'report.json']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    const written = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: JsonFinding[] };
    assert.deepEqual(written.findings, checkJson(dir).findings);
  });

  test('--output into a folder that does not exist is exit 2', () => {
    const dir = workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE });
    const r = runCli(dir, ['check', '--output', 'missing/dir/report.txt']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot write --output "missing\/dir\/report\.txt"/);
  });
});

describe('--fix, --help, --version, the bin file', () => {
  test('--fix with no safe fix leaves files byte-identical and says so', () => {
    const text = `${BROKEN_PIPELINE}# trailing\r\n`;
    const dir = workspace({ '.gitlab-ci.yml': text });
    const r = runCli(dir, ['check', '--fix']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no safe fix to apply/);
    assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), text);
  });

  test('--help and --version exit 0', () => {
    const dir = workspace();
    const help = runCli(dir, ['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: gitlab-ci-dind check \[options\] \[path \.\.\.\]/);
    for (const option of [
      '--runner-config',
      '--runner',
      '--assume-runner',
      '--format',
      '--output',
      '--fix',
      '--rule',
    ]) {
      assert.ok(help.stdout.includes(option), option);
    }
    assert.equal(runCli(dir, ['check', '-h']).status, 0);
    const version = runCli(dir, ['--version']);
    assert.equal(version.status, 0);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout.trim(), pkg.version);
  });

  test(
    'the bundled CLI runs through its shebang when executable',
    { skip: process.platform === 'win32' ? 'no shebangs on Windows' : false },
    () => {
      const dir = workspace({ '.gitlab-ci.yml': BROKEN_PIPELINE });
      assert.ok(existsSync(CLI_JS), `${CLI_JS} is built`);
      assert.ok(readFileSync(CLI_JS, 'utf8').startsWith('#!/usr/bin/env node\n'));
      const bin = join(dir, 'gitlab-ci-dind');
      copyFileSync(CLI_JS, bin);
      chmodSync(bin, 0o755);
      const r = spawnSync(bin, ['check', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      const report = JSON.parse(r.stdout) as { findings: JsonFinding[] };
      assert.deepEqual(
        only(report.findings, 'dind/yaml-syntax').map((f) => f.file),
        ['.gitlab-ci.yml'],
      );
    },
  );
});

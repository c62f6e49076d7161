// The public CLI contract (docs: cli.md), one test per clause, run against the bundled CLI in temp folders.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

import { mergeFindings, type ReportFinding } from '../../server/src/cli/report';
import { CLI_JS, REPO_ROOT } from '../helpers/paths';
import { checkJson, CLEAN_PIPELINE, runCli, workspace, type JsonFinding } from './cli-helpers';

/** A job that inherits dind with TLS from a hidden template. */
const PIPELINE = `.docker:
  services:
    - docker:24.0.9-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
build:
  extends: .docker
  image: docker:24.0.9-cli
  script:
    - docker build .
`;

/** A runner that does not share /certs/client: the pipeline above fails on it (an error with a safe fix). */
const RUNNER = `[[runners]]
  name = "docker-runner"
  executor = "docker"
  [runners.docker]
    image = "alpine"
    privileged = true
    volumes = ["/cache"]
`;

const CERTS = 'dind/tls-certs-volume-missing';
const NO_RUNNER = 'dind/no-runner-config';

const ids = (findings: readonly JsonFinding[]): string[] => findings.map((f) => f.ruleId);

function repo(extra: Record<string, string> = {}): string {
  return workspace({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER, ...extra });
}

describe('cli.md: invocation', () => {
  test('the package bin maps gitlab-ci-dind to the bundled CLI file, which node can run', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = pkg.bin['gitlab-ci-dind'];
    assert.equal(typeof bin, 'string');
    assert.equal(resolve(REPO_ROOT, bin ?? '').endsWith(join('dist', 'cli.js')), true);
    assert.match(readFileSync(CLI_JS, 'utf8'), /^#!\/usr\/bin\/env node\n/);
    const r = runCli(repo(), ['check']);
    assert.equal(r.status, 1, r.stderr);
  });

  test('path: a .gitlab-ci.yml file is checked as the root pipeline', () => {
    const dir = repo();
    const r = checkJson(dir, ['.gitlab-ci.yml', '--runner-config', 'runner/config.toml']);
    assert.ok(r.findings.some((f) => f.ruleId === CERTS && f.file === '.gitlab-ci.yml'));
  });

  test('path: any YAML file that is a pipeline root is checked', () => {
    const dir = workspace({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'ci/main.yaml': PIPELINE,
      'runner/config.toml': RUNNER,
    });
    const r = checkJson(dir, ['ci/main.yaml']);
    assert.ok(
      r.findings.some((f) => f.ruleId === CERTS && f.file === 'ci/main.yaml'),
      JSON.stringify(ids(r.findings)),
    );
  });

  test('path: a directory is a workspace root whose .gitlab-ci.yml includes are followed', () => {
    const dir = workspace({
      '.gitlab-ci.yml': 'include:\n  - local: ci/docker.yml\n',
      'ci/docker.yml': PIPELINE,
      'runner/config.toml': RUNNER,
    });
    const r = checkJson(dir, ['.']);
    assert.ok(
      r.findings.some((f) => f.ruleId === CERTS && f.file === 'ci/docker.yml'),
      JSON.stringify(r.findings),
    );
  });

  test('path: runner configs are discovered (config.toml with [[runners]]; .git and node_modules skipped)', () => {
    const dir = workspace({
      '.gitlab-ci.yml': PIPELINE,
      'node_modules/pkg/config.toml': RUNNER,
      '.git/config.toml': RUNNER,
      'other/config.toml': '[server]\nport = 1\n',
    });
    const none = checkJson(dir);
    assert.deepEqual(
      none.findings.filter((f) => f.file.endsWith('config.toml')),
      [],
    );
    assert.ok(ids(none.findings).includes(NO_RUNNER), 'no runner config was discovered');
    const found = checkJson(repo());
    assert.ok(found.findings.some((f) => f.ruleId === CERTS && f.file === 'runner/config.toml'));
  });

  test('path: the default is the current directory', () => {
    const dir = repo();
    assert.deepEqual(checkJson(dir).findings, checkJson(dir, ['.']).findings);
    assert.ok(ids(checkJson(dir).findings).includes(CERTS));
  });

  test('--runner-config FILE (repeatable) replaces the discovered runner configs', () => {
    const ok = RUNNER.replace('["/cache"]', '["/cache", "/certs/client"]');
    const dir = repo({ 'a/one.toml': ok, 'b/two.toml': ok.replace('docker-runner', 'second') });
    const r = checkJson(dir, ['--runner-config', 'a/one.toml', '--runner-config', 'b/two.toml']);
    assert.ok(!ids(r.findings).includes(CERTS), 'the discovered runner/config.toml is not used');
    const runners = new Set(r.findings.map((f) => f.runner).filter((n) => n !== null));
    assert.deepEqual([...runners].sort(), ['docker-runner', 'second']);
  });

  test('--runner NAME keeps only the [[runners]] entry with that name', () => {
    const two = `${RUNNER}\n${RUNNER.replace('docker-runner', 'ok-runner').replace('["/cache"]', '["/certs/client"]')}`;
    const dir = repo({ 'runner/config.toml': two });
    const all = checkJson(dir);
    assert.ok(all.findings.some((f) => f.ruleId === CERTS && f.runner === 'docker-runner'));
    const only = checkJson(dir, ['--runner', 'ok-runner']);
    assert.ok(!ids(only.findings).includes(CERTS));
    assert.ok(only.findings.every((f) => f.runner === null || f.runner === 'ok-runner'));
  });

  test('--assume-runner none (default): runner checks are skipped and one info dind/no-runner-config says so', () => {
    const dir = workspace({ '.gitlab-ci.yml': PIPELINE.replace(':2376', ':2375') });
    for (const args of [[], ['--assume-runner', 'none']]) {
      const r = checkJson(dir, args);
      const info = r.findings.filter((f) => f.ruleId === NO_RUNNER);
      assert.equal(info.length, 1);
      assert.equal(info[0]?.severity, 'info');
      assert.equal(info[0]?.file, '.gitlab-ci.yml');
      assert.ok(
        r.findings.every((f) => f.runner === null),
        'no runner-dependent finding',
      );
    }
  });

  test('--assume-runner gitlab-saas: GitLab.com runners (privileged docker, /certs/client shared)', () => {
    const dir = workspace({ '.gitlab-ci.yml': PIPELINE });
    const r = checkJson(dir, ['--assume-runner', 'gitlab-saas']);
    assert.ok(!ids(r.findings).includes(NO_RUNNER));
    assert.ok(!ids(r.findings).includes(CERTS), '/certs/client is shared');
    assert.ok(!ids(r.findings).includes('dind/privileged-required'), 'the runner is privileged');
    assert.equal(r.status, 0);
  });

  test('--format text is the default', () => {
    const dir = repo();
    const r = runCli(dir, ['check']);
    assert.equal(r.stdout, runCli(dir, ['check', '--format', 'text']).stdout);
    assert.match(r.stdout, /^\.gitlab-ci\.yml:3:7: error .*\[dind\/tls-certs-volume-missing\]$/m);
  });

  test('--output FILE writes the report there instead of stdout', () => {
    const dir = repo();
    const r = runCli(dir, ['check', '--format', 'json', '--output', 'out/../report.json']);
    assert.equal(r.stdout, '');
    assert.equal(r.status, 1);
    const written = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { findings: JsonFinding[] };
    assert.deepEqual(written.findings, checkJson(dir).findings);
  });

  test('sarif is SARIF 2.1.0 with the required properties and UTF-16 columns', () => {
    const dir = repo({ '.gitlab-ci.yml': PIPELINE.replace('    - docker:24', '    - "😀"\n    - docker:24') });
    const r = runCli(dir, ['check', '--format', 'sarif']);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string }[] } };
        columnKind: string;
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[];
        }[];
      }[];
    };
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(typeof run.tool.driver.name, 'string');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    const json = checkJson(dir).findings;
    assert.equal(run.results.length, json.length);
    run.results.forEach((res, i) => {
      const f = json[i];
      assert.ok(f);
      assert.equal(res.ruleId, f.ruleId);
      assert.equal(run.tool.driver.rules[res.ruleIndex]?.id, res.ruleId);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok(res.message.text.length > 0);
      const loc = res.locations[0]?.physicalLocation;
      assert.equal(loc?.artifactLocation.uri, f.file);
      assert.deepEqual(loc?.region, {
        startLine: f.range.start.line + 1,
        startColumn: f.range.start.character + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.character + 1,
      });
    });
  });

  test('codequality is a JSON array with description, check_name, fingerprint, severity, location.path/lines.begin', () => {
    const dir = repo();
    const issues = JSON.parse(runCli(dir, ['check', '--format', 'codequality']).stdout) as {
      description: string;
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }[];
    const json = checkJson(dir).findings;
    assert.ok(Array.isArray(issues));
    assert.equal(issues.length, json.length);
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
    issues.forEach((issue, i) => {
      const f = json[i];
      assert.ok(f);
      assert.equal(issue.description, f.message);
      assert.equal(issue.check_name, f.ruleId);
      assert.match(issue.fingerprint, /^[0-9a-f]{32,}$/);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity));
      assert.equal(issue.location.path, f.file);
      assert.equal(issue.location.lines.begin, f.range.start.line + 1);
    });
  });

  test('--fix applies every safe fix in place (never an unsafe one), then reports what is left', () => {
    const dir = repo();
    const before = checkJson(dir).findings;
    const unsafeOnly = before.filter((f) => f.fixes.length > 0 && f.fixes.every((x) => !x.safe));
    assert.ok(
      before.some((f) => f.fixes.some((x) => x.safe)),
      'the fixture offers a safe fix',
    );
    const r = runCli(dir, ['check', '--fix', '--format', 'json']);
    const left = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.equal(
      readFileSync(join(dir, 'runner/config.toml'), 'utf8'),
      RUNNER.replace('"/cache"', '"/cache", "/certs/client"'),
    );
    assert.equal(readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8'), PIPELINE, 'unsafe fixes are not applied');
    assert.deepEqual(left, checkJson(dir).findings, 'the report is the state after fixing');
    assert.ok(
      left.every((f) => !f.fixes.some((x) => x.safe)),
      'no safe fix is left',
    );
    for (const f of unsafeOnly) assert.ok(left.some((l) => l.ruleId === f.ruleId && l.message === f.message));
    assert.equal(r.status, 0);
  });

  test('--rule ID=off|info|warning|error (repeatable) overrides severities', () => {
    const dir = repo();
    const r = checkJson(dir, ['--rule', `${CERTS}=warning`, '--rule', 'dind/security-privileged=off']);
    assert.ok(r.findings.filter((f) => f.ruleId === CERTS).every((f) => f.severity === 'warning'));
    assert.ok(ids(r.findings).includes(CERTS));
    assert.ok(!ids(r.findings).includes('dind/security-privileged'));
    assert.equal(r.status, 0);
    const up = checkJson(dir, ['--rule', 'dind/security-privileged=error', '--rule', `${CERTS}=off`]);
    assert.ok(up.findings.some((f) => f.ruleId === 'dind/security-privileged' && f.severity === 'error'));
    assert.equal(up.status, 1);
  });

  test('exit 0 when no finding is an error, 1 when one is', () => {
    assert.equal(runCli(workspace({ '.gitlab-ci.yml': CLEAN_PIPELINE }), ['check']).status, 0);
    assert.equal(runCli(repo(), ['check']).status, 1);
  });

  test('exit 2 for bad usage, with a message naming the option and the reason', () => {
    const dir = repo();
    const cases: [string[], RegExp][] = [
      [[], /missing command/],
      [['lint'], /unknown command "lint"/],
      [['check', '--format', 'xml'], /--format.*text, json, sarif, codequality/],
      [['check', '--assume-runner', 'saas'], /--assume-runner.*gitlab-saas, none/],
      [['check', '--rule', 'dind/tls-disabled'], /--rule "dind\/tls-disabled".*ID=LEVEL/],
      [['check', '--rule', 'dind/tls-disabled=fatal'], /"fatal".*off, info, warning, error/],
      [['check', '--runner'], /--runner/],
      [['check', '--no-such-option'], /--no-such-option/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(dir, args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  test('exit 2 for an input that cannot be read, with a message saying which and why', () => {
    const dir = repo({ 'bin.yml': '\u0000\u0001' });
    const cases: [string[], RegExp][] = [
      [['check', 'missing.yml'], /"missing\.yml".*no such file/],
      [['check', '--runner-config', 'nope.toml'], /"nope\.toml".*no such file/],
      [['check', '--runner-config', 'runner'], /"runner".*directory/],
      [['check', 'bin.yml'], /"bin\.yml".*binary/],
      [['check', '--output', 'no/such/dir/report.txt'], /no\/such\/dir\/report\.txt/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(dir, args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message, args.join(' '));
    }
  });

  test('a file that does not parse is an error finding (dind/yaml-syntax, dind/toml-syntax), not a crash', () => {
    const dir = repo({ '.gitlab-ci.yml': 'job: [unclosed\n', 'runner/config.toml': '[[runners]]\nname = \n' });
    const r = runCli(dir, ['check', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
    assert.ok(findings.some((f) => f.ruleId === 'dind/yaml-syntax' && f.severity === 'error'));
    assert.ok(findings.some((f) => f.ruleId === 'dind/toml-syntax' && f.severity === 'error'));
  });
});

describe('cli.md: JSON output', () => {
  test('the report is { version: 1, findings } with every key in the contract order', () => {
    const r = runCli(repo(), ['check', '--format', 'json']);
    const report = JSON.parse(r.stdout) as { version: number; findings: JsonFinding[] };
    assert.deepEqual(Object.keys(report), ['version', 'findings']);
    assert.equal(report.version, 1);
    const withAll = report.findings.find((f) => f.related.length > 0 && f.fixes.length > 0);
    assert.ok(withAll, 'the fixture has a finding with related locations and fixes');
    for (const f of report.findings) {
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
      assert.deepEqual(Object.keys(f.range), ['start', 'end']);
      assert.deepEqual(Object.keys(f.range.start), ['line', 'character']);
      for (const rel of f.related) assert.deepEqual(Object.keys(rel), ['file', 'range', 'message']);
      for (const x of f.fixes) {
        assert.deepEqual(Object.keys(x), ['title', 'safe', 'edits']);
        for (const e of x.edits) assert.deepEqual(Object.keys(e), ['file', 'range', 'newText']);
      }
    }
  });

  test('file paths are relative to the cwd, with / separators', () => {
    const dir = repo();
    const r = checkJson(join(dir, 'runner'), ['..']);
    const files = new Set(r.findings.flatMap((f) => [f.file, ...f.related.map((x) => x.file)]));
    assert.deepEqual([...files].sort(), ['../.gitlab-ci.yml', 'config.toml']);
  });

  test('range is zero-based, end-exclusive, in UTF-16 code units', () => {
    const text = PIPELINE.replace(
      '    - docker:24.0.9-dind',
      '    - name: docker:24.0.9-dind # 😀\n      alias: "😀x"',
    );
    const dir = repo({ '.gitlab-ci.yml': 'x: "😀" ]\n' });
    const r = checkJson(dir);
    const syntax = r.findings.find((f) => f.ruleId === 'dind/yaml-syntax');
    assert.ok(syntax);
    const line = 'x: "😀" ]';
    assert.equal(syntax.range.start.line, 0);
    assert.equal(syntax.range.start.character, line.indexOf(']'), 'the emoji counts as two units');
    const dir2 = repo({ '.gitlab-ci.yml': text });
    const certs = checkJson(dir2).findings.find((f) => f.ruleId === CERTS && f.file === '.gitlab-ci.yml');
    assert.ok(certs);
    const lines = text.split('\n');
    const { start, end } = certs.range;
    const covered = lines[start.line]?.slice(start.character, start.line === end.line ? end.character : undefined);
    assert.ok(covered !== undefined && covered.length > 0 && text.includes(covered));
  });

  test('job is the non-hidden job the finding is about, or null; runner is the [[runners]] name, or null', () => {
    const r = checkJson(repo());
    const yamlCerts = r.findings.find((f) => f.ruleId === CERTS && f.file === '.gitlab-ci.yml');
    assert.equal(yamlCerts?.job, 'build', 'the job, not its hidden template .docker');
    assert.equal(yamlCerts?.runner, 'docker-runner');
    const tomlCerts = r.findings.find((f) => f.ruleId === CERTS && f.file === 'runner/config.toml');
    assert.equal(tomlCerts?.job, null);
    assert.equal(tomlCerts?.runner, 'docker-runner');
    assert.ok(r.findings.every((f) => f.job === null || !f.job.startsWith('.')));
    const info = checkJson(workspace({ '.gitlab-ci.yml': PIPELINE })).findings.find((f) => f.ruleId === NO_RUNNER);
    assert.equal(info?.job, null);
    assert.equal(info?.runner, null);
  });

  test('findings are sorted by file, then position, then rule id', () => {
    const r = checkJson(repo());
    assert.ok(r.findings.length >= 3);
    const key = (f: JsonFinding): [string, number, number, string] => [
      f.file,
      f.range.start.line,
      f.range.start.character,
      f.ruleId,
    ];
    for (let i = 1; i < r.findings.length; i++) {
      const a = key(r.findings[i - 1] as JsonFinding);
      const b = key(r.findings[i] as JsonFinding);
      const cmp =
        a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);
      assert.ok(cmp <= 0, `${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
  });

  test('sorting: position is the start; at one start the rule id decides before the end does', () => {
    const at = (ruleId: string, endCharacter: number, file = 'a.yml'): ReportFinding => ({
      ruleId,
      severity: 'info',
      message: 'm',
      file,
      range: { start: { line: 1, character: 2 }, end: { line: 1, character: endCharacter } },
      job: null,
      runner: null,
      related: [],
      fixes: [],
    });
    const sorted = mergeFindings([[at('dind/b', 3), at('dind/a', 9), at('dind/a', 1, 'Z.yml')]]);
    assert.deepEqual(
      sorted.map((f) => [f.file, f.ruleId]),
      [
        ['Z.yml', 'dind/a'],
        ['a.yml', 'dind/a'],
        ['a.yml', 'dind/b'],
      ],
    );
  });
});

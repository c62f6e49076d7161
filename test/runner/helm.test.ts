// Runner configs embedded in a GitLab Runner Helm chart values.yaml (`runners.config: |`): the model's ranges,
// syntax findings, fixes and discovery all work in values.yaml offsets.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import TOML from '@iarna/toml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';

import {
  LineIndex,
  SourceStore,
  TomlEditor,
  discoverWorkspace,
  isRunnerConfigFile,
  parseRunnerConfig,
  type EditResult,
  type RunnerConfig,
  type Span,
  type TextEdit,
  type TomlTable,
} from '@engine';

import { checkJson, runCli, workspace } from '../cli/cli-helpers';
import { B6 as CANONICAL_B6, withRunnerKeys } from '../helpers/canonical';
import { MemoryHost } from '../helpers/memory-host';
import { analyzeCase, applyEditsToHost, ruleCases, WS } from '../helpers/rule-cases';
import { applyEdits, parse, tomlFixtures, walkTables } from './util';

const VALUES = '/ws/values.yaml';

const B6 = withRunnerKeys(CANONICAL_B6.toml, { name: 'k', executor: 'kubernetes' });

interface EmbedOptions {
  /** Spaces of block indentation, more than the 2 of `config:` (default 4). */
  readonly indent?: number;
  readonly eol?: '\n' | '\r\n';
}

/** A Helm values.yaml holding `toml` as `runners.config`, as a literal block scalar that round-trips exactly. */
function embed(toml: string, options: EmbedOptions = {}): string {
  const n = options.indent ?? 4;
  const pad = ' '.repeat(n);
  const chomp = toml.endsWith('\n\n') || toml === '\n' ? '+' : toml.endsWith('\n') ? '' : '-';
  const firstLine = toml.split('\n').find((l) => l.trim() !== '') ?? '';
  const indicator = /^\s/.test(firstLine) ? String(n - 2) : '';
  const body = (toml.endsWith('\n') ? toml.slice(0, -1) : toml)
    .split('\n')
    .map((l) => (l === '' ? '' : `${pad}${l}`))
    .join('\n');
  const text = [
    'gitlabUrl: https://gitlab.example.com/',
    'rbac:',
    '  create: true',
    'runners:',
    '  # The runner config.toml, as the chart documents it.',
    `  config: |${indicator}${chomp}`,
    body,
    '  tags: "tls-dind-kubernetes-runner"',
    'concurrent: 10',
    '',
  ].join('\n');
  return options.eol === '\r\n' ? text.replaceAll('\n', '\r\n') : text;
}

/** The `runners.config` text of a values.yaml, asserting that the YAML parses without errors. */
function embeddedToml(values: string): string {
  const doc = parseDocument(values);
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    'values.yaml parses',
  );
  const config = doc.getIn(['runners', 'config']);
  assert.equal(typeof config, 'string', 'runners.config is a string');
  return config as string;
}

function parseValues(text: string, file = VALUES): RunnerConfig {
  const config = parseRunnerConfig(new SourceStore(new MemoryHost({ [file]: text })), file);
  assert.ok(config, 'a readable values.yaml gives a runner config');
  return config;
}

function slice(text: string, s: Span): string {
  return text.slice(s.start, s.end);
}

/** A range of values.yaml read as TOML: the block indentation removed from every line after the first. */
function unindented(text: string, s: Span, n: number): string {
  return slice(text, s)
    .replaceAll('\r\n', '\n')
    .split('\n')
    .map((l, i) => (i === 0 ? l : l.slice(Math.min(n, /^ */.exec(l)?.[0].length ?? 0))))
    .join('\n');
}

function editsOf(r: EditResult): readonly TextEdit[] {
  assert.ok(r.ok, `the edit applies${r.ok ? '' : `: ${r.reason}`}`);
  return r.edits;
}

/** Tables of a config that accept new keys on their own lines. */
function lineTables(root: TomlTable): TomlTable[] {
  return walkTables(root)
    .map((l) => l.table)
    .filter((t) => t.kind === 'root' || t.kind === 'header' || t.kind === 'array-element');
}

const runnerFixtures = tomlFixtures().filter(([, t]) => /^\s*\[\[\s*runners\s*\]\]/m.test(t));

describe('Helm values.yaml: the embedded runner model', () => {
  test('B6 in values.yaml: no findings, a kubernetes runner, and spans on the right text', () => {
    const text = embed(B6);
    const config = parseValues(text);
    assert.deepEqual(
      config.findings.map((f) => `${f.ruleId}: ${f.message}`),
      [],
    );
    const runner = config.runners[0];
    assert.ok(runner && config.runners.length === 1, 'one runner');
    assert.equal(runner.executor, 'kubernetes');
    assert.equal(runner.label, 'k');
    const volume = runner.kubernetes?.tables.get('volumes')?.tableArrays.get('empty_dir')?.[0];
    assert.ok(volume, 'the empty_dir volume is modelled');
    const mount = volume.entries.get('mount_path');
    assert.ok(mount);
    assert.equal(mount.value, '/certs/client');
    assert.equal(slice(text, mount.keySpan), 'mount_path');
    assert.equal(slice(text, mount.valueSpan), '"/certs/client"');
    assert.equal(slice(text, mount.span), 'mount_path = "/certs/client"');
    assert.ok(volume.headerSpan);
    assert.equal(slice(text, volume.headerSpan), '[[runners.kubernetes.volumes.empty_dir]]');
    const lines = new LineIndex(text);
    const at = lines.positionAt(mount.keySpan.start);
    assert.deepEqual(at, { line: 14, character: 8 }, 'mount_path is on line 15, column 9 of values.yaml');
    assert.equal(volume.indent, '        ', 'entries of the volume: block indentation + TOML indentation');
    assert.equal(volume.baseIndent, '    ', 'the block indentation');
    assert.equal(parse(B6).root.baseIndent, undefined, 'a config.toml has none');
  });

  for (const indent of [3, 4, 6]) {
    for (const eol of ['\n', '\r\n'] as const) {
      const label = `indent ${indent}${eol === '\r\n' ? ', CRLF' : ''}`;
      test(`every fixture embedded (${label}): the same model as the plain TOML, with ranges in values.yaml`, () => {
        assert.ok(runnerFixtures.length >= 10, 'the runner fixtures are present');
        for (const [name, toml] of runnerFixtures) {
          const text = embed(toml, { indent, eol });
          assert.equal(embeddedToml(text), toml, `${name}: the embedding round-trips`);
          const plain = parse(toml);
          const config = parseValues(text);
          assert.deepEqual(
            config.findings.map((f) => [f.ruleId, f.message, unindented(text, f.span, indent)]),
            plain.findings.map((f) => [f.ruleId, f.message, slice(toml, f.span)]),
            `${name}: the same findings on the same text`,
          );
          assert.deepEqual(
            config.runners.map((r) => [r.label, r.executor, [...r.environment]]),
            plain.runners.map((r) => [r.label, r.executor, [...r.environment]]),
            `${name}: the same runners`,
          );
          const plainTables = walkTables(plain.root);
          const tables = walkTables(config.root);
          assert.equal(tables.length, plainTables.length, `${name}: the same tables`);
          const plainLines = new LineIndex(toml);
          const lines = new LineIndex(text);
          const first = lines.positionAt(text.indexOf('config: |') + 1).line + 1;
          tables.forEach(({ table }, i) => {
            const p = plainTables[i]?.table;
            assert.ok(p);
            const where = `${name} ${p.path || '(root)'}`;
            assert.equal(table.path, p.path, where);
            assert.equal(table.indent, `${' '.repeat(indent)}${p.indent}`, `${where}: indent`);
            if (p.headerSpan && table.headerSpan) {
              assert.equal(unindented(text, table.headerSpan, indent), slice(toml, p.headerSpan), `${where}: header`);
            } else assert.equal(table.headerSpan, p.headerSpan, `${where}: no header`);
            const want = plainLines.positionAt(p.insertOffset);
            const got = lines.positionAt(table.insertOffset);
            const wantCharacter = want.character === 0 ? 0 : want.character + indent;
            assert.deepEqual(got, { line: want.line + first, character: wantCharacter }, `${where}: insertOffset`);
            for (const [key, e] of table.entries) {
              const pe = p.entries.get(key);
              assert.ok(pe, `${where}.${key}`);
              assert.equal(unindented(text, e.keySpan, indent), slice(toml, pe.keySpan), `${where}.${key}: key`);
              assert.equal(unindented(text, e.valueSpan, indent), slice(toml, pe.valueSpan), `${where}.${key}: value`);
              assert.equal(unindented(text, e.span, indent), slice(toml, pe.span), `${where}.${key}: entry`);
              assert.deepEqual(
                e.itemSpans.map((s) => unindented(text, s, indent)),
                pe.itemSpans.map((s) => slice(toml, s)),
                `${where}.${key}: items`,
              );
            }
          });
        }
      });
    }
  }

  test('a TOML syntax error inside the block lands at its line and column in values.yaml', () => {
    const toml = `[[runners]]\n  executor = "kubernetes"\n  [runners.kubernetes]\n    privileged = tru\n`;
    for (const eol of ['\n', '\r\n'] as const) {
      const text = embed(toml, { eol });
      const config = parseValues(text);
      const syntax = config.findings.filter((f) => f.ruleId === 'dind/toml-syntax');
      assert.equal(syntax.length, 1, 'one TOML syntax finding');
      assert.equal(config.findings.length, 1, 'and nothing else');
      const f = syntax[0];
      assert.ok(f);
      assert.equal(f.file, VALUES);
      assert.equal(f.severity, 'error');
      const bad = text.indexOf('privileged = tru') + 'privileged = '.length;
      assert.deepEqual(new LineIndex(text).positionAt(f.span.start), { line: 9, character: 21 });
      assert.equal(f.span.start, bad, 'at the bad value');
      assert.equal(slice(text, f.span), 'tru');
    }
  });

  test('other styles of runners.config and values without one: no runners, no finding', () => {
    const plain = `runners:\n  config: "[[runners]]\\n  executor = \\"kubernetes\\"\\n"\n`;
    const folded = `runners:\n  config: >\n    [[runners]]\n      executor = "kubernetes"\n`;
    const without = `runners:\n  tags: "x"\n# [[runners]] in a comment\n`;
    const noTable = `runners:\n  config: |\n    concurrent = 4\n`;
    for (const text of [plain, folded, without, noTable]) {
      const config = parseValues(text);
      assert.deepEqual(config.runners, [], JSON.stringify(text));
      assert.deepEqual(config.findings, [], JSON.stringify(text));
      assert.equal(isRunnerConfigFile(VALUES, text), false, JSON.stringify(text));
    }
    assert.equal(isRunnerConfigFile(VALUES, embed(B6)), true);
    assert.equal(isRunnerConfigFile('/ws/config.toml', B6), true);
  });

  test('broken YAML gives a yaml-syntax finding, not an exception', () => {
    const broken = `runners:\n  config: |\n    [[runners]]\n      executor = "kubernetes"\n  tags: [unclosed\n`;
    const config = parseValues(broken);
    assert.ok(
      config.findings.some((f) => f.ruleId === 'dind/yaml-syntax' && f.severity === 'error'),
      'a YAML syntax error is reported',
    );
    for (const bytes of [
      '\u0000\u0001runners:\n  config: |\n\t[[runners]]',
      'runners:\n  config: |\n' + ' '.repeat(99),
    ]) {
      assert.doesNotThrow(() => parseValues(bytes));
    }
  });
});

describe('Helm values.yaml: TOML edits stay valid inside the block scalar', () => {
  for (const eol of ['\n', '\r\n'] as const) {
    const label = eol === '\r\n' ? ' (CRLF)' : '';
    test(`setKeys on every table of every fixture gives the same TOML as the plain edit${label}`, () => {
      for (const [name, toml] of runnerFixtures) {
        const text = embed(toml, { eol });
        const plain = parse(toml);
        const config = parseValues(text);
        const plainTables = lineTables(plain.root);
        const tables = lineTables(config.root);
        assert.equal(tables.length, plainTables.length);
        tables.forEach((table, i) => {
          const p = plainTables[i];
          assert.ok(p);
          const values = { zz_added: 'x', zz_other: 2 };
          const want = applyEdits(toml, editsOf(new TomlEditor('/ws/config.toml', toml).setKeys(p, values)));
          const edits = editsOf(new TomlEditor(VALUES, text).setKeys(table, values));
          const got = applyEdits(text, edits);
          if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(got), `${name}: CRLF kept`);
          assert.equal(embeddedToml(got), want, `${name} ${table.path || '(root)'}: the embedded TOML`);
        });
      }
    });

    test(`appendToArray on every array of strings gives the same TOML as the plain edit${label}`, () => {
      let arrays = 0;
      for (const [name, toml] of runnerFixtures) {
        const text = embed(toml, { eol });
        const plainTables = walkTables(parse(toml).root).map((l) => l.table);
        const tables = walkTables(parseValues(text).root).map((l) => l.table);
        tables.forEach((table, i) => {
          const p = plainTables[i];
          assert.ok(p);
          for (const [key, e] of table.entries) {
            if (!Array.isArray(e.value) || !e.value.every((v) => typeof v === 'string')) continue;
            arrays++;
            const r = new TomlEditor('/ws/config.toml', toml).appendToArray(p, key, '/certs/client');
            if (!r.ok) continue;
            const want = applyEdits(toml, r.edits);
            const got = applyEdits(
              text,
              editsOf(new TomlEditor(VALUES, text).appendToArray(table, key, '/certs/client')),
            );
            assert.equal(embeddedToml(got), want, `${name} ${table.path}.${key}`);
          }
        });
      }
      assert.ok(arrays >= 5, `string arrays were edited (${arrays})`);
    });
  }

  test('a multi-line volumes array and a key added to an empty table, checked with an independent TOML parser', () => {
    const toml = `[[runners]]
  executor = "docker"
  [runners.docker]
    volumes = [
      "/cache",
    ]
  [runners.feature_flags]
`;
    const text = embed(toml, { indent: 6 });
    const runner = parseValues(text).runners[0];
    assert.ok(runner?.docker);
    const flags = runner.table.tables.get('feature_flags');
    assert.ok(flags);
    const editor = new TomlEditor(VALUES, text);
    const edits = [
      ...editsOf(editor.appendToArray(runner.docker, 'volumes', '/certs/client')),
      ...editsOf(editor.setKeys(runner.docker, { privileged: true })),
      ...editsOf(editor.setKeys(flags, { FF_NETWORK_PER_BUILD: true })),
    ];
    const data = TOML.parse(embeddedToml(applyEdits(text, edits))) as {
      runners: { docker: { volumes: string[]; privileged: boolean }; feature_flags: Record<string, boolean> }[];
    };
    const r = data.runners[0];
    assert.ok(r);
    assert.deepEqual(r.docker.volumes, ['/cache', '/certs/client']);
    assert.equal(r.docker.privileged, true);
    assert.deepEqual(r.feature_flags, { FF_NETWORK_PER_BUILD: true });
  });
});

const B6_CI = CANONICAL_B6.ci;

const K8S_NO_VOLUME = `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`;

const ADD_VOLUME = 'Add an empty_dir volume at "/certs/client" to runner `k`';

ruleCases('dind/k8s-tls-certs-volume-missing', [
  {
    name: 'Helm values.yaml without the empty_dir: the TOML-side finding and its fix land in values.yaml',
    files: { '.gitlab-ci.yml': B6_CI, 'values.yaml': embed(K8S_NO_VOLUME) },
    runnerConfigs: ['values.yaml'],
    expect: [
      { at: '"/certs"', job: 'build', runner: 'k', severity: 'error', message: 'empty_dir' },
      { file: 'values.yaml', at: '[runners.kubernetes]', job: null, runner: 'k', message: '`build` runs dind' },
    ],
    fixes: [ADD_VOLUME],
  },
  {
    name: 'negative: Helm values.yaml with the B6 empty_dir',
    files: { '.gitlab-ci.yml': B6_CI, 'values.yaml': embed(B6) },
    runnerConfigs: ['values.yaml'],
    expect: [],
  },
]);

describe('Helm values.yaml: the k8s certs volume fix', () => {
  for (const eol of ['\n', '\r\n'] as const) {
    test(`the fixed values.yaml re-parses (YAML and TOML) with the volume${eol === '\r\n' ? ' (CRLF)' : ''}`, () => {
      const values = embed(K8S_NO_VOLUME, { eol });
      const { analysis, host } = analyzeCase({
        files: { '.gitlab-ci.yml': B6_CI, 'values.yaml': values },
        runnerConfigs: ['values.yaml'],
      });
      const file = `${WS}/values.yaml`;
      const tomlSide = analysis.findings.find(
        (f) => f.ruleId === 'dind/k8s-tls-certs-volume-missing' && f.file === file,
      );
      assert.ok(tomlSide, 'a finding in values.yaml');
      assert.equal(slice(values, tomlSide.span), '[runners.kubernetes]');
      const fix = analysis.findings
        .filter((f) => f.ruleId === 'dind/k8s-tls-certs-volume-missing')
        .flatMap((f) => f.fixes)
        .find((x) => x.title === ADD_VOLUME);
      assert.ok(fix, 'the volume fix is offered');
      assert.ok(
        fix.edits.every((e) => e.file === file),
        'it edits values.yaml only',
      );
      const fixed = applyEditsToHost(host, fix.edits).files.get(file);
      assert.ok(fixed !== undefined);
      if (eol === '\r\n') assert.ok(!/[^\r]\n/.test(fixed), 'CRLF kept');
      const data = TOML.parse(embeddedToml(fixed)) as {
        runners: { kubernetes: { volumes?: { empty_dir?: { mount_path: string; name: string }[] } } }[];
      };
      assert.deepEqual(
        data.runners[0]?.kubernetes.volumes?.empty_dir?.map((v) => v.mount_path),
        ['/certs/client'],
      );
      const after = analyzeCase({
        files: { '.gitlab-ci.yml': B6_CI, 'values.yaml': fixed },
        runnerConfigs: ['values.yaml'],
      });
      assert.deepEqual(
        after.analysis.findings
          .filter((f) => f.ruleId.startsWith('dind/k8s-tls') || f.ruleId.endsWith('-syntax'))
          .map((f) => `${f.ruleId}: ${f.message}`),
        [],
        'no finding left, and the file parses',
      );
    });
  }
});

describe('Helm values.yaml: indentation of a table added by a fix', () => {
  test('the empty_dir volume of a kubernetes table without sub-tables: the block indentation counts once', () => {
    const values = embed(K8S_NO_VOLUME);
    const { analysis, host } = analyzeCase({
      files: { '.gitlab-ci.yml': B6_CI, 'values.yaml': values },
      runnerConfigs: ['values.yaml'],
    });
    const fix = analysis.findings
      .filter((f) => f.ruleId === 'dind/k8s-tls-certs-volume-missing')
      .flatMap((f) => f.fixes)
      .find((x) => x.title === ADD_VOLUME);
    assert.ok(fix, 'the volume fix is offered');
    const fixed = applyEditsToHost(host, fix.edits).files.get(`${WS}/values.yaml`);
    assert.ok(fixed !== undefined);
    const expected = values.replace(
      '        privileged = true\n',
      [
        '        privileged = true',
        '        [[runners.kubernetes.volumes.empty_dir]]',
        '            name = "docker-certs"',
        '            mount_path = "/certs/client"',
        '            medium = "Memory"',
        '',
      ].join('\n'),
    );
    assert.notEqual(expected, values, 'the expected text has the volume');
    assert.equal(fixed, expected);
    embeddedToml(fixed);
  });

  test('a table added to the root of an embedded config stays inside the block scalar', () => {
    const toml = 'concurrent = 2\n[[runners]]\n  executor = "docker"\n';
    const text = embed(toml);
    const config = parseValues(text);
    const withRoot = new TomlEditor(VALUES, text).addTable(config.root, ['session_server'], { listen_address: ':1' });
    const got = applyEdits(text, editsOf(withRoot));
    const want = applyEdits(
      toml,
      editsOf(
        new TomlEditor('/ws/config.toml', toml).addTable(parse(toml).root, ['session_server'], {
          listen_address: ':1',
        }),
      ),
    );
    assert.equal(embeddedToml(got), want);
  });
});

describe('Helm values.yaml: discovery', () => {
  test('values files embedding a runner config are discovered; others are not', () => {
    const host = new MemoryHost({
      '.gitlab-ci.yml': B6_CI,
      'deploy/runner/values.yaml': embed(B6),
      'deploy/runner/values-prod.yml': embed(B6, { eol: '\r\n' }),
      'deploy/runner/staging.values.yaml': embed(B6),
      'deploy/runner/other.yaml': embed(B6),
      'deploy/app/values.yaml': `runners:\n  config: "[[runners]]"\n`,
      'deploy/app/values-dev.yaml': `image:\n  tag: latest\n`,
      'node_modules/chart/values.yaml': embed(B6),
      'runner/config.toml': B6,
    });
    const found = discoverWorkspace(host, WS);
    assert.deepEqual(found.pipelines, [`${WS}/.gitlab-ci.yml`]);
    assert.deepEqual([...found.runnerConfigs].sort(), [
      `${WS}/deploy/runner/staging.values.yaml`,
      `${WS}/deploy/runner/values-prod.yml`,
      `${WS}/deploy/runner/values.yaml`,
      `${WS}/runner/config.toml`,
    ]);
  });

  test('a discovered values.yaml feeds the runner-dependent checks', () => {
    const host = new MemoryHost({ '.gitlab-ci.yml': B6_CI, 'helm/values.yaml': embed(K8S_NO_VOLUME) });
    const found = discoverWorkspace(host, WS);
    const { analysis } = analyzeCase({
      files: Object.fromEntries([...host.files].map(([p, t]) => [p.slice(WS.length + 1), t])),
      runnerConfigs: found.runnerConfigs.map((p) => p.slice(WS.length + 1)),
    });
    assert.deepEqual(
      analysis.runnerConfigs.map((c) => c.file),
      [`${WS}/helm/values.yaml`],
    );
    assert.ok(
      analysis.findings.some(
        (f) => f.ruleId === 'dind/k8s-tls-certs-volume-missing' && f.file === `${WS}/helm/values.yaml`,
      ),
      'the rule reports in values.yaml',
    );
    assert.ok(!analysis.findings.some((f) => f.ruleId === 'dind/no-runner-config'));
  });
});

describe('Helm values.yaml: CLI', () => {
  const RULE = 'dind/k8s-tls-certs-volume-missing';

  test('a discovered, a given (--runner-config) and a positional values.yaml are runner configs', () => {
    const dir = workspace({ '.gitlab-ci.yml': B6_CI, 'helm/values.yaml': embed(K8S_NO_VOLUME) });
    for (const args of [[], ['--runner-config', 'helm/values.yaml', '.gitlab-ci.yml']]) {
      const { status, findings } = checkJson(dir, args);
      assert.equal(status, 1, `${args.join(' ')}: an error finding`);
      const inValues = findings.find((f) => f.ruleId === RULE && f.file === 'helm/values.yaml');
      assert.ok(inValues, `${args.join(' ')}: the TOML-side finding is in values.yaml`);
      assert.deepEqual(inValues.range.start, { line: 9, character: 6 }, '[runners.kubernetes] in values.yaml');
      assert.ok(!findings.some((f) => f.ruleId === 'dind/no-runner-config'));
    }
    const alone = checkJson(dir, ['helm/values.yaml']);
    assert.ok(
      alone.findings.every((f) => f.file === 'helm/values.yaml'),
      'checked alone, values.yaml is a runner config, not a pipeline',
    );
    assert.ok(!alone.findings.some((f) => f.ruleId === 'dind/yaml-syntax' || f.ruleId.startsWith('dind/pipeline')));
  });

  test('--fix edits the embedded TOML and leaves a values.yaml that parses', () => {
    const dir = workspace({ '.gitlab-ci.yml': B6_CI, 'helm/values.yaml': embed(K8S_NO_VOLUME, { eol: '\r\n' }) });
    const r = runCli(dir, ['check', '--fix']);
    assert.match(r.stderr, /helm\/values\.yaml/, 'a fix was applied to values.yaml');
    const fixed = readFileSync(join(dir, 'helm', 'values.yaml'), 'utf8');
    assert.ok(!/[^\r]\n/.test(fixed), 'CRLF kept');
    const data = TOML.parse(embeddedToml(fixed)) as {
      runners: { kubernetes: { volumes?: { empty_dir?: { mount_path: string }[] } } }[];
    };
    assert.deepEqual(
      data.runners[0]?.kubernetes.volumes?.empty_dir?.map((v) => v.mount_path),
      ['/certs/client'],
    );
    assert.ok(!checkJson(dir).findings.some((f) => f.ruleId === RULE), 'the finding is gone');
  });

  test('a YAML --runner-config without an embedded runner config is bad input (exit 2)', () => {
    const dir = workspace({ '.gitlab-ci.yml': B6_CI, 'other.yaml': 'image:\n  tag: x\n' });
    const r = runCli(dir, ['check', '--runner-config', 'other.yaml']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /other\.yaml/);
    assert.match(r.stderr, /runners\.config/);
  });
});

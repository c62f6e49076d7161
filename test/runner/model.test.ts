import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { insertEntryEdit, parseToml, type TomlEntry, type TomlTable } from '@engine';

import { CORPUS_PRESENT } from '../helpers/paths';
import { applyEdits, corpusConfigs, FILE, FIXTURES, follow, parse, tomlFixtures, walkTables } from './util';

const layout = readFileSync(join(FIXTURES, 'model', 'layout.toml'), 'utf8');

function entry(table: TomlTable | null | undefined, key: string): TomlEntry {
  const e = table?.entries.get(key);
  assert.ok(e, `entry ${key} missing`);
  return e;
}

function slice(text: string, span: { start: number; end: number }): string {
  return text.slice(span.start, span.end);
}

describe('runner model: ranges', () => {
  test('keys, values, items and whole entries point at their source text', () => {
    const config = parse(layout);
    assert.deepEqual(config.findings, []);
    const docker = config.runners[0]?.docker;
    const volumes = entry(docker, 'volumes');
    assert.equal(slice(layout, volumes.keySpan), 'volumes');
    assert.deepEqual(volumes.value, ['/certs/client', '/cache']);
    assert.deepEqual(
      volumes.itemSpans.map((s) => slice(layout, s)),
      ['"/certs/client"', '"/cache"'],
    );
    assert.ok(slice(layout, volumes.valueSpan).startsWith('[') && slice(layout, volumes.valueSpan).endsWith(']'));
    assert.equal(slice(layout, entry(docker, 'privileged').span), 'privileged = true');
    const check = entry(config.root, 'check_interval');
    assert.equal(slice(layout, check.valueSpan), '3');
    assert.equal(check.value, 3);
    const tmpfs = docker?.tables.get('tmpfs');
    assert.equal(slice(layout, entry(tmpfs, '/var/lib/docker').keySpan), '"/var/lib/docker"');
  });

  test('every entry of every fixture and corpus file: key and value spans match the source', () => {
    for (const [name, text] of [...tomlFixtures(), ...corpusConfigs()]) {
      const config = parse(text);
      if (config.findings.some((f) => f.ruleId === 'dind/toml-syntax')) continue;
      for (const { table } of walkTables(config.root)) {
        for (const e of table.entries.values()) {
          const keyText = slice(text, e.keySpan);
          assert.ok(
            keyText === e.key || keyText === JSON.stringify(e.key) || keyText === `'${e.key}'`,
            `${name}: ${keyText}`,
          );
          assert.ok(e.span.start <= e.keySpan.start && e.span.end === e.valueSpan.end, `${name}: ${e.key} span`);
          if (typeof e.value === 'boolean' || typeof e.value === 'number') {
            assert.equal(
              slice(text, e.valueSpan).replace(/_/g, ''),
              String(e.value).replace('Infinity', 'inf'),
              `${name}: ${e.key}`,
            );
          }
        }
      }
    }
  });

  test('header spans cover the [header] and [[header]] text', () => {
    const config = parse(layout);
    const r0 = config.runners[0];
    assert.equal(slice(layout, r0?.table.headerSpan ?? { start: 0, end: 0 }), '[[runners]]');
    assert.equal(slice(layout, r0?.docker?.headerSpan ?? { start: 0, end: 0 }), '[runners.docker]');
    const services = r0?.docker?.tableArrays.get('services') ?? [];
    assert.equal(services.length, 2);
    assert.equal(slice(layout, services[1]?.headerSpan ?? { start: 0, end: 0 }), '[[runners.docker.services]]');
    assert.equal(r0?.table.kind, 'array-element');
    assert.equal(config.root.kind, 'root');
  });
});

describe('runner model: structure', () => {
  test('sub-tables attach to the last [[runners]] above them', () => {
    const config = parse(layout);
    assert.equal(config.runners.length, 3);
    const [docker, k8s, windows] = config.runners;
    assert.equal(docker?.label, 'docker-runner');
    assert.equal(entry(docker?.docker, 'image').value, 'docker:24.0.5-cli');
    assert.equal(docker?.kubernetes, null);
    assert.equal(k8s?.docker, null);
    assert.equal(entry(k8s?.kubernetes, 'namespace').value, 'ci');
    assert.equal(windows?.label, 'runners[2]');
    assert.equal(windows?.name, null);
    const emptyDir = k8s?.kubernetes?.tables.get('volumes')?.tableArrays.get('empty_dir');
    assert.equal(emptyDir?.length, 1);
    assert.equal(entry(emptyDir?.[0], 'mount_path').value, '/certs/client');
    assert.equal(k8s?.kubernetes?.tables.get('volumes')?.kind, 'implicit');
    const caps = k8s?.kubernetes?.tables.get('service_container_security_context')?.tables.get('capabilities');
    assert.deepEqual(entry(caps, 'add').value, ['NET_ADMIN']);
  });

  test('Runner view: executor, dockerLike, environment with spans, feature flags, services of the executor', () => {
    const config = parse(layout);
    const [docker, k8s, windows] = config.runners;
    assert.equal(docker?.executor, 'docker');
    assert.equal(docker?.dockerLike, true);
    assert.equal(k8s?.dockerLike, false);
    assert.equal(windows?.executor, 'docker-windows');
    assert.equal(windows?.dockerLike, false);
    assert.deepEqual(
      [...(docker?.environment ?? [])],
      [
        ['DOCKER_DRIVER', 'overlay2'],
        ['NO_PROXY', 'docker:2375,docker:2376'],
        ['EMPTY', ''],
      ],
    );
    const noProxy = docker?.environmentSpans?.get('NO_PROXY');
    assert.equal(slice(layout, noProxy ?? { start: 0, end: 0 }), '"NO_PROXY=docker:2375,docker:2376"');
    assert.deepEqual([...(docker?.featureFlags ?? [])], [['FF_NETWORK_PER_BUILD', true]]);
    assert.deepEqual(
      docker?.services.map((s) => [s.name, s.alias, s.command]),
      [
        ['docker:24.0.5-dind', 'docker', ['--registry-mirror', 'https://mirror.example.com']],
        ['redis:7', null, null],
      ],
    );
    assert.equal(docker?.services[0]?.environment.get('DOCKER_TLS_CERTDIR'), '/certs');
    assert.deepEqual(
      k8s?.services.map((s) => s.name),
      ['docker:27-dind'],
    );
    assert.equal(k8s?.services[0]?.environment.get('HEALTHCHECK_TCP_PORT'), '2376');
    assert.deepEqual(
      windows?.services.map((s) => [s.name, s.alias]),
      [
        ['docker:dind', 'dind'],
        ['postgres:16', null],
      ],
    );
    assert.equal(windows?.services[0]?.table.kind, 'inline');
  });

  test('dotted keys make dotted tables; inline tables are entries and tables', () => {
    const config = parse(layout);
    const k8s = config.runners[1]?.kubernetes;
    assert.equal(k8s?.kind, 'dotted');
    assert.equal(k8s?.keyPrefix, 'kubernetes.');
    assert.equal(slice(layout, k8s?.keySpan ?? { start: 0, end: 0 }), 'kubernetes');
    assert.equal(entry(k8s, 'privileged').value, true);
    const docker = config.runners[0]?.docker;
    assert.deepEqual(entry(docker, 'log_options').value, { env: 'A,B', labels: 'x' });
    const logOptions = docker?.tables.get('log_options');
    assert.equal(logOptions?.kind, 'inline');
    assert.equal(slice(layout, entry(logOptions, 'labels').valueSpan), '"x"');
  });

  test('CRLF line breaks: the same model with shifted ranges, and inserts keep CRLF', () => {
    const crlf = layout.replace(/\n/g, '\r\n');
    const a = parse(layout);
    const b = parse(crlf);
    assert.deepEqual(b.findings, []);
    const va = entry(a.runners[0]?.docker, 'image');
    const vb = entry(b.runners[0]?.docker, 'image');
    assert.equal(vb.value, va.value);
    assert.equal(slice(crlf, vb.valueSpan), '"docker:24.0.5-cli"');
    const docker = b.runners[0]?.docker;
    assert.ok(docker);
    const edit = insertEntryEdit(FILE, crlf, docker, 'services_privileged', 'true');
    assert.ok(edit.newText.endsWith('\r\n'));
    assert.ok(!/[^\r]\n/.test(applyEdits(crlf, [edit])));
  });

  test('non-ASCII text: offsets are UTF-16 indices', () => {
    const text = readFileSync(join(FIXTURES, 'model', 'unicode.toml'), 'utf8');
    const config = parse(text);
    const r = config.runners[0];
    assert.equal(r?.name, 'läufer-🐳');
    assert.equal(slice(text, entry(r?.table, 'name').valueSpan), '"läufer-🐳"');
    assert.equal(slice(text, entry(r?.table, 'clé spéciale').keySpan), '"clé spéciale"');
    assert.deepEqual(
      entry(r?.docker, 'volumes').itemSpans.map((s) => slice(text, s)),
      ['"/certs/client"', '"/données"'],
    );
  });
});

describe('runner model: insertOffset and indent', () => {
  test('docker table: the new key goes after the last own entry, before the next header, indented alike', () => {
    const config = parse(layout);
    const docker = config.runners[0]?.docker;
    assert.ok(docker);
    const edit = insertEntryEdit(FILE, layout, docker, 'services_privileged', 'true');
    assert.equal(edit.newText, '    services_privileged = true\n');
    const after = layout.slice(docker.insertOffset);
    assert.ok(after.startsWith('    [runners.docker.tmpfs]'), after.slice(0, 40));
  });

  test('a table without entries: after its header, header indent + 2 spaces', () => {
    const text = readFileSync(join(FIXTURES, 'model', 'empty-tables.toml'), 'utf8');
    const config = parse(text);
    const k8s = config.runners[1]?.kubernetes;
    assert.equal(k8s?.indent, '      ');
    assert.equal(k8s?.insertOffset, text.length);
    const docker = config.runners[0]?.docker;
    assert.equal(docker?.indent, '    ');
    assert.ok(text.slice(docker?.insertOffset).startsWith('  [runners.cache]'));
  });

  test('inserting into every table of every fixture and corpus file gives valid TOML holding the key there', () => {
    let checked = 0;
    for (const [name, text] of [...tomlFixtures(), ...corpusConfigs()]) {
      const config = parse(text);
      if (config.findings.some((f) => f.ruleId === 'dind/toml-syntax')) continue;
      for (const { steps, table } of walkTables(config.root)) {
        const edit = insertEntryEdit(FILE, text, table, 'zz_inserted', 'true');
        assert.equal(edit.span.start, edit.span.end, 'an insertion replaces nothing');
        const next = applyEdits(text, [edit]);
        const reparsed = parse(next);
        const where = `${name} at ${steps.map(([k, i]) => (i === null ? k : `${k}[${i}]`)).join('.') || '<root>'}`;
        assert.deepEqual(
          reparsed.findings.filter((f) => f.ruleId === 'dind/toml-syntax'),
          [],
          where,
        );
        const target = follow(reparsed.root, steps);
        assert.equal(target?.entries.get('zz_inserted')?.value, true, where);
        if (table.kind === 'header' || table.kind === 'array-element') {
          const lineStart = next.lastIndexOf('\n', edit.span.start + table.indent.length) + 1;
          assert.equal(
            next.slice(lineStart, lineStart + table.indent.length + 11),
            `${table.indent}zz_inserted`,
            where,
          );
        }
        checked++;
      }
    }
    // The fixtures alone hold about 80 tables; the corpus's runner configs add more when it is present.
    assert.ok(checked > (CORPUS_PRESENT ? 100 : 60), `checked ${checked} tables`);
  });
});

describe('toml-syntax findings', () => {
  const cases: [string, string, string][] = [
    ['unterminated string', '[[runners]]\n  name = "x\n', '"x'],
    ['duplicate key', '[[runners]]\n  name = "a"\n  name = "b"\n', 'name = "b"'],
    ['duplicate table (spec B8)', '[[runners]]\n  [runners.kubernetes]\n  [runners.kubernetes]\n', 'kubernetes]\n'],
    ['missing value', 'concurrent =\n', '\n'],
    ['bare placeholder value (spec `token = TOKEN`)', '[[runners]]\n  token = TOKEN\n', 'TOKEN'],
    ['unclosed header', '[[runners]\n', ']\n'],
    ['binary garbage', 'a = 1\n\u0000\u0001\u0002', '\u0000'],
  ];
  for (const [label, text, at] of cases) {
    test(`${label}: one error at the parser's offset`, () => {
      const expected = text.lastIndexOf(at);
      const config = parse(text);
      const syntax = config.findings.filter((f) => f.ruleId === 'dind/toml-syntax');
      assert.equal(syntax.length, 1, JSON.stringify(config.findings));
      assert.equal(config.findings.length, 1, 'no schema findings on a file that does not parse');
      assert.equal(syntax[0]?.severity, 'error');
      const parsed = parseToml(text);
      assert.equal(syntax[0]?.span.start, parsed.problems[0]?.span.start);
      assert.ok(Math.abs((syntax[0]?.span.start ?? -1) - expected) <= 12, `${syntax[0]?.span.start} vs ${expected}`);
      assert.ok((syntax[0]?.message.length ?? 0) > 0);
      assert.deepEqual(config.runners, []);
    });
  }

  test('the duplicate table is reported at the second header', () => {
    const text = readFileSync(join(FIXTURES, 'canonical', 'B8.toml'), 'utf8');
    const [f] = parse(text).findings;
    const second = text.indexOf('[runners.kubernetes]', text.indexOf('[runners.kubernetes]') + 1);
    assert.ok(f && f.span.start > second && f.span.start < second + '[runners.kubernetes]'.length);
    assert.match(f.message, /multiple times/);
  });

  test('huge input does not throw', () => {
    const text = `[[runners]]\n${Array.from({ length: 20000 }, (_, i) => `  k${i} = ${i}\n`).join('')}`;
    const config = parse(text);
    assert.equal(config.runners.length, 1);
    assert.equal(config.findings.length, 20000);
  });
});

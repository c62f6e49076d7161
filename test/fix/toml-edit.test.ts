import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { TomlEditor, tomlString, tomlValue, type EditResult, type TomlTable } from '@engine';

import { apply, assertUntouchedLines, clone, runnerTable, sub, TOML_FILE, tomlData, tomlModel } from './helpers';

type Data = Record<string, unknown>;

/** Runs one edit and checks: re-parses, data changed exactly by `change`, untouched lines byte-identical. */
function check(
  text: string,
  run: (ed: TomlEditor, root: TomlTable) => EditResult,
  change: (data: Data) => void,
): string {
  const ed = new TomlEditor(TOML_FILE, text);
  const result = run(ed, tomlModel(text));
  const after = apply(text, result, TOML_FILE);
  const expected = clone(tomlData(text) as Data);
  change(expected);
  assert.deepEqual(tomlData(after), expected, `after:\n${after}`);
  assertUntouchedLines(text, after, result);
  return after;
}

const CONFIG = `concurrent = 4 # jobs

[[runners]]
  name = "docker-runner" # main
  url = "https://gitlab.example.com"
  executor = "docker"
  [runners.docker]
    image = "alpine:3"
    privileged = false
    volumes = ["/cache"]
  [runners.cache]
    Type = "s3"

[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    namespace = "ci"
`;

function runner(d: Data, i = 0): Data {
  return (d['runners'] as Data[])[i]!;
}
function docker(d: Data, i = 0): Data {
  return runner(d, i)['docker'] as Data;
}

describe('TomlEditor keys', () => {
  test('replaces a value in place and inserts new keys with the table indentation', () => {
    const after = check(
      CONFIG,
      (ed, root) =>
        ed.setKeys(sub(runnerTable(root), 'docker'), {
          privileged: true,
          services_privileged: true,
          tls_verify: false,
        }),
      (d) => Object.assign(docker(d), { privileged: true, services_privileged: true, tls_verify: false }),
    );
    assert.match(
      after,
      /\n {4}privileged = true\n {4}volumes = \["\/cache"\]\n {4}services_privileged = true\n {4}tls_verify = false\n {2}\[runners.cache\]/,
    );
  });

  test('strings are basic strings with escapes; quoted keys; integers; string arrays', () => {
    check(
      CONFIG,
      (ed, root) =>
        ed.setKeys(runnerTable(root), {
          environment: ['DOCKER_DRIVER=overlay2', 'A="b"\\c'],
          'odd key': 'é\n',
          limit: 3,
        }),
      (d) =>
        Object.assign(runner(d), { environment: ['DOCKER_DRIVER=overlay2', 'A="b"\\c'], 'odd key': 'é\n', limit: 3 }),
    );
  });

  test('sets a global key in the root table', () => {
    check(
      CONFIG,
      (ed, root) => ed.setKeys(root, { concurrent: 8, check_interval: 3 }),
      (d) => Object.assign(d, { concurrent: 8, check_interval: 3 }),
    );
  });

  test('removes a key line with its comment, nothing else', () => {
    const after = check(
      CONFIG,
      (ed, root) => ed.removeKey(runnerTable(root), 'name'),
      (d) => delete runner(d)['name'],
    );
    assert.ok(after.includes('[[runners]]\n  url = '), after);
  });

  test('keeps literal-string quoting when replacing a string value; CRLF files stay CRLF', () => {
    const text = "[[runners]]\r\n  executor = 'docker'\r\n  [runners.docker]\r\n    image = 'alpine'\r\n";
    const after = check(
      text,
      (ed, root) => ed.setKeys(sub(runnerTable(root), 'docker'), { image: 'docker:27-cli', privileged: true }),
      (d) => Object.assign(docker(d), { image: 'docker:27-cli', privileged: true }),
    );
    assert.equal(
      after,
      "[[runners]]\r\n  executor = 'docker'\r\n  [runners.docker]\r\n    image = 'docker:27-cli'\r\n    privileged = true\r\n",
    );
  });

  test('dotted and inline tables: keys land with the right prefix', () => {
    const text = '[[runners]]\n  executor = "docker"\n  docker.privileged = false\n  cache = { Type = "s3" }\n';
    check(
      text,
      (ed, root) => ed.setKeys(sub(runnerTable(root), 'docker'), { privileged: true, volumes: ['/certs/client'] }),
      (d) => Object.assign(docker(d), { privileged: true, volumes: ['/certs/client'] }),
    );
    check(
      text,
      (ed, root) => ed.setKeys(sub(runnerTable(root), 'cache'), { Shared: true }),
      (d) => ((runner(d)['cache'] as Data)['Shared'] = true),
    );
  });
});

describe('TomlEditor arrays', () => {
  test('single-line arrays: ["/cache"] → ["/cache", "/certs/client"]; [] → ["/certs/client"]', () => {
    const after = check(
      CONFIG,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'volumes', '/certs/client'),
      (d) => (docker(d)['volumes'] as string[]).push('/certs/client'),
    );
    assert.match(after, /volumes = \["\/cache", "\/certs\/client"\]\n/);
    const empty = '[[runners]]\n  [runners.docker]\n    volumes = [ ]\n';
    const after2 = check(
      empty,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'volumes', '/certs/client'),
      (d) => (docker(d)['volumes'] = ['/certs/client']),
    );
    assert.match(after2, /volumes = \["\/certs\/client"\]\n/);
  });

  test('a missing array key is created with one item', () => {
    check(
      CONFIG,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'allowed_services', 'docker:*-dind'),
      (d) => (docker(d)['allowed_services'] = ['docker:*-dind']),
    );
  });

  test('multi-line arrays keep one item per line, the indentation and the trailing-comma style', () => {
    const trailing = "[[runners]]\n  [runners.docker]\n    volumes = [\n      '/cache',\n      '/builds', # b\n    ]\n";
    const after = check(
      trailing,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'volumes', '/certs/client'),
      (d) => (docker(d)['volumes'] as string[]).push('/certs/client'),
    );
    assert.match(after, /'\/builds', # b\n {6}'\/certs\/client',\n {4}\]/);
    const plain = '[[runners]]\n  [runners.docker]\n    volumes = [\n        "/cache" # c\n    ]\n';
    const after2 = check(
      plain,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'volumes', '/certs/client'),
      (d) => (docker(d)['volumes'] as string[]).push('/certs/client'),
    );
    assert.match(after2, /"\/cache", # c\n {8}"\/certs\/client"\n {4}\]/);
    const noComment = '[[runners]]\r\n  [runners.docker]\r\n    volumes = [\r\n      "/cache"\r\n    ]\r\n';
    check(
      noComment,
      (ed, root) => ed.appendToArray(sub(runnerTable(root), 'docker'), 'volumes', 'x'),
      (d) => (docker(d)['volumes'] as string[]).push('x'),
    );
  });

  test('removes array items with their comma, in single- and multi-line arrays', () => {
    const single =
      '[[runners]]\n  [runners.docker]\n    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache", "/b"]\n';
    for (const i of [0, 1, 2]) {
      check(
        single,
        (ed, root) => ed.removeArrayItem(sub(runnerTable(root), 'docker'), 'volumes', i),
        (d) => (docker(d)['volumes'] as string[]).splice(i, 1),
      );
    }
    const multi =
      '[[runners]]\n  [runners.docker]\n    volumes = [\n      "/a", # one\n      "/b",\n      "/c"\n    ]\n';
    for (const i of [0, 1, 2]) {
      check(
        multi,
        (ed, root) => ed.removeArrayItem(sub(runnerTable(root), 'docker'), 'volumes', i),
        (d) => (docker(d)['volumes'] as string[]).splice(i, 1),
      );
    }
    check(
      '[[runners]]\n  [runners.docker]\n    volumes = ["/only"]\n',
      (ed, root) => ed.removeArrayValue(sub(runnerTable(root), 'docker'), 'volumes', '/only'),
      (d) => (docker(d)['volumes'] = []),
    );
  });
});

describe('TomlEditor tables', () => {
  test('adds [[runners.kubernetes.volumes.empty_dir]] after the runner element, before the next [[runners]]', () => {
    const after = check(
      CONFIG,
      (ed, root) =>
        ed.addTable(
          runnerTable(root, 1),
          ['kubernetes', 'volumes', 'empty_dir'],
          { name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory' },
          { array: true },
        ),
      (d) =>
        ((runner(d, 1)['kubernetes'] as Data)['volumes'] = {
          empty_dir: [{ name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory' }],
        }),
    );
    assert.ok(
      after.endsWith(
        '    namespace = "ci"\n  [[runners.kubernetes.volumes.empty_dir]]\n    name = "docker-certs"\n    mount_path = "/certs/client"\n    medium = "Memory"\n',
      ),
      after,
    );
  });

  test('creates [runners.feature_flags] inside the first runner, before the second', () => {
    const after = check(
      CONFIG,
      (ed, root) => ed.setInTable(runnerTable(root, 0), ['feature_flags'], { FF_NETWORK_PER_BUILD: true }),
      (d) => (runner(d, 0)['feature_flags'] = { FF_NETWORK_PER_BUILD: true }),
    );
    assert.match(
      after,
      /Type = "s3"\n {2}\[runners.feature_flags\]\n {4}FF_NETWORK_PER_BUILD = true\n\n\[\[runners\]\]/,
    );
  });

  test('setInTable uses an existing table; a runner without sub-tables gets unindented ones when its keys are', () => {
    check(
      CONFIG,
      (ed, root) => ed.setInTable(runnerTable(root, 1), ['kubernetes'], { privileged: true }),
      (d) => ((runner(d, 1)['kubernetes'] as Data)['privileged'] = true),
    );
    const flat = '[[runners]]\nname = "a"\nexecutor = "docker"\n[[runners]]\nname = "b"\n';
    const after = check(
      flat,
      (ed, root) =>
        ed.setInTable(runnerTable(root, 0), ['docker'], { privileged: true, volumes: ['/certs/client', '/cache'] }),
      (d) => (runner(d, 0)['docker'] = { privileged: true, volumes: ['/certs/client', '/cache'] }),
    );
    assert.match(
      after,
      /executor = "docker"\n\[runners.docker\]\nprivileged = true\nvolumes = \["\/certs\/client", "\/cache"\]\n\[\[runners\]\]/,
    );
  });

  test('a file without a final line break, with CRLF and non-ASCII content', () => {
    const text = '[[runners]]\r\n  name = "café 😀"\r\n  [runners.docker]\r\n    privileged = true';
    check(
      text,
      (ed, root) =>
        ed.setInTable(runnerTable(root), ['kubernetes', 'service_container_security_context'], { privileged: true }),
      (d) => (runner(d)['kubernetes'] = { service_container_security_context: { privileged: true } }),
    );
    check(
      text,
      (ed, root) => ed.setKeys(sub(runnerTable(root), 'docker'), { services_privileged: true }),
      (d) => (docker(d)['services_privileged'] = true),
    );
  });

  test('odd input gives a failure, never an exception', () => {
    const ed = new TomlEditor(TOML_FILE, 'a = 1\n');
    const root = tomlModel('a = 1\n');
    assert.equal(ed.removeKey(root, 'missing').ok, false);
    assert.equal(ed.appendToArray(root, 'a', 'x').ok, false);
    assert.equal(ed.removeArrayItem(root, 'a', 0).ok, false);
    assert.equal(ed.addTable(root, [], {}).ok, false);
    const broken = 'a = [\n';
    const r = new TomlEditor(TOML_FILE, broken).setKey(tomlModel(broken), 'b', true);
    assert.equal(typeof r.ok, 'boolean');
  });
});

test('tomlValue / tomlString write values that read back unchanged', () => {
  const values = ['', 'plain', 'quote " and \\ backslash', 'tab\tnew\nline', '\u0000\u007f', 'é😀', "it's"];
  for (const v of values) {
    for (const style of ['basic', 'literal'] as const) {
      assert.deepEqual(tomlData(`k = ${tomlString(v, style)}\n`), { k: v });
    }
  }
  assert.deepEqual(tomlData(`k = ${tomlValue({ a: [1, true, 'x'], 'b c': { d: -3 } })}\n`), {
    k: { a: [1, true, 'x'], 'b c': { d: -3 } },
  });
});

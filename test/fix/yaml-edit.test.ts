import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { isMap, isSeq } from 'yaml';

import { YamlEditor, type EditResult } from '@engine';

import { apply, assertUntouchedLines, clone, FILE, yamlData } from './helpers';

type Data = Record<string, unknown>;

/**
 * Runs one edit on `text` and checks the three fix properties: the result re-parses without errors, its data equals
 * the input's data changed by `change`, and every line the edits do not touch is byte-identical. Returns the text.
 */
function check(text: string, run: (ed: YamlEditor) => EditResult, change: (data: Data) => void): string {
  const ed = YamlEditor.fromText(FILE, text);
  const result = run(ed);
  const after = apply(text, result);
  const expected = clone(yamlData(text).at(-1) as Data);
  change(expected);
  assert.deepEqual(yamlData(after).at(-1), expected, `after:\n${after}`);
  assertUntouchedLines(text, after, result);
  return after;
}

const JOB = `# pipeline
build:
  image: docker:24.0.5-cli   # client
  services:
    - docker:24.0.5-dind # daemon
    - name: postgres:16
      alias: db
  # scripts follow
  script:
    - docker info
test:
  script: [echo ok]
`;

function job(d: Data, name = 'build'): Data {
  return d[name] as Data;
}

describe('YamlEditor.setKeys / setVariable', () => {
  test('adds variables: after the last key of a job, with the job indentation', () => {
    const after = check(
      JOB,
      (ed) => ed.setVariable(ed.get(['build']), 'DOCKER_TLS_CERTDIR', '/certs'),
      (d) => (job(d)['variables'] = { DOCKER_TLS_CERTDIR: '/certs' }),
    );
    assert.match(after, /\n {4}- docker info\n {2}variables:\n {4}DOCKER_TLS_CERTDIR: \/certs\ntest:/);
  });

  test('uses indentation 4 and CRLF when the file does', () => {
    const text = 'build:\r\n    image: docker:27-cli\r\n    variables:\r\n        A: "1"\r\n';
    const after = check(
      text,
      (ed) => ed.setVariable(ed.get(['build']), 'DOCKER_HOST', 'tcp://docker:2376'),
      (d) => ((job(d)['variables'] as Data)['DOCKER_HOST'] = 'tcp://docker:2376'),
    );
    assert.ok(after.endsWith('        A: "1"\r\n        DOCKER_HOST: tcp://docker:2376\r\n'), after);
  });

  test('creating a nested mapping uses the file indentation unit (4)', () => {
    const text = 'build:\n    script:\n        - docker info\n';
    const after = check(
      text,
      (ed) => ed.setVariable(ed.get(['build']), 'X', 'y'),
      (d) => (job(d)['variables'] = { X: 'y' }),
    );
    assert.ok(after.endsWith('    variables:\n        X: "y"\n'), after);
  });

  test('replacing a variable keeps its quote style; empty becomes ""', () => {
    const text = `variables:\n  DOCKER_HOST: 'tcp://docker:2375' # old\n  DOCKER_TLS_CERTDIR: /certs\n  PORT: "2375"\n`;
    const after = check(
      text,
      (ed) =>
        ed.setKeys(ed.get(['variables']), { DOCKER_HOST: "tcp://docker:2376's", DOCKER_TLS_CERTDIR: '', PORT: '2376' }),
      (d) =>
        Object.assign(d['variables'] as Data, {
          DOCKER_HOST: "tcp://docker:2376's",
          DOCKER_TLS_CERTDIR: '',
          PORT: '2376',
        }),
    );
    assert.match(after, /DOCKER_HOST: 'tcp:\/\/docker:2376''s' # old\n/);
    assert.match(after, /DOCKER_TLS_CERTDIR: ""\n/);
    assert.match(after, /PORT: "2376"\n/);
  });

  test('values YAML would read as another type, or with ": " and " #", are quoted', () => {
    for (const value of [
      'true',
      'on',
      'yes',
      '2375',
      '0o17',
      'null',
      '~',
      'a: b',
      'x #y',
      '',
      '*ref',
      '@x',
      '- x',
      '[a]',
      '{b}',
    ]) {
      const text = 'job:\n  script: [x]\n';
      const after = check(
        text,
        (ed) => ed.setVariable(ed.get(['job']), 'V', value),
        (d) => (job(d, 'job')['variables'] = { V: value }),
      );
      assert.ok(!after.includes(`V: ${value}\n`), `unquoted ${value}`);
    }
  });

  test('a variable written as {value, description} gets its value replaced', () => {
    const text = 'variables:\n  DOCKER_HOST:\n    value: tcp://docker:2375\n    description: daemon\n';
    check(
      text,
      (ed) => ed.setVariable(ed.root, 'DOCKER_HOST', 'tcp://docker:2376'),
      (d) => (((d['variables'] as Data)['DOCKER_HOST'] as Data)['value'] = 'tcp://docker:2376'),
    );
  });

  test('flow mapping: inserts ", key: value"; empty {} gets the entry', () => {
    const text = 'job:\n  variables: { A: 1 }   # flow\n  script: [x]\nother:\n  variables: {}\n';
    const after = check(
      text,
      (ed) => ed.setVariable(ed.get(['job']), 'DOCKER_HOST', 'tcp://docker:2375'),
      (d) => ((job(d, 'job')['variables'] as Data)['DOCKER_HOST'] = 'tcp://docker:2375'),
    );
    assert.match(after, /variables: \{ A: 1, DOCKER_HOST: tcp:\/\/docker:2375 \} {3}# flow/);
    check(
      text,
      (ed) => ed.setVariable(ed.get(['other']), 'B', 'x, y'),
      (d) => (job(d, 'other')['variables'] = { B: 'x, y' }),
    );
  });

  test('a key without a value, a block value replaced by a scalar, and quoted keys', () => {
    const text = 'job:\n  variables:\n  "my key": 1\n  image:\n    name: docker:27-cli\n';
    check(
      text,
      (ed) =>
        ed.setKeys(ed.get(['job']), { variables: { A: 'b' }, 'my key': 2, image: 'docker:27-cli', 'new key': 'é' }),
      (d) =>
        Object.assign(job(d, 'job'), { variables: { A: 'b' }, 'my key': 2, image: 'docker:27-cli', 'new key': 'é' }),
    );
  });

  test('with duplicate keys the last one (the one GitLab uses) is edited', () => {
    const text = 'job:\n  image: a\n  image: b\n';
    const after = check(
      text,
      (ed) => ed.setKey(ed.get(['job']), 'image', 'c'),
      (d) => (job(d, 'job')['image'] = 'c'),
    );
    assert.equal(after, 'job:\n  image: a\n  image: c\n');
  });

  test('non-ASCII content and a file without a final line break', () => {
    const text = 'café:\n  script: ["é😀"]';
    check(
      text,
      (ed) => ed.setVariable(ed.get(['café']), 'Ü', 'ñ 😀'),
      (d) => (job(d, 'café')['variables'] = { Ü: 'ñ 😀' }),
    );
  });
});

describe('YamlEditor removal', () => {
  test('removes a mapping entry with its trailing comment, nothing else', () => {
    const after = check(
      JOB,
      (ed) => ed.removeKey(ed.get(['build']), 'image'),
      (d) => delete job(d)['image'],
    );
    assert.ok(after.startsWith('# pipeline\nbuild:\n  services:\n'), after);
  });

  test('removes a multi-line entry but keeps the comment line that follows it', () => {
    const after = check(
      JOB,
      (ed) => ed.removeKey(ed.get(['build']), 'services'),
      (d) => delete job(d)['services'],
    );
    assert.match(after, /client\n {2}# scripts follow\n/);
  });

  test('removing the first key of a "- name:" item keeps the dash', () => {
    const after = check(
      JOB,
      (ed) => ed.removeKey(ed.get(['build', 'services', 1]), 'name'),
      (d) => delete ((job(d)['services'] as unknown[])[1] as Data)['name'],
    );
    assert.match(after, /\n {4}- alias: db\n/);
  });

  test('removing the only entry leaves an empty mapping; the only item an empty sequence', () => {
    check(
      'v:\n  A: 1 # c\nw: 2\n',
      (ed) => ed.removeKey(ed.get(['v']), 'A'),
      (d) => (d['v'] = {}),
    );
    check(
      's:\n  - a\nw: 2\n',
      (ed) => ed.removeItem(ed.get(['s']), 0),
      (d) => (d['s'] = []),
    );
  });

  test('removes block sequence items (scalar and mapping) by index and by span', () => {
    check(
      JOB,
      (ed) => ed.removeItem(ed.get(['build', 'services']), 0),
      (d) => (job(d)['services'] as unknown[]).splice(0, 1),
    );
    check(
      JOB,
      (ed) => ed.removeItem(ed.get(['build', 'services']), 1),
      (d) => (job(d)['services'] as unknown[]).splice(1, 1),
    );
    const dind = JOB.indexOf('docker:24.0.5-dind');
    check(
      JOB,
      (ed) => ed.removeAt({ start: dind, end: dind + 'docker:24.0.5-dind'.length }),
      (d) => (job(d)['services'] as unknown[]).splice(0, 1),
    );
    const key = JOB.indexOf('image');
    check(
      JOB,
      (ed) => ed.removeAt({ start: key, end: key + 5 }),
      (d) => delete job(d)['image'],
    );
  });

  test('flow sequences and mappings: the item and its comma', () => {
    const text = 'a: [x, "y", z]\nb: {p: 1, q: 2, r: 3}\n';
    for (const i of [0, 1, 2]) {
      check(
        text,
        (ed) => ed.removeItem(ed.get(['a']), i),
        (d) => (d['a'] as unknown[]).splice(i, 1),
      );
      const k = ['p', 'q', 'r'][i]!;
      check(
        text,
        (ed) => ed.removeKey(ed.get(['b']), k),
        (d) => delete (d['b'] as Data)[k],
      );
    }
    check(
      'a: [x]\n',
      (ed) => ed.removeItem(ed.get(['a']), 0),
      (d) => (d['a'] = []),
    );
  });

  test('CRLF block removal keeps CRLF elsewhere', () => {
    const text = 'variables:\r\n  A: 1\r\n  B: 2 # two\r\n  C: 3\r\n';
    const after = check(
      text,
      (ed) => ed.removeKey(ed.get(['variables']), 'B'),
      (d) => delete (d['variables'] as Data)['B'],
    );
    assert.equal(after, 'variables:\r\n  A: 1\r\n  C: 3\r\n');
  });
});

describe('YamlEditor sequences', () => {
  test('appends and inserts block items in the neighbours layout', () => {
    const after = check(
      JOB,
      (ed) => ed.appendItem(ed.get(['build', 'services']), 'redis:7'),
      (d) => (job(d)['services'] as unknown[]).push('redis:7'),
    );
    assert.match(after, /alias: db\n {4}- redis:7\n/);
    check(
      JOB,
      (ed) => ed.insertItem(ed.get(['build', 'services']), 0, { name: 'docker:27-dind', alias: 'docker' }, 'before'),
      (d) => (job(d)['services'] as unknown[]).unshift({ name: 'docker:27-dind', alias: 'docker' }),
    );
    check(
      JOB,
      (ed) => ed.insertItem(ed.get(['build', 'services']), 0, 'x:1', 'after'),
      (d) => (job(d)['services'] as unknown[]).splice(1, 0, 'x:1'),
    );
  });

  test('zero-indented block sequences and wide dash spacing', () => {
    const text = 'job:\n  services:\n  -   docker:dind\n  script:\n  - a\n';
    const after = check(
      text,
      (ed) => ed.appendItem(ed.get(['job', 'services']), { name: 'redis', alias: 'r' }),
      (d) => (job(d, 'job')['services'] as unknown[]).push({ name: 'redis', alias: 'r' }),
    );
    assert.match(after, / {2}- {3}name: redis\n {6}alias: r\n/);
  });

  test('flow sequences: append keeps the items quote style, [] gets a double-quoted item', () => {
    const text = "a: ['x', 'y']\nb: []\nc: [p]\n";
    const after = check(
      text,
      (ed) => ed.appendItem(ed.get(['a']), 'z'),
      (d) => (d['a'] as unknown[]).push('z'),
    );
    assert.match(after, /a: \['x', 'y', 'z'\]/);
    const after2 = check(
      text,
      (ed) => ed.appendItem(ed.get(['b']), '--tls=false'),
      (d) => (d['b'] as unknown[]).push('--tls=false'),
    );
    assert.match(after2, /b: \["--tls=false"\]/);
    check(
      text,
      (ed) => ed.insertItem(ed.get(['c']), 0, 'o, k', 'before'),
      (d) => (d['c'] as unknown[]).unshift('o, k'),
    );
  });

  test('replaceScalar keeps plain, single and double quoting; switches plain to quotes when needed', () => {
    const text = 'a: docker:24.0.5\nb: \'docker:24.0.5\'\nc: "docker:24.0.5"\nd: x\ne: |\n  lit\n';
    const after = check(
      text,
      (ed) =>
        ed.replaceScalar(ed.get(['a']), 'docker:24.0.5-dind').ok
          ? joinAll(ed, [
              ['a', 'docker:24.0.5-dind'],
              ['b', 'docker:24.0.5-dind'],
              ['c', 'docker:24.0.5-dind'],
              ['d', 'true'],
              ['e', 'one\ntwo'],
            ])
          : ed.replaceScalar(ed.get(['a']), ''),
      (d) =>
        Object.assign(d, {
          a: 'docker:24.0.5-dind',
          b: 'docker:24.0.5-dind',
          c: 'docker:24.0.5-dind',
          d: 'true',
          e: 'one\ntwo',
        }),
    );
    assert.match(
      after,
      /^a: docker:24.0.5-dind\nb: 'docker:24.0.5-dind'\nc: "docker:24.0.5-dind"\nd: "true"\ne: "one\\ntwo"\n$/,
    );
  });
});

function joinAll(ed: YamlEditor, pairs: [string, string][]): EditResult {
  const edits = [];
  for (const [k, v] of pairs) {
    const r = ed.replaceScalar(ed.get([k]), v);
    if (!r.ok) return r;
    edits.push(...r.edits);
  }
  return { ok: true, edits };
}

describe('YamlEditor service items', () => {
  test('scalar item → mapping item with alias, keeping the comment on the name line', () => {
    const after = check(
      JOB,
      (ed) => ed.setItemKeys(ed.get(['build', 'services']), 0, { alias: 'docker' }),
      (d) => ((job(d)['services'] as unknown[])[0] = { name: 'docker:24.0.5-dind', alias: 'docker' }),
    );
    assert.match(after, /\n {4}- name: docker:24.0.5-dind # daemon\n {6}alias: docker\n/);
  });

  test('adds variables and command to a service (scalar and mapping items)', () => {
    const extra = {
      variables: { HEALTHCHECK_TCP_PORT: '2376', DOCKER_TLS_SAN: 'DNS:docker' },
      command: ['--tls=false'],
    };
    const after = check(
      JOB,
      (ed) => ed.setItemKeys(ed.get(['build', 'services']), 0, extra),
      (d) => ((job(d)['services'] as unknown[])[0] = { name: 'docker:24.0.5-dind', ...extra }),
    );
    assert.match(after, /command: \["--tls=false"\]\n/);
    check(
      JOB,
      (ed) => ed.setItemKeys(ed.get(['build', 'services']), 1, { alias: 'docker', ...extra }),
      (d) => Object.assign((job(d)['services'] as unknown[])[1] as Data, { alias: 'docker', ...extra }),
    );
  });

  test('merges into an existing service variables: mapping', () => {
    const text = 'job:\n  services:\n    - name: docker:dind\n      variables:\n        A: "1"\n';
    check(
      text,
      (ed) => ed.setItemKeys(ed.get(['job', 'services']), 0, { variables: { A: '2', B: '3' } }),
      (d) =>
        Object.assign(((job(d, 'job')['services'] as unknown[])[0] as Data)['variables'] as Data, { A: '2', B: '3' }),
    );
  });

  test('nested "- - " and indentation 4 with a deeper dash', () => {
    const text = 'job:\n    services:\n        -   docker:24-dind\n';
    const after = check(
      text,
      (ed) => ed.setItemKeys(ed.get(['job', 'services']), 0, { alias: 'docker', variables: { X: 'y' } }),
      (d) =>
        ((job(d, 'job')['services'] as unknown[])[0] = {
          name: 'docker:24-dind',
          alias: 'docker',
          variables: { X: 'y' },
        }),
    );
    assert.match(after, / {8}- {3}name: docker:24-dind\n {12}alias: docker\n {12}variables:\n {16}X: "y"\n/);
  });

  test('flow service list items become flow mappings', () => {
    const text = 'job:\n  services: [docker:24-dind, postgres]\n';
    const after = check(
      text,
      (ed) => ed.setItemKeys(ed.get(['job', 'services']), 0, { alias: 'docker', command: ['--mtu=1360'] }),
      (d) =>
        ((job(d, 'job')['services'] as unknown[])[0] = {
          name: 'docker:24-dind',
          alias: 'docker',
          command: ['--mtu=1360'],
        }),
    );
    assert.match(after, /services: \[\{name: docker:24-dind, alias: docker, command: \["--mtu=1360"\]\}, postgres\]/);
  });

  test('setItemKeysAt finds the item from its span', () => {
    const start = JOB.indexOf('docker:24.0.5-dind');
    check(
      JOB,
      (ed) => ed.setItemKeysAt({ start, end: start + 'docker:24.0.5-dind'.length }, { alias: 'docker' }),
      (d) => ((job(d)['services'] as unknown[])[0] = { name: 'docker:24.0.5-dind', alias: 'docker' }),
    );
  });
});

describe('YamlEditor locating and failures', () => {
  test('locate and valueOfKeyAt follow spans; the spec header document is skipped by root', () => {
    const text = 'spec:\n  inputs: {}\n---\nbuild:\n  image: x\n';
    const ed = YamlEditor.fromText(FILE, text);
    const keyStart = text.indexOf('build');
    const value = ed.valueOfKeyAt({ start: keyStart, end: keyStart + 5 });
    assert.ok(isMap(value));
    assert.equal(ed.get(['image'], value)?.toString(), 'x');
    assert.ok(isMap(ed.root) && ed.root.has('build'));
    const loc = ed.locate({ start: text.indexOf('x\n'), end: text.indexOf('x\n') + 1 });
    assert.equal(loc?.key, 'image');
    assert.equal(loc?.isKey, false);
  });

  test('odd input gives a failure, never an exception', () => {
    const inputs = ['', 'a: [\n', ':\n- - -', '\u0000\u0001', 'a: &x {b: 1}\nc: *x\n', 'a: !reference [.x, y]\n'];
    for (const text of inputs) {
      const ed = YamlEditor.fromText(FILE, text);
      const results = [
        ed.setKey(ed.root, 'k', 'v'),
        ed.setVariable(ed.get(['c']), 'A', 'b'),
        ed.removeKey(ed.get(['a']), 'b'),
        ed.removeItem(ed.get(['a']), 5),
        ed.appendItem(ed.get(['a']), 'x'),
        ed.replaceScalar(ed.get(['a']), 'x'),
        ed.setItemKeys(ed.get(['a']), 0, { alias: 'd' }),
        ed.removeAt({ start: 0, end: 0 }),
      ];
      for (const r of results) assert.equal(typeof r.ok, 'boolean');
    }
    const ed = YamlEditor.fromText(FILE, 'a: *x\n');
    assert.equal(ed.replaceScalar(ed.get(['a']), 'y').ok, false);
    assert.equal(ed.setKey(ed.get(['a']), 'b', 1).ok, false);
    assert.ok(!isSeq(ed.get(['a'])));
  });
});

// Minimal reproductions of the layouts on which the mutation fuzzer (test/robustness/fuzz-core.ts) found quick-fixes
// that would add syntax errors. Each case runs the edit helper the rule used and checks that its result either
// re-parses with no new errors or is refused (a refused helper makes the rule offer no fix).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { TomlEditor, YamlEditor, applyEdits, syntaxErrorCount, type EditResult } from '@engine';

import { FILE, TOML_FILE, runnerTable, sub, tomlData, tomlModel, yamlData } from './helpers';

/** The text after a successful result; fails the test when the result adds syntax errors. */
function applied(file: string, text: string, result: EditResult): string {
  assert.ok(result.ok, `edit failed: ${result.ok ? '' : result.reason}`);
  const after = applyEdits(text, result.edits);
  assert.ok(
    syntaxErrorCount(file, after) <= syntaxErrorCount(file, text),
    `new syntax errors:\n${JSON.stringify(after)}`,
  );
  return after;
}

/** The result is refused, or applies without adding syntax errors. */
function refusedOrClean(file: string, text: string, result: EditResult): void {
  if (!result.ok) return;
  applied(file, text, result);
}

describe('a final lone \\r (a CRLF file cut after its last \\r)', () => {
  const toml = '[[runners]]\r\n  executor = "docker"\r\n  [runners.docker]\r\n    network_mtu = 0\r';

  test('TOML: keys added at the end complete the \\r to \\r\\n instead of following it', () => {
    const root = tomlModel(toml);
    const docker = sub(runnerTable(root), 'docker');
    const after = applied(TOML_FILE, toml, new TomlEditor(TOML_FILE, toml).setKeys(docker, { privileged: true }));
    assert.equal(after, `${toml}\n    privileged = true`);
    assert.deepEqual(tomlData(after), {
      runners: [{ executor: 'docker', docker: { network_mtu: 0, privileged: true } }],
    });
  });

  test('TOML: a table added at the end of the file', () => {
    const text = '[[runners]]\r\n  executor = "kubernetes"\r\n  [runners.kubernetes]\r';
    const runner = runnerTable(tomlModel(text));
    const ed = new TomlEditor(TOML_FILE, text);
    const after = applied(
      TOML_FILE,
      text,
      ed.setInTable(runner, ['kubernetes', 'service_container_security_context'], { privileged: true }),
    );
    assert.deepEqual(tomlData(after), {
      runners: [{ executor: 'kubernetes', kubernetes: { service_container_security_context: { privileged: true } } }],
    });
  });

  test('YAML: variables: added after the last line stay a key of the job', () => {
    const text = 'build:\r\n    script:\r\n        - docker info\r';
    const ed = YamlEditor.fromText(FILE, text);
    const after = applied(FILE, text, ed.setVariable(ed.get(['build']), 'DOCKER_TLS_CERTDIR', ''));
    assert.deepEqual(yamlData(after), [{ build: { script: ['docker info'], variables: { DOCKER_TLS_CERTDIR: '' } } }]);
  });
});

describe('block entries followed by deeper-indented lines', () => {
  test('a new key goes after trailing comments indented under the last entry', () => {
    const text = 'build:\n  script:\n    - docker info\n    # more steps later\nother:\n  script: [echo]\n';
    const ed = YamlEditor.fromText(FILE, text);
    const after = applied(FILE, text, ed.setKeys(ed.get(['build']), { services: ['docker:dind'] }));
    assert.equal(
      after,
      'build:\n  script:\n    - docker info\n    # more steps later\n  services: ["docker:dind"]\nother:\n  script: [echo]\n',
    );
  });

  test('a folded scalar with an under-indented line (a parse error inside the job): no insertion is offered', () => {
    const text = [
      'build:',
      '  script:',
      '    - >',
      '      docker build',
      '     --label x',
      '      .',
      '    - docker push',
      'next:',
      '  script: [echo]',
      '',
    ].join('\n');
    const ed = YamlEditor.fromText(FILE, text);
    const result = ed.setKeys(ed.get(['build']), { services: ['docker:dind'], variables: { DOCKER_TLS_CERTDIR: '' } });
    assert.equal(result.ok, false);
  });

  test('an anchor line left in a script sequence: the job gets no new keys, a clean job still does', () => {
    const text =
      'build:\n  script:\n    - docker build .\n  & x .\n    - docker push\nclean:\n  script: [docker info]\n';
    const ed = YamlEditor.fromText(FILE, text);
    refusedOrClean(FILE, text, ed.setVariable(ed.get(['build']), 'DOCKER_HOST', 'tcp://docker:2375'));
    applied(FILE, text, ed.setVariable(ed.get(['clean']), 'DOCKER_HOST', 'tcp://docker:2375'));
  });

  test('removing a sequence item whose deeper lines are broken is refused; a clean item is removed', () => {
    const text = [
      'services:',
      '  - name: docker:dind',
      '    alias: docker',
      '  - docker:24-dind',
      '    # a comment',
      '    - stray',
      'job:',
      '  services:',
      '    - docker:24-dind',
      '    - postgres:16',
      '  script: [echo]',
      '',
    ].join('\n');
    const ed = YamlEditor.fromText(FILE, text);
    refusedOrClean(FILE, text, ed.removeItem(ed.get(['services']), 1));
    const after = applied(FILE, text, ed.removeItem(ed.get(['job', 'services']), 0));
    assert.ok(after.endsWith('job:\n  services:\n    - postgres:16\n  script: [echo]\n'), after);
  });
});

describe('scalars not separated from their indicator by a space', () => {
  test('an empty value at the end of the text gets its value after a space', () => {
    const text = 'variables:\n  DOCKER_HOST: tcp://docker:2375\n  DOCKER_TLS_CERTDIR:';
    const ed = YamlEditor.fromText(FILE, text);
    const node = ed.get(['variables', 'DOCKER_TLS_CERTDIR']);
    const after = applied(FILE, text, ed.replaceScalar(node, '/certs'));
    assert.equal(after, 'variables:\n  DOCKER_HOST: tcp://docker:2375\n  DOCKER_TLS_CERTDIR: /certs');
  });

  test('a value the parser separated from `:` by a lone \\r', () => {
    const text = 'job:\n  services:\n    - name:\rdocker:27-dind\n      alias: docker\n';
    const ed = YamlEditor.fromText(FILE, text);
    const node = ed.get(['job', 'services', 0, 'name']);
    assert.ok(node);
    applied(FILE, text, ed.replaceScalar(node, 'docker:27.5.1-dind'));
  });
});

describe('a table header whose path is already taken (fuzz inputs 20154, 21770)', () => {
  const text = [
    '[[runners]]',
    '  executor = "kubernetes"',
    '  [runners.kubernetes]',
    '    privileged = true',
    '    volumes = ["/cache"]',
    '  [runners.cache]',
    '',
  ].join('\n');
  const emptyDir = { name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory' };

  test('a key holding a value on the way is refused (`volumes = [...]` blocks `[[...volumes.empty_dir]]`)', () => {
    const k8s = sub(runnerTable(tomlModel(text)), 'kubernetes');
    const result = new TomlEditor(TOML_FILE, text).addTable(k8s, ['volumes', 'empty_dir'], emptyDir, { array: true });
    assert.equal(result.ok, false);
  });

  test('a table defined twice is refused; a new element of an existing array of tables is added', () => {
    const withVolume =
      text.replace('volumes = ["/cache"]', 'cpu_limit = "2"') +
      '  [[runners.kubernetes.volumes.empty_dir]]\n    name = "a"\n    mount_path = "/a"\n';
    const runner = runnerTable(tomlModel(withVolume));
    const k8s = sub(runner, 'kubernetes');
    const ed = new TomlEditor(TOML_FILE, withVolume);
    assert.equal(ed.addTable(runner, ['cache'], { Type: 's3' }).ok, false, 'runners.cache exists');
    assert.equal(ed.addTable(k8s, ['volumes', 'empty_dir'], emptyDir).ok, false, 'a table where an array is');
    const after = applied(TOML_FILE, withVolume, ed.addTable(k8s, ['volumes', 'empty_dir'], emptyDir, { array: true }));
    assert.deepEqual(tomlData(after), {
      runners: [
        {
          executor: 'kubernetes',
          kubernetes: {
            privileged: true,
            cpu_limit: '2',
            volumes: { empty_dir: [{ name: 'a', mount_path: '/a' }, emptyDir] },
          },
          cache: {},
        },
      ],
    });
  });
});

describe('a job value that is itself broken (fuzz input 31804)', () => {
  test('replacing a value that holds a syntax error is refused; a clean value is replaced', () => {
    const broken = [
      'job:',
      '  services:',
      '        fi',
      "      command: ['--tls=false', '--host=tcp://0ipt:",
      '    - |',
      '      docker info',
      '  script: [echo]',
      '',
    ].join('\n');
    const ed = YamlEditor.fromText(FILE, broken);
    const result = ed.setKeys(ed.get(['job']), { services: ['docker:27.3-dind'] });
    assert.equal(result.ok, false, 'the broken services value is not replaced');
    const clean = 'job:\n  services: docker:dind\n  script: [echo]\n';
    const cleanEd = YamlEditor.fromText(FILE, clean);
    const after = applied(FILE, clean, cleanEd.setKeys(cleanEd.get(['job']), { services: ['docker:27.3-dind'] }));
    assert.deepEqual(yamlData(after), [{ job: { services: ['docker:27.3-dind'], script: ['echo'] } }]);
  });
});

describe('a mapping whose first entry has an explicit key (fuzz input 40560)', () => {
  test('new entries line up with the `?` indicator, not with the key after it', () => {
    const text = "build:\n  variables:\n    ? [a, b]\n    : c\n    DOCKER_TLS_CERTDIR: ''\n  script: [echo]\n";
    const ed = YamlEditor.fromText(FILE, text);
    const after = applied(FILE, text, ed.setKeys(ed.get(['build', 'variables']), { DOCKER_TLS_VERIFY: '1' }));
    assert.equal(
      after,
      'build:\n  variables:\n    ? [a, b]\n    : c\n    DOCKER_TLS_CERTDIR: \'\'\n    DOCKER_TLS_VERIFY: "1"\n  script: [echo]\n',
    );
  });
});

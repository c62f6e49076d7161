import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';

import { allRunnerTables, lookupRunnerKey, lookupRunnerTable, runnerJsonSchema, type Finding } from '@engine';

import { CORPUS_ABSENT_REASON, CORPUS_PRESENT, REPO_ROOT } from '../helpers/paths';
import { applyEdits, corpusConfigs, parse, tomlFixtures, walkTables } from './util';

const SCHEMA_ID = 'dind/runner-config-schema';

function schemaFindings(text: string): Finding[] {
  return parse(text).findings.filter((f) => f.ruleId === SCHEMA_ID);
}

function only(text: string): Finding {
  const findings = schemaFindings(text);
  assert.equal(findings.length, 1, JSON.stringify(findings.map((f) => f.message)));
  return findings[0] as Finding;
}

describe('schema findings', () => {
  test('a typo in [runners.docker] suggests the key and offers a rename', () => {
    const text = '[[runners]]\n  executor = "docker"\n  [runners.docker]\n    service_privileged = true\n';
    const f = only(text);
    assert.equal(f.severity, 'warning');
    assert.equal(text.slice(f.span.start, f.span.end), 'service_privileged');
    assert.match(f.message, /did you mean `services_privileged`\?/);
    const fixed = applyEdits(text, f.fixes[0]?.edits ?? []);
    assert.deepEqual(schemaFindings(fixed), []);
    assert.equal(parse(fixed).runners[0]?.docker?.entries.get('services_privileged')?.value, true);
  });

  test('a quoted boolean is a type error at the value, with a safe fix', () => {
    const text = '[[runners]]\n  [runners.docker]\n    privileged = "true"\n';
    const f = only(text);
    assert.equal(text.slice(f.span.start, f.span.end), '"true"');
    assert.match(f.message, /`privileged` must be a boolean/);
    assert.equal(f.fixes[0]?.safe, true);
    const fixed = applyEdits(text, f.fixes[0]?.edits ?? []);
    assert.equal(fixed, '[[runners]]\n  [runners.docker]\n    privileged = true\n');
    assert.deepEqual(schemaFindings(fixed), []);
  });

  test('other type errors: string for a list, float for an integer, table for a string', () => {
    const text = [
      'concurrent = 2.0',
      '[[runners]]',
      '  [runners.docker]',
      '    volumes = "/certs/client"',
      '    image = { name = "docker" }',
      '',
    ].join('\n');
    const findings = schemaFindings(text);
    assert.deepEqual(
      findings.map((f) => text.slice(f.span.start, f.span.end)),
      ['2.0', '"/certs/client"', '{ name = "docker" }'],
    );
    const wrap = findings[1]?.fixes[0];
    assert.equal(applyEdits(text, wrap?.edits ?? []).includes('volumes = ["/certs/client"]'), true);
  });

  test('concurrent = 0 is reported; check_interval = 0 is not (Runner falls back to 3)', () => {
    const f = only('concurrent = 0\ncheck_interval = 0\n');
    assert.match(f.message, /concurrent = 0/);
    assert.equal(f.span.start, 'concurrent = '.length);
  });

  test('malformed environment items are reported at the item', () => {
    const text =
      '[[runners]]\n  environment = ["GOOD=1", "NOEQUALS", "=x"]\n  [runners.docker]\n    [[runners.docker.services]]\n      name = "docker:dind"\n      environment = ["A"]\n';
    const findings = schemaFindings(text);
    assert.deepEqual(
      findings.map((f) => text.slice(f.span.start, f.span.end)),
      ['"NOEQUALS"', '"=x"', '"A"'],
    );
    const runner = parse(text).runners[0];
    assert.deepEqual([...(runner?.environment.keys() ?? [])], ['GOOD']);
  });

  test('enum values: an unknown executor is reported with a suggestion', () => {
    const text = '[[runners]]\n  executor = "dokcer"\n';
    const f = only(text);
    assert.match(f.message, /Did you mean `docker`\?/);
    assert.equal(applyEdits(text, f.fixes[0]?.edits ?? []), '[[runners]]\n  executor = "docker"\n');
  });

  test('a key in the wrong table says where it belongs', () => {
    const f = only('[[runners]]\n  executor = "docker"\n  privileged = true\n');
    assert.match(f.message, /Unknown key `privileged` in \[\[runners\]\].*\[runners\.docker\]/);
  });

  test('[runners] written as a single table is reported', () => {
    const f = only('[runners]\n  executor = "docker"\n');
    assert.match(f.message, /array of tables/);
  });

  test('open tables and Runner-version-dependent tables are conservative', () => {
    const text = [
      '[[runners]]',
      '  executor = "kubernetes"',
      '  [runners.machine]',
      '    AnyKey = 1',
      '  [runners.cache.s3]',
      '    SomethingNew = "x"',
      '  [runners.feature_flags]',
      '    FF_SOMETHING_NEW = true',
      '  [runners.kubernetes]',
      '    some_new_kubernetes_key = "x"',
      '    privilegd = true',
      '',
    ].join('\n');
    const findings = schemaFindings(text);
    assert.deepEqual(
      findings.map((f) => text.slice(f.span.start, f.span.end)),
      ['privilegd'],
    );
  });

  test('feature flags must be booleans; near misses of known flags are reported', () => {
    const text =
      '[[runners]]\n  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = "true"\n    FF_NETWORK_PER_BUIDL = true\n';
    const findings = schemaFindings(text);
    assert.deepEqual(
      findings.map((f) => text.slice(f.span.start, f.span.end)),
      ['"true"', 'FF_NETWORK_PER_BUIDL'],
    );
  });
});

describe('no false positives', () => {
  test('canonical configurations of spec section B', () => {
    const fixtures = tomlFixtures().filter(([n]) => n.startsWith('canonical/'));
    assert.ok(fixtures.length >= 12);
    for (const [name, text] of fixtures) {
      const config = parse(text);
      if (name === 'canonical/B8.toml') {
        assert.deepEqual(
          config.findings.map((f) => f.ruleId),
          ['dind/toml-syntax'],
          name,
        );
        continue;
      }
      assert.deepEqual(config.findings, [], name);
      assert.ok(config.runners.length >= 1, name);
    }
  });

  test(
    'corpus runner configs: only the deliberately odd ones have findings',
    { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON },
    (t) => {
      const configs = corpusConfigs();
      assert.ok(configs.length > 20);
      const expected: Record<string, string[]> = {
        // Upstream lint fixture: `[[runner.kubernetes.volumes.pvc]]` should be `runners`.
        'gitlabhq__gitlab-runner__commands__testdata__lint__wrong_section.toml': ['runner'],
        // A made-up `[runners.docker.registry]` table (Runner ignores it, and the global keys inside it).
        'jarandht__gitlab__gitlab-runner__config.toml': ['registry'],
      };
      for (const [name, text] of configs) {
        const config = parse(text);
        const got = config.findings.map((f) => text.slice(f.span.start, f.span.end));
        for (const f of config.findings) t.diagnostic(`${name}: ${f.message}`);
        assert.deepEqual(got, expected[name] ?? [], name);
        assert.ok(
          config.findings.every((f) => f.ruleId === SCHEMA_ID),
          name,
        );
      }
      const wrong = parse(configs.find(([n]) => n.includes('wrong_section'))?.[1] ?? '');
      assert.match(wrong.findings[0]?.message ?? '', /did you mean `runners`/);
      assert.equal(wrong.runners.length, 1);
      assert.equal(wrong.runners[0]?.kubernetes, null, 'the misspelled table does not attach to the runner');
    },
  );

  test(
    'the schema lookup accepts every key of the corpus configs (outside open tables)',
    { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON },
    (t) => {
      const unknown: string[] = [];
      let known = 0;
      for (const [name, text] of corpusConfigs()) {
        for (const { table } of walkTables(parse(text).root)) {
          const schema = lookupRunnerTable(table.path);
          if (!schema || schema.strictness === 'open') continue;
          for (const key of table.entries.keys()) {
            if (lookupRunnerKey(table.path, key)) known++;
            else unknown.push(`${name}: [${table.path}] ${key}`);
          }
        }
      }
      for (const u of unknown) t.diagnostic(`genuine unknown key: ${u}`);
      assert.deepEqual(unknown, [], 'genuine unknowns are reported as findings by the previous test');
      assert.ok(known > 200, `${known} keys checked`);
    },
  );
});

describe('schema data and JSON Schema', () => {
  test('lookup: types, docs links and one-line docs for the DinD keys', () => {
    const privileged = lookupRunnerKey('runners.docker', 'privileged');
    assert.equal(privileged?.type, 'boolean');
    assert.equal(privileged?.default, false);
    assert.match(
      privileged?.docs ?? '',
      /^https:\/\/docs\.gitlab\.com\/runner\/configuration\/advanced-configuration\/#/,
    );
    assert.equal(lookupRunnerKey('runners.docker', 'pull_policy')?.type, 'string-or-string[]');
    assert.equal(lookupRunnerKey('runners', 'token_obtained_at')?.type, 'datetime');
    assert.equal(lookupRunnerKey('runners.docker.services', 'alias')?.type, 'string');
    assert.equal(lookupRunnerKey('runners.kubernetes.services', 'environment')?.type, 'string[]');
    assert.equal(lookupRunnerKey('runners.kubernetes.volumes.empty_dir', 'medium')?.type, 'string');
    assert.equal(
      lookupRunnerKey('runners.kubernetes.service_container_security_context.capabilities', 'add')?.type,
      'string[]',
    );
    assert.equal(lookupRunnerTable('runners.machine')?.strictness, 'open');
    assert.equal(lookupRunnerKey('runners.docker', 'nope'), undefined);
    for (const table of allRunnerTables()) {
      for (const key of table.keys.values()) {
        assert.ok(key.doc.length > 5 && !key.doc.includes('\n'), `${table.path}.${key.name} doc`);
        assert.match(key.docs, /^https:\/\/docs\.gitlab\.com\/runner\//, `${table.path}.${key.name} docs`);
        if (key.type === 'table' || key.type === 'table[]') assert.ok(key.table, `${table.path}.${key.name} table`);
      }
    }
  });

  test('every [runners.docker] key of spec C2 is modelled', () => {
    const c2 = [
      'host',
      'tls_verify',
      'tls_cert_path',
      'image',
      'privileged',
      'services_privileged',
      'allowed_privileged_services',
      'allowed_privileged_images',
      'allowed_images',
      'allowed_services',
      'allowed_pull_policies',
      'pull_policy',
      'volumes',
      'volumes_from',
      'volume_driver',
      'volume_driver_ops',
      'volume_keep',
      'disable_cache',
      'cache_dir',
      'network_mode',
      'network_mtu',
      'enable_ipv6',
      'dns',
      'dns_search',
      'extra_hosts',
      'links',
      'runtime',
      'isolation',
      'userns_mode',
      'pid_mode',
      'ipcmode',
      'security_opt',
      'services_security_opt',
      'cap_add',
      'cap_drop',
      'devices',
      'device_cgroup_rules',
      'services_devices',
      'gpus',
      'service_gpus',
      'user',
      'allowed_users',
      'group_add',
      'hostname',
      'mac_address',
      'memory',
      'memory_swap',
      'memory_reservation',
      'cpus',
      'cpuset_cpus',
      'cpuset_mems',
      'cgroup_parent',
      'cpu_shares',
      'service_memory',
      'service_cpus',
      'service_cpuset_cpus',
      'service_cpu_shares',
      'service_cgroup_parent',
      'service_slot_cgroup_template',
      'shm_size',
      'oom_kill_disable',
      'oom_score_adjust',
      'ulimit',
      'sysctls',
      'tmpfs',
      'services_tmpfs',
      'wait_for_services_timeout',
      'services_limit',
      'services',
      'disable_entrypoint_overwrite',
      'helper_image',
      'helper_image_flavor',
      'helper_image_autoset_arch_and_os',
      'container_labels',
      'log_options',
    ];
    const missing = c2.filter((k) => !lookupRunnerKey('runners.docker', k));
    assert.deepEqual(missing, []);
  });

  test('the committed JSON Schema is in sync with schema.ts (regenerate: node scripts/gen-schema.mjs)', () => {
    const committed: unknown = JSON.parse(
      readFileSync(resolve(REPO_ROOT, 'schemas', 'gitlab-runner-config.schema.json'), 'utf8'),
    );
    assert.deepEqual(committed, JSON.parse(JSON.stringify(runnerJsonSchema())));
  });

  test('JSON Schema shape: runners is an array, docker.privileged a boolean, closed tables reject unknown keys', () => {
    interface Node {
      type?: string;
      minimum?: number;
      additionalProperties?: unknown;
      properties?: Record<string, Node>;
      items?: Node;
    }
    const schema = runnerJsonSchema() as Node;
    const runners = schema.properties?.['runners'];
    assert.equal(runners?.type, 'array');
    const docker = runners?.items?.properties?.['docker'];
    assert.equal(docker?.properties?.['privileged']?.type, 'boolean');
    assert.equal(docker?.additionalProperties, false);
    assert.equal(runners?.items?.properties?.['machine']?.additionalProperties, true);
    assert.deepEqual(runners?.items?.properties?.['feature_flags']?.additionalProperties, { type: 'boolean' });
    assert.equal(schema.properties?.['concurrent']?.minimum, 1);
  });
});

test('a typo whose suggested key is already in the table is reported without a rename fix', () => {
  const config = parse(
    '[[runners]]\n  executor = "docker"\n  [runners.docker]\n    privileged = true\n    privilegd = false\n',
  );
  const typo = config.findings.find((f) => f.message.includes('privilegd'));
  assert.ok(typo, config.findings.map((f) => f.message).join(' | '));
  assert.deepEqual(typo.fixes, [], 'renaming would define privileged twice');
  const alone = parse('[[runners]]\n  executor = "docker"\n  [runners.docker]\n    privilegd = false\n');
  assert.equal(alone.findings.find((f) => f.message.includes('privilegd'))?.fixes.length, 1);
});

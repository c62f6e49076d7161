// Runs the bundled engine over the shared corpus and prints the findings per rule as a Markdown table:
// GitLab's templates checked against the canonical TLS runner config (spec B2), and the real-world pipelines against
// the assumed GitLab.com instance runners. Usage: node scripts/corpus-report.mjs [--json]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const corpus = resolve(root, '..', 'shared', 'corpus');
if (!existsSync(corpus)) {
  console.error(`The shared corpus is absent (expected at ../shared/corpus beside the repository); nothing to report.`);
  process.exit(2);
}
const require = createRequire(import.meta.url);
const engine = require(resolve(root, process.env.DIST_DIR ?? 'dist', 'engine.js'));

const B2 = `[[runners]]
  name = "tls-docker-runner"
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = true
    disable_cache = false
    volumes = ["/certs/client", "/cache"]
`;
const B2_PATH = '/__corpus__/b2/config.toml';

const host = {
  readFile(path) {
    if (path === B2_PATH) return { kind: 'ok', text: B2 };
    try {
      return { kind: 'ok', text: readFileSync(path, 'utf8') };
    } catch (e) {
      return e.code === 'ENOENT' ? { kind: 'missing' } : { kind: 'error', message: String(e.message) };
    }
  },
  readDirectory(path) {
    try {
      return readdirSync(path, { withFileTypes: true }).map((d) => ({ name: d.name, isDirectory: d.isDirectory() }));
    } catch {
      return undefined;
    }
  },
};

function yamlFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(name) ? [full] : [];
  });
}

function run(label, files, workspaceOf, runnerConfigs, settings) {
  const counts = new Map();
  let total = 0;
  for (const file of files) {
    const analysis = engine.analyze(host, {
      workspaceRoot: workspaceOf(file),
      pipelines: [file],
      runnerConfigs,
      settings: { ...engine.DEFAULT_SETTINGS, ...settings },
    });
    for (const f of analysis.findings) {
      if (f.file === B2_PATH) continue;
      const key = `${f.ruleId}\t${f.severity}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      total++;
    }
  }
  return { label, files: files.length, total, counts };
}

const templatesDir = join(corpus, 'gitlab-templates');
const realDir = join(corpus, 'real-world');
const results = [
  run('gitlab-templates (B2 runner)', yamlFiles(templatesDir), () => templatesDir, [B2_PATH], {}),
  run(
    'real-world (assumed GitLab.com runner)',
    yamlFiles(realDir),
    (f) => join(realDir, f.slice(realDir.length + 1).split('/')[0]),
    [],
    { assumeRunner: 'gitlab-saas' },
  ),
];

if (process.argv.includes('--json')) {
  console.log(
    JSON.stringify(
      results.map((r) => ({ ...r, counts: Object.fromEntries(r.counts) })),
      null,
      2,
    ),
  );
} else {
  const keys = [...new Set(results.flatMap((r) => [...r.counts.keys()]))].sort();
  console.log(`| Rule | Severity | ${results.map((r) => `${r.label}, ${r.files} files`).join(' | ')} |`);
  console.log(`| --- | --- | ${results.map(() => '---:').join(' | ')} |`);
  for (const k of keys) {
    const [rule, sev] = k.split('\t');
    console.log(`| \`${rule}\` | ${sev} | ${results.map((r) => r.counts.get(k) ?? 0).join(' | ')} |`);
  }
}

// A14 `dind/certs-volume-shared`: the runner shares the dind certificate directory across jobs: a host-bound cert
// path, the whole `/certs` (which holds the CA private key) or `/certs/ca`. Concurrent dind services then overwrite
// each other's CA (intermittent x509 errors). Info: an anonymous `/certs/client` persists in `cache_dir` when jobs
// run concurrently.

import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import type { TomlTable } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import {
  boolEntry,
  dockerVolumes,
  executorClass,
  isPathOrParent,
  normalizePath,
  stringEntry,
  type RunnerVolume,
} from '../semantics/runner';
import type { Rule } from './rule';
import { fixes, makeFix } from './tls-certs-volume-missing';

const X509 =
  'x509: certificate signed by unknown authority (possibly because of "crypto/rsa: verification error" while trying ' +
  'to verify candidate authority certificate "docker:dind CA")';

function intEntry(table: TomlTable | null | undefined, key: string): number | null {
  const v = table?.entries.get(key)?.value;
  return typeof v === 'number' ? v : null;
}

export const certsVolumeShared: Rule = {
  meta: {
    id: 'dind/certs-volume-shared',
    catalogue: 'A14',
    defaultSeverity: 'warning',
    scope: 'TOML',
    title: 'Share only an anonymous per-job `/certs/client` volume, not a host path, `/certs` or `/certs/ca`',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-a-unix-socket-on-a-shared-volume-between-docker-in-docker-and-build-container',
    fixSafe: false,
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like' || !runner.docker) return;
    const docker = runner.docker;
    const dirs = new Set<string>(['/certs']);
    for (const job of check.jobs) {
      for (const facts of JobFacts.variants(job, runner, check.settings)) {
        for (const s of facts.dindServices) {
          const d = facts.daemon(s).certDir;
          if (d.state === 'set' && d.value.trim() !== '') dirs.add(normalizePath(d.value));
        }
      }
    }
    const volumes = dockerVolumes(runner);
    const editor = TomlEditor.fromSources(check.sources, runner.file);
    const hasClient = (dir: string) =>
      volumes.some((v) => v.kind === 'anonymous' && v.containerPath === normalizePath(`${dir}/client`));
    const replaceFix = (v: RunnerVolume, dir: string) => {
      if (!editor) return undefined;
      const client = normalizePath(`${dir}/client`);
      const result = hasClient(dir)
        ? editor.removeArrayItem(docker, 'volumes', v.index)
        : { ok: true as const, edits: [{ file: runner.file, span: v.origin.span, newText: tomlString(client) }] };
      return makeFix(
        hasClient(dir)
          ? `Remove "${v.raw}" (keep the anonymous "${client}")`
          : `Use the anonymous per-job volume "${client}"`,
        false,
        true,
        result,
      );
    };
    for (const v of volumes) {
      for (const dir of dirs) {
        const client = normalizePath(`${dir}/client`);
        const ca = normalizePath(`${dir}/ca`);
        const hostBound =
          v.kind === 'bind' && (isPathOrParent(v.containerPath, client) || isPathOrParent(dir, v.containerPath));
        const whole = v.kind === 'anonymous' && v.containerPath === dir;
        const caDir = v.kind === 'anonymous' && v.containerPath === ca;
        if (!hostBound && !whole && !caDir) continue;
        const what = hostBound
          ? `binds the host path \`${v.source ?? ''}\` to \`${v.containerPath}\`, so every job shares the same dind cert directory`
          : `mounts \`${v.containerPath}\`${whole ? ' (the whole cert directory, with the CA private key)' : ' (the CA private key)'}`;
        report({
          message:
            `Runner \`${runner.label}\` ${what}. The dind cert directory is shared across jobs: concurrent dind ` +
            `services overwrite each other's CA, giving intermittent "${X509}". Mounting ${dir} or ${ca} also exposes ` +
            `the CA key to jobs. Share only the anonymous "${client}".`,
          file: runner.file,
          span: v.origin.span,
          job: null,
          fixes: fixes(replaceFix(v, dir)),
        });
        break;
      }
    }

    const cacheDir = stringEntry(docker, 'cache_dir') ?? stringEntry(runner.table, 'cache_dir');
    const concurrent = intEntry(check.config.root, 'concurrent') ?? 1;
    const limit = intEntry(runner.table, 'limit') ?? 0;
    if (!cacheDir || boolEntry(docker, 'disable_cache')?.value === true) return;
    if (concurrent <= 1 || limit === 1) return;
    for (const v of volumes) {
      if (v.kind !== 'anonymous' || ![...dirs].some((d) => v.containerPath === normalizePath(`${d}/client`))) continue;
      const disable = editor
        ? makeFix('Set disable_cache = true', false, true, editor.setKey(docker, 'disable_cache', true))
        : undefined;
      report({
        severity: 'info',
        message:
          `Runner \`${runner.label}\` keeps anonymous volumes in cache_dir \`${cacheDir.value}\`, so "${v.containerPath}" ` +
          `persists on the host and is shared by concurrent jobs (concurrent = ${concurrent}): dind services may ` +
          `overwrite each other's certificates ("${X509}"). Set disable_cache = true to make it a per-job volume.`,
        file: runner.file,
        span: v.origin.span,
        job: null,
        fixes: fixes(disable),
      });
    }
  },
};

// A14 `dind/certs-volume-shared`: the runner shares the dind certificate directory across jobs: a host-bound cert
// path, the whole `/certs` (which holds the CA private key) or `/certs/ca`. Concurrent dind services then overwrite
// each other's CA (intermittent x509 errors). Info: an anonymous `/certs/client` persists in `cache_dir` when jobs
// run concurrently.

import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { msg } from '../i18n';
import type { EffectiveJob } from '../ci/model';
import type { Runner, TomlTable } from '../runner/model';
import type { Settings } from '../settings';
import type { Fix } from '../types';
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

/** The TLS certificate directories the job's dind services use on the runner. */
function certDirs(job: EffectiveJob, runner: Runner, settings: Settings): readonly string[] {
  const out: string[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    for (const s of facts.dindServices) {
      const d = facts.daemon(s).certDir;
      if (d.state === 'set' && d.value.trim() !== '') out.push(normalizePath(d.value));
    }
  }
  return out;
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

  messages: {
    en: {
      'certs-volume-shared.shared':
        'Runner `{runner}` {what}. The dind cert directory is shared across jobs: concurrent dind services overwrite ' +
        'each other\'s CA, giving intermittent "{error}". Mounting {dir} or {ca} also exposes the CA key to jobs. ' +
        'Share only the anonymous "{client}".',
      'certs-volume-shared.what-host-path':
        'binds the host path `{source}` to `{path}`, so every job shares the same dind cert directory',
      'certs-volume-shared.what-whole-dir': 'mounts `{path}` (the whole cert directory, with the CA private key)',
      'certs-volume-shared.what-ca-dir': 'mounts `{path}` (the CA private key)',
      'certs-volume-shared.cache-dir':
        'Runner `{runner}` keeps anonymous volumes in cache_dir `{cacheDir}`, so "{path}" persists on the host and is ' +
        "shared by concurrent jobs (concurrent = {concurrent}): dind services may overwrite each other's certificates " +
        '("{error}"). Set disable_cache = true to make it a per-job volume.',
      'certs-volume-shared.fix-remove': 'Remove "{volume}" (keep the anonymous "{client}")',
      'certs-volume-shared.fix-use-client': 'Use the anonymous per-job volume "{client}"',
      'certs-volume-shared.fix-disable-cache': 'Set disable_cache = true',
    },
    'zh-cn': {
      'certs-volume-shared.shared':
        'Runner `{runner}` {what}。dind 证书目录在作业之间共享：并发运行的 dind 服务会互相覆盖对方的 CA，导致间歇性的 ' +
        '"{error}" 错误。挂载 {dir} 或 {ca} 还会把 CA 私钥暴露给作业。请只共享匿名卷 "{client}"。',
      'certs-volume-shared.what-host-path':
        '将主机路径 `{source}` 绑定到 `{path}`，因此所有作业共享同一个 dind 证书目录',
      'certs-volume-shared.what-whole-dir': '挂载了 `{path}`（整个证书目录，包含 CA 私钥）',
      'certs-volume-shared.what-ca-dir': '挂载了 `{path}`（CA 私钥）',
      'certs-volume-shared.cache-dir':
        'Runner `{runner}` 将匿名卷保存在 cache_dir `{cacheDir}` 中，因此 "{path}" 会持久保存在主机上，并被并发作业共享' +
        '（concurrent = {concurrent}）：dind 服务可能会互相覆盖对方的证书（"{error}"）。请设置 disable_cache = true，' +
        '使其成为每个作业独立的卷。',
      'certs-volume-shared.fix-remove': '删除 "{volume}"（保留匿名卷 "{client}"）',
      'certs-volume-shared.fix-use-client': '改用每个作业独立的匿名卷 "{client}"',
      'certs-volume-shared.fix-disable-cache': '设置 disable_cache = true',
    },
  },

  checkRunner(check, report) {
    const runner = check.runner;
    if (executorClass(runner) !== 'docker-like' || !runner.docker) return;
    const docker = runner.docker;
    const dirs = new Set<string>(['/certs']);
    // Memoised per job and runner: an edit recomputes only the jobs it changed.
    const memo = JobFacts.memoTable<readonly string[]>('certs-volume-shared/dirs', runner, check.settings);
    for (const job of check.jobs)
      for (const d of memo.get(job, () => certDirs(job, runner, check.settings), 'as-is')) dirs.add(d);
    const volumes = dockerVolumes(runner);
    const editor = () => TomlEditor.fromSources(check.sources, runner.file);
    const hasClient = (dir: string) =>
      volumes.some((v) => v.kind === 'anonymous' && v.containerPath === normalizePath(`${dir}/client`));
    const replaceFix = (v: RunnerVolume, dir: string) => {
      const e = editor();
      if (!e) return undefined;
      const client = normalizePath(`${dir}/client`);
      const result = hasClient(dir)
        ? e.removeArrayItem(docker, 'volumes', v.index)
        : { ok: true as const, edits: [{ file: runner.file, span: v.origin.span, newText: tomlString(client) }] };
      return makeFix(
        hasClient(dir)
          ? msg('certs-volume-shared.fix-remove', { volume: v.raw, client })
          : msg('certs-volume-shared.fix-use-client', { client }),
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
          ? msg('certs-volume-shared.what-host-path', { source: v.source ?? '', path: v.containerPath })
          : whole
            ? msg('certs-volume-shared.what-whole-dir', { path: v.containerPath })
            : msg('certs-volume-shared.what-ca-dir', { path: v.containerPath });
        report({
          message: msg('certs-volume-shared.shared', { runner: runner.label, what, error: X509, dir, ca, client }),
          file: runner.file,
          span: v.origin.span,
          job: null,
          fixes: () => fixes(replaceFix(v, dir)),
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
      const disable = (): Fix | undefined => {
        const e = editor();
        return (
          e &&
          makeFix(msg('certs-volume-shared.fix-disable-cache'), false, true, e.setKey(docker, 'disable_cache', true))
        );
      };
      report({
        severity: 'info',
        message: msg('certs-volume-shared.cache-dir', {
          runner: runner.label,
          cacheDir: cacheDir.value,
          path: v.containerPath,
          concurrent,
          error: X509,
        }),
        file: runner.file,
        span: v.origin.span,
        job: null,
        fixes: () => fixes(disable()),
      });
    }
  },
};

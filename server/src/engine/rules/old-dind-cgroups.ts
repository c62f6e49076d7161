// A30 `dind/old-dind-cgroups` — see the rule catalogue (spec section A, A30): a dind service older than 20.10 cannot
// run containers on hosts with cgroup v2 (Docker Engine ≥ 20.10 hosts), and 18.09 and older start without TLS.

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import {
  compareVersions,
  comparableVersion,
  dockerTag,
  RECOMMENDED_DOCKER_VERSION,
  replaceImageTag,
  type ComparableVersion,
  type DockerTag,
} from '../semantics/images';
import type { TomlEntry } from '../runner/model';
import type { Svc } from '../semantics/services';
import type { SourceStore } from '../sources';
import type { Fix } from '../types';
import { andList } from './lists';
import type { JobCheck, Rule } from './rule';
import { setVariablesEdit } from './tls-certs-volume-missing';

const CGROUP_V2_RELEASE = { major: 20, minor: 10 };
const TLS_DEFAULT_RELEASE = { major: 19, minor: 3 };

export const oldDindCgroups: Rule = {
  meta: {
    id: 'dind/old-dind-cgroups',
    catalogue: 'A30',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'dind service older than Docker 20.10 fails on cgroup v2 hosts',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#error-cgroups-cgroup-mountpoint-does-not-exist-unknown',
    fixSafe: false,
  },

  messages: {
    en: {
      'old-dind-cgroups.message':
        'The dind service `{name}` runs Docker {shown}: dind < 20.10 cannot build on hosts with Docker Engine ≥ 20.10 ' +
        '(cgroup v2); job `{job}` fails with `{error}`.{noTls} Use `{image}` (≥ 20.10).',
      'old-dind-cgroups.no-tls': ' Docker {shown} also starts without TLS: its image does not set DOCKER_TLS_CERTDIR.',
      'old-dind-cgroups.stable-version': '19.03 (`stable` stopped there)',
      'old-dind-cgroups.fix-use': 'Use {images}',
      'old-dind-cgroups.fix-use-tls-off': 'Use {images}, keeping TLS off (DOCKER_TLS_CERTDIR: "")',
    },
    'zh-cn': {
      'old-dind-cgroups.message':
        'dind 服务 `{name}` 运行的是 Docker {shown}：低于 20.10 的 dind 无法在 Docker Engine ≥ 20.10（cgroup v2）' +
        '的主机上构建；作业 `{job}` 会失败，报错 `{error}`。{noTls}请使用 `{image}`（≥ 20.10）。',
      'old-dind-cgroups.no-tls': 'Docker {shown} 启动时也不启用 TLS：它的镜像没有设置 DOCKER_TLS_CERTDIR。',
      'old-dind-cgroups.stable-version': '19.03（`stable` 停留在该版本）',
      'old-dind-cgroups.fix-use': '改用 {images}',
      'old-dind-cgroups.fix-use-tls-off': '改用 {images}，并保持 TLS 关闭（DOCKER_TLS_CERTDIR: ""）',
    },
  },

  checkJob(check, report) {
    const facts = new JobFacts(check.job, check.runner, check.settings);
    for (const s of facts.dindServices) {
      if (s.source === 'runner' && check.runnerAssumed) continue;
      const tag = oldTag(s.ref);
      if (!tag) continue;
      const version = comparableVersion(tag.version);
      const shown = tag.version.kind === 'pinned' ? tag.version.text : msg('old-dind-cgroups.stable-version');
      const noTls = compareVersions(version, TLS_DEFAULT_RELEASE) < 0 ? msg('old-dind-cgroups.no-tls', { shown }) : '';
      const newName = replaceImageTag(s.name.value, `${RECOMMENDED_DOCKER_VERSION}-${tag.suffix || 'dind'}`);
      report({
        message: msg('old-dind-cgroups.message', {
          name: s.name.value,
          shown,
          job: check.job.name,
          error: 'cgroups: cgroup mountpoint does not exist: unknown',
          noTls,
          image: newName ?? `docker:${RECOMMENDED_DOCKER_VERSION}-dind`,
        }),
        file: s.name.origin.file,
        span: s.name.origin.span,
        fixes: () => {
          const fix = newName ? upgradeFix(check, facts, s, newName) : null;
          return fix ? [fix] : [];
        },
      });
    }
  },
};

/** `a`, `a and b`, ... as a localisable phrase. */

/** The tag of a `docker` image older than 20.10 (`stable` counts as 19.03), or null. */
function oldTag(ref: Svc['ref']): DockerTag | null {
  if ((ref.tag ?? '').includes('$')) return null;
  const tag = dockerTag(ref);
  if (!tag) return null;
  const v: ComparableVersion & { floating: boolean } = comparableVersion(tag.version);
  return !v.floating && compareVersions(v, CGROUP_V2_RELEASE) < 0 ? tag : null;
}

/** Replaces an image name at its origin: the TOML `name` entry of a runner service, else the YAML scalar. */
function replaceName(
  sources: SourceStore,
  origin: Origin,
  entry: TomlEntry | undefined,
  name: string,
): EditResult | null {
  if (entry) {
    const editor = TomlEditor.fromSources(sources, origin.file);
    return editor ? editor.replaceValue(entry, name) : null;
  }
  const editor = YamlEditor.fromSources(sources, origin.file);
  const node = editor?.locate(origin.span);
  return editor && node ? editor.replaceScalar(node.node, name) : null;
}

/**
 * True when the service's daemon runs without TLS only because its old image sets no DOCKER_TLS_CERTDIR (18.09 and
 * older): a 19.03+ image defaults to `/certs`, so upgrading it alone would turn TLS on under a TLS-off setup.
 */
function tlsOffByImageDefault(facts: JobFacts, s: Svc): boolean {
  const daemon = facts.daemon(s);
  if (daemon.tls !== false || !daemon.entrypointRuns) return false;
  const certDir = daemon.certDir;
  return certDir.state === 'unset' || certDir.layer === 'image-default';
}

/**
 * Upgrades the service, and the job's `docker` client image with it when that is just as old (a matching pair). When
 * the old image's default kept TLS off, the fix also writes `DOCKER_TLS_CERTDIR: ""` so that the setup stays TLS-off
 * (not offered for a runner-defined service, which other jobs share).
 */
function upgradeFix(check: JobCheck, facts: JobFacts, s: Svc, name: string): Fix | null {
  const sources = check.sources;
  const entry = s.source === 'runner' ? s.runnerService?.table.entries.get('name') : undefined;
  if (s.source === 'runner' && !entry) return null;
  const keepTlsOff = tlsOffByImageDefault(facts, s);
  if (keepTlsOff && s.source === 'runner') return null;
  const service = replaceName(sources, s.name.origin, entry, name);
  if (!service) return null;
  const results: EditResult[] = [service];
  if (keepTlsOff) results.push(setVariablesEdit(check, facts, s, { DOCKER_TLS_CERTDIR: '' }));
  const names = [name];
  const image = facts.image;
  if (image && image.source === 'job' && oldTag(image.ref)) {
    const client = replaceImageTag(image.name.value, `${RECOMMENDED_DOCKER_VERSION}-cli`);
    const edit = client ? replaceName(sources, image.name.origin, undefined, client) : null;
    if (client && edit) {
      results.push(edit);
      names.push(client);
    }
  }
  const r = combineEdits(...results);
  const title = msg(keepTlsOff ? 'old-dind-cgroups.fix-use-tls-off' : 'old-dind-cgroups.fix-use', {
    images: andList(names),
  });
  return r.ok && r.edits.length > 0
    ? { title: '', l10nTitle: title, safe: false, preferred: true, edits: r.edits }
    : null;
}

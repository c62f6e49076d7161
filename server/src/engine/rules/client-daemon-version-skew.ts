// A29 `dind/client-daemon-version-skew` — see the rule catalogue (spec section A, A29): the job's Docker client is
// older than the oldest API version its dind daemon accepts (Engine 29 needs API ≥ 1.44, i.e. a client ≥ 25), or
// client and daemon differ in major version. The API tables live in semantics/images.ts (data, spec E3).

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import {
  apiVersionOfRelease,
  compareApiVersions,
  comparableVersion,
  dockerTag,
  minClientApiOfRelease,
  replaceImageTag,
  type DockerTag,
} from '../semantics/images';
import { executorSection } from '../semantics/runner';
import type { EffectiveImage } from '../semantics/services';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';

const RUNTIME_ERROR =
  'Error response from daemon: client version {x} is too old. Minimum supported API version is {min}, please upgrade your client to a newer version';

export const clientDaemonVersionSkew: Rule = {
  meta: {
    id: 'dind/client-daemon-version-skew',
    catalogue: 'A29',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'Docker client image is too old for the dind daemon, or their major versions differ',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },

  messages: {
    en: {
      'client-daemon-version-skew.too-old':
        '{daemon} requires client API ≥ {min} but `{image}` ships Docker {client} (API {api}): every docker command in ' +
        'job `{job}` fails with `{error}`.{use}',
      'client-daemon-version-skew.major-differs':
        'The Docker client `{image}` (Docker {client}) and the dind service `{service}` (Docker {daemon}) differ in ' +
        'major version: a daemon that drops old API versions breaks the client of job `{job}`.{use}',
      'client-daemon-version-skew.floating-daemon': '`{name}` (a floating tag, now Docker {major} or newer)',
      'client-daemon-version-skew.stable-version': '19.03 (`stable` has not been updated since)',
      'client-daemon-version-skew.floating-version': '{channel} (floating)',
      'client-daemon-version-skew.use': ' Use `{image}` (the same version as the service).',
      'client-daemon-version-skew.fix-job-image': 'Use {image} as the job image',
      'client-daemon-version-skew.fix-runner-image': "Use {image} as the runner's default image",
    },
    'zh-cn': {
      'client-daemon-version-skew.too-old':
        '{daemon} 要求客户端 API ≥ {min}，但 `{image}` 提供的是 Docker {client}（API {api}）：作业 `{job}` 中的每条 ' +
        'docker 命令都会失败，报错 `{error}`。{use}',
      'client-daemon-version-skew.major-differs':
        'Docker 客户端 `{image}`（Docker {client}）与 dind 服务 `{service}`（Docker {daemon}）的主版本不同：' +
        '守护进程一旦停止支持旧的 API 版本，作业 `{job}` 的客户端就会失效。{use}',
      'client-daemon-version-skew.floating-daemon': '`{name}`（浮动标签，当前为 Docker {major} 或更新版本）',
      'client-daemon-version-skew.stable-version': '19.03（`stable` 此后没有再更新）',
      'client-daemon-version-skew.floating-version': '{channel}（浮动标签）',
      'client-daemon-version-skew.use': '请使用 `{image}`（与服务相同的版本）。',
      'client-daemon-version-skew.fix-job-image': '将作业镜像改为 {image}',
      'client-daemon-version-skew.fix-runner-image': '将 Runner 的默认镜像改为 {image}',
    },
  },

  checkJob(check, report) {
    const facts = new JobFacts(check.job, check.runner, check.settings);
    const image = facts.image;
    if (!image || (image.source === 'runner' && check.runnerAssumed)) return;
    const clientTag = usableTag(image.ref);
    if (!clientTag) return;
    const client = comparableVersion(clientTag.version);
    const clientText = versionText(clientTag);
    for (const s of facts.dindServices) {
      const daemonTag = usableTag(s.ref);
      if (!daemonTag) continue;
      const daemon = comparableVersion(daemonTag.version);
      const minApi = minClientApiOfRelease(daemon);
      const clientApi = client.floating ? null : apiVersionOfRelease(client);
      const tooOld = minApi !== null && clientApi !== null && compareApiVersions(clientApi, minApi) < 0;
      const majorsDiffer = !client.floating && !daemon.floating && client.major !== daemon.major;
      if (!tooOld && !majorsDiffer) continue;

      const newTag = clientTagFor(daemonTag);
      const suggested = replaceImageTag(image.name.value, newTag);
      const daemonDesc = daemon.floating
        ? msg('client-daemon-version-skew.floating-daemon', { name: s.name.value, major: daemon.major })
        : `\`${s.name.value}\``;
      const use = suggested ? msg('client-daemon-version-skew.use', { image: suggested }) : '';
      const message = tooOld
        ? msg('client-daemon-version-skew.too-old', {
            daemon: daemonDesc,
            min: minApi ?? '',
            image: image.name.value,
            client: clientText,
            api: clientApi ?? '',
            job: check.job.name,
            error: RUNTIME_ERROR.replace('{x}', clientApi ?? '').replace('{min}', minApi ?? ''),
            use,
          })
        : msg('client-daemon-version-skew.major-differs', {
            image: image.name.value,
            client: clientText,
            service: s.name.value,
            daemon: versionText(daemonTag),
            job: check.job.name,
            use,
          });
      report({
        message,
        file: image.name.origin.file,
        span: image.name.origin.span,
        severity: tooOld ? 'error' : 'warning',
        related: [
          { file: s.name.origin.file, span: s.name.origin.span, message: `dind service of job ${check.job.name}` },
        ],
        fixes: () => {
          const fix = suggested ? clientFix(check, image, suggested) : null;
          return fix ? [fix] : [];
        },
      });
    }
  },
};

/** The parsed tag of a `docker` image whose version can be read (no variable in the tag, not digest-only). */
function usableTag(ref: EffectiveImage['ref']): DockerTag | null {
  if (ref.tag === null && ref.digest !== null) return null;
  if ((ref.tag ?? '').includes('$')) return null;
  return dockerTag(ref);
}

function versionText(tag: DockerTag): string | Msg {
  const v = tag.version;
  if (v.kind === 'pinned') return v.text;
  return v.channel === 'stable'
    ? msg('client-daemon-version-skew.stable-version')
    : msg('client-daemon-version-skew.floating-version', { channel: v.channel });
}

/** The client tag of the daemon's release: `29.0.0-dind` → `29.0.0-cli`, `dind` → `cli`. */
function clientTagFor(daemon: DockerTag): string {
  const v = daemon.version;
  if (v.kind === 'pinned') return `${v.text}${v.prerelease ? `-${v.prerelease}` : ''}-cli`;
  return v.channel === 'latest' ? 'cli' : `${v.channel}-cli`;
}

function clientFix(check: JobCheck, image: EffectiveImage, name: string): Fix | null {
  const origin: Origin = image.name.origin;
  let result: EditResult | undefined;
  if (image.source === 'job') {
    const editor = YamlEditor.fromSources(check.sources, origin.file);
    const node = editor?.locate(origin.span);
    if (editor && node) result = editor.replaceScalar(node.node, name);
  } else if (check.runner) {
    const entry = executorSection(check.runner)?.entries.get('image');
    const editor = TomlEditor.fromSources(check.sources, origin.file);
    if (entry && editor) result = editor.replaceValue(entry, name);
  }
  if (!result) return null;
  const r = combineEdits(result);
  return r.ok && r.edits.length > 0
    ? {
        title: '',
        l10nTitle: msg(
          image.source === 'job'
            ? 'client-daemon-version-skew.fix-job-image'
            : 'client-daemon-version-skew.fix-runner-image',
          { image: name },
        ),
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

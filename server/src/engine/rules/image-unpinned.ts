// A28 `dind/image-unpinned` — see the rule catalogue (spec section A, A28): the job image or a dind service uses a
// floating `docker` tag (`latest`, `dind`, `cli`, `stable`, ...), or only pins the major version, so an upstream
// release changes the client or the daemon under the job.

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import {
  dockerTag,
  LAST_DOCKER_PATCH,
  RECOMMENDED_DOCKER_VERSION,
  replaceImageTag,
  type DockerTag,
} from '../semantics/images';
import type { SourceStore } from '../sources';
import type { Fix } from '../types';
import { andList } from './lists';
import type { Rule } from './rule';

/** A `docker` image of the job written in `.gitlab-ci.yml`: the job image or a dind service. */
interface Candidate {
  readonly role: 'image' | 'service';
  readonly name: string;
  readonly origin: Origin;
  readonly tag: DockerTag;
  /** `floating`: a channel or no version; `major`: only the major version; `pinned`: major.minor or more. */
  readonly pin: 'floating' | 'major' | 'pinned';
}

export const imageUnpinned: Rule = {
  meta: {
    id: 'dind/image-unpinned',
    catalogue: 'A28',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'Docker client image or dind service uses a floating tag instead of a pinned version',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },

  messages: {
    en: {
      'image-unpinned.floating-image':
        'The job image `{name}` uses a floating tag{note}: each upstream Docker release changes the client under job ' +
        '`{job}` without a change in the repository (Docker 19.03 turned TLS on by default; Engine 29 rejects clients ' +
        'older than API 1.44). Pin the Docker image version (e.g. `docker:{version}-cli` / `docker:{version}-dind`); ' +
        'floating tags change the daemon under you.',
      'image-unpinned.floating-service':
        'The dind service `{name}` uses a floating tag{note}: each upstream Docker release changes the daemon under ' +
        'job `{job}` without a change in the repository (Docker 19.03 turned TLS on by default; Engine 29 rejects ' +
        'clients older than API 1.44). Pin the Docker image version (e.g. `docker:{version}-cli` / ' +
        '`docker:{version}-dind`); floating tags change the daemon under you.',
      'image-unpinned.major-image':
        'The job image `{name}` pins only the major version: minor and patch releases still change the client under ' +
        'job `{job}`. Pin the full version (e.g. `docker:{version}-cli`).',
      'image-unpinned.major-service':
        'The dind service `{name}` pins only the major version: minor and patch releases still change the daemon ' +
        'under job `{job}`. Pin the full version (e.g. `docker:{version}-dind`).',
      'image-unpinned.stable-note': ' (`stable` has not been updated since Docker 19.03)',
      'image-unpinned.fix-pin': 'Pin {images}',
    },
    'zh-cn': {
      'image-unpinned.floating-image':
        '作业镜像 `{name}` 使用浮动标签{note}：每次上游 Docker 发布都会在仓库没有任何改动的情况下改变作业 `{job}` ' +
        '所用的客户端（Docker 19.03 默认启用了 TLS；Engine 29 拒绝低于 API 1.44 的客户端）。请固定 Docker 镜像版本' +
        '（例如 `docker:{version}-cli` / `docker:{version}-dind`）；浮动标签会在您不知情时改变守护进程。',
      'image-unpinned.floating-service':
        'dind 服务 `{name}` 使用浮动标签{note}：每次上游 Docker 发布都会在仓库没有任何改动的情况下改变作业 `{job}` ' +
        '所用的守护进程（Docker 19.03 默认启用了 TLS；Engine 29 拒绝低于 API 1.44 的客户端）。请固定 Docker 镜像版本' +
        '（例如 `docker:{version}-cli` / `docker:{version}-dind`）；浮动标签会在您不知情时改变守护进程。',
      'image-unpinned.major-image':
        '作业镜像 `{name}` 只固定了主版本号：次版本和补丁版本的发布仍会改变作业 `{job}` 所用的客户端。' +
        '请固定完整版本（例如 `docker:{version}-cli`）。',
      'image-unpinned.major-service':
        'dind 服务 `{name}` 只固定了主版本号：次版本和补丁版本的发布仍会改变作业 `{job}` 所用的守护进程。' +
        '请固定完整版本（例如 `docker:{version}-dind`）。',
      'image-unpinned.stable-note': '（`stable` 自 Docker 19.03 起就没有再更新）',
      'image-unpinned.fix-pin': '固定为 {images}',
    },
  },

  checkJob(check, report) {
    const facts = new JobFacts(check.job, check.runner, check.settings);
    const candidates: Candidate[] = [];
    const add = (role: Candidate['role'], name: string, origin: Origin, ref: Parameters<typeof dockerTag>[0]) => {
      const tag = dockerTag(ref);
      if (!tag || ref.digest !== null || (ref.tag ?? '').includes('$')) return;
      const v = tag.version;
      const pin = v.kind === 'floating' ? 'floating' : v.minor === null ? 'major' : 'pinned';
      candidates.push({ role, name, origin, tag, pin });
    };
    const image = facts.image;
    if (image && image.source === 'job') add('image', image.name.value, image.name.origin, image.ref);
    for (const s of facts.dindServices) if (s.source === 'job') add('service', s.name.value, s.name.origin, s.ref);

    for (const c of candidates) {
      if (c.pin === 'pinned') continue;
      const version = pinFor(c, candidates);
      const params = { name: c.name, job: check.job.name, version: version ?? RECOMMENDED_DOCKER_VERSION };
      const message =
        c.pin === 'floating'
          ? msg(c.role === 'image' ? 'image-unpinned.floating-image' : 'image-unpinned.floating-service', {
              ...params,
              note: stableNote(c.tag),
            })
          : msg(c.role === 'image' ? 'image-unpinned.major-image' : 'image-unpinned.major-service', params);
      report({
        message,
        file: c.origin.file,
        span: c.origin.span,
        severity: c.pin === 'floating' ? 'warning' : 'info',
        fixes: () => {
          const fix = version === null ? null : pinFix(check.sources, c, candidates, version);
          return fix ? [fix] : [];
        },
      });
    }
  },
};

function stableNote(tag: DockerTag): Msg | string {
  return tag.version.kind === 'floating' && tag.version.channel === 'stable' ? msg('image-unpinned.stable-note') : '';
}

/** `a`, `a and b`, ... as a localisable phrase. */

/**
 * The full version to pin `c` to: for a major-only tag, a fully pinned partner of the same major or that major's
 * last patch release; for a floating tag, a fully pinned partner (a matching pair) or the recommended version.
 */
function pinFor(c: Candidate, all: readonly Candidate[]): string | null {
  const pinnedText = (x: Candidate): string | null =>
    x.tag.version.kind === 'pinned' && x.tag.version.patch !== null && x.tag.version.prerelease === null
      ? x.tag.version.text
      : null;
  const partners = all.filter((x) => x !== c && pinnedText(x) !== null);
  if (c.tag.version.kind === 'pinned') {
    const major = c.tag.version.major;
    const same = partners.find((x) => x.tag.version.kind === 'pinned' && x.tag.version.major === major);
    return (same && pinnedText(same)) ?? LAST_DOCKER_PATCH[major] ?? null;
  }
  const partner = partners[0];
  return (partner && pinnedText(partner)) ?? RECOMMENDED_DOCKER_VERSION;
}

/** The tag `c` gets when pinned to `version`, keeping its variant (`-dind`, `-dind-rootless`, `-git`, ...). */
function pinnedTag(c: Candidate, version: string): string {
  const suffix = c.tag.suffix;
  if (suffix !== '') return `${version}-${suffix}`;
  return c.role === 'image' ? `${version}-cli` : `${version}-dind`;
}

/** Pins `c` and every other unpinned image of the job that `version` suits, so client and daemon stay a pair. */
function pinFix(sources: SourceStore, c: Candidate, all: readonly Candidate[], version: string): Fix | null {
  const major = Number(version.split('.')[0]);
  const targets = all.filter(
    (x) =>
      x === c ||
      x.pin === 'floating' ||
      (x.pin === 'major' && x.tag.version.kind === 'pinned' && x.tag.version.major === major),
  );
  const results: EditResult[] = [];
  const names: string[] = [];
  for (const t of targets) {
    const name = replaceImageTag(t.name, pinnedTag(t, version));
    const editor = YamlEditor.fromSources(sources, t.origin.file);
    const node = editor?.locate(t.origin.span);
    if (name === null || !editor || !node) {
      if (t === c) return null;
      continue;
    }
    results.push(editor.replaceScalar(node.node, name));
    names.push(name);
  }
  const r = combineEdits(...results);
  if (!r.ok || r.edits.length === 0) return null;
  const title = msg('image-unpinned.fix-pin', { images: andList([...new Set(names)]) });
  return { title: '', l10nTitle: title, safe: false, preferred: true, edits: r.edits };
}

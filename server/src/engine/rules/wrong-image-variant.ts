// A5 `dind/wrong-image-variant` — see the rule catalogue (spec section A, A5).

import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import type { Origin } from '../ci/model';
import { dockerTag, JobFacts, parseDockerTag, type DockerTag, type Svc } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import {
  addDindServiceFix,
  clientImageServices,
  daemonImageAsJobImage,
  dindVariables,
  dindWouldRun,
  FindingSet,
} from './no-daemon-for-docker-commands';

/**
 * `name` with its tag replaced: `reg/docker:24.0.5-dind` → `reg/docker:24.0.5-cli`; undefined for digests. An
 * unpinned tag takes the version of `pin` when given (`docker:stable` with pin `24.0.5` → `docker:24.0.5-dind`).
 */
function withVariant(name: string, variant: 'cli' | 'dind', pin?: DockerTag): string | undefined {
  if (name.includes('@')) return undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.indexOf(':', slash + 1);
  const repo = colon < 0 ? name : name.slice(0, colon);
  const own = parseDockerTag(colon < 0 ? null : name.slice(colon + 1));
  const tag = own.version.kind !== 'pinned' && pin?.version.kind === 'pinned' ? pin : own;
  if (tag.version.kind !== 'pinned') return `${repo}:${variant}`;
  const pre = tag.version.prerelease ? `-${tag.version.prerelease}` : '';
  return `${repo}:${tag.version.text}${pre}-${variant}`;
}

/** The Docker version of the job's client image, so that a daemon a fix introduces matches it. */
function clientTag(facts: JobFacts): DockerTag | undefined {
  return facts.image ? (dockerTag(facts.image.ref) ?? undefined) : undefined;
}

/** Replaces the scalar at `origin` (a YAML value or a config.toml `name = "..."`) with `value`. */
function replaceAt(check: JobCheck, origin: Origin, value: string, s?: Svc): EditResult {
  if (s?.runnerService) {
    const editor = TomlEditor.fromSources(check.sources, origin.file);
    const entry = s.runnerService.table.entries.get('name');
    return editor && entry ? editor.replaceValue(entry, value) : { ok: false, reason: 'no name entry' };
  }
  const editor = YamlEditor.fromSources(check.sources, origin.file);
  const node = editor?.locate(origin.span)?.node;
  return editor && node ? editor.replaceScalar(node, value) : { ok: false, reason: 'no scalar' };
}

/** Variables the job must set so the daemon a fix introduces is reachable (only those not already right). */
function neededVariables(check: JobCheck, facts: JobFacts): EditResult {
  const wanted = dindVariables(check, facts);
  const missing: Record<string, string> = {};
  for (const [k, v] of Object.entries(wanted)) {
    const cur = facts.buildVar(k);
    if (!(cur.state === 'set' && cur.value === v)) missing[k] = v;
  }
  if (Object.keys(missing).length === 0) return { ok: true, edits: [] };
  const editor = YamlEditor.fromSources(check.sources, check.job.file);
  const map = editor?.valueOfKeyAt(check.job.nameSpan);
  return editor && map ? editor.setKeys(map, { variables: missing }) : { ok: false, reason: 'no job mapping' };
}

export const wrongImageVariant: Rule = {
  meta: {
    id: 'dind/wrong-image-variant',
    catalogue: 'A5',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'The Docker daemon image is used as the job image, or a Docker CLI image as the service',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-in-docker',
    fixSafe: false,
  },

  messages: {
    en: {
      'wrong-image-variant.daemon-as-image':
        '`{image}` is the Docker daemon image: as the job image of `{job}` it starts `sh`, not dockerd, ' +
        'so the job gets `Cannot connect to the Docker daemon at tcp://docker:2375`. ' +
        'Use `{cli}` as `image` and `{image}` as a service.',
      'wrong-image-variant.cli-as-service':
        'Service `{service}` is the Docker CLI image, not the daemon: it exits at once and opens no port ' +
        "(`*** WARNING: Service ... probably didn't start properly.`, then `no such host`). Use `{dind}`.",
      'wrong-image-variant.fix-use-cli-and-service': 'Use `{cli}` as the image and `{image}` as a service',
      'wrong-image-variant.fix-use-cli': 'Use `{cli}` as the image',
      'wrong-image-variant.fix-use-dind': 'Use `{dind}`',
    },
    'zh-cn': {
      'wrong-image-variant.daemon-as-image':
        '`{image}` 是 Docker 守护进程镜像：作为作业 `{job}` 的镜像时，它启动的是 `sh` 而不是 dockerd，' +
        '因此作业会得到 `Cannot connect to the Docker daemon at tcp://docker:2375`。' +
        '请将 `{cli}` 用作 `image`，将 `{image}` 用作服务。',
      'wrong-image-variant.cli-as-service':
        '服务 `{service}` 是 Docker CLI 镜像，而不是守护进程：它会立即退出，不监听任何端口' +
        "（先出现 `*** WARNING: Service ... probably didn't start properly.`，然后是 `no such host`）。请改用 `{dind}`。",
      'wrong-image-variant.fix-use-cli-and-service': '将 `{cli}` 用作镜像，将 `{image}` 用作服务',
      'wrong-image-variant.fix-use-cli': '将 `{cli}` 用作镜像',
      'wrong-image-variant.fix-use-dind': '改用 `{dind}`',
    },
  },

  checkJob(check, report) {
    const found = new FindingSet();
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const image = facts.image;
      if (image && daemonImageAsJobImage(facts, check.settings)) {
        const origin = image.name.origin;
        const cli = withVariant(image.name.value, 'cli');
        const fixes: Fix[] = [];
        if (cli) {
          const swap = replaceAt(check, origin, cli);
          const daemon = facts.dindServices.length > 0 ? undefined : addDindServiceFix(check, facts, image.name.value);
          const r =
            facts.dindServices.length > 0
              ? swap
              : daemon
                ? combineEdits(swap, { ok: true, edits: daemon.edits })
                : undefined;
          if (r?.ok) {
            fixes.push({
              title: '',
              l10nTitle: daemon
                ? msg('wrong-image-variant.fix-use-cli-and-service', { cli, image: image.name.value })
                : msg('wrong-image-variant.fix-use-cli', { cli }),
              safe: false,
              preferred: true,
              edits: r.edits,
            });
          }
        }
        found.add({
          message: msg('wrong-image-variant.daemon-as-image', {
            image: image.name.value,
            job: check.job.name,
            cli: cli ?? 'docker:<ver>-cli',
          }),
          file: origin.file,
          span: origin.span,
          fixes,
        });
      }
      for (const s of clientImageServices(facts)) {
        const dind = withVariant(s.name.value, 'dind', clientTag(facts));
        const fixes: Fix[] = [];
        if (dind && dindWouldRun(check, withVariant(s.ref.expanded, 'dind', clientTag(facts)) ?? dind)) {
          const r = combineEdits(replaceAt(check, s.name.origin, dind, s), neededVariables(check, facts));
          if (r.ok) {
            fixes.push({
              title: '',
              l10nTitle: msg('wrong-image-variant.fix-use-dind', { dind }),
              safe: false,
              preferred: true,
              edits: r.edits,
            });
          }
        }
        found.add({
          message: msg('wrong-image-variant.cli-as-service', {
            service: s.name.value,
            dind: dind ?? 'docker:<ver>-dind',
          }),
          file: s.name.origin.file,
          span: s.name.origin.span,
          fixes,
        });
      }
    }
    found.flush(report);
  },
};

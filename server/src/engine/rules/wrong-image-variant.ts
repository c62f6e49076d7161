// A5 `dind/wrong-image-variant` — see the rule catalogue (spec section A, A5).

import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import type { ImageRef, Origin } from '../ci/model';
import {
  apiVersionOf,
  compareApiVersions,
  deriveAliases,
  dockerTag,
  JobFacts,
  minClientApiOf,
  parseDockerTag,
  RECOMMENDED_DOCKER_VERSION,
  type DockerTag,
  type Svc,
} from '../semantics';
import type { Fix, TextEdit } from '../types';
import type { JobCheck, Rule } from './rule';
import { setServiceKeys } from './service-alias-missing';
import {
  addDindServiceFix,
  clientImageServices,
  daemonImageAsJobImage,
  dindVariables,
  dindWouldRun,
  FindingSet,
} from './no-daemon-for-docker-commands';

/** `24.0.5` or `24.0.5-rc.1`: the version part of a pinned tag. */
function versionText(tag: DockerTag): string | undefined {
  if (tag.version.kind !== 'pinned') return undefined;
  return tag.version.prerelease ? `${tag.version.text}-${tag.version.prerelease}` : tag.version.text;
}

/** True when a daemon of release `daemon` refuses a client of release `client` (A29's known-incompatible pair). */
function refuses(daemon: DockerTag, client: DockerTag): boolean {
  const min = minClientApiOf(daemon.version);
  const api = apiVersionOf(client.version);
  return min !== null && api !== null && compareApiVersions(api, min) < 0;
}

/**
 * The version a replacement image takes: the image's own pinned version unless the job's client could not talk to
 * it; else the client's pinned version (`docker:latest` next to `docker:24.0.5-cli` → 24.0.5); else, for the
 * years-old `stable` client, the catalogue's pin (a floating daemon is Docker 29+, which refuses it, A29); else
 * none (a floating tag).
 */
function pickVersion(own: DockerTag, client: DockerTag | undefined): string | undefined {
  if (own.version.kind === 'pinned' && !(client && refuses(own, client))) return versionText(own);
  if (client?.version.kind === 'pinned') return versionText(client);
  if (client?.version.kind === 'floating' && client.version.channel === 'stable') return RECOMMENDED_DOCKER_VERSION;
  return undefined;
}

/**
 * `name` (as written) with its tag replaced by the `variant` of the version `pickVersion` chooses from `ref`'s
 * expanded tag: `reg/docker:24.0.5-dind` → `reg/docker:24.0.5-cli`. A registry prefix with variables
 * (`${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker`) is kept. Undefined for digests and when the last segment or the
 * tag still holds a variable (`docker:$VERSION-dind`: the version it stands for is unknown).
 */
function withVariant(name: string, ref: ImageRef, variant: 'cli' | 'dind', client?: DockerTag): string | undefined {
  if (name.includes('@') || ref.digest !== null || (ref.tag ?? '').includes('$')) return undefined;
  const slash = name.lastIndexOf('/');
  const colon = name.indexOf(':', slash + 1);
  const repo = colon < 0 ? name : name.slice(0, colon);
  if (repo.slice(slash + 1).includes('$')) return undefined;
  const version = pickVersion(parseDockerTag(ref.tag), client);
  return version === undefined ? `${repo}:${variant}` : `${repo}:${version}-${variant}`;
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

/**
 * Renames service `s` to `name` and gives it `alias: docker`, for a new name from which the runner derives no
 * `docker` alias (a registry or Dependency Proxy prefix, A16). A scalar item becomes `name: ...` plus the alias: the
 * rename is folded into the item-to-mapping edits so that no two edits touch the same text.
 */
function renameWithAlias(check: JobCheck, s: Svc, name: string): EditResult {
  const rename = replaceAt(check, s.name.origin, name, s);
  const alias = setServiceKeys(check, s, { alias: 'docker' });
  if (!rename.ok || !alias.ok) return rename.ok ? alias : rename;
  const [r] = rename.edits;
  if (rename.edits.length !== 1 || !r) return combineEdits(rename, alias);
  const source = check.sources.file(r.file)?.text.slice(r.span.start, r.span.end) ?? '';
  let folded = false;
  const edits: TextEdit[] = [];
  for (const e of alias.edits) {
    if (e.file === r.file && e.span.start === r.span.start && e.span.end === r.span.start) {
      edits.push({ ...r, newText: e.newText + r.newText });
      folded = true;
    } else if (e.file === r.file && e.span.start <= r.span.start && e.span.end >= r.span.end) {
      const at = e.newText.indexOf(source);
      if (at < 0) return { ok: false, reason: 'service text not found' };
      edits.push({ ...e, newText: e.newText.slice(0, at) + r.newText + e.newText.slice(at + source.length) });
      folded = true;
    } else {
      edits.push(e);
    }
  }
  return folded ? { ok: true, edits } : combineEdits(rename, alias);
}

/** True when service `s`, renamed to `expanded`, still answers to `docker` (explicit or derived alias). */
function answersToDocker(facts: JobFacts, s: Svc, expanded: string): boolean {
  const others = facts.services.filter((o) => o !== s).some((o) => facts.aliases(o).includes('docker'));
  return others || s.aliases.includes('docker') || deriveAliases(expanded).includes('docker');
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
        const cli = withVariant(image.name.value, image.ref, 'cli');
        const fixes = (): Fix[] => {
          if (!cli) return [];
          const swap = replaceAt(check, origin, cli);
          const daemon = facts.dindServices.length > 0 ? undefined : addDindServiceFix(check, facts, image.name.value);
          const r =
            facts.dindServices.length > 0
              ? swap
              : daemon
                ? combineEdits(swap, { ok: true, edits: daemon.edits })
                : undefined;
          if (!r?.ok) return [];
          return [
            {
              title: '',
              l10nTitle: daemon
                ? msg('wrong-image-variant.fix-use-cli-and-service', { cli, image: image.name.value })
                : msg('wrong-image-variant.fix-use-cli', { cli }),
              safe: false,
              preferred: true,
              edits: r.edits,
            },
          ];
        };
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
        const dind = withVariant(s.name.value, s.ref, 'dind', clientTag(facts));
        const expanded = withVariant(s.ref.expanded, s.ref, 'dind', clientTag(facts)) ?? dind;
        const fixes = (): Fix[] => {
          if (!dind || !expanded || !dindWouldRun(check, expanded)) return [];
          const rename = answersToDocker(facts, s, expanded)
            ? replaceAt(check, s.name.origin, dind, s)
            : renameWithAlias(check, s, dind);
          const r = combineEdits(rename, neededVariables(check, facts));
          if (!r.ok) return [];
          return [
            {
              title: '',
              l10nTitle: msg('wrong-image-variant.fix-use-dind', { dind }),
              safe: false,
              preferred: true,
              edits: r.edits,
            },
          ];
        };
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

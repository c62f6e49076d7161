// A29 `dind/client-daemon-version-skew` — see the rule catalogue (spec section A, A29): the job's Docker client is
// older than the oldest API version its dind daemon accepts (Engine 29 needs API ≥ 1.44, i.e. a client ≥ 25), or
// client and daemon differ in major version. The API tables live in semantics/images.ts (data, spec E3).

import type { Origin } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
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
        ? `\`${s.name.value}\` (a floating tag, now Docker ${daemon.major} or newer)`
        : `\`${s.name.value}\``;
      const use = suggested ? ` Use \`${suggested}\` (the same version as the service).` : '';
      const message = tooOld
        ? `${daemonDesc} requires client API ≥ ${minApi} but \`${image.name.value}\` ships Docker ${clientText} ` +
          `(API ${clientApi}): every docker command in job \`${check.job.name}\` fails with ` +
          `\`${RUNTIME_ERROR.replace('{x}', clientApi ?? '').replace('{min}', minApi ?? '')}\`.${use}`
        : `The Docker client \`${image.name.value}\` (Docker ${clientText}) and the dind service ` +
          `\`${s.name.value}\` (Docker ${versionText(daemonTag)}) differ in major version: a daemon that drops old ` +
          `API versions breaks the client of job \`${check.job.name}\`.${use}`;
      const fix = suggested ? clientFix(check, image, suggested) : null;
      report({
        message,
        file: image.name.origin.file,
        span: image.name.origin.span,
        severity: tooOld ? 'error' : 'warning',
        related: [
          { file: s.name.origin.file, span: s.name.origin.span, message: `dind service of job ${check.job.name}` },
        ],
        fixes: fix ? [fix] : [],
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

function versionText(tag: DockerTag): string {
  const v = tag.version;
  if (v.kind === 'pinned') return v.text;
  return v.channel === 'stable' ? '19.03 (`stable` has not been updated since)' : `${v.channel} (floating)`;
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
        title: `Use ${name} as the ${image.source === 'job' ? 'job' : "runner's default"} image`,
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

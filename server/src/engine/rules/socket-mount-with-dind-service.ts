// A2 `dind/socket-mount-with-dind-service` — see the rule catalogue (spec section A, A2).

import { combineEdits, edit, edited } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlValue } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import type { Runner } from '../runner/model';
import { executorClass, JobFacts, type RunnerVolume, type Svc } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, jobList, realRunner, reportPair } from './no-daemon-for-docker-commands';

/** CI fix: delete the dind service entry and a `DOCKER_HOST: tcp://docker:*` pointing at it, where they are written. */
function removeDindFix(check: JobCheck, facts: JobFacts, s: Svc): Fix | undefined {
  if (s.source !== 'job') return undefined;
  const editor = YamlEditor.fromSources(check.sources, s.origin.file);
  if (!editor) return undefined;
  const results = [editor.removeAt(s.origin.span)];
  const host = facts.buildVar('DOCKER_HOST');
  if (host.state === 'set' && /^tcp:\/\/docker(:|\/|$)/i.test(host.value) && host.layer !== 'runner') {
    const key = host.origin.keySpan;
    if (!key) return undefined;
    if (host.origin.file === s.origin.file) results.push(editor.removeAt(key));
    else {
      const other = YamlEditor.fromSources(check.sources, host.origin.file);
      if (!other) return undefined;
      results.push(other.removeAt(key));
    }
  }
  const r = combineEdits(...results);
  if (!r.ok) return undefined;
  return {
    title: `Remove the \`${s.name.value}\` service (use the runner's socket binding)`,
    safe: false,
    edits: r.edits,
  };
}

/** TOML fix: drop the socket volume and make the runner privileged, for Docker-in-Docker. */
function dropSocketFix(check: JobCheck, facts: JobFacts, runner: Runner, volume: RunnerVolume): Fix | undefined {
  if (executorClass(runner) === 'kubernetes' || !runner.docker) return undefined;
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return undefined;
  const certDirs = facts.dindServices.flatMap((s) => {
    const d = facts.daemon(s);
    return d.tls === true && d.certDir.state === 'set' && facts.certsShared(d.certDir.value) === null
      ? [d.certDir.value]
      : [];
  });
  const certDir = certDirs[0];
  const volumeEdit = certDir
    ? edited([edit(runner.file, volume.origin.span, tomlValue(`${certDir.replace(/\/+$/, '')}/client`))])
    : editor.removeArrayItem(runner.docker, 'volumes', volume.index);
  const r = combineEdits(volumeEdit, editor.setKey(runner.docker, 'privileged', true));
  if (!r.ok) return undefined;
  return {
    title: `Remove the Docker socket volume and set \`privileged = true\` in runner \`${runner.label}\` (use Docker-in-Docker)`,
    safe: false,
    edits: r.edits,
  };
}

export const socketMountWithDindService: Rule = {
  meta: {
    id: 'dind/socket-mount-with-dind-service',
    catalogue: 'A2',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'A docker:dind service runs on a runner that bind-mounts the host Docker socket',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-docker-socket-binding',
    fixSafe: false,
  },

  checkJob(check, report) {
    const runner = realRunner(check);
    if (!runner) return;
    const found = new FindingSet();
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      const volume = facts.socketMount;
      if (!volume) continue;
      for (const s of facts.dindServices) {
        const job = check.job.name;
        const base =
          `Runner \`${runner.label}\` bind-mounts /var/run/docker.sock. Runner volumes are also mounted into service containers, ` +
          "so `docker:dind` cannot be combined with socket binding: dockerd fails with `failed to load listeners: can't create unix socket /var/run/docker.sock: device or resource busy`, " +
          'or the client silently uses the host daemon. Pick one pattern';
        const removeDind = removeDindFix(check, facts, s);
        const dropSocket = dropSocketFix(check, facts, runner, volume);
        const ciFixes: Fix[] = removeDind ? [{ ...removeDind, preferred: true }] : [];
        if (dropSocket) ciFixes.push(dropSocket);
        const tomlFixes: Fix[] = dropSocket ? [dropSocket] : [];
        if (removeDind) tomlFixes.push({ ...removeDind, preferred: true });
        if (s.origin.file === runner.file) {
          found.add({
            message: `${base}: remove the runner-defined \`${s.name.value}\` service or the socket volume.`,
            file: volume.origin.file,
            span: volume.origin.span,
            fixes: tomlFixes,
            related: [{ file: s.name.origin.file, span: s.name.origin.span, message: 'runner-defined dind service' }],
          });
          continue;
        }
        reportPair(
          (f) => found.add(f),
          {
            message: `${base}: remove this service from job \`${job}\`, or use a runner without the socket volume.`,
            file: s.name.origin.file,
            span: s.name.origin.span,
            fixes: ciFixes,
          },
          {
            message: `${base}: job ${jobList([check.job])} starts \`${s.name.value}\` on this runner.`,
            file: volume.origin.file,
            span: volume.origin.span,
            fixes: tomlFixes,
          },
          `dind service of job \`${job}\``,
          `socket volume of runner \`${runner.label}\``,
        );
      }
    }
    found.flush(report);
  },
};

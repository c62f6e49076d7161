// A2 `dind/socket-mount-with-dind-service` — see the rule catalogue (spec section A, A2).

import { combineEdits, edit, edited } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlValue } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import type { Runner } from '../runner/model';
import { executorClass, JobFacts, type RunnerVolume, type Svc } from '../semantics';
import type { Fix } from '../types';
import type { JobCheck, Rule } from './rule';
import { FindingSet, realRunner, reportPair } from './no-daemon-for-docker-commands';

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
    title: '',
    l10nTitle: msg('socket-mount-with-dind-service.fix-remove-service', { service: s.name.value }),
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
    title: '',
    l10nTitle: msg('socket-mount-with-dind-service.fix-drop-socket', { runner: runner.label }),
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

  messages: {
    en: {
      'socket-mount-with-dind-service.reason':
        'Runner `{runner}` bind-mounts /var/run/docker.sock. Runner volumes are also mounted into service containers, ' +
        'so `docker:dind` cannot be combined with socket binding: dockerd fails with ' +
        "`failed to load listeners: can't create unix socket /var/run/docker.sock: device or resource busy`, " +
        'or the client silently uses the host daemon.',
      'socket-mount-with-dind-service.message-runner-service':
        '{reason} Pick one pattern: remove the runner-defined `{service}` service or the socket volume.',
      'socket-mount-with-dind-service.message-job':
        '{reason} Pick one pattern: remove this service from job `{job}`, or use a runner without the socket volume.',
      'socket-mount-with-dind-service.message-runner':
        '{reason} Pick one pattern: job `{job}` starts `{service}` on this runner.',
      'socket-mount-with-dind-service.fix-remove-service':
        "Remove the `{service}` service (use the runner's socket binding)",
      'socket-mount-with-dind-service.fix-drop-socket':
        'Remove the Docker socket volume and set `privileged = true` in runner `{runner}` (use Docker-in-Docker)',
    },
    'zh-cn': {
      'socket-mount-with-dind-service.reason':
        'Runner `{runner}` 绑定挂载了 /var/run/docker.sock。Runner 的卷也会挂载到服务容器中，' +
        '因此 `docker:dind` 不能与套接字绑定同时使用：dockerd 会以 ' +
        "`failed to load listeners: can't create unix socket /var/run/docker.sock: device or resource busy` 失败，" +
        '或者客户端会在不知不觉中使用主机的守护进程。',
      'socket-mount-with-dind-service.message-runner-service':
        '{reason}请二选一：删除 Runner 定义的 `{service}` 服务，或删除套接字卷。',
      'socket-mount-with-dind-service.message-job':
        '{reason}请二选一：从作业 `{job}` 中删除此服务，或改用不挂载套接字卷的 Runner。',
      'socket-mount-with-dind-service.message-runner':
        '{reason}请二选一：作业 `{job}` 在此 Runner 上启动了 `{service}`。',
      'socket-mount-with-dind-service.fix-remove-service': '删除 `{service}` 服务（改用 Runner 的套接字绑定）',
      'socket-mount-with-dind-service.fix-drop-socket':
        '删除 Docker 套接字卷，并在 Runner `{runner}` 中设置 `privileged = true`（改用 Docker-in-Docker）',
    },
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
        const reason = msg('socket-mount-with-dind-service.reason', { runner: runner.label });
        const service = s.name.value;
        const ciFixes = (): Fix[] => {
          const removeDind = removeDindFix(check, facts, s);
          const dropSocket = dropSocketFix(check, facts, runner, volume);
          return [...(removeDind ? [{ ...removeDind, preferred: true }] : []), ...(dropSocket ? [dropSocket] : [])];
        };
        const tomlFixes = (): Fix[] => {
          const removeDind = removeDindFix(check, facts, s);
          const dropSocket = dropSocketFix(check, facts, runner, volume);
          return [...(dropSocket ? [dropSocket] : []), ...(removeDind ? [{ ...removeDind, preferred: true }] : [])];
        };
        if (s.origin.file === runner.file) {
          found.add({
            message: msg('socket-mount-with-dind-service.message-runner-service', { reason, service }),
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
            message: msg('socket-mount-with-dind-service.message-job', { reason, job }),
            file: s.name.origin.file,
            span: s.name.origin.span,
            fixes: ciFixes,
          },
          {
            message: msg('socket-mount-with-dind-service.message-runner', { reason, job, service }),
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

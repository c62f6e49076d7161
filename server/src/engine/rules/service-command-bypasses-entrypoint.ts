// A20 `dind/service-command-bypasses-entrypoint`: `dockerd-entrypoint.sh` adds `--host=tcp://0.0.0.0:2375/2376`
// and the TLS flags only when the command is empty or starts with a flag (D1). A dind service whose command starts
// with `dockerd` (or another executable), or whose entrypoint is replaced, serves the Unix socket only.

import { isSeq } from 'yaml';

import { combineEdits, failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import { hostFlags } from '../semantics/daemon';
import { parseDockerHost } from '../semantics/client';
import { JobFacts } from '../semantics/facts';
import { executorClass, normalizePath } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import type { Fix } from '../types';
import type { JobCheck, Rule, RuleEnv } from './rule';
import { editable, fixOf, tightSpan } from './service-alias-missing';
import { certsVolumeEdit, healthcheckPortEdit } from './tls-certs-volume-missing';

/** Drops the first word (`dockerd`) of the service command; removes `command` when nothing else is left. */
function dropFirstWord(env: RuleEnv, s: Svc): EditResult {
  const command = s.command;
  if (!command) return failed('no command');
  const single = command.value.length <= 1;
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, command.origin.file);
    const table = s.runnerService?.table;
    if (!editor || !table) return failed('no runner table');
    return single ? editor.removeKey(table, 'command') : editor.removeArrayItem(table, 'command', 0);
  }
  const editor = YamlEditor.fromSources(env.sources, command.origin.file);
  if (!editor) return failed('file not parsed');
  if (single) return editor.removeAt(command.origin.span);
  const node = editor.locate(command.origin.span)?.node;
  return isSeq(node) ? editor.removeItem(node, 0) : failed('command is not a sequence');
}

/** Removes the service's `entrypoint` override, so the image's `dockerd-entrypoint.sh` runs again. */
function removeEntrypoint(env: RuleEnv, s: Svc): EditResult {
  const entrypoint = s.entrypoint;
  if (!entrypoint) return failed('no entrypoint');
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, entrypoint.origin.file);
    const table = s.runnerService?.table;
    return editor && table ? editor.removeKey(table, 'entrypoint') : failed('no runner table');
  }
  const editor = YamlEditor.fromSources(env.sources, entrypoint.origin.file);
  return editor ? editor.removeAt(entrypoint.origin.span) : failed('file not parsed');
}

/**
 * Sets Var_svc(s, DOCKER_TLS_CERTDIR) to empty where it wins: the job service's own `variables:`, or an `environment`
 * item of a runner service (only when no CI or runner variable overrides that layer).
 */
function keepTlsOff(env: RuleEnv, facts: JobFacts, s: Svc): EditResult {
  const current = facts.serviceVar(s, 'DOCKER_TLS_CERTDIR');
  if (s.source === 'runner') {
    if (current.state !== 'set' || current.layer !== 'image-default') return failed('set in a higher layer');
    const editor = TomlEditor.fromSources(env.sources, s.origin.file);
    const table = s.runnerService?.table;
    return editor && table ? editor.appendToArray(table, 'environment', 'DOCKER_TLS_CERTDIR=') : failed('no table');
  }
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  const item = editor?.locate(s.origin.span)?.node;
  return editor && item ? editor.setVariable(item, 'DOCKER_TLS_CERTDIR', '') : failed('no service mapping');
}

/**
 * Once the entrypoint runs again the image's TLS default applies (Var_svc DOCKER_TLS_CERTDIR, `/certs` from 19.03):
 * the extra edits that keep the job working, as [preferred, alternative]. Without TLS nothing is needed. Preferred
 * is the behaviour-preserving one: dockerd started directly never used TLS, so unless the client already expects
 * TLS (DOCKER_HOST on 2376, or the client entrypoint finding shared certificates) the service keeps TLS off
 * (`DOCKER_TLS_CERTDIR=""`, the client then reaches port 2375 as its fallback). The alternative switches to the
 * recommended TLS setup and shares `{dir}/client` with the runner (A9, A10) when the runner can be edited.
 */
function tlsEdits(check: JobCheck, facts: JobFacts, s: Svc): { keep: EditResult; certs: EditResult | null } | null {
  const dir = facts.serviceVar(s, 'DOCKER_TLS_CERTDIR');
  if (dir.state !== 'set' || dir.value === '') return null;
  const host = facts.dockerHost;
  const endpoint = host.endpoint;
  const wantsTls =
    (host.source === 'variable' && endpoint?.scheme === 'tcp' && endpoint.port === 2376) ||
    (host.source === 'entrypoint' && host.branch === 'certs');
  const shared = facts.certsShared(dir.value) !== null;
  if (wantsTls && shared) return null;
  const runner = check.runner && !check.runnerAssumed ? check.runner : null;
  const certs =
    runner && !shared && !(endpoint?.scheme === 'tcp' && endpoint.port === 2375 && host.source === 'variable')
      ? combineEdits(certsVolumeEdit(check, runner, dir.value), healthcheckPortEdit(check, s, true))
      : null;
  const keep = wantsTls
    ? failed('the client expects TLS')
    : combineEdits(keepTlsOff(check, facts, s), healthcheckPortEdit(check, s, false));
  return { keep, certs };
}

export const serviceCommandBypassesEntrypoint: Rule = {
  meta: {
    id: 'dind/service-command-bypasses-entrypoint',
    catalogue: 'A20',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'A dind service command must be flags only (or end in `dockerd-entrypoint.sh`) so dockerd listens on TCP',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-registry-mirror-for-dockerdind-service',
    fixSafe: false,
  },

  messages: {
    en: {
      'service-command-bypasses-entrypoint.command':
        'The dind entrypoint only adds `--host=tcp://0.0.0.0:2375/2376` and the TLS flags when the command is empty or ' +
        'starts with a flag; `{shown}` runs dockerd on the Unix socket only, so job `{job}` fails with `Cannot connect ' +
        'to the Docker daemon at {target}. Is the docker daemon running?` (the service health check fails too). Keep ' +
        'only flags (e.g. `command: ["--registry-mirror", "https://registry-mirror.example.com"]`), or end a custom ' +
        'script with `dockerd-entrypoint.sh "$@"`.',
      'service-command-bypasses-entrypoint.entrypoint':
        'The dind entrypoint only adds `--host=tcp://0.0.0.0:2375/2376` and the TLS flags when the command is empty or ' +
        'starts with a flag; `{shown}` (entrypoint) runs dockerd on the Unix socket only, so job `{job}` fails with ' +
        '`Cannot connect to the Docker daemon at {target}. Is the docker daemon running?` (the service health check ' +
        'fails too). Remove the entrypoint override, or end it with `dockerd-entrypoint.sh "$@"`.',
      'service-command-bypasses-entrypoint.fix-remove-entrypoint': 'Remove the entrypoint override',
      'service-command-bypasses-entrypoint.fix-drop-dockerd': 'Keep only the flags: drop `dockerd` from the command',
      'service-command-bypasses-entrypoint.fix-tls-off':
        '{fix}, and keep TLS off as before (`DOCKER_TLS_CERTDIR=""` for the service)',
      'service-command-bypasses-entrypoint.fix-share-certs':
        '{fix}, and turn TLS on: share the client certificates with the runner',
    },
    'zh-cn': {
      'service-command-bypasses-entrypoint.command':
        '只有当命令为空或以参数开头时，dind 入口脚本才会添加 `--host=tcp://0.0.0.0:2375/2376` 和 TLS 参数；' +
        '`{shown}` 只让 dockerd 监听 Unix 套接字，因此作业 `{job}` 会失败并报错 `Cannot connect to the Docker daemon ' +
        'at {target}. Is the docker daemon running?`（服务健康检查也会失败）。请只保留参数（例如 `command: ' +
        '["--registry-mirror", "https://registry-mirror.example.com"]`），或在自定义脚本末尾调用 ' +
        '`dockerd-entrypoint.sh "$@"`。',
      'service-command-bypasses-entrypoint.entrypoint':
        '只有当命令为空或以参数开头时，dind 入口脚本才会添加 `--host=tcp://0.0.0.0:2375/2376` 和 TLS 参数；' +
        '`{shown}`（entrypoint）只让 dockerd 监听 Unix 套接字，因此作业 `{job}` 会失败并报错 `Cannot connect to the ' +
        'Docker daemon at {target}. Is the docker daemon running?`（服务健康检查也会失败）。请删除 entrypoint 覆盖，' +
        '或让它以 `dockerd-entrypoint.sh "$@"` 结尾。',
      'service-command-bypasses-entrypoint.fix-remove-entrypoint': '删除 entrypoint 覆盖',
      'service-command-bypasses-entrypoint.fix-drop-dockerd': '只保留参数：从命令中删除 `dockerd`',
      'service-command-bypasses-entrypoint.fix-tls-off':
        '{fix}，并像之前一样保持 TLS 关闭（为该服务设置 `DOCKER_TLS_CERTDIR=""`）',
      'service-command-bypasses-entrypoint.fix-share-certs': '{fix}，并启用 TLS：与 Runner 共享客户端证书',
    },
  },

  checkJob(check, report) {
    if (check.runner && executorClass(check.runner) === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      for (const s of facts.dindServices) {
        const daemon = facts.daemon(s);
        if (daemon.bypassedBy === null) continue;
        const words = [...(s.entrypoint?.value ?? []), ...(s.command?.value ?? [])];
        const hosts = hostFlags(words).map((h) => parseDockerHost(h));
        if (hosts.some((h) => h.scheme === 'tcp')) continue;
        const client = facts.dockerHost.endpoint;
        if (
          client?.scheme === 'unix' &&
          hosts.some((h) => h.scheme === 'unix' && normalizePath(h.path) === normalizePath(client.path))
        ) {
          continue;
        }
        const byEntrypoint = (s.entrypoint?.value.length ?? 0) > 0 && s.entrypoint?.value[0] === daemon.bypassedBy;
        const valued = byEntrypoint ? s.entrypoint : s.command;
        if (!valued || !editable(check, valued.origin.file)) continue;
        const shown = valued.value.join(' ');
        const target = client?.scheme === 'tcp' ? client.raw : 'tcp://docker:2376';
        const title = byEntrypoint
          ? msg('service-command-bypasses-entrypoint.fix-remove-entrypoint')
          : msg('service-command-bypasses-entrypoint.fix-drop-dockerd');
        const commandIsDockerd = daemon.commandIsDockerd;
        const fixes = (): Fix[] => {
          const base = byEntrypoint ? removeEntrypoint(check, s) : commandIsDockerd ? dropFirstWord(check, s) : null;
          const tls = base ? tlsEdits(check, facts, s) : null;
          const list: Fix[] = [];
          if (base && !tls) list.push(...fixOf(title, base, false, true));
          if (base && tls) {
            const keep = fixOf(
              msg('service-command-bypasses-entrypoint.fix-tls-off', { fix: title }),
              combineEdits(base, tls.keep),
              false,
              true,
            );
            list.push(...keep);
            if (tls.certs) {
              const certs = fixOf(
                msg('service-command-bypasses-entrypoint.fix-share-certs', { fix: title }),
                combineEdits(base, tls.certs),
                false,
                keep.length === 0,
              );
              list.push(...certs);
            }
          }
          return list;
        };
        const params = { shown, job: check.job.name, target };
        report({
          file: valued.origin.file,
          span: tightSpan(check, valued.origin),
          message: byEntrypoint
            ? msg('service-command-bypasses-entrypoint.entrypoint', params)
            : msg('service-command-bypasses-entrypoint.command', params),
          fixes,
        });
      }
    }
  },
};

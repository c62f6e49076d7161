// A20 `dind/service-command-bypasses-entrypoint`: `dockerd-entrypoint.sh` adds `--host=tcp://0.0.0.0:2375/2376`
// and the TLS flags only when the command is empty or starts with a flag (D1). A dind service whose command starts
// with `dockerd` (or another executable), or whose entrypoint is replaced, serves the Unix socket only.

import { isSeq } from 'yaml';

import { failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { hostFlags } from '../semantics/daemon';
import { parseDockerHost } from '../semantics/client';
import { JobFacts } from '../semantics/facts';
import { executorClass, normalizePath } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import type { Fix } from '../types';
import type { Rule, RuleEnv } from './rule';
import { editable, fixOf, tightSpan } from './service-alias-missing';

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
        const fixes: Fix[] = byEntrypoint
          ? fixOf('Remove the entrypoint override', removeEntrypoint(check, s), false, true)
          : daemon.commandIsDockerd
            ? fixOf('Keep only the flags: drop `dockerd` from the command', dropFirstWord(check, s), false, true)
            : [];
        const advice = byEntrypoint
          ? 'Remove the entrypoint override, or end it with `dockerd-entrypoint.sh "$@"`.'
          : 'Keep only flags (e.g. `command: ["--registry-mirror", "https://registry-mirror.example.com"]`), or end a custom script with `dockerd-entrypoint.sh "$@"`.';
        report({
          file: valued.origin.file,
          span: tightSpan(check, valued.origin),
          message:
            'The dind entrypoint only adds `--host=tcp://0.0.0.0:2375/2376` and the TLS flags when the command is empty or starts with a flag; ' +
            `\`${shown}\` ${byEntrypoint ? '(entrypoint) ' : ''}runs dockerd on the Unix socket only, so job \`${check.job.name}\` fails with ` +
            `\`Cannot connect to the Docker daemon at ${target}. Is the docker daemon running?\` (the service health check fails too). ` +
            advice,
          fixes,
        });
      }
    }
  },
};

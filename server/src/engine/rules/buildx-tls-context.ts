// A32 `dind/buildx-tls-context` — see the rule catalogue (spec section A, A32): the client reaches a TLS dind daemon
// through environment variables (DOCKER_TLS_VERIFY/DOCKER_CERT_PATH, set by the job or exported by the client
// entrypoint) and a script creates a docker-container buildx builder without a `docker context create` context,
// which many buildx versions refuse.

import type { ScriptLine } from '../ci/model';
import { combineEdits, edit, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import { normalizePath } from '../semantics/runner';
import {
  dockerInvocations,
  flagValue,
  positionals,
  scriptTextPlacement,
  shellCommands,
  type DockerInvocation,
  type ScriptTextPlacement,
} from '../semantics/usage';
import type { SourceStore } from '../sources';
import type { Fix, Span } from '../types';
import type { Rule } from './rule';

const CONTEXT = 'builder-ctx';
/** What buildx prints (quoted verbatim in every language: users search for it). */
const RUNTIME_ERROR =
  'ERROR: could not create a builder instance with TLS data loaded from environment. Please use ' +
  '`docker context create <context-name>` to create a context for current environment and then create a builder ' +
  'instance with context set to <context-name>';
/** `docker buildx create` flags that take a value. */
const CREATE_VALUED = [
  '--driver',
  '--name',
  '--platform',
  '--driver-opt',
  '--buildkitd-flags',
  '--buildkitd-config',
  '--config',
  '--node',
  '--builder',
  '--timeout',
];
/** `docker context create` flags that take a value. */
const CONTEXT_VALUED = ['--docker', '--description', '--from', '--default-stack-orchestrator', '--kubernetes'];

export const buildxTlsContext: Rule = {
  meta: {
    id: 'dind/buildx-tls-context',
    catalogue: 'A32',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'buildx builder created from TLS environment variables instead of a docker context',
    docs: 'https://docs.gitlab.com/ci/docker/docker_layer_caching/',
    fixSafe: false,
  },

  messages: {
    en: {
      'buildx-tls-context.message':
        'Job `{job}` reaches the TLS dind daemon through environment variables ({why}) and runs `docker buildx create` ' +
        'without a context: buildx cannot create a docker-container builder from TLS settings in environment ' +
        'variables on many buildx versions; create a docker context first. It fails with `{error}`.',
      'buildx-tls-context.why-verify': 'DOCKER_TLS_VERIFY is set',
      'buildx-tls-context.why-entrypoint': 'the client entrypoint exports DOCKER_TLS_VERIFY and DOCKER_CERT_PATH',
      'buildx-tls-context.why-entrypoint-tcp':
        'the client entrypoint exports DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for the tcp:// DOCKER_HOST',
      'buildx-tls-context.fix-existing': 'Create the builder in context {context}',
      'buildx-tls-context.fix-create': 'Create docker context {context} and build in it',
    },
    'zh-cn': {
      'buildx-tls-context.message':
        '作业 `{job}` 通过环境变量连接启用 TLS 的 dind 守护进程（{why}），并在没有 context 的情况下运行 ' +
        '`docker buildx create`：许多 buildx 版本无法根据环境变量中的 TLS 设置创建 docker-container 构建器；' +
        '请先创建 docker context。否则会失败，报错 `{error}`。',
      'buildx-tls-context.why-verify': '设置了 DOCKER_TLS_VERIFY',
      'buildx-tls-context.why-entrypoint': '客户端入口点导出了 DOCKER_TLS_VERIFY 和 DOCKER_CERT_PATH',
      'buildx-tls-context.why-entrypoint-tcp':
        '客户端入口点为 tcp:// 形式的 DOCKER_HOST 导出了 DOCKER_TLS_VERIFY 和 DOCKER_CERT_PATH',
      'buildx-tls-context.fix-existing': '在 context {context} 中创建构建器',
      'buildx-tls-context.fix-create': '创建 docker context {context} 并在其中构建',
    },
  },

  checkJob(check, report) {
    const seen = new Set<string>();
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const why = tlsFromEnvironment(facts);
      if (!why) continue;
      const invocations = dockerInvocations(check.job);
      invocations.forEach((inv, i) => {
        if (inv.args[0] !== 'buildx' || inv.args[1] !== 'create') return;
        const driver = flagValue(inv.args, '--driver');
        if (driver !== undefined && driver !== 'docker-container') return;
        const contexts = invocations
          .slice(0, i)
          .filter((c) => c.args[0] === 'context' && c.args[1] === 'create')
          .map((c) => positionals(c.args, 2, CONTEXT_VALUED)[0])
          .filter((n): n is string => n !== undefined);
        if (positionals(inv.args, 2, CREATE_VALUED).length > 0) return;
        const placement = placementOf(check.sources, inv.line);
        const span = commandSpan(inv, placement);
        const key = `${inv.line.origin.file}:${span.start}`;
        if (seen.has(key)) return;
        seen.add(key);
        report({
          message: msg('buildx-tls-context.message', { job: check.job.name, why, error: RUNTIME_ERROR }),
          file: inv.line.origin.file,
          span,
          fixes: () => {
            const fix = contextFix(check.sources, inv, placement, contexts[contexts.length - 1]);
            return fix ? [fix] : [];
          },
        });
      });
    }
  },
};

/**
 * Why the client's TLS settings come from the environment, or null: DOCKER_TLS_VERIFY set in a variable, or the
 * client entrypoint exporting DOCKER_TLS_VERIFY/DOCKER_CERT_PATH because a TLS dind service shares its
 * certificates (also when DOCKER_HOST is set to a tcp:// address). Requires some dind service with TLS on.
 */
function tlsFromEnvironment(facts: JobFacts): Msg | null {
  const tlsDind = facts.dindServices.filter((s) => facts.daemon(s).tls === true);
  if (tlsDind.length === 0) return null;
  const verify = facts.buildVar('DOCKER_TLS_VERIFY');
  if (verify.state === 'set' && verify.value !== '') return msg('buildx-tls-context.why-verify');
  const host = facts.dockerHost;
  if (host.entrypointTls) return msg('buildx-tls-context.why-entrypoint');
  if (host.source !== 'variable' || host.endpoint?.scheme !== 'tcp' || !facts.clientAuto.value) return null;
  const dir = facts.buildVar('DOCKER_TLS_CERTDIR');
  if (dir.state !== 'set' || dir.value === '') return null;
  const writes = tlsDind.some((s) => {
    const d = facts.daemon(s).certDir;
    return d.state === 'set' && normalizePath(d.value) === normalizePath(dir.value);
  });
  const shared = facts.certsShared(dir.value);
  return writes && shared !== null ? msg('buildx-tls-context.why-entrypoint-tcp') : null;
}

function placementOf(sources: SourceStore, line: ScriptLine): ScriptTextPlacement | null {
  const text = sources.file(line.origin.file)?.text;
  return text === undefined ? null : scriptTextPlacement(line, text);
}

function commandSpan(inv: DockerInvocation, placement: ScriptTextPlacement | null): Span {
  return placement ? { start: placement.base + inv.offset, end: placement.base + inv.end } : inv.line.origin.span;
}

/**
 * Passes a context to `buildx create`: an earlier `docker context create` one, or a new `builder-ctx` created by a
 * script item inserted before the command's line.
 */
function contextFix(
  sources: SourceStore,
  inv: DockerInvocation,
  placement: ScriptTextPlacement | null,
  existing: string | undefined,
): Fix | null {
  if (!placement) return null;
  const words = shellCommands(inv.line.text).find((ws) => ws.some((w) => w.start === inv.offset));
  const create = words?.find((w, k) => w.text === 'create' && words[k - 1]?.text === 'buildx');
  if (!create) return null;
  const name = existing ?? CONTEXT;
  const at = placement.base + create.end;
  const results: EditResult[] = [{ ok: true, edits: [edit(inv.line.origin.file, { start: at, end: at }, ` ${name}`)] }];
  if (existing === undefined) {
    const editor = YamlEditor.fromSources(sources, inv.line.origin.file);
    const located = editor?.locate(inv.line.origin.span);
    if (!editor || !located?.parent || typeof located.key !== 'number') return null;
    results.push(editor.insertItem(located.parent, located.key, `docker context create ${CONTEXT}`, 'before'));
  }
  const r = combineEdits(...results);
  if (!r.ok || r.edits.length === 0) return null;
  return {
    title: '',
    l10nTitle: existing
      ? msg('buildx-tls-context.fix-existing', { context: existing })
      : msg('buildx-tls-context.fix-create', { context: CONTEXT }),
    safe: false,
    preferred: true,
    edits: r.edits,
  };
}

// A33 `dind/registry-auth` — see the rule catalogue (spec section A, A33): (a) a dind job pushes or pulls private
// images without logging the fresh dind daemon's client in (DOCKER_AUTH_CONFIG only serves the runner's own pulls),
// (b) the removed `CI_BUILD_TOKEN` is used, (c) `docker login -p` puts the password on the command line.

import type { ScriptLine } from '../ci/model';
import { combineEdits, edit, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import { runnerVolumes } from '../semantics/runner';
import {
  dockerInvocations,
  positionals,
  scriptTextPlacement,
  shellCommands,
  type DockerInvocation,
  type ScriptTextPlacement,
} from '../semantics/usage';
import type { SourceStore } from '../sources';
import type { Fix, Span } from '../types';
import type { JobCheck, Rule } from './rule';

const LOGIN_LINE =
  'echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY --username $CI_REGISTRY_USER --password-stdin';
const AUTH_CONFIG_LINE = 'mkdir -p $HOME/.docker && echo "$DOCKER_AUTH_CONFIG" > $HOME/.docker/config.json';
const BUILD_TOKEN = /\$\{?CI_BUILD_TOKEN\b\}?/;

export const registryAuth: Rule = {
  meta: {
    id: 'dind/registry-auth',
    catalogue: 'A33',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'dind job pushes or pulls private images without docker login, or logs in unsafely',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#authenticate-with-registry-in-docker-in-docker',
    fixSafe: false,
  },

  messages: {
    en: {
      'registry-auth.build-token':
        'CI_BUILD_TOKEN is deprecated; use $CI_REGISTRY_USER/$CI_REGISTRY_PASSWORD. It is no longer set, so the login ' +
        'of job `{job}` fails with `unauthorized: incorrect username or password`.',
      'registry-auth.password-argument':
        '`docker login` in job `{job}` passes the password on the command line, where it can show up in process ' +
        'lists and logs. Use --password-stdin.',
      'registry-auth.no-login':
        "Job `{job}` runs `{command}` with the private image `{image}` but never runs `docker login`: DOCKER_AUTH_CONFIG only authenticates the runner's own image " +
        'pulls; the fresh dind daemon is not logged in. The command fails with `unauthorized` / `pull access ' +
        'denied` (or Docker Hub rate limits). Log in first (docker login --password-stdin in before_script).',
      'registry-auth.fix-login': 'Log in to $CI_REGISTRY with --password-stdin first',
      'registry-auth.fix-auth-config': 'Write $DOCKER_AUTH_CONFIG to ~/.docker/config.json first',
      'registry-auth.fix-password-stdin': 'Pass the password with --password-stdin',
      'registry-auth.fix-registry-user': 'Use $CI_REGISTRY_USER / $CI_REGISTRY_PASSWORD',
    },
    'zh-cn': {
      'registry-auth.build-token':
        'CI_BUILD_TOKEN 已弃用；请使用 $CI_REGISTRY_USER/$CI_REGISTRY_PASSWORD。该变量已不再设置，因此作业 `{job}` ' +
        '的登录会失败，报错 `unauthorized: incorrect username or password`。',
      'registry-auth.password-argument':
        '作业 `{job}` 中的 `docker login` 在命令行上传递密码，密码可能出现在进程列表和日志中。请使用 --password-stdin。',
      'registry-auth.no-login':
        '作业 `{job}` 使用私有镜像 `{image}` 运行 `{command}`，但从未运行 `docker login`：DOCKER_AUTH_CONFIG 只用于 ' +
        'Runner 自身拉取镜像时的认证；新启动的 dind 守护进程并未登录。该命令会失败，报错 `unauthorized` / ' +
        '`pull access denied`（或触发 Docker Hub 速率限制）。请先登录（在 before_script 中使用 ' +
        'docker login --password-stdin）。',
      'registry-auth.fix-login': '先使用 --password-stdin 登录 $CI_REGISTRY',
      'registry-auth.fix-auth-config': '先将 $DOCKER_AUTH_CONFIG 写入 ~/.docker/config.json',
      'registry-auth.fix-password-stdin': '使用 --password-stdin 传递密码',
      'registry-auth.fix-registry-user': '改用 $CI_REGISTRY_USER / $CI_REGISTRY_PASSWORD',
    },
  },

  checkJob(check, report) {
    const facts = new JobFacts(check.job, check.runner, check.settings);
    if (!facts.usesDocker.value) return;
    const invocations = dockerInvocations(check.job);
    const logins = invocations.filter((inv) => inv.args[0] === 'login');

    for (const line of check.job.script) {
      const m = BUILD_TOKEN.exec(line.text);
      if (!m) continue;
      const placement = placementOf(check.sources, line);
      report({
        message: msg('registry-auth.build-token', { job: check.job.name }),
        file: line.origin.file,
        span: placement
          ? { start: placement.base + m.index, end: placement.base + m.index + m[0].length }
          : line.origin.span,
        severity: 'warning',
        fixes: () => optional(buildTokenFix(line, placement)),
      });
    }

    for (const inv of logins) {
      if (!inv.args.some((a) => a === '-p' || a === '--password' || a.startsWith('--password='))) continue;
      const placement = placementOf(check.sources, inv.line);
      report({
        message: msg('registry-auth.password-argument', { job: check.job.name }),
        file: inv.line.origin.file,
        span: commandSpan(inv, placement),
        severity: 'info',
        fixes: () => optional(passwordStdinFix(inv, placement)),
      });
    }

    if (facts.dindServices.length === 0 || logins.length > 0 || hasClientConfig(check, facts)) return;
    const target = invocations.map((inv) => ({ inv, image: privateImage(inv) })).find((x) => x.image !== null);
    if (!target?.image) return;
    const { inv, image } = target;
    const placement = placementOf(check.sources, inv.line);
    report({
      message: msg('registry-auth.no-login', {
        job: check.job.name,
        command: `docker ${inv.args.slice(0, 2).join(' ')}`,
        image,
      }),
      file: inv.line.origin.file,
      span: commandSpan(inv, placement),
      severity: 'warning',
      fixes: () => loginFixes(check.sources, inv.line, image),
    });
  },
};

function optional(fix: Fix | null): Fix[] {
  return fix ? [fix] : [];
}

function placementOf(sources: SourceStore, line: ScriptLine): ScriptTextPlacement | null {
  const text = sources.file(line.origin.file)?.text;
  return text === undefined ? null : scriptTextPlacement(line, text);
}

function commandSpan(inv: DockerInvocation, placement: ScriptTextPlacement | null): Span {
  return placement ? { start: placement.base + inv.offset, end: placement.base + inv.end } : inv.line.origin.span;
}

/**
 * Credentials the client can use without `docker login`: a written or mounted config.json, DOCKER_CONFIG, or a cloud
 * CLI that logs Docker in (`az acr login`, `gcloud auth configure-docker`, `aws ecr get-login`).
 */
function hasClientConfig(check: JobCheck, facts: JobFacts): boolean {
  if (
    check.job.script.some((l) =>
      /\.docker\/config\.json|docker-credential-|DOCKER_CONFIG|\bacr login|auth configure-docker|ecr get-login/.test(
        l.text,
      ),
    )
  )
    return true;
  if (facts.buildVar('DOCKER_CONFIG').state !== 'unset') return true;
  return (
    check.runner !== null &&
    runnerVolumes(check.runner).some((v) => /\/\.docker(\/config\.json)?$/.test(v.containerPath))
  );
}

/** Whether an image reference names a private registry: `$CI_REGISTRY…`, another `$VAR/...`, or `host.tld/...`. */
function isPrivateImage(ref: string): boolean {
  if (/^\$\{?CI_(REGISTRY|DEPENDENCY_PROXY)/.test(ref)) return true;
  const slash = ref.indexOf('/');
  if (slash < 0) return false;
  const first = ref.slice(0, slash);
  return first.startsWith('$') || first === 'localhost' || /[.:]/.test(first);
}

/** The private image a push or pull touches (`push`, `pull`, `image push|pull`, `build`/`buildx build --push -t`). */
function privateImage(inv: DockerInvocation): string | null {
  const a = inv.args;
  const sub = a[0] === 'image' ? a[1] : a[0];
  if (sub === 'push' || sub === 'pull') {
    const ref = positionals(a, a[0] === 'image' ? 2 : 1, ['--platform'])[0];
    return ref !== undefined && isPrivateImage(ref) ? ref : null;
  }
  const build = a[0] === 'build' ? 1 : a[0] === 'buildx' && a[1] === 'build' ? 2 : 0;
  if (build === 0 || !a.includes('--push')) return null;
  for (let i = build; i < a.length; i++) {
    const w = a[i] ?? '';
    const tag = w === '-t' || w === '--tag' ? a[i + 1] : /^--tag=/.test(w) ? w.slice(6) : undefined;
    if (tag !== undefined && isPrivateImage(tag)) return tag;
  }
  return null;
}

/** Inserts a script item before the command's line (in the file and list that define it). */
function insertBefore(sources: SourceStore, line: ScriptLine, text: string): EditResult | null {
  const editor = YamlEditor.fromSources(sources, line.origin.file);
  const located = editor?.locate(line.origin.span);
  if (!editor || !located?.parent || typeof located.key !== 'number') return null;
  return editor.insertItem(located.parent, located.key, text, 'before');
}

function loginFixes(sources: SourceStore, line: ScriptLine, image: string): Fix[] {
  const out: Fix[] = [];
  const ciRegistry = /^\$\{?CI_REGISTRY/.test(image);
  const login = ciRegistry ? insertBefore(sources, line, LOGIN_LINE) : null;
  if (login?.ok && login.edits.length > 0) {
    out.push({
      title: '',
      l10nTitle: msg('registry-auth.fix-login'),
      safe: false,
      preferred: true,
      edits: login.edits,
    });
  }
  const config = insertBefore(sources, line, AUTH_CONFIG_LINE);
  if (config?.ok && config.edits.length > 0) {
    out.push({
      title: '',
      l10nTitle: msg('registry-auth.fix-auth-config'),
      safe: false,
      preferred: out.length === 0,
      edits: config.edits,
    });
  }
  return out;
}

/** `docker login -u U -p P R` → `echo "P" | docker login -u U --password-stdin R`, edited inside the script item. */
function passwordStdinFix(inv: DockerInvocation, placement: ScriptTextPlacement | null): Fix | null {
  if (!placement || placement.quote === '"') return null;
  const words = shellCommands(inv.line.text).find((ws) => ws.some((w) => w.start === inv.offset));
  if (!words || words.some((w) => w.text === '--password-stdin')) return null;
  const k = words.findIndex((w) => w.text === '-p' || w.text === '--password' || w.text.startsWith('--password='));
  const flag = words[k];
  if (!flag) return null;
  const raw = (w: { start: number; end: number }) => inv.line.text.slice(w.start, w.end);
  const inline = flag.text.startsWith('--password=');
  const valueWord = inline ? flag : words[k + 1];
  if (!valueWord) return null;
  const secret = inline ? raw(flag).slice('--password='.length) : raw(valueWord);
  const quoted = /^["']/.test(secret) ? secret : `"${secret}"`;
  if (placement.quote === "'" && quoted.includes("'")) return null;
  const at = (offset: number) => placement.base + offset;
  const r = combineEdits(
    {
      ok: true,
      edits: [edit(inv.line.origin.file, { start: at(inv.offset), end: at(inv.offset) }, `echo ${quoted} | `)],
    },
    {
      ok: true,
      edits: [edit(inv.line.origin.file, { start: at(flag.start), end: at(valueWord.end) }, '--password-stdin')],
    },
  );
  return r.ok
    ? {
        title: '',
        l10nTitle: msg('registry-auth.fix-password-stdin'),
        safe: false,
        preferred: true,
        edits: r.edits,
      }
    : null;
}

/** `$CI_BUILD_TOKEN` → `$CI_REGISTRY_PASSWORD` and `gitlab-ci-token` → `$CI_REGISTRY_USER` in the script item. */
function buildTokenFix(line: ScriptLine, placement: ScriptTextPlacement | null): Fix | null {
  if (!placement) return null;
  const edits = [];
  for (const m of line.text.matchAll(/CI_BUILD_TOKEN\b/g)) {
    const start = placement.base + m.index;
    edits.push(edit(line.origin.file, { start, end: start + m[0].length }, 'CI_REGISTRY_PASSWORD'));
  }
  for (const m of line.text.matchAll(/(?<![\w$-])gitlab-ci-token(?![\w-])/g)) {
    const start = placement.base + m.index;
    edits.push(edit(line.origin.file, { start, end: start + m[0].length }, '$CI_REGISTRY_USER'));
  }
  const r = combineEdits({ ok: true, edits });
  return r.ok && r.edits.length > 0
    ? { title: '', l10nTitle: msg('registry-auth.fix-registry-user'), safe: false, preferred: true, edits: r.edits }
    : null;
}

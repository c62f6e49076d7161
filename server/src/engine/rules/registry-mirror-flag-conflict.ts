// A34 `dind/registry-mirror-flag-conflict` — see the rule catalogue (spec section A, A34): the runner mounts a
// daemon.json onto `/etc/docker/daemon.json` (the runner-wide registry mirror) and a dind service command passes a
// flag for a daemon.json directive; dockerd refuses to start when a directive comes from both. Also (info): the
// daemon.json mount is writable.

import { isSeq, type Node } from 'yaml';

import { combineEdits, edit, edited, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg } from '../i18n';
import type { Runner, TomlTable } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import { executorClass, runnerVolumes, type RunnerVolume } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import type { SourceStore } from '../sources';
import type { Fix, Span } from '../types';
import type { Rule } from './rule';

const DAEMON_JSON = '/etc/docker/daemon.json';
/** dockerd flags → the daemon.json directive they set. */
const DIRECTIVES: Readonly<Record<string, string>> = {
  '--registry-mirror': 'registry-mirrors',
  '--mtu': 'mtu',
  '--dns': 'dns',
  '--insecure-registry': 'insecure-registries',
  '--storage-driver': 'storage-driver',
  '--host': 'hosts',
  '-H': 'hosts',
};

/** One conflicting flag of a service command: its items (flag, and value when separate) and the directive. */
interface FlagUse {
  readonly flag: string;
  readonly directive: string;
  readonly first: number;
  readonly last: number;
}

export const registryMirrorFlagConflict: Rule = {
  meta: {
    id: 'dind/registry-mirror-flag-conflict',
    catalogue: 'A34',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'dind service command repeats a directive of the runner-mounted daemon.json',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-registry-mirror-for-dockerdind-service',
    fixSafe: false,
  },

  messages: {
    en: {
      'registry-mirror-flag-conflict.conflict':
        'dockerd refuses to start when a directive is given both as a flag and in daemon.json: runner `{runner}` ' +
        'mounts `{mount}` onto {target}, and the dind service `{service}` of job `{job}` passes `{flag}`. If ' +
        'daemon.json also sets "{directive}", the daemon exits with `{error}`, and the job then fails with ' +
        '`Cannot connect to the Docker daemon`.',
      'registry-mirror-flag-conflict.at-service': '{base} Remove the flag (keep daemon.json) or remove the mount.',
      'registry-mirror-flag-conflict.at-runner': '{base} The mount applies to every container of the runner.',
      'registry-mirror-flag-conflict.writable':
        'Runner `{runner}` mounts `{mount}` onto {target} without `:ro`: every container of the runner gets this ' +
        'daemon.json and can rewrite it on the host. Mount it read-only.',
      'registry-mirror-flag-conflict.fix-read-only': 'Mount daemon.json read-only (:ro)',
      'registry-mirror-flag-conflict.fix-remove-flag': 'Remove {flag} from the dind service command',
      'registry-mirror-flag-conflict.fix-remove-mount': 'Remove the daemon.json mount from runner {runner}',
    },
    'zh-cn': {
      'registry-mirror-flag-conflict.conflict':
        '同一指令同时以命令行标志和 daemon.json 给出时，dockerd 会拒绝启动：Runner `{runner}` 将 `{mount}` 挂载到 ' +
        '{target}，而作业 `{job}` 的 dind 服务 `{service}` 传入了 `{flag}`。如果 daemon.json 也设置了 ' +
        '"{directive}"，守护进程会退出并报错 `{error}`，随后作业失败，报错 `Cannot connect to the Docker daemon`。',
      'registry-mirror-flag-conflict.at-service': '{base}请删除该标志（保留 daemon.json），或删除该挂载。',
      'registry-mirror-flag-conflict.at-runner': '{base}该挂载作用于此 Runner 的每个容器。',
      'registry-mirror-flag-conflict.writable':
        'Runner `{runner}` 将 `{mount}` 挂载到 {target} 时没有使用 `:ro`：此 Runner 的每个容器都会获得这个 ' +
        'daemon.json，并且可以在主机上改写它。请以只读方式挂载。',
      'registry-mirror-flag-conflict.fix-read-only': '以只读方式挂载 daemon.json（:ro）',
      'registry-mirror-flag-conflict.fix-remove-flag': '从 dind 服务命令中删除 {flag}',
      'registry-mirror-flag-conflict.fix-remove-mount': '从 Runner {runner} 中删除 daemon.json 挂载',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner || check.runnerAssumed) return;
    const mount = daemonJsonMount(runner);
    if (!mount) return;
    const facts = new JobFacts(check.job, runner, check.settings);
    for (const s of facts.dindServices) {
      const command = s.command;
      if (!command) continue;
      for (const use of flagUses(command.value)) {
        const span = itemSpan(check.sources, s, use.first);
        if (!span) continue;
        const flagText = command.value.slice(use.first, use.last + 1).join(' ');
        const fixes = (): Fix[] =>
          [removeFlagFix(check.sources, runner, s, use), removeMountFix(check.sources, runner, mount)].filter(
            (f): f is Fix => f !== null,
          );
        const base = msg('registry-mirror-flag-conflict.conflict', {
          runner: runner.label,
          mount: mount.raw,
          target: DAEMON_JSON,
          service: s.name.value,
          job: check.job.name,
          flag: flagText,
          directive: use.directive,
          error:
            `unable to configure the Docker daemon with file ${DAEMON_JSON}: the following directives are ` +
            `specified both as a flag and in the configuration file: ${use.directive}`,
        });
        const serviceLoc = { file: s.command?.origin.file ?? s.name.origin.file, span };
        report({
          message: msg('registry-mirror-flag-conflict.at-service', { base }),
          file: serviceLoc.file,
          span: serviceLoc.span,
          related: [
            { file: runner.file, span: mount.origin.span, message: `daemon.json mount of runner ${runner.label}` },
          ],
          fixes,
        });
        report({
          message: msg('registry-mirror-flag-conflict.at-runner', { base }),
          file: runner.file,
          span: mount.origin.span,
          related: [{ ...serviceLoc, message: `${flagText} in the dind service of job ${check.job.name}` }],
          fixes,
        });
      }
    }
  },

  checkRunner(check, report) {
    const mount = daemonJsonMount(check.runner);
    if (!mount || mount.kind !== 'bind' || mount.readOnly) return;
    const runner = check.runner;
    const fixes = (): Fix[] => {
      const editor = TomlEditor.fromSources(check.sources, runner.file);
      const item = mount.entry.itemSpans[mount.index];
      return editor &&
        item &&
        mount.mode === null &&
        (editor.text[item.end - 1] === '"' || editor.text[item.end - 1] === "'")
        ? [
            {
              title: '',
              l10nTitle: msg('registry-mirror-flag-conflict.fix-read-only'),
              safe: false,
              preferred: true,
              edits: [edit(runner.file, { start: item.end - 1, end: item.end - 1 }, ':ro')],
            },
          ]
        : [];
    };
    report({
      message: msg('registry-mirror-flag-conflict.writable', {
        runner: check.runner.label,
        mount: mount.raw,
        target: DAEMON_JSON,
      }),
      file: check.runner.file,
      span: mount.origin.span,
      severity: 'info',
      job: null,
      fixes,
    });
  },
};

/** The volume that puts a file at /etc/docker/daemon.json (DockerLike volumes or a Kubernetes mount_path). */
function daemonJsonMount(runner: Runner): RunnerVolume | null {
  if (executorClass(runner) === 'no-containers') return null;
  return runnerVolumes(runner).find((v) => v.containerPath === DAEMON_JSON) ?? null;
}

/** The daemon.json directives a command's flags set, with the items each flag spans. */
function flagUses(command: readonly string[]): FlagUse[] {
  const out: FlagUse[] = [];
  command.forEach((word, i) => {
    const w = word.trim();
    const eq = w.indexOf('=');
    const name = eq < 0 ? w : w.slice(0, eq);
    const directive = DIRECTIVES[name] ?? (/^-H./.test(w) ? 'hosts' : undefined);
    if (directive === undefined) return;
    const separate = eq < 0 && !/^-H./.test(w) && command[i + 1] !== undefined && !command[i + 1]?.startsWith('-');
    out.push({ flag: name.startsWith('-H') ? '-H' : name, directive, first: i, last: separate ? i + 1 : i });
  });
  return out;
}

/** The range of item `index` of a service command (YAML sequence item or TOML array item). */
function itemSpan(sources: SourceStore, s: Svc, index: number): Span | null {
  const command = s.command;
  if (!command) return null;
  if (s.source === 'runner') return s.runnerService?.table.entries.get('command')?.itemSpans[index] ?? null;
  const editor = YamlEditor.fromSources(sources, command.origin.file);
  const node = editor?.locate(command.origin.span)?.node;
  const item = node && isSeq(node) ? (node.items[index] as Node | undefined) : undefined;
  const r = item?.range;
  return r ? { start: r[0], end: r[1] } : null;
}

/** Removes items `first..last` of a flow or one-line list: from the first item to the next one (or the previous end). */
function removeRange(file: string, spans: readonly Span[], first: number, last: number): EditResult | null {
  const next = spans[last + 1];
  const from = spans[first];
  const to = spans[last];
  if (!from || !to) return null;
  if (next) return edited([edit(file, { start: from.start, end: next.start }, '')]);
  const prev = spans[first - 1];
  return prev ? edited([edit(file, { start: prev.end, end: to.end }, '')]) : null;
}

function removeFlagFix(sources: SourceStore, runner: Runner, s: Svc, use: FlagUse): Fix | null {
  const command = s.command;
  if (!command) return null;
  const all = use.first === 0 && use.last === command.value.length - 1;
  let result: EditResult | null = null;
  if (s.source === 'runner') {
    const table: TomlTable | undefined = s.runnerService?.table;
    const entry = table?.entries.get('command');
    const editor = TomlEditor.fromSources(sources, runner.file);
    if (!table || !entry || !editor) return null;
    if (all) result = editor.removeKey(table, 'command');
    else if (use.first === use.last) result = editor.removeArrayItem(table, 'command', use.first);
    else result = removeRange(runner.file, entry.itemSpans, use.first, use.last);
  } else {
    const editor = YamlEditor.fromSources(sources, command.origin.file);
    const located = editor?.locate(command.origin.span);
    if (!editor || !located || !isSeq(located.node)) return null;
    const seq = located.node;
    if (all && located.parent && located.key !== null && !located.isKey) {
      result = editor.removeKey(located.parent, String(located.key));
    } else if (use.first === use.last) {
      result = editor.removeItem(seq, use.first);
    } else if (!seq.flow) {
      result = combineEdits(editor.removeItem(seq, use.first), editor.removeItem(seq, use.last));
    } else {
      const spans = seq.items.map((it) => {
        const r = (it as Node).range;
        return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
      });
      result = removeRange(command.origin.file, spans, use.first, use.last);
    }
  }
  if (!result?.ok || result.edits.length === 0) return null;
  return {
    title: '',
    l10nTitle: msg('registry-mirror-flag-conflict.fix-remove-flag', { flag: use.flag }),
    safe: false,
    preferred: true,
    edits: result.edits,
  };
}

function removeMountFix(sources: SourceStore, runner: Runner, mount: RunnerVolume): Fix | null {
  if (mount.kind === 'kubernetes' || !runner.docker) return null;
  const editor = TomlEditor.fromSources(sources, runner.file);
  const r = editor?.removeArrayItem(runner.docker, 'volumes', mount.index);
  return r?.ok && r.edits.length > 0
    ? {
        title: '',
        l10nTitle: msg('registry-mirror-flag-conflict.fix-remove-mount', { runner: runner.label }),
        safe: false,
        edits: r.edits,
      }
    : null;
}

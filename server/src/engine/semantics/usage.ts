// USES_DOCKER(J) and the Docker CLI invocations in a job's scripts (`docker login`, `docker buildx create`,
// `docker context create`, ...), found by a light shell tokenizer: commands split on `&&`, `||`, `;`, `|`.

import type { EffectiveJob, ScriptLine } from '../ci/model';
import { isDockerImage } from './images';
import { memoByObject } from './memo';
import type { EffectiveImage } from './services';

/** `\bdocker(\s|-compose)` (spec 0.1). */
const DOCKER_WORD = /\bdocker(\s|-compose)/;

export interface DockerUsage {
  readonly value: boolean;
  /** `image`: the job image's repository is `docker`; `script`: a script line runs `docker`/`docker-compose`. */
  readonly reason: 'image' | 'script' | null;
  /** The first script line that runs Docker, when any. */
  readonly line: ScriptLine | null;
}

/** USES_DOCKER(J). */
export function usesDocker(job: Pick<EffectiveJob, 'script'>, image: EffectiveImage | null): DockerUsage {
  const line = job.script.find((l) => DOCKER_WORD.test(l.text)) ?? null;
  if (image && isDockerImage(image.ref)) return { value: true, reason: 'image', line };
  return { value: line !== null, reason: line ? 'script' : null, line };
}

export interface DockerInvocation {
  readonly line: ScriptLine;
  /** Offset of the `docker` word in `line.text`. */
  readonly offset: number;
  /** Offset just after the command's last word in `line.text`. */
  readonly end: number;
  /** Words after `docker`, quotes removed: `['buildx', 'create', '--use']`. */
  readonly args: readonly string[];
}

interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Splits shell text into commands of words, honouring quotes; `$(...)` bodies are not descended into. */
export function shellCommands(text: string): Word[][] {
  const commands: Word[][] = [];
  let words: Word[] = [];
  let cur = '';
  let start = -1;
  let quote: '"' | "'" | null = null;
  const flushWord = (end: number) => {
    if (start >= 0) words.push({ text: cur, start, end });
    cur = '';
    start = -1;
  };
  const flushCommand = () => {
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i] ?? '';
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      if (start < 0) start = i;
      quote = c;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
      continue;
    }
    if (/\s/.test(c) && c !== '\n') {
      flushWord(i);
      continue;
    }
    if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      flushWord(i);
      flushCommand();
      continue;
    }
    if (start < 0) start = i;
    cur += c;
  }
  flushWord(text.length);
  flushCommand();
  return commands;
}

const PREFIXES = new Set(['sudo', 'exec', 'time', 'command', 'then', 'do', 'else', '!']);

/** Every `docker ...` command in the job's scripts (before_script, script, after_script); once per script list. */
export function dockerInvocations(job: Pick<EffectiveJob, 'script'>): readonly DockerInvocation[] {
  return invocationsOf(job.script);
}

const invocationsOf = memoByObject((script: readonly ScriptLine[]): readonly DockerInvocation[] => {
  const out: DockerInvocation[] = [];
  for (const line of script) {
    for (const words of shellCommands(line.text)) {
      let i = 0;
      while (i < words.length) {
        const w = words[i]?.text ?? '';
        if (PREFIXES.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
        else break;
      }
      const head = words[i];
      if (!head || !/(^|\/)docker$/.test(head.text)) continue;
      const last = words[words.length - 1] ?? head;
      out.push({ line, offset: head.start, end: last.end, args: words.slice(i + 1).map((w) => w.text) });
    }
  }
  return out;
});

/** The invocations whose arguments start with `subcommand` (e.g. `['buildx', 'create']`, `['login']`). */
export function findDockerCommands(job: Pick<EffectiveJob, 'script'>, ...subcommand: string[]): DockerInvocation[] {
  return dockerInvocations(job).filter((inv) => subcommand.every((s, k) => inv.args[k] === s));
}

/** The value of `--name value` / `--name=value` (or a short alias) in `args`, or undefined. */
export function flagValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (a.startsWith(`${n}=`)) return a.slice(n.length + 1);
    }
  }
  return undefined;
}

/** Positional arguments after `skip` leading words (flags and their values are left out when `valued` names them). */
export function positionals(args: readonly string[], skip: number, valued: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let i = skip; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('-')) {
      if (valued.includes(a)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** How a script line's text sits in its file: where the text starts and how the scalar is quoted. */
export interface ScriptTextPlacement {
  /** File offset of the text's first character. */
  readonly base: number;
  readonly quote: '' | "'" | '"';
}

/**
 * Where a script line's text is written verbatim in `fileText`: a one-line plain scalar, or a one-line quoted scalar
 * without escapes. Null otherwise (multi-line, block or escaped scalars), so offsets in the text cannot be mapped.
 */
export function scriptTextPlacement(
  line: Pick<ScriptLine, 'text' | 'origin'>,
  fileText: string,
): ScriptTextPlacement | null {
  const { start, end } = line.origin.span;
  const src = fileText.slice(start, end);
  if (/[\r\n]/.test(src)) return null;
  if (src === line.text) return { base: start, quote: '' };
  for (const q of ["'", '"'] as const) {
    if (src === `${q}${line.text}${q}` && !line.text.includes(q) && !(q === '"' && line.text.includes('\\'))) {
      return { base: start + 1, quote: q };
    }
  }
  return null;
}

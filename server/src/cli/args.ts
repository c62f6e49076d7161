// Command-line parsing and validation. Every mistake becomes a UsageError that names the option and the reason;
// the caller prints it and exits with status 2.

import { parseArgs } from 'node:util';

import type { AssumeRunner, SeveritySetting } from '../engine/index';

export const FORMATS = ['text', 'json', 'sarif', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];

const ASSUME_RUNNER: readonly AssumeRunner[] = ['gitlab-saas', 'none'];
const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];

export interface CheckOptions {
  /** As given (relative to the cwd or absolute); empty means the cwd. */
  readonly paths: readonly string[];
  readonly runnerConfigs: readonly string[];
  readonly runner: string | null;
  readonly assumeRunner: AssumeRunner;
  readonly format: Format;
  readonly output: string | null;
  readonly fix: boolean;
  readonly rules: Readonly<Record<string, SeveritySetting>>;
}

export type Command =
  { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'check'; readonly options: CheckOptions };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const HELP = `Usage: gitlab-ci-dind check [options] [path ...]

Checks Docker-in-Docker setups across .gitlab-ci.yml and the GitLab Runner config.toml.

A path is a pipeline file (any YAML pipeline root; its workspace is the nearest folder above it holding .git,
else its own folder) or a directory (its .gitlab-ci.yml is the root pipeline and its runner configs, files named
config.toml holding [[runners]], are discovered; .git and node_modules are skipped). A *.toml file is checked as
a runner config. Default: the current directory.

Options:
  --runner-config FILE      check against this runner config.toml instead of discovered ones (repeatable)
  --runner NAME             only the [[runners]] entry whose name is NAME
  --assume-runner KIND      gitlab-saas | none (default none): what to assume without a runner config
  --format FORMAT           text | json | sarif | codequality (default text)
  --output FILE             write the report to FILE instead of stdout
  --fix                     apply every safe fix in place, then report what is left
  --rule ID=LEVEL           set a rule's severity: off | info | warning | error (repeatable)
  -h, --help                show this help
  --version                 print the version

Code Quality severities: error -> major, warning -> minor, info -> info.

Exit status: 0 no error finding, 1 at least one error finding, 2 bad usage or an input that cannot be read.
`;

/** Parses `argv` (without the node and script arguments). Throws UsageError on any mistake. */
export function parseCommandLine(argv: readonly string[]): Command {
  const { values, positionals } = parseRaw(argv);
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };

  const [command, ...paths] = positionals;
  if (command === undefined) throw new UsageError('missing command: expected "check"');
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check') throw new UsageError(`unknown command "${command}": expected "check"`);

  return {
    kind: 'check',
    options: {
      paths: paths.map((p, i) => nonEmpty(p, `path #${i + 1}`)),
      runnerConfigs: (values['runner-config'] ?? []).map((p) => nonEmpty(p, '--runner-config')),
      runner: values.runner === undefined ? null : nonEmpty(values.runner, '--runner'),
      assumeRunner: oneOf(values['assume-runner'] ?? 'none', ASSUME_RUNNER, '--assume-runner'),
      format: oneOf(values.format ?? 'text', FORMATS, '--format'),
      output: values.output === undefined ? null : nonEmpty(values.output, '--output'),
      fix: values.fix === true,
      rules: parseRules(values.rule ?? []),
    },
  };
}

function parseRaw(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        'runner-config': { type: 'string', multiple: true },
        runner: { type: 'string' },
        'assume-runner': { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        fix: { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

function nonEmpty(value: string, what: string): string {
  if (value.trim() === '') throw new UsageError(`${what} must not be empty`);
  return value;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], option: string): T {
  const hit = allowed.find((a) => a === value);
  if (hit === undefined) {
    throw new UsageError(`invalid value "${value}" for ${option}: expected one of ${allowed.join(', ')}`);
  }
  return hit;
}

function parseRules(specs: readonly string[]): Record<string, SeveritySetting> {
  const rules: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const id = eq < 0 ? '' : spec.slice(0, eq).trim();
    if (eq < 0 || id === '' || /\s/.test(id)) {
      throw new UsageError(`malformed --rule "${spec}": expected ID=LEVEL, e.g. dind/tls-disabled=off`);
    }
    rules[id] = oneOf(spec.slice(eq + 1).trim(), SEVERITY_SETTINGS, `--rule ${id}`);
  }
  return rules;
}

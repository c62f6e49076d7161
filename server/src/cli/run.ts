// The CLI's top level: parse the command line, run `check`, print the report, and return the exit status
// (0 no error finding, 1 at least one, 2 bad usage or an input that cannot be read).

import { writeFileSync } from 'node:fs';

import {
  analyze,
  DEFAULT_SETTINGS,
  fixPreservesSyntax,
  ParseCache,
  type Analysis,
  type Host,
  type Settings,
} from '../engine/index';
import { HELP, parseCommandLine, UsageError, type CheckOptions } from './args';
import { DiskHost, displayPath, toEnginePath } from './disk-host';
import { fixInPlace, type FixOutcome } from './fix';
import { formatReport } from './format/index';
import { ruleInfo, TOOL_NAME, toolVersion } from './meta';
import { mergeFindings, reportFindings } from './report';
import { InputError, resolveRunnerConfigs, resolveTarget } from './targets';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** What the CLI needs from its process, so that it can be run in-process too. */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTty: boolean;
  out(text: string): void;
  err(text: string): void;
}

export function run(argv: readonly string[], io: Io): number {
  try {
    const command = parseCommandLine(argv);
    switch (command.kind) {
      case 'help':
        io.out(HELP);
        return EXIT_OK;
      case 'version':
        io.out(`${toolVersion()}\n`);
        return EXIT_OK;
      case 'check':
        return check(command.options, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${TOOL_NAME}: ${e.message}\nRun "${TOOL_NAME} --help" for usage.\n`);
      return EXIT_USAGE;
    }
    if (e instanceof InputError) {
      io.err(`${TOOL_NAME}: ${e.message}\n`);
      return EXIT_USAGE;
    }
    io.err(`${TOOL_NAME}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_USAGE;
  }
}

function check(options: CheckOptions, io: Io): number {
  const cwd = toEnginePath(io.cwd);
  const probe = new DiskHost();
  const runnerConfigs = resolveRunnerConfigs(probe, cwd, options.runnerConfigs);
  const given = options.paths.length > 0 ? options.paths : ['.'];
  const targets = given.map((p) => resolveTarget(probe, cwd, p, runnerConfigs));
  for (const t of targets) {
    if (t.pipelines.length === 0 && t.runnerConfigs.length === 0) {
      io.err(`${TOOL_NAME}: nothing to check in "${t.given}": no .gitlab-ci.yml and no runner config.toml\n`);
    }
  }
  for (const id of Object.keys(options.rules)) {
    if (!ruleInfo(id)) io.err(`${TOOL_NAME}: warning: --rule names an unknown rule id "${id}"\n`);
  }

  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    runnerConfigs,
    runner: options.runner,
    assumeRunner: options.assumeRunner,
    rules: options.rules,
  };
  const cache = new ParseCache();
  const analyzeAll = (host: Host): Analysis[] =>
    targets.map((t) =>
      withValidFixes(
        analyze(host, {
          workspaceRoot: t.workspaceRoot,
          pipelines: t.pipelines,
          runnerConfigs: t.runnerConfigs,
          settings,
          cache,
        }),
      ),
    );

  if (options.fix) reportFixes(fixInPlace(analyzeAll), cwd, io);
  const analyses = analyzeAll(new DiskHost());
  warnUnknownRunner(options.runner, analyses, io);

  const findings = mergeFindings(analyses.map((a) => reportFindings(a, cwd)));
  const color = options.output === null && io.stdoutIsTty && !io.env['NO_COLOR'];
  const report = formatReport(options.format, findings, { cwd, color });
  if (options.output === null) {
    io.out(report);
  } else {
    try {
      writeFileSync(toEnginePath(options.output, cwd), report, 'utf8');
    } catch (e) {
      throw new InputError(`cannot write --output "${options.output}": ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

/** The analysis with every fix whose result would not parse removed: such a fix is neither reported nor applied. */
function withValidFixes(a: Analysis): Analysis {
  const textOf = (file: string): string | undefined => a.sources.file(file)?.text;
  const findings = a.findings.map((f) => {
    const fixes = f.fixes.filter((fix) => fixPreservesSyntax(fix, textOf));
    return fixes.length === f.fixes.length ? f : { ...f, fixes };
  });
  return { ...a, findings };
}

function reportFixes(outcome: FixOutcome, cwd: string, io: Io): void {
  for (const file of outcome.changedOnDisk) {
    io.err(`${TOOL_NAME}: not fixing "${displayPath(file, cwd)}": it changed on disk while being checked\n`);
  }
  if (outcome.total === 0) {
    io.err(`${TOOL_NAME}: no safe fix to apply\n`);
    return;
  }
  const files = [...outcome.perFile]
    .map(([file, n]) => [displayPath(file, cwd), n] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([file, n]) => `${file} (${n})`);
  const fixes = outcome.total === 1 ? '1 fix' : `${outcome.total} fixes`;
  io.err(
    `${TOOL_NAME}: applied ${fixes} in ${files.length === 1 ? '1 file' : `${files.length} files`}: ${files.join(', ')}\n`,
  );
}

function warnUnknownRunner(runner: string | null, analyses: readonly Analysis[], io: Io): void {
  if (runner === null) return;
  const runners = analyses.flatMap((a) => a.runnerConfigs.flatMap((c) => c.runners));
  if (runners.length > 0 && !runners.some((r) => r.name === runner)) {
    io.err(`${TOOL_NAME}: warning: no [[runners]] entry is named "${runner}" in the checked runner configs\n`);
  }
}

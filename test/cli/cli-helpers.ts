import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';

import { CLI_JS } from '../helpers/paths';

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled CLI in `cwd` with colours off (unless `env` says otherwise). */
export function runCli(cwd: string, args: readonly string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI_JS, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const created: string[] = [];
after(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder (removed after the test file) holding `files` (relative path → text or bytes). */
export function workspace(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitlab-ci-dind-cli-'));
  created.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const full = join(dir, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export interface JsonPosition {
  line: number;
  character: number;
}
export interface JsonRange {
  start: JsonPosition;
  end: JsonPosition;
}
export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  file: string;
  range: JsonRange;
  job: string | null;
  runner: string | null;
  related: { file: string; range: JsonRange; message: string }[];
  fixes: { title: string; safe: boolean; edits: { file: string; range: JsonRange; newText: string }[] }[];
}

/** Runs `check --format json` and parses the report. */
export function checkJson(
  cwd: string,
  args: readonly string[] = [],
): { status: number | null; findings: JsonFinding[] } {
  const r = runCli(cwd, ['check', '--format', 'json', ...args]);
  const parsed = JSON.parse(r.stdout) as { version: number; findings: JsonFinding[] };
  return { status: r.status, findings: parsed.findings };
}

/** A valid pipeline that does not use Docker, so no rule has anything to say about it. */
export const CLEAN_PIPELINE = `lint:
  image: alpine:3.20
  script:
    - echo ok
`;

/** A YAML syntax error after non-ASCII text (é is 1 UTF-16 unit, 😀 is 2, 中 is 1): the stray `x` on line 1. */
export const BROKEN_PIPELINE = 'job:\n  script: "é😀中" x\n';

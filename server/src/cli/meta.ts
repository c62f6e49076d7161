// What the reports say about the tool and its rules: name, version, and per rule id a description, docs link and
// default severity, taken from the engine's rule catalogue and its own finding ids.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { MODEL_FINDING_LIST, RULES, type Severity } from '../engine/index';

export const TOOL_NAME = 'gitlab-ci-dind';
export const TOOL_URI = 'https://github.com/gitlab-ci-dind/gitlab-ci-dind';

export interface RuleInfo {
  readonly id: string;
  readonly description: string;
  readonly docs: string;
  readonly defaultSeverity: Severity;
}

const RULE_INFO: ReadonlyMap<string, RuleInfo> = new Map<string, RuleInfo>([
  ...MODEL_FINDING_LIST.map((m): [string, RuleInfo] => [m.id, m]),
  ...RULES.map((r): [string, RuleInfo] => [
    r.meta.id,
    { id: r.meta.id, description: r.meta.title, docs: r.meta.docs, defaultSeverity: r.meta.defaultSeverity },
  ]),
]);

/** Metadata of a rule or engine finding id, or undefined for an id the engine does not know. */
export function ruleInfo(id: string): RuleInfo | undefined {
  return RULE_INFO.get(id);
}

let cachedVersion: string | undefined;

/** The version in the package.json that ships with this file (the bundle sits one or two folders below it). */
export function toolVersion(): string {
  if (cachedVersion !== undefined) return cachedVersion;
  cachedVersion = '0.0.0';
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === TOOL_NAME && typeof pkg.version === 'string') {
          cachedVersion = pkg.version;
          break;
        }
      } catch {
        // An unreadable package.json further down does not stop the search.
      }
    }
    dir = dirname(dir);
  }
  return cachedVersion;
}

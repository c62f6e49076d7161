// What the reports say about the tool and its rules: name, version, and per rule id a description, docs link and
// default severity, taken from the engine's rule catalogue and its own finding ids.

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

/** Set by the bundler (scripts/build.mjs) from package.json, so a copied or vendored cli.js still knows its version. */
declare const GITLAB_CI_DIND_VERSION: string;

export function toolVersion(): string {
  return typeof GITLAB_CI_DIND_VERSION === 'string' ? GITLAB_CI_DIND_VERSION : '0.0.0';
}

// Public surface of the pure engine, used by the language server, the CLI and the tests.

export * from './types';
export * from './text';
export * from './ids';
export * from './settings';
export {
  analyze,
  findingKey,
  flattenPipelines,
  sortFindings,
  type Analysis,
  type AnalysisOptions,
  type FixMode,
} from './analyze';
export { fixesFor } from './fix/deferred';
export { SourceStore, ParseCache, type ParseCacheOptions, type SourceFile } from './sources';
export { MAX_FLOW_DEPTH, parseYaml, type ParsedYaml } from './yaml/parse';
export { parseToml, type ParsedToml } from './toml/parse';
export type * from './ci/model';
export type * from './runner/model';
export { buildPipeline } from './ci/pipeline';
export { jobData, jobProvenance } from './ci/jobs';
export { parseRunnerConfig, looksLikeRunnerConfig } from './runner/config';
export { RULES } from './rules/index';
export type { FixList, Rule, RuleMeta } from './rules/rule';
export { discoverWorkspace, type WorkspaceFiles } from './workspace';
export { renderEffectiveJob } from './ci/render';
export { MAX_FILE_BYTES } from './sources';
export {
  applyEdits,
  applyFixes,
  editsConflict,
  planFixes,
  rangedEdit,
  safeFixes,
  type FixPlan,
  type FixResult,
  type Range,
  type SkippedFix,
  type SkipReason,
} from './edits';
export { combineEdits, editsOrEmpty, fixFrom, type EditResult } from './fix/common';
export { YamlEditor, type LocatedNode } from './fix/yaml-edit';
export {
  doubleQuoted,
  isPlainSafe,
  yamlKey,
  yamlScalar,
  type EditValue,
  type EditScalar,
  type QuoteStyle,
} from './fix/yaml-format';
export { TomlEditor, type AddTableOptions } from './fix/toml-edit';
export {
  tomlBasicString,
  tomlKey,
  tomlString,
  tomlValue,
  type TomlEditValue,
  type TomlStringStyle,
} from './fix/toml-format';
export * from './semantics';
export {
  RUNNER_SCHEMA,
  EXECUTORS,
  KNOWN_FEATURE_FLAGS,
  lookupRunnerKey,
  lookupRunnerTable,
  allRunnerTables,
  type RunnerKey,
  type RunnerTableSchema,
  type RunnerValueType,
  type RunnerDefault,
  type Strictness,
} from './runner/schema';
export { runnerJsonSchema } from './runner/json-schema';
export { insertEntryEdit } from './runner/edit';
export { suggestKey, editDistance, parseEnvironmentItem } from './runner/validate';
export { selectRunners, assumedRunnerConfig, ASSUMED_RUNNER_FILE, ASSUMED_RUNNER_TOML } from './runner/select';
export { parseImageRef, deriveAliases, splitAliases, expandVariables } from './ci/image';
export { hoverAt, isDindVariable, MAX_HOVER_JOBS, type HoverResult } from './features/hover';
export {
  completionsAt,
  yamlLineContext,
  DIND_VARIABLES,
  type CompletionEntry,
  type CompletionKind,
  type YamlLineContext,
} from './features/completion';
export { documentLinks, definitionsAt, type DocumentLinkEntry, type DefinitionTarget } from './features/navigation';
export { runnerStatus, type RunnerStatus } from './features/status';
export { locateYaml, type FeatureOptions, type YamlLocation, type PathPart } from './features/common';
export * from './i18n';
export { MESSAGES, CORE_CATALOGS } from './messages';
export { isRunnerConfigFile } from './runner/config';
export { embedsRunnerConfig, isHelmValuesName, isYamlPath } from './runner/helm';
export { editsPreserveSyntax, fixPreservesSyntax, syntaxErrorCount } from './fix/validate';

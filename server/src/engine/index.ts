// Public surface of the pure engine, used by the language server, the CLI and the tests.

export * from './types';
export * from './text';
export * from './ids';
export * from './settings';
export { analyze, sortFindings, type Analysis, type AnalysisOptions } from './analyze';
export { SourceStore, ParseCache, type SourceFile } from './sources';
export { parseYaml, type ParsedYaml } from './yaml/parse';
export { parseToml, type ParsedToml } from './toml/parse';
export type * from './ci/model';
export type * from './runner/model';
export { buildPipeline } from './ci/pipeline';
export { parseRunnerConfig, looksLikeRunnerConfig } from './runner/config';
export { RULES } from './rules/index';
export type { Rule, RuleMeta } from './rules/rule';
export { discoverWorkspace, type WorkspaceFiles } from './workspace';
export { renderEffectiveJob } from './ci/render';

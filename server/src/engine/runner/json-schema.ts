// Generates a JSON Schema (draft-07) for config.toml from schema.ts, for Taplo / Even Better TOML users.
// The committed copy is schemas/gitlab-runner-config.schema.json (regenerate: `node scripts/gen-schema.mjs`).

import { RUNNER_SCHEMA, type RunnerKey, type RunnerTableSchema, type RunnerValueType } from './schema';

export type JsonSchema = { [key: string]: unknown };

const STRING = { type: 'string' };
const STRINGS = { type: 'array', items: STRING };

function scalar(type: RunnerValueType, values: readonly string[] | undefined): JsonSchema {
  const str: JsonSchema = values ? { type: 'string', enum: [...values] } : STRING;
  switch (type) {
    case 'string':
      return str;
    case 'integer':
      return { type: 'integer' };
    case 'float':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'datetime':
      return { type: 'string', format: 'date-time' };
    case 'string[]':
      return { type: 'array', items: str };
    case 'integer[]':
      return { type: 'array', items: { type: 'integer' } };
    case 'float[]':
      return { type: 'array', items: { type: 'number' } };
    case 'string-or-string[]':
      return { anyOf: [str, { type: 'array', items: str }] };
    case 'table':
    case 'map':
    case 'table[]':
      return { type: 'object' };
  }
}

function keySchema(key: RunnerKey): JsonSchema {
  let body: JsonSchema;
  if (key.type === 'map') {
    const values = key.mapValues === 'boolean' ? { type: 'boolean' } : key.mapValues === 'string[]' ? STRINGS : STRING;
    body = { type: 'object', additionalProperties: values };
  } else if (key.type === 'table' && key.table) {
    body = tableSchema(key.table);
  } else if (key.type === 'table[]' && key.table) {
    body = { type: 'array', items: tableSchema(key.table) };
  } else {
    body = scalar(key.type, key.values);
  }
  const out: JsonSchema = { description: key.doc, ...body };
  if (key.default !== undefined) out['default'] = key.default;
  if (key.minimum !== undefined) out['minimum'] = key.minimum;
  if (key.deprecated !== undefined) out['deprecated'] = true;
  out['x-taplo'] = { links: { key: key.docs } };
  return out;
}

function tableSchema(table: RunnerTableSchema): JsonSchema {
  const properties: JsonSchema = {};
  for (const key of table.keys.values()) properties[key.name] = keySchema(key);
  return {
    type: 'object',
    description: table.doc,
    properties,
    additionalProperties: table.strictness !== 'closed',
  };
}

export function runnerJsonSchema(): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/gitlab-ci-dind/gitlab-ci-dind/blob/main/schemas/gitlab-runner-config.schema.json',
    title: 'GitLab Runner config.toml',
    'x-taplo-info': { authors: ['gitlab-ci-dind'], patterns: ['config\\.toml$'] },
    ...tableSchema(RUNNER_SCHEMA),
  };
}

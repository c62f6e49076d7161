import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { DIST, REPO_ROOT } from '../helpers/paths';

const ENGINE = join(REPO_ROOT, 'server', 'src', 'engine');
const FORBIDDEN = /^(?:node:)?(?:fs|fs\/promises|net|child_process|http|https|worker_threads)$|^vscode(?:$|[-/])/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier in a source text: static imports/exports, dynamic import() and require(). */
function specifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) if (m[1]) out.push(m[1]);
  return out;
}

test('the specifier scanner sees every import form (so the boundary check can fail)', () => {
  const sample = `import fs from 'fs';\nimport { x } from "node:net";\nexport * from 'vscode-languageserver';\nconst c = require('child_process');\nawait import('vscode');`;
  assert.deepEqual(
    specifiers(sample).sort(),
    ['child_process', 'fs', 'node:net', 'vscode', 'vscode-languageserver'].sort(),
  );
  assert.ok(specifiers(sample).every((s) => FORBIDDEN.test(s)));
});

test('engine sources import no editor API, file system, network or process module', () => {
  const files = tsFiles(ENGINE);
  assert.ok(files.length > 10, 'engine sources found');
  const violations: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (FORBIDDEN.test(spec)) violations.push(`${relative(REPO_ROOT, file)} imports ${spec}`);
      if (/(^|\/)(lsp|cli)(\/|$)/.test(spec)) violations.push(`${relative(REPO_ROOT, file)} imports adapter ${spec}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the bundled engine requires no forbidden module', () => {
  const bundle = readFileSync(join(DIST, 'engine.js'), 'utf8');
  const required = [...bundle.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? '');
  const forbidden = required.filter((s) => FORBIDDEN.test(s));
  assert.deepEqual(forbidden, []);
});

// Runs the extension-host suite in a real VS Code (code-server, driven by headless Chromium through playwright-core),
// then the browser smoke test. Expects `npm run build`, scripts/e2e/install.mjs and scripts/e2e/build-suite.mjs done.
// Exit code: 0 when every check that ran passed; checks whose feature is not implemented yet are listed, not passed.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join, relative } from 'node:path';
import { clearInterval, setInterval, setTimeout } from 'node:timers';
import { chromium } from 'playwright-core';
import { NotYetAvailable, smokeSteps } from '../../test/e2e/browser/smoke.mjs';
import {
  CHROMIUM,
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  DOC_IMAGES,
  E2E_DIR,
  FIXTURES,
  ROOT,
  SCREENSHOTS,
  SUITE_INDEX,
  freePort,
  isInstalled,
} from './common.mjs';

/** The extension under test; E2E_EXTENSION_PATH lets a staged copy be tested instead of the work tree. */
const EXTENSION_PATH = process.env.E2E_EXTENSION_PATH ?? ROOT;
const RUN_DIR = join(E2E_DIR, 'run');
const REPORT = join(RUN_DIR, 'report.jsonl');
const SUITE_TIMEOUT_MS = 240_000;
/** E2E_UPDATE_SCREENSHOTS=1 copies the smoke screenshots into docs/images for the README. */
const UPDATE_DOC_IMAGES = process.env.E2E_UPDATE_SCREENSHOTS === '1';
const REPORT_ENV = 'GITLAB_CI_DIND_E2E_REPORT';

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

function checkReady() {
  if (!existsSync(join(EXTENSION_PATH, 'dist', 'extension.js')))
    fail('dist/extension.js is missing: run `npm run build`');
  if (!existsSync(SUITE_INDEX)) fail(`${relative(ROOT, SUITE_INDEX)} is missing: run scripts/e2e/build-suite.mjs`);
  if (!isInstalled()) fail('code-server is not installed: run scripts/e2e/install.mjs');
  if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing (Debian package: chromium)`);
}

/** A fresh copy of a fixture workspace (the suite edits and saves files). */
function stageWorkspace(fixture, name) {
  const dir = join(RUN_DIR, name);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
}

async function startCodeServer(workspace, name) {
  const port = await freePort();
  const userData = join(RUN_DIR, `${name}-user-data`);
  const extensions = join(RUN_DIR, `${name}-extensions`);
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensions, { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    `${JSON.stringify(
      {
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'editor.stickyScroll.enabled': false,
        'editor.minimap.enabled': false,
        'git.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'update.mode': 'none',
      },
      null,
      2,
    )}\n`,
  );
  const log = join(RUN_DIR, `${name}-code-server.log`);
  const args = [
    CODE_SERVER_ENTRY,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir',
    userData,
    '--extensions-dir',
    extensions,
    workspace,
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, [REPORT_ENV]: REPORT },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    writeFileSync(log, output);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    if (await healthy(`${url}/healthz`)) break;
    if (Date.now() > deadline) throw new Error(`code-server did not serve ${url} within 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, userData, log, child, stop: () => stopProcess(child) };
}

/** Whether the URL answers 200 (false while the server is not listening yet). */
function healthy(url) {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    }).on('error', () => resolve(false));
  });
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** The workbench URL for a folder, with the development extension (and optionally the suite) loaded. */
function workbenchUrl(server, folder, withTests) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(EXTENSION_PATH)]];
  if (withTests) payload.push(['extensionTestsPath', remote(SUITE_INDEX)]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Prints report lines as the suite writes them; returns the parsed records so far. */
function reportReader() {
  let printed = 0;
  const records = [];
  return {
    records,
    poll() {
      if (!existsSync(REPORT)) return;
      const lines = readFileSync(REPORT, 'utf8').split('\n').filter(Boolean);
      for (const line of lines.slice(printed)) {
        const rec = JSON.parse(line);
        records.push(rec);
        if (rec.name) console.log(`  ${symbol(rec.status)} ${rec.name} (${rec.ms} ms)${explain(rec)}`);
      }
      printed = lines.length;
    },
  };
}

function symbol(status) {
  return status === 'passed' ? 'ok  ' : status === 'failed' ? 'FAIL' : 'n/a ';
}

function explain(rec) {
  if (rec.status === 'not-available') return `: not yet available: ${rec.detail}`;
  if (rec.status === 'failed') return `\n${String(rec.detail).replace(/^/gm, '        ')}`;
  return rec.detail ? `: ${rec.detail}` : '';
}

/** Files under `dir` whose name matches, newest last. */
function findFiles(dir, pattern) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...findFiles(full, pattern));
    else if (pattern.test(name)) out.push(full);
  }
  return out.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs);
}

/** What the extension host and the extension's output channels logged, for a failed run. */
function printHostLogs({ userData, log }) {
  const logs = findFiles(join(userData, 'logs'), /(exthost|remoteexthost|gitlab|dind|extension).*\.log$/i);
  for (const file of logs) {
    const text = readFileSync(file, 'utf8').trim();
    if (!text) continue;
    console.log(`\n--- ${relative(ROOT, file)} (last 60 lines) ---`);
    console.log(text.split('\n').slice(-60).join('\n'));
  }
  if (existsSync(log)) {
    console.log(`\n--- ${relative(ROOT, log)} (last 40 lines) ---`);
    console.log(readFileSync(log, 'utf8').trim().split('\n').slice(-40).join('\n'));
  }
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, name);
  await page.screenshot({ path: file });
  if (UPDATE_DOC_IMAGES && !name.startsWith('failure')) {
    mkdirSync(DOC_IMAGES, { recursive: true });
    cpSync(file, join(DOC_IMAGES, name));
  }
  return relative(ROOT, file);
}

/** Runs the extension-host suite; returns its records and exit code. */
async function runSuite(browser) {
  const workspace = stageWorkspace('workspace', 'suite-workspace');
  const server = await startCodeServer(workspace, 'suite');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const reader = reportReader();
  let code;
  try {
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (c) => resolve(Number(c)));
    });
    console.log(`e2e: extension-host suite in code-server ${CODE_SERVER_VERSION} (${server.url})`);
    await page.goto(workbenchUrl(server, workspace, true));
    const tick = setInterval(() => reader.poll(), 250);
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve(undefined), SUITE_TIMEOUT_MS);
    });
    code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    clearInterval(tick);
    reader.poll();
    if (code === undefined) console.error(`e2e: the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s`);
    if (code !== 0) {
      console.error(`e2e: suite screenshot: ${await screenshot(page, 'failure-suite.png')}`);
      printHostLogs(server);
    }
  } finally {
    await page.close();
    await server.stop();
  }
  return { records: reader.records.filter((r) => r.name), code: code ?? 1 };
}

/** The browser smoke: the workbench shows the diagnostics, and Ctrl+. offers a quick-fix when one exists. */
async function runSmoke(browser) {
  const workspace = stageWorkspace('workspace', 'smoke-workspace');
  const server = await startCodeServer(workspace, 'smoke');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const records = [];
  const step = async (name, fn) => {
    const started = Date.now();
    let status = 'passed';
    let detail;
    try {
      detail = await fn();
    } catch (e) {
      status = e instanceof NotYetAvailable ? 'not-available' : 'failed';
      detail = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    }
    const rec = { name, status, ms: Date.now() - started, detail };
    records.push(rec);
    console.log(
      `  ${symbol(status)} ${name} (${rec.ms} ms)${status === 'passed' && detail ? `: ${detail}` : explain(rec)}`,
    );
    return status === 'passed';
  };
  console.log('e2e: browser smoke (workbench UI)');
  try {
    await page.goto(workbenchUrl(server, workspace, false));
    await smokeSteps(page, { step, screenshot: (name) => screenshot(page, name) });
    if (records.some((r) => r.status === 'failed')) {
      console.error(`e2e: smoke screenshot: ${await screenshot(page, 'failure-smoke.png')}`);
      printHostLogs(server);
    }
  } finally {
    await page.close();
    await server.stop();
  }
  return records;
}

checkReady();
rmSync(RUN_DIR, { recursive: true, force: true });
mkdirSync(RUN_DIR, { recursive: true });
const started = Date.now();
const browser = await launchBrowser();
let suite;
let smoke;
try {
  suite = await runSuite(browser);
  smoke = await runSmoke(browser);
} finally {
  await browser.close();
}
const all = [...suite.records, ...smoke];
const count = (s) => all.filter((r) => r.status === s).length;
const unavailable = all.filter((r) => r.status === 'not-available');
if (unavailable.length > 0) {
  console.log(`\ne2e: not yet available (not counted as passed):`);
  for (const r of unavailable) console.log(`  - ${r.name}: ${r.detail}`);
}
const suiteBroken = suite.code !== 0 && !suite.records.some((r) => r.status === 'failed');
if (suiteBroken) console.error(`e2e: the extension-host suite exited with ${suite.code} before reporting a failure`);
console.log(`e2e: finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(
  `${count('passed')} passed, ${count('failed') + (suiteBroken ? 1 : 0)} failed, ${unavailable.length} skipped`,
);
process.exit(suite.code === 0 && count('failed') === 0 ? 0 : 1);

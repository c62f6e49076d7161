// Installs code-server (a real VS Code with the Node extension host) into the git-ignored .e2e/ folder, offline
// apart from the npm registry: code-server's own postinstall downloads ripgrep and prebuilt binaries, so it is
// installed with scripts off and its steps are done here (native modules rebuilt from source, the system ripgrep).
// Idempotent: a marker records a completed install for this code-server version and Node ABI; re-runs take ~0 s.
import {
  copyFileSync,
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  CHROMIUM,
  CODE_SERVER_PKG,
  CODE_SERVER_PREFIX,
  CODE_SERVER_VERSION,
  E2E_DIR,
  INSTALL_MARKER,
  NODE_GYP_VERSION,
  RIPGREP,
  TOOLS_PREFIX,
  installStamp,
  isInstalled,
  localNodeDir,
  run,
} from './common.mjs';

/** Native modules of VS Code's server that must be built for this Node. */
const NATIVE_MODULES = [
  '@parcel/watcher',
  '@vscode/deviceid',
  '@vscode/spdlog',
  'kerberos',
  'native-watchdog',
  'node-pty',
];

/** Each prerequisite with the Debian package that provides it. */
function missingPrerequisites({ forRunOnly }) {
  const onPath = (exe) => (process.env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, exe)));
  const checks = [{ ok: existsSync(CHROMIUM), what: CHROMIUM, pkg: 'chromium' }];
  if (!forRunOnly) {
    checks.push(
      { ok: existsSync(RIPGREP), what: RIPGREP, pkg: 'ripgrep' },
      {
        ok: existsSync('/usr/include/gssapi/gssapi.h'),
        what: 'Kerberos headers (gssapi/gssapi.h)',
        pkg: 'libkrb5-dev',
      },
      { ok: onPath('make'), what: 'make', pkg: 'make' },
      { ok: onPath('g++'), what: 'g++', pkg: 'g++' },
      { ok: onPath('python3'), what: 'python3', pkg: 'python3' },
    );
  }
  return checks.filter((c) => !c.ok);
}

function ensureSymlink(target, path) {
  if (existsSync(path) || isDanglingLink(path)) unlinkSync(path);
  symlinkSync(target, path);
}

function isDanglingLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Installs code-server unless the marker says it is done. Returns true when it had to install. */
export async function install() {
  const installed = isInstalled();
  const missing = missingPrerequisites({ forRunOnly: installed });
  if (missing.length > 0) {
    for (const m of missing) console.error(`e2e: missing ${m.what} (Debian package: ${m.pkg})`);
    const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ');
    throw new PrerequisiteError(`install the missing Debian packages first: apt-get install -y ${pkgs}`);
  }
  if (installed) {
    console.log(`e2e: code-server ${CODE_SERVER_VERSION} already installed in .e2e/code-server`);
    return false;
  }

  const started = Date.now();
  mkdirSync(CODE_SERVER_PREFIX, { recursive: true });
  mkdirSync(TOOLS_PREFIX, { recursive: true });
  const logFile = join(E2E_DIR, 'install.log');
  writeFileSync(logFile, '');
  console.log(`e2e: installing code-server ${CODE_SERVER_VERSION} into .e2e/code-server (log: .e2e/install.log)`);

  // node-gyp is installed as a "global" package of the .e2e/tools prefix: node-pty's build script calls
  // `npx node-gyp`, which looks in the global prefix and cannot prompt to download in CI.
  const nodeGyp = join(TOOLS_PREFIX, 'lib', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const env = {
    ...process.env,
    PATH: [join(TOOLS_PREFIX, 'bin'), process.env.PATH ?? ''].join(delimiter),
    npm_config_prefix: TOOLS_PREFIX,
    npm_config_node_gyp: nodeGyp,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const nodeDir = localNodeDir();
  if (nodeDir) env.npm_config_nodedir = nodeDir;
  const npm = (cwd, ...args) => run('npm', args, { cwd, env, logFile });
  const step = async (title, fn) => {
    const t = Date.now();
    process.stdout.write(`e2e:   ${title} ... `);
    await fn();
    console.log(`${((Date.now() - t) / 1000).toFixed(0)} s`);
  };

  const pkg = join(CODE_SERVER_PREFIX, 'package.json');
  if (!existsSync(pkg)) writeFileSync(pkg, '{ "private": true }\n');
  await step(`node-gyp@${NODE_GYP_VERSION} (into .e2e/tools)`, () =>
    npm(TOOLS_PREFIX, 'install', '--global', `node-gyp@${NODE_GYP_VERSION}`),
  );
  await step(`code-server@${CODE_SERVER_VERSION} (scripts off)`, () =>
    npm(CODE_SERVER_PREFIX, 'install', '--no-save', '--ignore-scripts', `code-server@${CODE_SERVER_VERSION}`),
  );
  await step('rebuild argon2', () => npm(CODE_SERVER_PREFIX, 'rebuild', 'argon2'));

  const vscodeDir = join(CODE_SERVER_PKG, 'lib', 'vscode');
  await step('VS Code server dependencies', () => npm(vscodeDir, 'install', '--omit=dev', '--ignore-scripts'));
  const rgDir = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rgDir, { recursive: true });
  copyFileSync(RIPGREP, join(rgDir, 'rg'));
  chmodSync(join(rgDir, 'rg'), 0o755);
  await step('rebuild native modules', () => npm(vscodeDir, 'rebuild', ...NATIVE_MODULES));
  ensureSymlink('node_modules', join(vscodeDir, 'node_modules.asar'));
  ensureSymlink('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  ensureSymlink('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  await step('built-in extensions dependencies', () =>
    npm(join(vscodeDir, 'extensions'), 'install', '--omit=dev', '--ignore-scripts'),
  );

  writeFileSync(INSTALL_MARKER, `${JSON.stringify(installStamp())}\n`);
  console.log(`e2e: code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

/** A missing system package: the message says which to install. */
export class PrerequisiteError extends Error {}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await install();
  } catch (e) {
    console.error(`e2e: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(e instanceof PrerequisiteError ? 2 : 1);
  }
}

// Hover, completion, document links, definition, the runner status request and re-checking, through the bundled
// server over stdio.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MODEL_FINDINGS } from '@engine';

import { SERVER_JS } from '../helpers/paths';
import { PULL_CLIENT, ServerProcess, TempWorkspace, within } from './lsp-client';

const PIPELINE = `include: ci/docker.yml
build:
  extends: .docker
  script: docker build .
`;
const TEMPLATE = `.docker:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
`;
const RUNNER = (privileged: boolean): string => `[[runners]]
  name = "dind-runner"
  executor = "docker"
  [runners.docker]
    image = "alpine"
    privileged = ${privileged}
    volumes = ["/certs/client", "/cache"]
`;

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

describe('editor features over stdio', { skip: existsSync(SERVER_JS) ? false : `${SERVER_JS} is not built` }, () => {
  let ws: TempWorkspace;
  let server: ServerProcess;

  beforeEach(() => {
    ws = new TempWorkspace({
      '.gitlab-ci.yml': PIPELINE,
      'ci/docker.yml': TEMPLATE,
      'runner/config.toml': RUNNER(true),
    });
    server = new ServerProcess();
  });

  afterEach(() => {
    server.kill();
    ws.dispose();
  });

  test('capabilities, hover on a job and on a config.toml key', async () => {
    const init: { capabilities: Record<string, unknown> } = await server.initialize(ws.uri(), PULL_CLIENT);
    assert.equal(init.capabilities['hoverProvider'], true);
    assert.equal(init.capabilities['definitionProvider'], true);
    assert.deepEqual(init.capabilities['documentLinkProvider'], { resolveProvider: false });
    assert.ok(init.capabilities['completionProvider']);

    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', PIPELINE);
    const hover = await server.request<{ contents: { kind: string; value: string }; range: Range }>(
      'textDocument/hover',
      {
        textDocument: { uri },
        position: { line: 1, character: 2 },
      },
    );
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /\*\*Job `build`\*\*/);
    assert.match(hover.contents.value, /`ci\/docker\.yml:4`/);
    assert.match(hover.contents.value, /runner `dind-runner` \(`runner\/config\.toml:1`\)/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });

    const toml = ws.uri('runner/config.toml');
    await server.open(toml, 'toml', RUNNER(true));
    const keyHover = await server.request<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri: toml },
      position: { line: 5, character: 6 },
    });
    assert.match(keyHover.contents.value, /\*\*`privileged`\*\* · `boolean`/);
  });

  test('completion of a DOCKER_HOST value, document links and definition across files', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    const uri = ws.uri('.gitlab-ci.yml');
    const text = `${PIPELINE}  variables:\n    DOCKER_HOST: \n`;
    await server.open(uri, 'yaml', text);
    const items = await server.request<{ label: string; preselect?: boolean; textEdit: { range: Range } }[]>(
      'textDocument/completion',
      { textDocument: { uri }, position: { line: 5, character: 17 } },
    );
    assert.deepEqual(
      items.map((i) => i.label),
      ['tcp://docker:2376', 'tcp://docker:2375'],
    );
    assert.equal(items[0]?.preselect, true);
    assert.deepEqual(items[0]?.textEdit.range.start, { line: 5, character: 17 });

    const links = await server.request<{ range: Range; target: string }[]>('textDocument/documentLink', {
      textDocument: { uri },
    });
    assert.deepEqual(links, [
      { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 22 } }, target: ws.uri('ci/docker.yml') },
    ]);

    const defs = await server.request<{ uri: string; range: Range }[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 2, character: 13 },
    });
    assert.deepEqual(defs, [
      { uri: ws.uri('ci/docker.yml'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 7 } } },
    ]);
  });

  test('runnerStatus names the config the pipeline is checked against, and follows the settings', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', PIPELINE);
    const status = await server.request<{ label: string; configs: string[]; assumed: boolean; available: string[] }>(
      'gitlabCiDind/runnerStatus',
      { uri },
    );
    assert.equal(status.label, 'runner/config.toml');
    assert.deepEqual(status.configs, [ws.uri('runner/config.toml')]);
    assert.deepEqual(status.available, [ws.uri('runner/config.toml')]);
    assert.equal(status.assumed, false);

    ws.write('other/config.toml', RUNNER(false).replace('dind-runner', 'other'));
    server.settings = { runnerConfigs: ['other/config.toml'] };
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const after = await pollUntil(
      () => server.request<{ label: string }>('gitlabCiDind/runnerStatus', { uri }),
      (s) => s.label === 'other/config.toml',
    );
    assert.equal(after.label, 'other/config.toml');
  });

  test('re-checking: a config.toml edit and an included-file edit refresh the pipeline’s diagnostics', async () => {
    ws.write('runner/config.toml', RUNNER(false));
    await server.initialize(ws.uri(), PULL_CLIENT);
    const uri = ws.uri('.gitlab-ci.yml');
    const include = ws.uri('ci/docker.yml');
    await server.open(uri, 'yaml', PIPELINE);
    const privileged = async (): Promise<number> => {
      const all = [...(await server.pull(uri)).items, ...(await server.pull(include)).items];
      return all.filter((d) => d.code === 'dind/privileged-required').length;
    };
    assert.ok((await privileged()) > 0, 'an unprivileged runner is reported');

    const toml = ws.uri('runner/config.toml');
    await server.open(toml, 'toml', RUNNER(false));
    const refreshed = new Promise<void>((resolve) =>
      server.connection.onRequest('workspace/diagnostic/refresh', () => (resolve(), null)),
    );
    await server.change(toml, RUNNER(true), 2);
    await within(refreshed, 'workspace/diagnostic/refresh after the config.toml edit');
    assert.equal(await privileged(), 0);

    const missing = PIPELINE.replace('.docker', '.dockr');
    await server.change(uri, missing, 2);
    const extendsErrors = async (): Promise<number> =>
      (await server.pull(uri)).items.filter((d) => d.code === MODEL_FINDINGS.extendsError.id).length;
    assert.equal(await extendsErrors(), 1);
    await server.open(include, 'yaml', TEMPLATE);
    await server.change(include, `${TEMPLATE}.dockr:\n  image: alpine\n`, 2);
    assert.equal(await extendsErrors(), 0, 'the including file is checked again after the included file changed');
  });
});

/** Calls `get` until `ok` holds, up to a deadline (no sleeps: each call is a server round trip). */
async function pollUntil<T>(get: () => Promise<T>, ok: (t: T) => boolean, deadline = Date.now() + 10_000): Promise<T> {
  for (;;) {
    const value = await get();
    if (ok(value) || Date.now() > deadline) return value;
  }
}

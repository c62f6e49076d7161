// Language server entry point (bundled to dist/server.js). The transport comes from the command line:
// `--node-ipc` when VS Code starts it, `--stdio` for any other LSP editor, or `--socket=<port>`.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';

import { applyHeapPolicy } from './memory';
import { CONNECTION_OPTIONS, DindLanguageServer } from './server';

applyHeapPolicy();
new DindLanguageServer(createConnection(ProposedFeatures.all, CONNECTION_OPTIONS)).listen();

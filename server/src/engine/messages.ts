// Every message catalogue of the engine in one registry: the rules' own catalogues and the core ones.

import { CI_MESSAGES } from './ci/messages';
import { CORE_MESSAGES } from './core-messages';
import { FEATURE_MESSAGES } from './features/messages';
import { MessageRegistry, type Catalogs } from './i18n';
import { RULES } from './rules/index';
import { RUNNER_MESSAGES } from './runner/messages';

/** Catalogues of messages that do not belong to one rule (model findings, shared fix titles). */
export const CORE_CATALOGS: readonly Catalogs[] = [CORE_MESSAGES, CI_MESSAGES, RUNNER_MESSAGES, FEATURE_MESSAGES];

export const MESSAGES = new MessageRegistry();
for (const c of CORE_CATALOGS) MESSAGES.add(c);
for (const r of RULES) if (r.messages) MESSAGES.add(r.messages);

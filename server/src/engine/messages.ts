// Every message catalogue of the engine in one registry: the rules' own catalogues and the core ones.

import { MessageRegistry, type Catalogs } from './i18n';
import { RULES } from './rules/index';

/** Catalogues of messages that do not belong to one rule (model findings, shared fix titles). */
export const CORE_CATALOGS: readonly Catalogs[] = [];

export const MESSAGES = new MessageRegistry();
for (const c of CORE_CATALOGS) MESSAGES.add(c);
for (const r of RULES) if (r.messages) MESSAGES.add(r.messages);

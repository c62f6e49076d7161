// The rule index: every rule of the catalogue, in catalogue order.

import type { Rule } from './rule';

export const RULES: readonly Rule[] = [];

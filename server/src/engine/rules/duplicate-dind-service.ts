// A19 `dind/duplicate-dind-service` — see the rule catalogue (spec section A, A19).

import type { Rule } from './rule';

export const duplicateDindService: Rule = {
  meta: {
    id: 'dind/duplicate-dind-service',
    catalogue: 'A19',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'duplicate dind service',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#define-images-and-services-in-configtoml',
    fixSafe: false,
  },
};

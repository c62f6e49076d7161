// QA A14 dind/certs-volume-shared: host-bound cert paths, the whole /certs, or /certs/ca in [runners.docker] volumes.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';
import { B2, B2_CI } from './fixtures-qa2';

const ID = 'dind/certs-volume-shared';

const runner = (volumes: string): string =>
  dockerRunner(`    privileged = true\n    volumes = ${volumes}`, { name: 'shared', runner: '  limit = 4\n' });

ruleCases(ID, [
  {
    name: 'positive: host-bound /srv/docker-certs:/certs/client',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': runner('["/srv/docker-certs:/certs/client", "/cache"]') },
    expect: [{ file: 'config.toml', at: '"/srv/docker-certs:/certs/client"', severity: 'warning' }],
  },
  {
    name: 'positive: the whole /certs directory (exposes the CA key)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': runner('["/certs", "/cache"]') },
    expect: [{ file: 'config.toml', at: '"/certs"', severity: 'warning' }],
  },
  {
    name: 'positive: /certs/ca next to /certs/client',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': runner('["/certs/client", "/certs/ca", "/cache"]') },
    expect: [{ file: 'config.toml', at: '"/certs/ca"', severity: 'warning' }],
  },
  {
    name: 'negative: B2 anonymous /certs/client',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B2 },
    expect: [],
  },
]);

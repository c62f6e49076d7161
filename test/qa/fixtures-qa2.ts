// Pipelines and runner configs for the qa2 cases, written from spec section B (canonical setups) and close variants.

import {
  B2 as CANONICAL_B2,
  B3 as CANONICAL_B3,
  B6 as CANONICAL_B6,
  B7 as CANONICAL_B7,
  withRunnerKeys,
} from '../helpers/canonical';
import { dockerRunner } from './fixtures';

/** B2 runner named `tls`: privileged, `/certs/client` shared. */
export const B2 = dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', { name: 'tls' });

/** B3 runner named `plain`: privileged, no cert volume. */
export const B3 = dockerRunner('    privileged = true\n    volumes = ["/cache"]', { name: 'plain' });

/** B5 runner named `sock`: host socket bound, not privileged. */
export const B5 = dockerRunner(
  '    privileged = false\n    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]',
  { name: 'sock' },
);

/** B2's pipeline: dind from `default:`, TLS on through the global DOCKER_TLS_CERTDIR. */
export const B2_CI = CANONICAL_B2.ci;

/** B3's pipeline: TLS disabled. */
export const B3_CI = CANONICAL_B3.ci;

/** B6's Kubernetes runner (`k8s`), with the cert empty_dir. */
export const B6_TOML = withRunnerKeys(CANONICAL_B6.toml, { name: 'k8s', executor: 'kubernetes' });

/** B7's Kubernetes runner (`k8s`), no volumes. */
export const B7_TOML = withRunnerKeys(CANONICAL_B7.toml, { name: 'k8s', executor: 'kubernetes' });

/** B6's pipeline. */
export const B6_CI = CANONICAL_B6.ci;

/** B7's pipeline. */
export const B7_CI = CANONICAL_B7.ci;

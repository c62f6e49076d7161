// The rule index: every rule of the catalogue, in catalogue order.

import { noDaemonForDockerCommands } from './no-daemon-for-docker-commands';
import { socketMountWithDindService } from './socket-mount-with-dind-service';
import { executorUnsupported } from './executor-unsupported';
import { executorSectionMismatch } from './executor-section-mismatch';
import { wrongImageVariant } from './wrong-image-variant';
import { privilegedRequired } from './privileged-required';
import { runnerAllowlistBlocksDind } from './runner-allowlist-blocks-dind';
import { k8sPrivilegeEscalationConflict } from './k8s-privilege-escalation-conflict';
import { tlsCertsVolumeMissing } from './tls-certs-volume-missing';
import { k8sTlsCertsVolumeMissing } from './k8s-tls-certs-volume-missing';
import { tlsPortMismatch } from './tls-port-mismatch';
import { tlsVerifyWithoutCerts } from './tls-verify-without-certs';
import { clientEnvNotAutoconfigured } from './client-env-not-autoconfigured';
import { certsVolumeShared } from './certs-volume-shared';
import { tlsDisabled } from './tls-disabled';
import { serviceAliasMissing } from './service-alias-missing';
import { dockerHostUnresolvable } from './docker-host-unresolvable';
import { tlsHostnameNotInCert } from './tls-hostname-not-in-cert';
import { duplicateDindService } from './duplicate-dind-service';
import { serviceCommandBypassesEntrypoint } from './service-command-bypasses-entrypoint';
import { networkModeConflict } from './network-mode-conflict';
import { legacyLinkVariables } from './legacy-link-variables';
import { perBuildNetworkDns } from './per-build-network-dns';
import { mtuMismatch } from './mtu-mismatch';
import { proxyNoProxy } from './proxy-no-proxy';
import { k8sHealthcheckPort } from './k8s-healthcheck-port';
import { waitForServicesTimeout } from './wait-for-services-timeout';
import { imageUnpinned } from './image-unpinned';
import { clientDaemonVersionSkew } from './client-daemon-version-skew';
import { oldDindCgroups } from './old-dind-cgroups';
import { dockerDriver } from './docker-driver';
import { buildxTlsContext } from './buildx-tls-context';
import { registryAuth } from './registry-auth';
import { registryMirrorFlagConflict } from './registry-mirror-flag-conflict';
import { securityPrivileged } from './security-privileged';
import { securityDockerSocket } from './security-docker-socket';
import { rootlessMisconfigured } from './rootless-misconfigured';
import { sysboxMisconfigured } from './sysbox-misconfigured';
import { mergeDropsDindConfig } from './merge-drops-dind-config';
import type { Rule } from './rule';

export const RULES: readonly Rule[] = [
  noDaemonForDockerCommands,
  socketMountWithDindService,
  executorUnsupported,
  executorSectionMismatch,
  wrongImageVariant,
  privilegedRequired,
  runnerAllowlistBlocksDind,
  k8sPrivilegeEscalationConflict,
  tlsCertsVolumeMissing,
  k8sTlsCertsVolumeMissing,
  tlsPortMismatch,
  tlsVerifyWithoutCerts,
  clientEnvNotAutoconfigured,
  certsVolumeShared,
  tlsDisabled,
  serviceAliasMissing,
  dockerHostUnresolvable,
  tlsHostnameNotInCert,
  duplicateDindService,
  serviceCommandBypassesEntrypoint,
  networkModeConflict,
  legacyLinkVariables,
  perBuildNetworkDns,
  mtuMismatch,
  proxyNoProxy,
  k8sHealthcheckPort,
  waitForServicesTimeout,
  imageUnpinned,
  clientDaemonVersionSkew,
  oldDindCgroups,
  dockerDriver,
  buildxTlsContext,
  registryAuth,
  registryMirrorFlagConflict,
  securityPrivileged,
  securityDockerSocket,
  rootlessMisconfigured,
  sysboxMisconfigured,
  mergeDropsDindConfig,
];

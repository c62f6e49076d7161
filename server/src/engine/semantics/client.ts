// The Docker client in the build container: CLIENT_AUTO(J) (whether `docker-entrypoint.sh` configures DOCKER_HOST
// and TLS by itself) and DOCKER_HOST_eff(J) with where it comes from (spec 0.1, D1).

import type { Origin, Variable } from '../ci/model';
import type { Runner } from '../runner/model';
import { isDockerImage } from './images';
import {
  certsSharedVolume,
  DOCKER_SOCKET,
  executorClass,
  isPathOrParent,
  normalizePath,
  runnerVolumes,
  runsImageEntrypoint,
  boolEntry,
  type FeatureFlag,
  type RunnerVolume,
} from './runner';
import type { EffectiveImage } from './services';
import type { KnownVar, VarLookup } from './variables';

/** A parsed `DOCKER_HOST` (or `--host`) value. */
export type DockerEndpoint =
  | {
      readonly scheme: 'tcp';
      readonly host: string;
      /** The port written, or the CLI default (2376 with TLS, else 2375). */
      readonly port: number;
      readonly explicitPort: boolean;
      readonly raw: string;
    }
  | { readonly scheme: 'unix'; readonly path: string; readonly raw: string }
  | { readonly scheme: 'npipe' | 'ssh' | 'fd'; readonly raw: string }
  | { readonly scheme: 'invalid'; readonly raw: string };

/** Parses `tcp://H:P`, `tcp://[::1]:P`, `unix:///path`, `npipe://`, `ssh://`, `fd://`. */
export function parseDockerHost(text: string, tls = false): DockerEndpoint {
  const raw = text;
  const t = text.trim();
  const m = /^([a-z]+):\/\/(.*)$/i.exec(t);
  if (!m) return { scheme: 'invalid', raw };
  const scheme = (m[1] ?? '').toLowerCase();
  const rest = m[2] ?? '';
  if (scheme === 'unix') return rest === '' ? { scheme: 'invalid', raw } : { scheme: 'unix', path: rest, raw };
  if (scheme === 'npipe' || scheme === 'ssh' || scheme === 'fd') return { scheme, raw };
  if (scheme !== 'tcp' && scheme !== 'http' && scheme !== 'https') return { scheme: 'invalid', raw };
  const hostPort = rest.split('/')[0] ?? '';
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
  if (!hp) return { scheme: 'invalid', raw };
  const host = (hp[1] ?? '').replace(/^\[|\]$/g, '');
  const portText = hp[2];
  const explicitPort = portText !== undefined && portText !== '';
  const port = explicitPort ? Number(portText) : tls || scheme === 'https' ? 2376 : 2375;
  return { scheme: 'tcp', host, port, explicitPort, raw };
}

export interface ClientAuto {
  /** True when `docker-entrypoint.sh` runs in the build container and configures the client itself. */
  readonly value: boolean;
  readonly reason:
    | 'auto'
    | 'no-image'
    | 'not-docker-image'
    | 'entrypoint-overridden'
    | 'kubernetes-entrypoint-not-honored'
    | 'executor-without-containers';
  /** The entrypoint override that disables it (`image: { entrypoint: [""] }`). */
  readonly entrypointOrigin: Origin | null;
  /** FF_KUBERNETES_HONOR_ENTRYPOINT on Kubernetes, else null. */
  readonly flag: FeatureFlag | null;
}

/**
 * CLIENT_AUTO(J): the job image is a `docker` image (any registry or mirror), its entrypoint is not overridden
 * (unless the runner sets `disable_entrypoint_overwrite`), and the executor runs image entrypoints (Docker-based
 * executors; Kubernetes only with FF_KUBERNETES_HONOR_ENTRYPOINT). With no runner known, a Docker executor is assumed.
 */
export function clientAuto(
  image: EffectiveImage | null,
  runner: Runner | null,
  variables: ReadonlyMap<string, Variable>,
): ClientAuto {
  const no = (
    reason: ClientAuto['reason'],
    flag: FeatureFlag | null = null,
    entrypointOrigin: Origin | null = null,
  ) => ({
    value: false,
    reason,
    entrypointOrigin,
    flag,
  });
  if (runner && executorClass(runner) === 'no-containers') return no('executor-without-containers');
  if (!image) return no('no-image');
  if (!isDockerImage(image.ref)) return no('not-docker-image');
  const overwriteDisabled = runner !== null && boolEntry(runner.docker, 'disable_entrypoint_overwrite')?.value === true;
  if (image.entrypoint && !overwriteDisabled) return no('entrypoint-overridden', null, image.entrypoint.origin);
  if (runner) {
    const runs = runsImageEntrypoint(runner, variables);
    if (!runs.value) return no('kubernetes-entrypoint-not-honored', runs.flag);
    return { value: true, reason: 'auto', entrypointOrigin: null, flag: runs.flag };
  }
  return { value: true, reason: 'auto', entrypointOrigin: null, flag: null };
}

/** What the client entrypoint can see of a dind daemon: its cert dir and TLS state. */
export interface DindTlsView {
  /** Var_svc(s, DOCKER_TLS_CERTDIR) when known. */
  readonly certDir: string | null;
  readonly tls: boolean | null;
}

export interface EffectiveDockerHost {
  /** The DOCKER_HOST the client uses; null when it depends on variables we cannot see. */
  readonly value: string | null;
  /**
   * `variable`: Var_build(DOCKER_HOST) (CI variable or runner environment); `entrypoint`: chosen by the client
   * entrypoint (CLIENT_AUTO); `default`: the CLI default `unix:///var/run/docker.sock`.
   */
  readonly source: 'variable' | 'entrypoint' | 'default';
  /** The variable that sets it (source `variable`). */
  readonly variable: KnownVar | null;
  readonly endpoint: DockerEndpoint | null;
  /**
   * Entrypoint branch (D1): `socket` (`/var/run/docker.sock` exists), `certs` (`$DOCKER_TLS_CERTDIR/client/*.pem`
   * exist: port 2376 plus DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH), `no-certs` (port 2375); null otherwise.
   */
  readonly branch: 'socket' | 'certs' | 'no-certs' | null;
  /** The entrypoint exports DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH (branch `certs`). */
  readonly entrypointTls: boolean;
  /** DOCKER_CERT_PATH the entrypoint exports (branch `certs`), else null. */
  readonly certPath: string | null;
  /** The runner volume that made the branch possible (socket mount or shared cert dir), or null. */
  readonly volume: RunnerVolume | null;
  /** True when no runner is known and the recommended runner setup (certs shared) was assumed. */
  readonly assumed: boolean;
}

const CLI_DEFAULT = 'unix:///var/run/docker.sock';

/**
 * DOCKER_HOST_eff(J): Var_build(DOCKER_HOST); else, with CLIENT_AUTO, what `docker-entrypoint.sh` picks: the socket
 * when `/var/run/docker.sock` is mounted into the build container, `tcp://docker:2376` when the client's
 * `$DOCKER_TLS_CERTDIR/client` holds certificates (some TLS dind service writes them there and the runner shares the
 * directory), else `tcp://docker:2375`; else the CLI default socket.
 */
export function effectiveDockerHost(input: {
  readonly dockerHost: VarLookup;
  readonly clientCertDir: VarLookup;
  readonly clientAuto: ClientAuto;
  readonly runner: Runner | null;
  readonly dind: readonly DindTlsView[];
}): EffectiveDockerHost {
  const base = { branch: null, entrypointTls: false, certPath: null, volume: null, assumed: false } as const;
  const v = input.dockerHost;
  if (v.state !== 'unset') {
    return {
      ...base,
      value: v.state === 'set' ? v.value : null,
      source: 'variable',
      variable: v,
      endpoint: v.state === 'set' ? parseDockerHost(v.value) : null,
    };
  }
  if (!input.clientAuto.value) {
    return { ...base, value: CLI_DEFAULT, source: 'default', variable: null, endpoint: parseDockerHost(CLI_DEFAULT) };
  }
  const runner = input.runner;
  if (runner) {
    const sock = runnerVolumes(runner).find(
      (vol) => isPathOrParent(vol.containerPath, DOCKER_SOCKET) && vol.containerPath !== '/',
    );
    if (sock) {
      return {
        ...base,
        value: CLI_DEFAULT,
        source: 'entrypoint',
        variable: null,
        endpoint: parseDockerHost(CLI_DEFAULT),
        branch: 'socket',
        volume: sock,
      };
    }
  }
  const dir = input.clientCertDir.state === 'set' ? input.clientCertDir.value : '';
  const writer =
    dir === ''
      ? undefined
      : input.dind.find((d) => d.tls === true && d.certDir !== null && normalizePath(d.certDir) === normalizePath(dir));
  const volume = writer && runner ? certsSharedVolume(runner, dir) : null;
  const certs = writer !== undefined && (runner === null || volume !== null);
  const value = certs ? 'tcp://docker:2376' : 'tcp://docker:2375';
  return {
    value,
    source: 'entrypoint',
    variable: null,
    endpoint: parseDockerHost(value),
    branch: certs ? 'certs' : 'no-certs',
    entrypointTls: certs,
    certPath: certs ? `${dir.replace(/\/+$/, '')}/client` : null,
    volume,
    assumed: certs && runner === null,
  };
}

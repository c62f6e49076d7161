// What a dind service's daemon does (D1 `dockerd-entrypoint.sh`): whether its entrypoint logic runs, whether it
// serves TLS (TLS_ON), and where it listens (TCP ports, Unix socket), from its variables, command and entrypoint.

import type { JobService } from '../ci/model';
import { parseDockerHost, type DockerEndpoint } from './client';
import { normalizePath } from './runner';
import type { VarLookup, VariableScope } from './variables';

export const DIND_TLS_PORT = 2376;
export const DIND_PLAIN_PORT = 2375;

export interface Listener {
  readonly endpoint: DockerEndpoint;
  /** Whether this TCP listener requires TLS (`--tlsverify`); false for Unix sockets. */
  readonly tls: boolean;
  /** `entrypoint`: added by `dockerd-entrypoint.sh`; `command`: a `--host`/`-H` flag in the service command. */
  readonly source: 'entrypoint' | 'command';
}

export interface DaemonFacts {
  /** Var_svc(s, DOCKER_TLS_CERTDIR). */
  readonly certDir: VarLookup;
  /**
   * TLS_ON(s): the cert dir is non-empty and the entrypoint logic runs (the command does not start with `dockerd`
   * or another executable that bypasses it). With the entrypoint bypassed, true only if the command passes
   * `--tlsverify`. Null when the cert dir depends on variables we cannot see.
   */
  readonly tls: boolean | null;
  /** True when `dockerd-entrypoint.sh` adds its `--host` and TLS flags: command empty or flags only (D1). */
  readonly entrypointRuns: boolean;
  /** The command's first word when it bypasses the entrypoint logic (`dockerd`, `/bin/sh`), else null. */
  readonly bypassedBy: string | null;
  /** The command starts with `dockerd`. */
  readonly commandIsDockerd: boolean;
  /** `--tls=false` or `--tlsverify=false` in the command (skips dockerd's 15 s delay, A15). */
  readonly tlsExplicitlyDisabled: boolean;
  readonly listeners: readonly Listener[];
  /** The TCP port the entrypoint makes the daemon listen on (2376 TLS, 2375 plain), or null when it does not. */
  readonly entrypointPort: number | null;
  /** Var_svc(s, DOCKER_TLS_SAN): extra names for the server certificate (A18). */
  readonly tlsSan: VarLookup;
}

/** Whether `word` is the `dockerd-entrypoint.sh` script (by path or name). */
function isEntrypointScript(word: string): boolean {
  return /(^|\/)dockerd-entrypoint\.sh$/.test(word);
}

/** A shell entrypoint (`sh -c "... && dockerd-entrypoint.sh"`) that ends by running the entrypoint script (S3). */
function chainsEntrypointScript(entrypoint: readonly string[]): boolean {
  return /(^|[\s;&|/])dockerd-entrypoint\.sh\b/.test(entrypoint.join(' '));
}

/** `--host=X`, `--host X`, `-H X`, `-H=X` values in a command (array words, or shell text inside them). */
export function hostFlags(command: readonly string[]): string[] {
  const text = command.join(' ');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)(?:--host|-H)(?:=|\s+)["']?([^\s"']+)/g)) if (m[1]) out.push(m[1]);
  return out;
}

/** Facts about the daemon of service `s`, with `scope` = the service's variables (Var_svc). */
export function daemonFacts(s: Pick<JobService, 'command' | 'entrypoint'>, scope: VariableScope): DaemonFacts {
  const command = s.command?.value ?? [];
  const entrypoint = s.entrypoint?.value ?? null;
  const first = command[0] ?? '';
  const commandText = command.join(' ');
  const mentionsEntrypoint = /dockerd-entrypoint\.sh/.test(commandText);
  const entrypointOverridden =
    entrypoint !== null &&
    entrypoint.length > 0 &&
    !entrypoint.some((w) => isEntrypointScript(w.trim())) &&
    !chainsEntrypointScript(entrypoint);
  const commandIsDockerd = /(^|\/)dockerd$/.test(first);
  let bypassedBy: string | null = null;
  if (entrypointOverridden) bypassedBy = entrypoint?.[0] ?? '';
  else if (first !== '' && !first.startsWith('-') && !isEntrypointScript(first) && !mentionsEntrypoint)
    bypassedBy = first;
  const entrypointRuns = bypassedBy === null;

  const certDir = scope.get('DOCKER_TLS_CERTDIR');
  const flags = hostFlags(command);
  const tlsFlag = /(^|\s)--tlsverify(=true)?(\s|$)/.test(commandText);
  const tlsExplicitlyDisabled = /(^|\s)--tls(verify)?=false(\s|$)/.test(commandText);
  let tls: boolean | null;
  if (!entrypointRuns) tls = tlsFlag;
  else if (certDir.state === 'unknown') tls = null;
  else tls = certDir.state === 'set' && certDir.value !== '';

  const listeners: Listener[] = [];
  let entrypointPort: number | null = null;
  if (entrypointRuns) {
    const host = scope.get('DOCKER_HOST');
    const socket =
      host.state === 'set' && host.value.startsWith('unix://') ? host.value : 'unix:///var/run/docker.sock';
    listeners.push({ endpoint: parseDockerHost(socket), tls: false, source: 'entrypoint' });
    if (tls !== null) {
      entrypointPort = tls ? DIND_TLS_PORT : DIND_PLAIN_PORT;
      listeners.push({
        endpoint: { scheme: 'tcp', host: '0.0.0.0', port: entrypointPort, explicitPort: true, raw: '' },
        tls,
        source: 'entrypoint',
      });
    }
  }
  for (const f of flags) {
    const endpoint = parseDockerHost(f, tls === true || tlsFlag);
    listeners.push({ endpoint, tls: endpoint.scheme === 'tcp' && (tls === true || tlsFlag), source: 'command' });
  }
  return {
    certDir,
    tls,
    entrypointRuns,
    bypassedBy,
    commandIsDockerd,
    tlsExplicitlyDisabled,
    listeners,
    entrypointPort,
    tlsSan: scope.get('DOCKER_TLS_SAN'),
  };
}

/** TCP ports the daemon listens on. */
export function tcpPorts(d: Pick<DaemonFacts, 'listeners'>): number[] {
  const out: number[] = [];
  for (const l of d.listeners)
    if (l.endpoint.scheme === 'tcp' && !out.includes(l.endpoint.port)) out.push(l.endpoint.port);
  return out;
}

/** Unix socket paths the daemon listens on (normalised). */
export function unixSockets(d: Pick<DaemonFacts, 'listeners'>): string[] {
  return d.listeners.flatMap((l) => (l.endpoint.scheme === 'unix' ? [normalizePath(l.endpoint.path)] : []));
}

/** The listener an endpoint would reach on this daemon (same port for TCP, same path for Unix), or undefined. */
export function listenerFor(d: Pick<DaemonFacts, 'listeners'>, endpoint: DockerEndpoint): Listener | undefined {
  return d.listeners.find((l) => {
    if (endpoint.scheme === 'tcp') return l.endpoint.scheme === 'tcp' && l.endpoint.port === endpoint.port;
    if (endpoint.scheme === 'unix')
      return l.endpoint.scheme === 'unix' && normalizePath(l.endpoint.path) === normalizePath(endpoint.path);
    return false;
  });
}

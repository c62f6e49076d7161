// Builders of the config.toml texts rule tests repeat: a runner entry with its executor section, written the way the
// hand-written cases were (two-space nesting), so that each case states only what is special about it.

/** A TOML string or string-array literal: `"a"` or `["a", "b"]`. */
function literal(value: string | readonly string[]): string {
  return typeof value === 'string' ? JSON.stringify(value) : `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
}

export interface DockerRunnerOptions {
  /** `name` of the `[[runners]]` entry (default `r1`). */
  readonly name?: string;
  /** `executor` (default `docker`). */
  readonly executor?: string;
  /** `image` of `[runners.docker]`; left out when undefined. */
  readonly image?: string;
  /** `privileged` of `[runners.docker]`; left out when undefined. */
  readonly privileged?: boolean;
  /** `volumes` of `[runners.docker]`; left out when undefined. */
  readonly volumes?: readonly string[];
  /** Further `[runners.docker]` lines, verbatim (indented here). */
  readonly docker?: readonly string[];
}

/** A `[[runners]]` entry with a `[runners.docker]` section: name, executor, then image, privileged, volumes
 * and the `docker` lines, in that order. */
export function dockerRunner(options: DockerRunnerOptions = {}): string {
  const lines = [
    '[[runners]]',
    `  name = ${literal(options.name ?? 'r1')}`,
    `  executor = ${literal(options.executor ?? 'docker')}`,
    '  [runners.docker]',
  ];
  if (options.image !== undefined) lines.push(`    image = ${literal(options.image)}`);
  if (options.privileged !== undefined) lines.push(`    privileged = ${String(options.privileged)}`);
  if (options.volumes) lines.push(`    volumes = ${literal(options.volumes)}`);
  for (const l of options.docker ?? []) lines.push(`    ${l}`);
  return `${lines.join('\n')}\n`;
}

/** The volumes of the canonical TLS runner (spec B2): the client cert directory shared, plus the cache. */
export const CERT_VOLUMES: readonly string[] = ['/certs/client', '/cache'];

// Image facts: how the runner splits an image name, which images are Docker daemons (DIND, ROOTLESS), which are
// Docker clients, and the Docker version a `docker:` tag stands for (with the engine API version table for A29).

import { deriveAliases, parseImageRef, splitAliases } from '../ci/image';
import type { ImageRef } from '../ci/model';
import type { Settings } from '../settings';
import { firstMatch } from './match';

/** Image-name parsing shared with the pipeline model (R14 aliases, Docker reference grammar). */
export { deriveAliases, parseImageRef, splitAliases };

/** A Docker release a tag pins (`24.0.5`, `24.0`, `27`), or a floating channel (`latest`, `stable`, `dind`, ...). */
export type DockerVersion =
  | {
      readonly kind: 'pinned';
      readonly major: number;
      readonly minor: number | null;
      readonly patch: number | null;
      /** `rc.1`, `beta.2`, or null. */
      readonly prerelease: string | null;
      /** `24.0.5`, as written in the tag. */
      readonly text: string;
    }
  | {
      readonly kind: 'floating';
      /** `latest` (also for tags without a version such as `dind` or `cli`), `stable`, `edge`, `test`, `rc`. */
      readonly channel: string;
    };

/** What a `docker` image tag runs: the daemon (`dind`, `dind-rootless`), the CLI, or the full client image. */
export type DockerVariant = 'dind' | 'dind-rootless' | 'cli' | 'git' | 'windows' | 'client';

export interface DockerTag {
  readonly version: DockerVersion;
  readonly variant: DockerVariant;
  /** The tag text after the version (`dind-alpine3.18`), or the whole tag for floating tags. */
  readonly suffix: string;
}

const CHANNELS = new Set(['latest', 'stable', 'edge', 'test', 'rc']);

/** Parses a `docker` image tag; a missing tag means `latest`. */
export function parseDockerTag(tag: string | null): DockerTag {
  let parsed = parsedTags.get(tag);
  if (parsed === undefined) {
    if (parsedTags.size >= MAX_PARSED_TAGS) parsedTags.clear();
    parsedTags.set(tag, (parsed = parseTag(tag)));
  }
  return parsed;
}

/** Parsed tags by text: every rule asks for the tags of the same few images, job after job. */
const parsedTags = new Map<string | null, DockerTag>();
const MAX_PARSED_TAGS = 1_000;

function parseTag(tag: string | null): DockerTag {
  const t = (tag ?? 'latest').toLowerCase();
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-((?:rc|beta|alpha)(?:\.?\d+)?))?(?:-(.*))?$/.exec(t);
  if (m) {
    const [, major, minor, patch, prerelease, suffix] = m;
    const text = [major, minor, patch].filter((x) => x !== undefined).join('.');
    return {
      version: {
        kind: 'pinned',
        major: Number(major),
        minor: minor === undefined ? null : Number(minor),
        patch: patch === undefined ? null : Number(patch),
        prerelease: prerelease ?? null,
        text,
      },
      variant: variantOf(suffix ?? ''),
      suffix: suffix ?? '',
    };
  }
  const dash = t.indexOf('-');
  const head = dash < 0 ? t : t.slice(0, dash);
  if (CHANNELS.has(head)) {
    const suffix = dash < 0 ? '' : t.slice(dash + 1);
    return { version: { kind: 'floating', channel: head }, variant: variantOf(suffix), suffix };
  }
  return { version: { kind: 'floating', channel: 'latest' }, variant: variantOf(t), suffix: t };
}

function variantOf(suffix: string): DockerVariant {
  if (/(^|-)dind-rootless(-|$)/.test(suffix)) return 'dind-rootless';
  if (/(^|-)dind(-|$)/.test(suffix) || suffix.includes('dind')) return 'dind';
  if (/^cli(-|$)/.test(suffix)) return 'cli';
  if (/^git(-|$)/.test(suffix)) return 'git';
  if (/^windowsservercore/.test(suffix)) return 'windows';
  return 'client';
}

/** True for images of the `docker` repository (official, mirrored, or through the dependency proxy). */
export function isDockerImage(ref: ImageRef): boolean {
  return ref.repository === 'docker';
}

/** The parsed tag of a `docker` image, or null for other images. */
export function dockerTag(ref: ImageRef): DockerTag | null {
  return isDockerImage(ref) ? parseDockerTag(ref.tag) : null;
}

/**
 * DIND(s): last path segment `docker` and a tag containing `dind` (spec 0.1), or the expanded name matches one of
 * the `dindImages` settings patterns (doublestar) for in-house daemon images.
 */
export function isDindImage(ref: ImageRef, settings?: Pick<Settings, 'dindImages'>): boolean {
  if (isDockerImage(ref) && (ref.tag ?? '').toLowerCase().includes('dind')) return true;
  const patterns = settings?.dindImages ?? [];
  return patterns.length > 0 && firstMatch(patterns, ref.expanded) !== null;
}

/** ROOTLESS(s): a dind image whose tag ends with `dind-rootless`. */
export function isRootlessDind(ref: ImageRef): boolean {
  return isDockerImage(ref) && /dind-rootless$/i.test(ref.tag ?? '');
}

/** A `docker` image that is not a daemon variant: `docker:24.0.5`, `docker:24.0.5-cli`, `docker:cli`, `docker:git`. */
export function isDockerClientImage(ref: ImageRef): boolean {
  return isDockerImage(ref) && !(ref.tag ?? '').toLowerCase().includes('dind');
}

/** Orders two versions by major, minor, patch (missing parts count as 0). */
export function compareVersions(
  a: { readonly major: number; readonly minor: number | null; readonly patch?: number | null },
  b: { readonly major: number; readonly minor: number | null; readonly patch?: number | null },
): number {
  return a.major - b.major || (a.minor ?? 0) - (b.minor ?? 0) || (a.patch ?? 0) - (b.patch ?? 0);
}

/**
 * True when the version is at least `min`; floating tags count as the newest release (`stable` too: it stopped at
 * 19.03, which is newer than every threshold this catalogue uses for image defaults).
 */
export function versionAtLeast(version: DockerVersion, min: { major: number; minor: number }): boolean {
  return version.kind === 'floating' || compareVersions(version, min) >= 0;
}

/**
 * Docker Engine release → the engine API version it serves and, as a client, speaks by default (Docker release
 * notes; the 29.0 floor from D5). Lookups take the newest row at or below the version. Kept as data for A29.
 */
export const DOCKER_API_VERSIONS: readonly { readonly major: number; readonly minor: number; readonly api: string }[] =
  [
    { major: 17, minor: 3, api: '1.26' },
    { major: 17, minor: 6, api: '1.30' },
    { major: 17, minor: 9, api: '1.32' },
    { major: 17, minor: 12, api: '1.35' },
    { major: 18, minor: 3, api: '1.37' },
    { major: 18, minor: 6, api: '1.38' },
    { major: 18, minor: 9, api: '1.39' },
    { major: 19, minor: 3, api: '1.40' },
    { major: 20, minor: 10, api: '1.41' },
    { major: 23, minor: 0, api: '1.42' },
    { major: 24, minor: 0, api: '1.43' },
    { major: 25, minor: 0, api: '1.44' },
    { major: 26, minor: 0, api: '1.45' },
    { major: 27, minor: 0, api: '1.46' },
    { major: 27, minor: 2, api: '1.47' },
    { major: 28, minor: 0, api: '1.48' },
    { major: 28, minor: 1, api: '1.49' },
    { major: 28, minor: 2, api: '1.50' },
    { major: 28, minor: 3, api: '1.51' },
    { major: 29, minor: 0, api: '1.52' },
  ];

/** Oldest client API version a daemon accepts, from the release that introduced the floor (D5: 29.0 → 1.44). */
export const DAEMON_MIN_API_VERSIONS: readonly {
  readonly major: number;
  readonly minor: number;
  readonly api: string;
}[] = [
  { major: 0, minor: 0, api: '1.12' },
  { major: 25, minor: 0, api: '1.24' },
  { major: 29, minor: 0, api: '1.44' },
];

function lookup(
  table: readonly { readonly major: number; readonly minor: number; readonly api: string }[],
  version: DockerVersion,
): string | null {
  if (version.kind !== 'pinned') return null;
  let found: string | null = null;
  for (const row of table) if (compareVersions(row, version) <= 0) found = row.api;
  return found;
}

/** The API version of a pinned Docker release (a major-only tag counts as its `.0` release); null when unknown. */
export function apiVersionOf(version: DockerVersion): string | null {
  return lookup(DOCKER_API_VERSIONS, version);
}

/** The oldest client API version a daemon of this release accepts; null for floating tags. */
export function minClientApiOf(version: DockerVersion): string | null {
  return lookup(DAEMON_MIN_API_VERSIONS, version);
}

/** Compares two `1.NN` API version strings. */
export function compareApiVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** A major-only tag (`docker:19`) follows the newest release of that major (19.03 for 19). */
function isMajorOnlyFrom(version: DockerVersion, major: number): boolean {
  return version.kind === 'pinned' && version.minor === null && version.major >= major;
}

/**
 * The image's own `ENV DOCKER_TLS_CERTDIR` (D1): `/certs` for `docker` images from 19.03 on (and floating tags),
 * empty for 18.09 and older. In-house daemon images matched by the `dindImages` setting are assumed to derive from
 * `docker:dind`. Other images set nothing (undefined).
 */
export function imageTlsCertdirDefault(ref: ImageRef, settings?: Pick<Settings, 'dindImages'>): string | undefined {
  const tag = dockerTag(ref);
  if (tag) {
    if (tag.variant === 'windows') return undefined;
    return versionAtLeast(tag.version, { major: 19, minor: 3 }) || isMajorOnlyFrom(tag.version, 19) ? '/certs' : '';
  }
  return isDindImage(ref, settings) ? '/certs' : undefined;
}

/** The version the catalogue's quick-fixes pin to when nothing else decides (the docs' example pin, spec B). */
export const RECOMMENDED_DOCKER_VERSION = '24.0.5';

/** Last patch release of some Docker majors, to pin a major-only tag without changing its major (`27` → `27.5.1`). */
export const LAST_DOCKER_PATCH: Readonly<Record<number, string>> = {
  20: '20.10.24',
  23: '23.0.6',
  24: '24.0.9',
  27: '27.5.1',
};

/** A Docker release as compared by the version rules: major, minor and patch (missing parts count as 0). */
export interface ComparableVersion {
  readonly major: number;
  readonly minor: number | null;
  readonly patch: number | null;
}

/** The release the `stable` channel froze at (D5: "stable tag has not been updated in 5 years"). */
export const STABLE_CHANNEL_VERSION: ComparableVersion = { major: 19, minor: 3, patch: 12 };

/** The newest release the API tables know, which floating channels (`latest`, `dind`, `cli`, ...) stand for. */
export function newestDockerVersion(): ComparableVersion {
  const last = DOCKER_API_VERSIONS[DOCKER_API_VERSIONS.length - 1];
  return { major: last?.major ?? 0, minor: last?.minor ?? 0, patch: null };
}

/**
 * The release a tag stands for in version comparisons: a pinned version as written, `stable` as 19.03 (where that
 * channel stopped), and the other channels as the newest known release (`floating: true`).
 */
export function comparableVersion(version: DockerVersion): ComparableVersion & { readonly floating: boolean } {
  if (version.kind === 'pinned')
    return { major: version.major, minor: version.minor, patch: version.patch, floating: false };
  if (version.channel === 'stable') return { ...STABLE_CHANNEL_VERSION, floating: false };
  return { ...newestDockerVersion(), floating: true };
}

/**
 * `apiVersionOf` for a comparable version. A major-only tag (`docker:19`) floats within its major, so it counts as
 * that major's newest known release (19.03 → API 1.40), not its `.0`.
 */
export function apiVersionOfRelease(v: ComparableVersion): string | null {
  if (v.minor === null) {
    const rows = DOCKER_API_VERSIONS.filter((r) => r.major === v.major);
    const last = rows[rows.length - 1];
    if (last) return last.api;
  }
  return apiVersionOf({ kind: 'pinned', major: v.major, minor: v.minor, patch: v.patch, prerelease: null, text: '' });
}

/** `minClientApiOf` for a comparable version. */
export function minClientApiOfRelease(v: ComparableVersion): string | null {
  return minClientApiOf({ kind: 'pinned', major: v.major, minor: v.minor, patch: v.patch, prerelease: null, text: '' });
}

/**
 * An image name as written with its tag replaced: registry, path and variable references before the tag are kept,
 * a digest is dropped. Null when the current tag holds a variable reference (its value is unknown).
 */
export function replaceImageTag(name: string, tag: string): string | null {
  const at = name.indexOf('@');
  const base = at < 0 ? name : name.slice(0, at);
  const slash = base.lastIndexOf('/');
  const colon = base.indexOf(':', slash + 1);
  if (colon >= 0 && base.slice(colon + 1).includes('$')) return null;
  return `${colon < 0 ? base : base.slice(0, colon)}:${tag}`;
}

/** The text with `$VAR` / `${VAR}` references removed: the part of a name that is known whatever they expand to. */
function literalPart(text: string): string {
  return text.replace(/\$(?:\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)/g, '');
}

/**
 * DIND(s) decided despite unresolved variables (spec 0.1: "after CI variable expansion, last path segment `docker`
 * and a tag containing `dind`"). A variable in the registry or path prefix
 * (`${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind`) hides neither the last segment nor the tag; a
 * variable inside the tag (`docker:$VERSION-dind`) still leaves a literal `dind`, which whatever the variable holds
 * keeps in the tag. A variable's name is not its value: `docker:$DIND_TAG` is not known to be dind. Fully resolved
 * names follow `isDindImage` (including the `dindImages` patterns, which need the whole name).
 */
export function isKnownDindImage(ref: ImageRef, settings?: Pick<Settings, 'dindImages'>): boolean {
  if (!ref.unresolved) return isDindImage(ref, settings);
  return (
    isDockerImage(ref) &&
    literalPart(ref.tag ?? '')
      .toLowerCase()
      .includes('dind')
  );
}

/**
 * A Docker client image (`isDockerClientImage`) decided despite unresolved variables: only the prefix before the
 * last path segment may hold one. A variable in the tag or digest (`docker:$VERSION`) could stand for a `-dind` image,
 * so such a name is never known to be a client image.
 */
export function isKnownDockerClientImage(ref: ImageRef): boolean {
  const tail = `${ref.tag ?? ''}@${ref.digest ?? ''}`;
  if (ref.unresolved && literalPart(tail) !== tail) return false;
  return isDockerClientImage(ref);
}

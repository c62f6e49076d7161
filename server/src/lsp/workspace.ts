// Which files the server checks and their analysis, per workspace folder. No connection here: settings come
// through a callback, files through the host.

import picomatch from 'picomatch';

import {
  analyze,
  flattenPipelines,
  discoverWorkspace,
  isRunnerConfigFile,
  isYamlPath,
  ParseCache,
  type Analysis,
  type Finding,
  type Host,
  type Pipeline,
  type Settings,
  type WorkspaceFiles,
} from '../engine/index';
import { resolvePath } from './host';
import { basename, dirname, isInside } from './uri';

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Directories a runner-config glob may visit, so a broad pattern cannot stall the server. */
const MAX_GLOB_DIRS = 5000;

/** `.gitlab-ci.yml` and `*.gitlab-ci.yml` files are pipeline roots. */
export function isPipelineName(path: string): boolean {
  const name = basename(path);
  return name === '.gitlab-ci.yml' || name.endsWith('.gitlab-ci.yml');
}

export interface FolderAnalysis {
  readonly root: string;
  readonly analysis: Analysis;
  /** Every pipeline, child pipelines included. */
  readonly pipelines: readonly Pipeline[];
  /** Files this analysis checks: pipeline roots, included files, runner configs. */
  readonly owned: ReadonlySet<string>;
  readonly findingsByFile: ReadonlyMap<string, readonly Finding[]>;
  /** The settings the analysis ran with. */
  readonly settings: Settings;
  /** Runner configs found in the folder (discovered or open), whatever the settings select. */
  readonly available: readonly string[];
  /** False for a made-up folder around files outside every workspace folder. */
  readonly inFolder: boolean;
}

/** What the workspace needs from the server: the open documents' paths and texts, and settings per folder. */
export interface WorkspaceEnv {
  readonly host: Host;
  openPaths(): Iterable<string>;
  settings(folderUri: string): Promise<Settings>;
  /** False in an untrusted workspace: runner configs and project folders outside the folder are ignored. */
  readonly trusted: boolean;
  /** Called with each fresh analysis (the server logs the faults it reports). */
  analysed?(result: FolderAnalysis): void;
}

class Folder {
  readonly cache = new ParseCache();
  discovery: WorkspaceFiles | undefined;
  result: FolderAnalysis | undefined;

  constructor(
    readonly path: string,
    readonly uri: string,
    /** A folder made up for files outside every workspace folder: nothing is discovered in it. */
    readonly loose: boolean,
  ) {}
}

export class Workspace {
  private folders: Folder[] = [];
  private readonly looseFolders = new Map<string, Folder>();

  constructor(
    private readonly env: WorkspaceEnv,
    private readonly uriOf: (path: string) => string,
  ) {}

  setFolders(folders: readonly { path: string; uri: string }[]): void {
    const old = new Map(this.folders.map((f) => [f.path, f]));
    this.folders = folders.map((f) => old.get(f.path) ?? new Folder(f.path, f.uri, false));
    this.folders.sort((a, b) => b.path.length - a.path.length);
  }

  /** The deepest workspace folder holding `path`, or a loose folder for its directory. */
  folderFor(path: string): Folder {
    const folder = this.folders.find((f) => isInside(path, f.path));
    if (folder) return folder;
    const dir = dirname(path);
    let loose = this.looseFolders.get(dir);
    if (!loose) this.looseFolders.set(dir, (loose = new Folder(dir, this.uriOf(dir), true)));
    return loose;
  }

  /** Every folder with an analysis or that may need one. */
  allFolders(): Folder[] {
    return [...this.folders, ...this.looseFolders.values()];
  }

  /** An open document changed, opened or closed: its folder's analysis is stale. */
  changed(path: string): void {
    const folder = this.folderFor(path);
    folder.result = undefined;
  }

  /** Settings or files on disk changed: every analysis (and, with `rediscover`, every discovery) is stale. */
  invalidateAll(rediscover: boolean): void {
    for (const f of this.allFolders()) {
      f.result = undefined;
      if (rediscover) f.discovery = undefined;
    }
  }

  /** Drops loose folders that no open document needs any more. */
  pruneLoose(): void {
    const open = [...this.env.openPaths()];
    for (const [dir] of this.looseFolders) {
      if (!open.some((p) => dirname(p) === dir)) this.looseFolders.delete(dir);
    }
  }

  async analysisOf(folder: Folder): Promise<FolderAnalysis> {
    if (folder.result) return folder.result;
    const settings = this.restrict(folder, await this.env.settings(folder.uri));
    // Another request may have finished the analysis while the settings were fetched.
    if (folder.result) return folder.result;
    const result = this.run(folder, settings);
    folder.result = result;
    this.env.analysed?.(result);
    return result;
  }

  async analysisFor(path: string): Promise<FolderAnalysis> {
    return this.analysisOf(this.folderFor(path));
  }

  /** The pipeline a file belongs to: the one rooted at it, else the first that includes it. */
  pipelineOf(result: FolderAnalysis, path: string): Pipeline | undefined {
    return result.pipelines.find((p) => p.root === path) ?? result.pipelines.find((p) => p.files.includes(path));
  }

  private run(folder: Folder, settings: Settings): FolderAnalysis {
    const host = this.env.host;
    if (!folder.discovery) {
      folder.discovery = folder.loose ? { pipelines: [], runnerConfigs: [] } : discoverWorkspace(host, folder.path);
    }
    const open = [...this.env.openPaths()].filter((p) => this.folderFor(p) === folder);
    const roots = [...folder.discovery.pipelines];
    const extraRoots = open.filter((p) => isPipelineName(p) && !roots.includes(p));
    const available = unique([...folder.discovery.runnerConfigs, ...open.filter((p) => this.isRunnerConfig(p))]);
    const runnerConfigs =
      settings.runnerConfigs.length > 0
        ? this.resolveRunnerConfigs(folder, settings.runnerConfigs)
        : settings.discoverRunnerConfigs
          ? available
          : [];

    // Lazy fixes: diagnostics need none; code actions compute them with `fixesFor` on this analysis.
    const options = {
      workspaceRoot: folder.path,
      runnerConfigs,
      settings,
      cache: folder.cache,
      fixes: 'lazy' as const,
    };
    let analysis = analyze(host, { ...options, pipelines: roots });
    const covered = new Set(flattenPipelines(analysis.pipelines).flatMap((p) => p.files));
    const uncovered = extraRoots.filter((p) => !covered.has(p));
    if (uncovered.length > 0) analysis = analyze(host, { ...options, pipelines: [...roots, ...uncovered] });

    const pipelines = flattenPipelines(analysis.pipelines);
    const owned = new Set<string>([...pipelines.flatMap((p) => p.files), ...runnerConfigs]);
    const findingsByFile = new Map<string, Finding[]>();
    for (const f of analysis.findings) {
      owned.add(f.file);
      let list = findingsByFile.get(f.file);
      if (!list) findingsByFile.set(f.file, (list = []));
      list.push(f);
    }
    return {
      root: folder.path,
      analysis,
      pipelines,
      owned,
      findingsByFile,
      settings,
      available,
      inFolder: !folder.loose,
    };
  }

  /** An open config.toml with `[[runners]]`, or an open YAML file embedding one (a Helm values file by any name). */
  private isRunnerConfig(path: string): boolean {
    if (!path.endsWith('.toml') && !isYamlPath(path)) return false;
    const r = this.env.host.readFile(path);
    return r.kind === 'ok' && isRunnerConfigFile(path, r.text);
  }

  /** Paths and globs of the `runnerConfigs` setting → existing files (globs match below their static base). */
  private resolveRunnerConfigs(folder: Folder, patterns: readonly string[]): string[] {
    const out: string[] = [];
    for (const pattern of patterns) {
      const scan = picomatch.scan(pattern);
      if (!scan.isGlob) {
        const path = resolvePath(folder.path, pattern);
        if (this.allowed(folder, path)) out.push(path);
        continue;
      }
      const base = resolvePath(folder.path, scan.base === '' ? '.' : scan.base);
      if (!this.allowed(folder, base) && !isInside(folder.path, base)) continue;
      const matches = picomatch(scan.glob, { dot: true });
      const prefix = base.endsWith('/') ? base.length : base.length + 1;
      for (const file of this.walk(base)) {
        if (matches(file.slice(prefix)) && this.allowed(folder, file)) out.push(file);
      }
    }
    return unique(out);
  }

  private *walk(base: string): Generator<string> {
    const queue = [base.replace(/\/$/, '')];
    let visited = 0;
    while (queue.length > 0 && visited < MAX_GLOB_DIRS) {
      const dir = queue.shift() as string;
      visited++;
      const entries = this.env.host.readDirectory(dir === '' ? '/' : dir) ?? [];
      for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const full = `${dir}/${e.name}`;
        if (!e.isDirectory) yield full;
        else if (!SKIPPED_DIRS.has(e.name)) queue.push(full);
      }
    }
  }

  private allowed(folder: Folder, path: string): boolean {
    return this.env.trusted || isInside(path, folder.path);
  }

  /** In an untrusted workspace, project folders outside the workspace folder are dropped. */
  private restrict(folder: Folder, settings: Settings): Settings {
    if (this.env.trusted) return settings;
    const projects = Object.fromEntries(
      Object.entries(settings.projects).filter(([, dir]) => isInside(resolvePath(folder.path, dir), folder.path)),
    );
    return { ...settings, projects };
  }
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}

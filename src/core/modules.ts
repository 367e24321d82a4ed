/**
 * The two parsers the core loads only when a file needs them: mvdan-sh (~90 ms) for shell text
 * beyond plain words, yaml (~30 ms) for Compose files. Under Node they are required on first use
 * through `process.getBuiltinModule`, so that nothing here imports from `node:` and the same core
 * bundles for a browser; a host without Node (the playground) hands them over with `provideModules`.
 */
export interface LazyModules {
  /** mvdan-sh's module (its `syntax` namespace is what the core reads). */
  mvdanSh: () => { syntax: unknown };
  yaml: () => typeof import('yaml');
}

let provided: LazyModules | null = null;

/** Hand the core its parsers (a browser bundle imports them and passes them here before use); null: back to Node's. */
export function provideModules(modules: LazyModules | null): void {
  provided = modules;
}

/** The package each lazily loaded parser is. */
const PACKAGE: Record<keyof LazyModules, string> = { mvdanSh: 'mvdan-sh', yaml: 'yaml' };

type Require = (id: string) => unknown;
let nodeRequire: Require | null | undefined;

function requireFromNode(): Require | null {
  if (nodeRequire === undefined) {
    const nodeProcess = (
      globalThis as {
        process?: {
          getBuiltinModule?: (id: string) => { createRequire(from: string): Require } | undefined;
        };
      }
    ).process;
    const module = nodeProcess?.getBuiltinModule?.('module');
    nodeRequire = module ? module.createRequire(import.meta.url) : null;
  }
  return nodeRequire;
}

export function lazyModule<K extends keyof LazyModules>(name: K): ReturnType<LazyModules[K]> {
  if (provided) return provided[name]() as ReturnType<LazyModules[K]>;
  const load = requireFromNode();
  if (!load) {
    throw new Error(
      `dockmig needs the ${PACKAGE[name]} package here: outside Node, pass it to provideModules() first`,
    );
  }
  return load(PACKAGE[name]) as ReturnType<LazyModules[K]>;
}

/**
 * better-sqlite3 in the Electron main process. node_modules keeps the build for Node's ABI (the
 * headless host and the tests need it; see STACK.md), so Electron may need a second build of the
 * addon for its own ABI. better-sqlite3 loads a specific file through its `nativeBinding`
 * option; this module decides which file and makes it the default for every `new Database()`
 * in this process, before the core is loaded. Only main/electron uses it.
 *
 * Where the Electron build comes from, first match wins:
 *   1. CITYOPS_SQLITE_BINDING=/path/to/better_sqlite3.node (scripts/start.mjs sets it after
 *      building one into node_modules/.cache; an installer may set it too);
 *   2. <resources>/sqlite/better_sqlite3.node in a packaged app (electron-builder extraResources);
 *   3. none: node_modules' own build, which electron-builder rebuilt for Electron when packaging.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

export const SQLITE_BINDING_ENV = 'CITYOPS_SQLITE_BINDING';
export const PACKAGED_BINDING = path.join('sqlite', 'better_sqlite3.node');

export type SqliteBindingChoice = { path: string | null; source: 'env' | 'resources' | 'default'; problem: string | null };

export function resolveSqliteBinding(opts: {
  env: Readonly<Record<string, string | undefined>>;
  isPackaged: boolean;
  resourcesPath: string | null;
  exists?: (file: string) => boolean;
}): SqliteBindingChoice {
  const exists = opts.exists ?? ((file: string) => fs.existsSync(file));
  const fromEnv = opts.env[SQLITE_BINDING_ENV]?.trim();
  if (fromEnv) {
    const file = path.resolve(fromEnv);
    if (exists(file)) return { path: file, source: 'env', problem: null };
    return { path: null, source: 'default', problem: `${SQLITE_BINDING_ENV} points to ${file}, which does not exist: using node_modules' build` };
  }
  if (opts.isPackaged && opts.resourcesPath) {
    const file = path.join(opts.resourcesPath, PACKAGED_BINDING);
    if (exists(file)) return { path: file, source: 'resources', problem: null };
  }
  return { path: null, source: 'default', problem: null };
}

type DatabaseConstructor = typeof BetterSqlite3;

/**
 * Make `nativeBinding: bindingPath` the default of better-sqlite3 as resolved from `appDir`
 * (the same module instance the bundled core will require). Must run before the core is
 * loaded. Returns a function that restores the original export.
 */
export function useSqliteBinding(appDir: string, bindingPath: string): () => void {
  const requireFromApp = createRequire(path.join(appDir, 'package.json'));
  const id = requireFromApp.resolve('better-sqlite3');
  const Original = requireFromApp('better-sqlite3') as DatabaseConstructor;
  const cached = requireFromApp.cache[id];
  if (!cached) throw new Error(`better-sqlite3 (${id}) is not in the module cache`);

  function Database(filename?: string | Buffer, options?: BetterSqlite3.Options): BetterSqlite3.Database {
    return new Original(filename, { ...options, nativeBinding: options?.nativeBinding ?? bindingPath });
  }
  Database.prototype = Original.prototype;
  Object.setPrototypeOf(Database, Original);
  cached.exports = Database;
  return () => {
    cached.exports = Original;
  };
}

import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { PACKAGED_BINDING, resolveSqliteBinding, SQLITE_BINDING_ENV, useSqliteBinding } from './sqlite';

describe('resolveSqliteBinding', () => {
  const exists = (files: string[]) => (file: string) => files.includes(file);

  it('uses node_modules’ own build by default', () => {
    expect(resolveSqliteBinding({ env: {}, isPackaged: false, resourcesPath: null, exists: exists([]) })).toEqual({ path: null, source: 'default', problem: null });
  });
  it('prefers the environment variable when the file exists', () => {
    const file = path.resolve('/cache/better_sqlite3.node');
    expect(resolveSqliteBinding({ env: { [SQLITE_BINDING_ENV]: file }, isPackaged: true, resourcesPath: '/res', exists: exists([file]) })).toEqual({
      path: file,
      source: 'env',
      problem: null,
    });
  });
  it('reports an environment variable that points nowhere and falls back', () => {
    const choice = resolveSqliteBinding({ env: { [SQLITE_BINDING_ENV]: '/nope.node' }, isPackaged: false, resourcesPath: null, exists: exists([]) });
    expect(choice.path).toBeNull();
    expect(choice.problem).toMatch(/does not exist/);
  });
  it('uses a binding shipped in the resources of a packaged app', () => {
    const file = path.join('/opt/CityOps Wall/resources', PACKAGED_BINDING);
    expect(resolveSqliteBinding({ env: {}, isPackaged: true, resourcesPath: '/opt/CityOps Wall/resources', exists: exists([file]) })).toEqual({
      path: file,
      source: 'resources',
      problem: null,
    });
    expect(resolveSqliteBinding({ env: {}, isPackaged: false, resourcesPath: '/opt/CityOps Wall/resources', exists: exists([file]) }).source).toBe('default');
  });
});

describe('useSqliteBinding', () => {
  const appDir = process.cwd();
  const requireFromApp = createRequire(path.join(appDir, 'package.json'));
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
  });
  const Database = (): typeof BetterSqlite3 => requireFromApp('better-sqlite3') as typeof BetterSqlite3;

  it('makes the given addon the default of every new Database, and restores the original', () => {
    const Original = Database();
    restore = useSqliteBinding(appDir, '/nonexistent/electron-abi/better_sqlite3.node');
    expect(() => new (Database())(':memory:')).toThrow(/nonexistent\/electron-abi\/better_sqlite3\.node/);
    restore();
    restore = null;
    expect(Database()).toBe(Original);
    new (Database())(':memory:').close();
  });

  it('works with a real addon and keeps the class usable (prototype, statics)', () => {
    const addon = path.join(path.dirname(requireFromApp.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');
    const Original = Database();
    restore = useSqliteBinding(appDir, addon);
    const Wrapped = Database();
    expect(Wrapped).not.toBe(Original);
    const db = new Wrapped(':memory:');
    expect(db).toBeInstanceOf(Original);
    expect(db.prepare('select 40 + 2 as x').get()).toEqual({ x: 42 });
    db.close();
    expect(Wrapped.SqliteError).toBe(Original.SqliteError);
  });
});

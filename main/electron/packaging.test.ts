/**
 * electron-builder.yml, checked without packaging (which needs the network): valid for the
 * installed electron-builder, and consistent with how the app is built and loads better-sqlite3.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const requireFromRoot = createRequire(path.join(root, 'package.json'));
const yaml = requireFromRoot('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = requireFromRoot('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = requireFromRoot('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  buildDependenciesFromSource: boolean;
  linux: { target: Array<{ target: string }> };
  win: { target: Array<{ target: string }> };
  electronFuses: Record<string, boolean>;
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

describe('electron-builder.yml', () => {
  it('is valid for the installed electron-builder', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and its targets', () => {
    expect(config.appId).toBe('cn.cityops.wall');
    expect(config.productName).toBe('CityOps Wall');
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
  });

  it('packages the built entry points that package.json names', () => {
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(config.files).toContain('dist/electron/**');
    expect(config.files).toContain('dist/renderer/**');
  });

  it('keeps every module the main bundle leaves external', () => {
    const build = fs.readFileSync(path.join(root, 'scripts', 'build.mjs'), 'utf8');
    const list = /const external = \[([^\]]*)\]/.exec(build)?.[1] ?? '';
    const externals = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1] ?? '');
    expect(externals).toContain('better-sqlite3');
    for (const name of externals) {
      expect(config.files).not.toContain(`!node_modules/${name}/**`);
    }
  });

  it('builds better-sqlite3 for Electron at packaging time and unpacks it from the asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.buildDependenciesFromSource).toBe(true);
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**/*.node');
    // …and never as a postinstall, which would break the Node build (STACK.md).
    const scripts = Object.entries(pkg.scripts).filter(([name]) => /install/.test(name));
    for (const [, command] of scripts) expect(command).not.toMatch(/install-app-deps|electron-rebuild|@electron\/rebuild/);
  });

  it('sets the hardening fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});

// Lint: zero warnings. Layering (DESIGN.md convention 1) is enforced with restricted imports:
//   shared/      imports nothing outside itself (no Node, DOM-only packages, Electron, main/, renderer/)
//   renderer/    imports shared/ and browser packages only (never main/, Node built-ins, Electron)
//   main/core    imports shared/ and Node, never electron or renderer/ or main/electron
//   main/host    like core; only main/electron imports 'electron'
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = '^(node:.*|fs|path|os|http|https|net|crypto|child_process|worker_threads|url|stream|zlib|events|util)$';
const restrict = (...patterns) => ['error', { patterns }];
const noFocusedTests = [
  'error',
  {
    selector: "CallExpression[callee.object.name=/^(it|describe|test|suite)$/][callee.property.name=/^(only|skip|todo|fixme)$/]",
    message: 'Focused or disabled tests are not allowed: a test that does not run proves nothing.',
  },
  { selector: "CallExpression[callee.name=/^(xit|xdescribe|xtest|fit|fdescribe)$/]", message: 'Focused or disabled tests are not allowed.' },
];

export default tseslint.config(
  { ignores: ['tmp/**', 'dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-restricted-syntax': noFocusedTests,
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '(^|/)(main|renderer)(/|$)', message: 'shared/ imports nothing outside itself (layering, DESIGN.md).' },
        { regex: NODE_BUILTINS, message: 'shared/ is pure TypeScript: no Node built-ins.' },
        { regex: '^(electron|react|react-dom|better-sqlite3|ws|maplibre-gl|@deck\\.gl/.*)$', message: 'shared/ may not depend on a host or UI package.' },
      ),
    },
  },
  {
    // Tests of shared code run in Node and may read their fixtures from disk; they still may not
    // reach into main/ or renderer/.
    files: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict({ regex: '(^|/)(main|renderer)(/|$)', message: 'shared/ imports nothing outside itself (layering, DESIGN.md).' }),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '(^|/)main(/|$)', message: 'renderer/ never imports main/ (layering, DESIGN.md): go through the API contract.' },
        { regex: NODE_BUILTINS, message: 'renderer/ runs in a browser: no Node built-ins.' },
        { regex: '^(electron|better-sqlite3|ws|aedes|mqtt)$', message: 'renderer/ may not import host-side packages.' },
      ),
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/host/**/*.ts', 'main/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '^electron$', message: "Only main/electron imports 'electron'." },
        { regex: '(^|/)renderer(/|$)', message: 'main/ never imports renderer/.' },
        { regex: '(^|/)electron/', message: 'The core and host do not depend on the Electron shell.' },
      ),
    },
  },
  {
    files: ['main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        { regex: '^electron$', message: "Only main/electron imports 'electron'." },
        { regex: '(^|/)renderer(/|$)', message: 'main/ never imports renderer/.' },
        { regex: '(^|/)(electron|host)/', message: 'The core does not depend on its hosts.' },
      ),
    },
  },
  {
    files: ['main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict({ regex: '(^|/)renderer(/|$)', message: 'main/ never imports renderer/.' }),
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
  },
);

/**
 * End-to-end tests: the built renderer served by the headless host (dist/main/host.cjs), driven in
 * Debian's Chromium. Each spec file starts its own host on a free port with a fresh data directory
 * and the Hangzhou demo (e2e/support/host.ts). Build first: `npm run build`.
 *
 * WebGL: Playwright's default headless flags give WebGL2 through SwiftShader, which deck.gl and
 * maplibre need; do not add --disable-gpu.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results/artifacts',
  globalSetup: './e2e/support/globalSetup.ts',
  fullyParallel: false,
  forbidOnly: true,
  // Each worker runs a host and a software-rendered browser: one at a time on a 2-core machine (two starve each other).
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'America/New_York', // far from Asia/Shanghai on purpose: the UI must not use the machine's zone
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-features=Translate',
      ],
    },
  },
});

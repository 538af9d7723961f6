import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const HOST_ENTRY = path.join(ROOT, 'dist', 'main', 'host.cjs');
export const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer');
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
export const HOST_LOG_DIR = path.join(ROOT, 'test-results', 'host-logs');

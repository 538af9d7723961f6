/**
 * Builds the video lab page (renderer/src/video/lab) on its own, for the video end-to-end tests
 * and benchmarks: `vite build --config e2e/video/lab.vite.config.ts --outDir DIR`.
 * The app's own build (vite.config.ts) is not involved.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('../../renderer/src/video/lab', import.meta.url)),
  base: '/',
  appType: 'mpa',
  plugins: [react()],
  logLevel: 'warn',
  build: { emptyOutDir: true, target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 3000 },
});

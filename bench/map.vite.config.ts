/**
 * Builds the map's lab page on its own (renderer/src/map/lab): bench.html, the benchmark scene
 * (bench/map.bench.ts). `vite build --config bench/map.vite.config.ts --outDir DIR`; the app's
 * build is not involved.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const lab = fileURLToPath(new URL('../renderer/src/map/lab', import.meta.url));

export default defineConfig({
  root: lab,
  base: './',
  appType: 'mpa',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { bench: `${lab}/bench.html` } },
  },
});

/**
 * Builds the map's lab pages on their own (renderer/src/map/lab): bench.html, the benchmark scene
 * (bench/map.bench.ts), and panel.html, the console with the layer panel mounted (screenshots,
 * e2e). `vite build --config bench/map.vite.config.ts --outDir DIR`; the app's build is not involved.
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
    rollupOptions: { input: { bench: `${lab}/bench.html`, panel: `${lab}/panel.html` } },
  },
});

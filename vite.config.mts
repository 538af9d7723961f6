/**
 * The renderer's build: root renderer/, output dist/renderer (served by the host and by Electron's
 * app:// protocol). `appType: 'mpa'` so the dev and preview servers answer unknown paths with an
 * honest 404 instead of index.html (a missing file must show as missing); only the app's own pages
 * (/wall, /console, /consult, as on the host) are answered with index.html.
 * Development: `npx vite` proxies /api (HTTP and WebSocket) to a running host, CITYOPS_HOST
 * (default http://127.0.0.1:4871).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
const apiTarget = process.env.CITYOPS_HOST ?? 'http://127.0.0.1:4871';

const APP_PAGE = /^\/(wall|console|consult|video)\/?(\?.*)?$/;

/** Serve index.html for the app's pages, like main/host/server.ts does. */
function appPages(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const m = req.url ? APP_PAGE.exec(req.url) : null;
    if (m) req.url = `/index.html${m[2] ?? ''}`;
    next();
  };
  return {
    name: 'cityops-app-pages',
    configureServer: (server) => void server.middlewares.use(rewrite),
    configurePreviewServer: (server) => void server.middlewares.use(rewrite),
  };
}

export default defineConfig({
  root,
  base: '/',
  appType: 'mpa',
  plugins: [react(), appPages()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // maplibre-gl, deck.gl and echarts are large by nature; they load once, from disk.
    chunkSizeWarningLimit: 3000,
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: apiTarget, ws: true } },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});

import fs from 'node:fs';
import path from 'node:path';
import { HOST_ENTRY, RENDERER_DIR } from './paths';

/** The tests drive the built app: refuse to start (clearly) when it has not been built. */
export default function globalSetup(): void {
  const missing = [HOST_ENTRY, path.join(RENDERER_DIR, 'index.html')].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(`e2e: the app is not built (missing ${missing.join(', ')}). Run \`npm run build\` first.`);
  }
  if (!fs.existsSync('/usr/bin/chromium')) throw new Error('e2e: /usr/bin/chromium is missing (apt-get install chromium)');
}

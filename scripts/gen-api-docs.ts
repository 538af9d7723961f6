import fs from 'node:fs';
import path from 'node:path';
import { renderApiDoc } from '../shared/api/docs';

const out = path.resolve(__dirname, '../docs/API.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderApiDoc());
console.log(`wrote ${path.relative(process.cwd(), out)}`);

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderApiDoc } from './docs';
import { events, methods } from './index';

describe('docs/API.md', () => {
  it('lists every method and event, and is up to date (npm run docs:api)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '../../docs/API.md'), 'utf8');
    for (const name of [...Object.keys(methods), ...Object.keys(events)]) expect(committed).toContain(`### \`${name}\``);
    expect(committed).toBe(renderApiDoc());
  });
});

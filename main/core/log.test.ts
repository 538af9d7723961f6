import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log';

describe('the structured log', () => {
  it('writes one JSON object per line to the data directory and rotates at the size limit', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-log-'));
    const log = createLogger({ dir, console: false, maxBytes: 2_000, keep: 2 });
    for (let i = 0; i < 100; i++) log.info('test.line', { i, text: '城运中心' });
    log.close();
    const files = fs.readdirSync(dir).sort();
    expect(files).toEqual(['cityops.log', 'cityops.log.1', 'cityops.log.2']);
    const last = fs.readFileSync(path.join(dir, 'cityops.log'), 'utf8').trim().split('\n');
    const parsed = last.map((l) => JSON.parse(l) as { msg: string; level: string; i: number; at: string });
    expect(parsed.at(-1)).toMatchObject({ msg: 'test.line', level: 'info', i: 99, text: '城运中心' });
    expect(fs.statSync(path.join(dir, 'cityops.log')).size).toBeLessThanOrEqual(2_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

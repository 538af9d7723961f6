import { describe, expect, it } from 'vitest';
import { screenFor } from './routes';

describe('routes', () => {
  it('routes / and /wall to the wall, /console to the console, /consult to the consultation', () => {
    expect(screenFor('/')).toBe('wall');
    expect(screenFor('/wall')).toBe('wall');
    expect(screenFor('/wall/')).toBe('wall');
    expect(screenFor('/index.html')).toBe('wall');
    expect(screenFor('/console')).toBe('console');
    expect(screenFor('/consult')).toBe('consult');
    expect(screenFor('/video')).toBe('video');
    expect(screenFor('/nope')).toBe('not_found');
  });
});

import { describe, expect, it } from 'vitest';
import { bboxOf, consultRoleFrom, defaultDeadline, fitProjection, isFormField, keyToStep, localInputToIso, signed, toLocalInput } from './logic';

describe('the chair’s keys', () => {
  it('step like a presentation clicker', () => {
    expect(['ArrowRight', 'PageDown', 'ArrowDown'].map((k) => keyToStep(k, false))).toEqual(['next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp', 'ArrowUp'].map((k) => keyToStep(k, false))).toEqual(['prev', 'prev', 'prev']);
    expect(keyToStep('Home', false)).toBe('first');
    expect(keyToStep('End', false)).toBe('last');
    expect(keyToStep('3', false)).toBe(2);
    expect(keyToStep('0', false)).toBeNull();
    expect(keyToStep('a', false)).toBeNull();
  });

  it('are ignored while typing a decision', () => {
    expect(keyToStep('ArrowRight', true)).toBeNull();
    expect(isFormField({ tagName: 'input' })).toBe(true);
    expect(isFormField({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isFormField({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isFormField({ tagName: 'BUTTON' })).toBe(false);
    expect(isFormField(null)).toBe(false);
  });
});

describe('deadlines in Shanghai time', () => {
  it('read a datetime-local value as +08:00', () => {
    expect(localInputToIso('2026-11-23T18:00')).toBe('2026-11-23T18:00:00.000+08:00');
    expect(localInputToIso('2026-11-23')).toBeNull();
    expect(toLocalInput(Date.parse('2026-11-23T18:00:00+08:00'))).toBe('2026-11-23T18:00');
  });

  it('default to tomorrow 18:00', () => {
    expect(defaultDeadline(Date.parse('2026-11-21T09:00:00+08:00'))).toBe('2026-11-22T18:00');
    // 01:00 in Shanghai is still the previous day in UTC: tomorrow is by the Shanghai calendar.
    expect(defaultDeadline(Date.parse('2026-11-21T01:00:00+08:00'))).toBe('2026-11-22T18:00');
  });
});

describe('screen helpers', () => {
  it('pick the role from the query string', () => {
    expect(consultRoleFrom('?role=chair')).toBe('chair');
    expect(consultRoleFrom('?lang=en&role=chair')).toBe('chair');
    expect(consultRoleFrom('')).toBe('wall');
    expect(consultRoleFrom('?role=wall')).toBe('wall');
  });

  it('format changes with their sign', () => {
    expect(signed(1.234)).toBe('+1.2');
    expect(signed(-0.5)).toBe('−0.5');
    expect(signed(0)).toBe('±0.0');
    expect(signed(null)).toBe('—');
  });

  it('fit a map into a canvas and back', () => {
    const bbox = bboxOf([{ type: 'Polygon', coordinates: [[[120, 30], [120.2, 30], [120.2, 30.1], [120, 30.1], [120, 30]]] }]);
    expect(bbox).toEqual([120, 30, 120.2, 30.1]);
    const p = fitProjection(bbox!, 400, 300, 0);
    const [x, y] = p.at(120.1, 30.05);
    expect(x).toBeCloseTo(200, 6);
    expect(y).toBeCloseTo(150, 6);
    const [lon, lat] = p.invert(x, y);
    expect(lon).toBeCloseTo(120.1, 9);
    expect(lat).toBeCloseTo(30.05, 9);
    // North is up: a higher latitude is nearer the top.
    expect(p.at(120.1, 30.1)[1]).toBeLessThan(y);
  });
});

import { describe, expect, it } from 'vitest';
import { warningColour } from '../../../shared/domain/monitoring';
import { CapError, parseCap } from './cap';
import { capDoc, invalidDocs, SENDER } from './capfixtures';

const now = Date.parse('2026-11-21T08:00:00+08:00');

describe('CAP 1.2 parser', () => {
  it('parses alert, multiple info blocks and languages, polygon and circle areas', () => {
    const a = parseCap(capDoc({ identifier: 'HZQX-001', sent: now }));
    expect(a).toMatchObject({ identifier: 'HZQX-001', sender: SENDER, sent: '2026-11-21T08:00:00+08:00', status: 'Actual', msgType: 'Alert', scope: 'Public', references: [] });
    expect(a.infos.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
    const zh = a.infos[0]!;
    expect(zh).toMatchObject({ event: '暴雨橙色预警', categories: ['Met'], responseTypes: ['Prepare'], urgency: 'Expected', severity: 'Severe', certainty: 'Likely', senderName: '杭州市气象台' });
    expect(zh.eventCodes).toEqual([{ valueName: 'CMA', value: '11B03' }]);
    expect(zh.areas[0]!.polygons[0]![0]).toEqual([120.002, 30.002]); // lat,lon → [lon, lat]
    expect(zh.areas[0]!.polygons[0]).toHaveLength(5);
    expect(zh.areas[1]!.circles).toEqual([{ lon: 120.015, lat: 30.005, radiusKm: 0.3 }]);
    expect(zh.expires).toBe('2026-11-21T14:00:00+08:00');
  });

  it('parses a prefixed namespace, geocodes, references and an info-less Cancel', () => {
    const xml = `<cap:alert xmlns:cap="urn:oasis:names:tc:emergency:cap:1.2">
      <cap:identifier>C-2</cap:identifier><cap:sender>${SENDER}</cap:sender><cap:sent>2026-11-21T09:00:00+08:00</cap:sent>
      <cap:status>Actual</cap:status><cap:msgType>Cancel</cap:msgType><cap:scope>Public</cap:scope>
      <cap:references>${SENDER},HZQX-001,2026-11-21T08:00:00+08:00 ${SENDER},HZQX-002,2026-11-21T08:30:00+08:00</cap:references>
    </cap:alert>`;
    const a = parseCap(xml);
    expect(a.msgType).toBe('Cancel');
    expect(a.infos).toEqual([]);
    expect(a.references).toEqual([
      { sender: SENDER, identifier: 'HZQX-001', sent: '2026-11-21T08:00:00+08:00' },
      { sender: SENDER, identifier: 'HZQX-002', sent: '2026-11-21T08:30:00+08:00' },
    ]);
    const geo = parseCap(capDoc({ identifier: 'G-1', sent: now, areaXml: '<area><areaDesc>余杭区</areaDesc><geocode><valueName>行政区划代码</valueName><value>330110</value></geocode></area>' }));
    expect(geo.infos[0]!.areas[0]!.geocodes).toEqual([{ valueName: '行政区划代码', value: '330110' }]);
  });

  it('refuses invalid documents with a clear message', () => {
    for (const [what, xml, message] of invalidDocs(now)) {
      let error: unknown = null;
      try {
        parseCap(xml);
      } catch (err) {
        error = err;
      }
      expect(error, what).toBeInstanceOf(CapError);
      expect((error as Error).message, what).toMatch(message);
    }
  });

  it('maps severity to the Chinese colour levels, and a colour named by the issuer wins', () => {
    expect(warningColour('Extreme')).toBe('red');
    expect(warningColour('Severe')).toBe('orange');
    expect(warningColour('Moderate')).toBe('yellow');
    expect(warningColour('Minor')).toBe('blue');
    expect(warningColour('Unknown')).toBe('blue');
    expect(warningColour('Minor', '台风黄色预警')).toBe('yellow');
    expect(warningColour('Extreme', null, 'Heat wave orange warning')).toBe('orange');
  });
});

/**
 * CAP 1.2 documents for tests, written from the OASIS CAP 1.2 specification: a two-language
 * weather warning with polygon, circle and geocode areas; its Update; its Cancel; and invalid ones.
 * Times are relative to `now` so the alert is in force when the test runs.
 */
import { toShanghaiIso } from '../../../shared/time';

export const capTime = (ms: number): string => toShanghaiIso(ms).replace(/\.\d{3}/, '');

export const SENDER = 'warning@hz.weather.example.cn';

export interface CapDocOptions {
  identifier: string;
  sent: number;
  msgType?: 'Alert' | 'Update' | 'Cancel';
  references?: string;
  severity?: 'Extreme' | 'Severe' | 'Moderate' | 'Minor';
  eventZh?: string;
  eventEn?: string;
  expires?: number | null;
  status?: string;
  areaXml?: string;
}

/** The default areas: a polygon over grid 1's sensors, a circle around grid 2's centre, a geocode. */
export const DEFAULT_AREAS = `
    <area>
      <areaDesc>文一路低洼地段</areaDesc>
      <polygon>30.002,120.002 30.002,120.008 30.008,120.008 30.008,120.002 30.002,120.002</polygon>
    </area>
    <area>
      <areaDesc>二号网格周边 300 米</areaDesc>
      <circle>30.005,120.015 0.3</circle>
    </area>`;

export function capDoc(o: CapDocOptions): string {
  const sent = capTime(o.sent);
  const expires = o.expires === undefined ? o.sent + 6 * 3_600_000 : o.expires;
  const refs = o.references ? `\n  <references>${o.references}</references>` : '';
  const exp = expires === null ? '' : `\n    <expires>${capTime(expires)}</expires>`;
  const areas = o.areaXml ?? DEFAULT_AREAS;
  const info = (lang: string, event: string, headline: string, desc: string): string => `
  <info>
    <language>${lang}</language>
    <category>Met</category>
    <event>${event}</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>${o.severity ?? 'Severe'}</severity>
    <certainty>Likely</certainty>
    <eventCode><valueName>CMA</valueName><value>11B03</value></eventCode>
    <effective>${sent}</effective>${exp}
    <senderName>${lang.startsWith('zh') ? '杭州市气象台' : 'Hangzhou Meteorological Observatory'}</senderName>
    <headline>${headline}</headline>
    <description>${desc}</description>
    <instruction>${lang.startsWith('zh') ? '注意防范城市内涝' : 'Beware of urban flooding'}</instruction>
    <parameter><valueName>SignalLevel</valueName><value>${o.severity === 'Extreme' ? 'Red' : 'Orange'}</value></parameter>${areas}
  </info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${o.identifier}</identifier>
  <sender>${SENDER}</sender>
  <sent>${sent}</sent>
  <status>${o.status ?? 'Actual'}</status>
  <msgType>${o.msgType ?? 'Alert'}</msgType>
  <scope>Public</scope>${refs}${
    o.msgType === 'Cancel'
      ? ''
      : info('zh-CN', o.eventZh ?? '暴雨橙色预警', `杭州市气象台发布${o.eventZh ?? '暴雨橙色预警'}`, '预计未来3小时内将出现50毫米以上降水') +
        info('en-US', o.eventEn ?? 'Heavy rain warning', `${o.eventEn ?? 'Heavy rain warning'} for Hangzhou`, 'More than 50 mm of rain expected within 3 hours')
  }
</alert>`;
}

/** Invalid documents: [what is wrong, the document, a fragment of the expected error]. */
export function invalidDocs(now: number): Array<[string, string, RegExp]> {
  const good = capDoc({ identifier: 'BAD-0', sent: now });
  return [
    ['not XML', 'this is not xml', /invalid XML|root/i],
    ['unclosed element', good.replace('</alert>', ''), /invalid XML/],
    ['wrong namespace', good.replace('urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'), /namespace/],
    ['not an alert', '<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', /not a CAP <alert>/],
    ['missing identifier', good.replace(/<identifier>.*<\/identifier>/, ''), /missing its required <identifier>/],
    ['bad severity', good.replace('<severity>Severe</severity>', '<severity>Dangerous</severity>'), /<severity> must be one of/],
    ['Z time zone', good.replace(/<sent>.*<\/sent>/, '<sent>2026-11-21T08:00:00Z</sent>'), /not a CAP dateTime/],
    ['open polygon', good.replace('30.002,120.002 30.002,120.008 30.008,120.008 30.008,120.002 30.002,120.002', '30.002,120.002 30.002,120.008 30.008,120.008 30.008,120.002'), /not closed/],
    ['bad circle', good.replace('30.005,120.015 0.3', '30.005;120.015'), /not a circle/],
    ['restricted without restriction', good.replace('<scope>Public</scope>', '<scope>Restricted</scope>'), /needs a <restriction>/],
    ['update without references', good.replace('<msgType>Alert</msgType>', '<msgType>Update</msgType>'), /needs <references>/],
    ['unknown element', good.replace('<scope>Public</scope>', '<scope>Public</scope><priority>high</priority>'), /unexpected element <priority>/],
    ['two senders', good.replace(`<sender>${SENDER}</sender>`, `<sender>${SENDER}</sender><sender>x@y</sender>`), /only one <sender>/],
    ['identifier with a space', good.replace('<identifier>BAD-0</identifier>', '<identifier>BAD 0</identifier>'), /may not contain spaces/],
    ['info without category', good.replace(/<category>Met<\/category>/g, ''), /at least 1 <category>/],
    ['DOCTYPE', good.replace('<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0"?><!DOCTYPE alert [<!ENTITY x "y">]>'), /DOCTYPE/],
  ];
}

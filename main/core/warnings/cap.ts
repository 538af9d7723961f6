/**
 * OASIS CAP 1.2 (Common Alerting Protocol) parser and validator.
 *
 * Checks what the CAP 1.2 schema and specification require: the namespace
 * `urn:oasis:names:tc:emergency:cap:1.2`; the mandatory elements and their cardinality; the
 * enumerations (status, msgType, scope, category, urgency, severity, certainty, responseType);
 * dateTime values with an explicit offset and no "Z" (§3.3.2); identifiers without spaces,
 * commas, `<` or `&`; `restriction` for Restricted and `addresses` for Private scope; polygons of
 * at least four "lat,lon" pairs, closed; circles "lat,lon radius"; references as
 * "sender,identifier,sent" triples (required here for Update and Cancel, which act on them).
 * Unknown elements in the CAP namespace are refused; XML Signature elements are ignored.
 * Element order is not enforced. A DOCTYPE is refused (CAP needs none, and entity expansion
 * has no place in a feed parser).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import {
  CAP_CATEGORIES,
  CAP_CERTAINTIES,
  CAP_MSG_TYPES,
  CAP_NAMESPACE,
  CAP_RESPONSE_TYPES,
  CAP_SCOPES,
  CAP_SEVERITIES,
  CAP_STATUSES,
  CAP_URGENCIES,
  type CapAlert,
  type CapArea,
  type CapInfo,
  type CapReference,
} from '../../../shared/domain/monitoring';

export class CapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CapError';
  }
}

type XNode = Record<string, unknown>;

/** CAP dateTime: YYYY-MM-DDThh:mm:ss followed by an explicit offset (no Z, no fraction). */
const CAP_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[-+]\d{2}:\d{2}$/;

const ALERT_CHILDREN = new Set(['identifier', 'sender', 'sent', 'status', 'msgType', 'source', 'scope', 'restriction', 'addresses', 'code', 'note', 'references', 'incidents', 'info']);
const INFO_CHILDREN = new Set([
  'language',
  'category',
  'event',
  'responseType',
  'urgency',
  'severity',
  'certainty',
  'audience',
  'eventCode',
  'effective',
  'onset',
  'expires',
  'senderName',
  'headline',
  'description',
  'instruction',
  'web',
  'contact',
  'parameter',
  'resource',
  'area',
]);
const AREA_CHILDREN = new Set(['areaDesc', 'polygon', 'circle', 'geocode', 'altitude', 'ceiling']);
const RESOURCE_CHILDREN = new Set(['resourceDesc', 'mimeType', 'size', 'uri', 'derefUri', 'digest']);
const PAIR_CHILDREN = new Set(['valueName', 'value']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** Strip the CAP prefix from element names, drop elements of other namespaces, refuse unknown CAP elements. */
function normalise(node: XNode, prefix: string, allowed: Set<string>, where: string): XNode {
  const out: XNode = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('@_') || key === '#text') continue;
    let name = key;
    if (prefix) {
      if (!key.startsWith(prefix + ':')) continue; // another namespace (e.g. ds:Signature)
      name = key.slice(prefix.length + 1);
    } else if (key.includes(':')) continue;
    if (name === 'Signature') continue; // XML Signature in the default namespace of its own
    if (!allowed.has(name)) throw new CapError(`unexpected element <${name}> in <${where}>`);
    out[name] = value;
  }
  return out;
}

const textOf = (v: unknown): string => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && v !== null) {
    const t = (v as XNode)['#text'];
    if (typeof t === 'string' || typeof t === 'number') return String(t);
    return '';
  }
  return '';
};

class Reader {
  constructor(
    private readonly node: XNode,
    private readonly where: string,
  ) {}

  all(name: string): unknown[] {
    const v = this.node[name];
    return Array.isArray(v) ? v : v === undefined ? [] : [v];
  }

  texts(name: string, min = 0): string[] {
    const vs = this.all(name).map(textOf);
    if (vs.length < min) throw new CapError(`<${this.where}> needs at least ${min} <${name}>`);
    return vs;
  }

  /** 0..1 element; empty text counts as absent. */
  opt(name: string): string | null {
    const vs = this.all(name);
    if (vs.length > 1) throw new CapError(`<${this.where}> may have only one <${name}>`);
    const t = vs.length ? textOf(vs[0]) : '';
    return t === '' ? null : t;
  }

  req(name: string): string {
    const vs = this.all(name);
    if (vs.length === 0) throw new CapError(`<${this.where}> is missing its required <${name}>`);
    if (vs.length > 1) throw new CapError(`<${this.where}> may have only one <${name}>`);
    const t = textOf(vs[0]);
    if (t === '') throw new CapError(`<${this.where}>: <${name}> is empty`);
    return t;
  }

  oneOf<T extends string>(name: string, values: readonly T[]): T {
    const v = this.req(name);
    if (!(values as readonly string[]).includes(v)) throw new CapError(`<${this.where}>: <${name}> must be one of ${values.join(', ')}; got "${v}"`);
    return v as T;
  }

  nodes(name: string): XNode[] {
    return this.all(name).map((v) => {
      if (typeof v !== 'object' || v === null) throw new CapError(`<${name}> in <${this.where}> must contain elements`);
      return v as XNode;
    });
  }
}

function checkDateTime(value: string | null, where: string): string | null {
  if (value === null) return null;
  if (!CAP_DATETIME.test(value) || Number.isNaN(Date.parse(value)))
    throw new CapError(`${where}: "${value}" is not a CAP dateTime (YYYY-MM-DDThh:mm:ss with an offset such as +08:00; "Z" is not allowed)`);
  return value;
}

function checkIdent(value: string, where: string): string {
  if (/[\s,<&]/.test(value)) throw new CapError(`${where}: "${value}" may not contain spaces, commas, < or &`);
  return value;
}

/** "lat,lon lat,lon …" → [lon, lat][] */
function parsePolygon(text: string, where: string): Array<[number, number]> {
  const pairs = text.trim().split(/\s+/);
  if (pairs.length < 4) throw new CapError(`${where}: a polygon needs at least 4 coordinate pairs, got ${pairs.length}`);
  const pts = pairs.map((p) => {
    const m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/.exec(p);
    if (!m) throw new CapError(`${where}: "${p}" is not a "latitude,longitude" pair`);
    const lat = Number(m[1]),
      lon = Number(m[2]);
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw new CapError(`${where}: "${p}" is out of range`);
    return [lon, lat] as [number, number];
  });
  const first = pts[0]!,
    last = pts[pts.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) throw new CapError(`${where}: the polygon is not closed (the first and last pairs must be equal)`);
  return pts;
}

function parseCircle(text: string, where: string): { lon: number; lat: number; radiusKm: number } {
  const m = /^\s*(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) throw new CapError(`${where}: "${text}" is not a circle ("latitude,longitude radius-km")`);
  const lat = Number(m[1]),
    lon = Number(m[2]);
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) throw new CapError(`${where}: circle centre "${m[1]},${m[2]}" is out of range`);
  return { lon, lat, radiusKm: Number(m[3]) };
}

function parsePairs(r: Reader, name: string, where: string, prefix: string): Array<{ valueName: string; value: string }> {
  return r.nodes(name).map((n, i) => {
    const w = `${where}/${name}[${i + 1}]`;
    const pr = new Reader(normalise(n, prefix, PAIR_CHILDREN, w), w);
    return { valueName: pr.req('valueName'), value: pr.opt('value') ?? '' };
  });
}

function parseNumber(v: string | null, where: string): number | null {
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new CapError(`${where}: "${v}" is not a number`);
  return n;
}

export function parseReferences(text: string | null): CapReference[] {
  if (text === null) return [];
  return text
    .trim()
    .split(/\s+/)
    .map((triple) => {
      const parts = triple.split(',');
      if (parts.length !== 3 || parts.some((p) => p === '')) throw new CapError(`<references>: "${triple}" is not "sender,identifier,sent"`);
      checkDateTime(parts[2]!, '<references>');
      return { sender: parts[0]!, identifier: parts[1]!, sent: parts[2]! };
    });
}

/** Parse and validate a CAP 1.2 document. Throws CapError with a clear message. */
export function parseCap(xml: string): CapAlert {
  if (xml.trim() === '') throw new CapError('the document is empty');
  if (/<!DOCTYPE/i.test(xml)) throw new CapError('a DOCTYPE is not allowed in a CAP document');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new CapError(`invalid XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  let doc: XNode;
  try {
    doc = parser.parse(xml) as XNode;
  } catch (err) {
    throw new CapError(`invalid XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  if (roots.length !== 1) throw new CapError('the document must have exactly one root element');
  const rootName = roots[0]!;
  const [prefix, local] = rootName.includes(':') ? [rootName.slice(0, rootName.indexOf(':')), rootName.slice(rootName.indexOf(':') + 1)] : ['', rootName];
  if (local !== 'alert') throw new CapError(`the root element is <${rootName}>, not a CAP <alert>`);
  const rootArr = doc[rootName];
  const root = (Array.isArray(rootArr) ? rootArr[0] : rootArr) as XNode | undefined;
  if (typeof root !== 'object' || root === null) throw new CapError('<alert> is empty');
  const ns = root[prefix ? `@_xmlns:${prefix}` : '@_xmlns'];
  if (ns !== CAP_NAMESPACE) throw new CapError(`not a CAP 1.2 alert: the namespace must be ${CAP_NAMESPACE}${typeof ns === 'string' ? `, not ${ns}` : ''}`);

  const a = new Reader(normalise(root, prefix, ALERT_CHILDREN, 'alert'), 'alert');
  const scope = a.oneOf('scope', CAP_SCOPES);
  const msgType = a.oneOf('msgType', CAP_MSG_TYPES);
  const restriction = a.opt('restriction');
  const addresses = a.opt('addresses');
  if (scope === 'Restricted' && restriction === null) throw new CapError('<alert>: scope Restricted needs a <restriction>');
  if (scope === 'Private' && addresses === null) throw new CapError('<alert>: scope Private needs <addresses>');
  const references = parseReferences(a.opt('references'));
  if ((msgType === 'Update' || msgType === 'Cancel') && references.length === 0) throw new CapError(`<alert>: a ${msgType} message needs <references> to the alert(s) it ${msgType === 'Update' ? 'replaces' : 'cancels'}`);

  const infos: CapInfo[] = a.nodes('info').map((node, i) => {
    const where = `info[${i + 1}]`;
    const r = new Reader(normalise(node, prefix, INFO_CHILDREN, where), where);
    const categories = r.texts('category', 1).map((c) => {
      if (!(CAP_CATEGORIES as readonly string[]).includes(c)) throw new CapError(`<${where}>: <category> must be one of ${CAP_CATEGORIES.join(', ')}; got "${c}"`);
      return c as CapInfo['categories'][number];
    });
    const responseTypes = r.texts('responseType').map((c) => {
      if (!(CAP_RESPONSE_TYPES as readonly string[]).includes(c)) throw new CapError(`<${where}>: <responseType> must be one of ${CAP_RESPONSE_TYPES.join(', ')}; got "${c}"`);
      return c as CapInfo['responseTypes'][number];
    });
    const areas: CapArea[] = r.nodes('area').map((an, j) => {
      const aw = `${where}/area[${j + 1}]`;
      const ar = new Reader(normalise(an, prefix, AREA_CHILDREN, aw), aw);
      const altitude = parseNumber(ar.opt('altitude'), `<${aw}>/altitude`);
      const ceiling = parseNumber(ar.opt('ceiling'), `<${aw}>/ceiling`);
      if (ceiling !== null && altitude === null) throw new CapError(`<${aw}>: <ceiling> needs <altitude>`);
      return {
        areaDesc: ar.req('areaDesc'),
        polygons: ar.texts('polygon').map((p, k) => parsePolygon(p, `<${aw}>/polygon[${k + 1}]`)),
        circles: ar.texts('circle').map((c, k) => parseCircle(c, `<${aw}>/circle[${k + 1}]`)),
        geocodes: parsePairs(ar, 'geocode', aw, prefix),
        altitude,
        ceiling,
      };
    });
    const resources = r.nodes('resource').map((rn, j) => {
      const rw = `${where}/resource[${j + 1}]`;
      const rr = new Reader(normalise(rn, prefix, RESOURCE_CHILDREN, rw), rw);
      const size = parseNumber(rr.opt('size'), `<${rw}>/size`);
      if (size !== null && (!Number.isInteger(size) || size < 0)) throw new CapError(`<${rw}>: <size> must be a whole number of bytes`);
      return { resourceDesc: rr.req('resourceDesc'), mimeType: rr.req('mimeType'), size, uri: rr.opt('uri'), digest: rr.opt('digest') };
    });
    return {
      language: r.opt('language') ?? 'en-US',
      categories,
      event: r.req('event'),
      responseTypes,
      urgency: r.oneOf('urgency', CAP_URGENCIES),
      severity: r.oneOf('severity', CAP_SEVERITIES),
      certainty: r.oneOf('certainty', CAP_CERTAINTIES),
      audience: r.opt('audience'),
      eventCodes: parsePairs(r, 'eventCode', where, prefix),
      effective: checkDateTime(r.opt('effective'), `<${where}>/effective`),
      onset: checkDateTime(r.opt('onset'), `<${where}>/onset`),
      expires: checkDateTime(r.opt('expires'), `<${where}>/expires`),
      senderName: r.opt('senderName'),
      headline: r.opt('headline'),
      description: r.opt('description'),
      instruction: r.opt('instruction'),
      web: r.opt('web'),
      contact: r.opt('contact'),
      parameters: parsePairs(r, 'parameter', where, prefix),
      resources,
      areas,
    };
  });

  return {
    identifier: checkIdent(a.req('identifier'), '<identifier>'),
    sender: checkIdent(a.req('sender'), '<sender>'),
    sent: checkDateTime(a.req('sent'), '<sent>')!,
    status: a.oneOf('status', CAP_STATUSES),
    msgType,
    source: a.opt('source'),
    scope,
    restriction,
    addresses,
    codes: a.texts('code'),
    note: a.opt('note'),
    references,
    incidents: a.opt('incidents'),
    infos,
  };
}

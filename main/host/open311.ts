/**
 * Open311 GeoReport v2 under /open311/v2/ (a stable interface, DESIGN.md): how hotlines and
 * public-report apps feed cases in and follow them.
 *
 *   GET  services.{json|xml}                the category catalogue (group = the class name)
 *   GET  services/<service_code>.{json|xml} its service definition (no extra attributes)
 *   POST requests.{json|xml}                create a case (source 'public'); form-encoded or JSON
 *   GET  requests.{json|xml}                filters: service_request_id (overrides the others),
 *                                           service_code, start_date, end_date, status
 *   GET  requests/<id>.{json|xml}           one request (an array of one, as the spec says)
 *
 * Errors are the specification's array of {code, description} with the matching HTTP status:
 * 400 missing or invalid arguments, 403 a missing or wrong api_key (only when keys are configured
 * in meta 'open311_api_keys', a JSON array), 404 an unknown service, request or jurisdiction
 * (meta 'open311_jurisdiction_id', when set). Times are W3C/ISO-8601 with the +08:00 offset.
 * service_request_id is the case number. Queries default to the most recent 90 days, may not span
 * more than 90 days, and return at most 1000 requests, newest first.
 */
import type http from 'node:http';
import type { Core } from '../core/core';
import { getMeta } from '../core/db/store';
import { open311Request, open311Requests, open311Service, open311Services, serviceNotice } from '../core/cases/open311';
import { SHANGHAI_OFFSET_MS } from '../../shared/time';
import type { Route } from './server';

export const OPEN311_PREFIX = '/open311/v2/';
const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 90 * DAY_MS;
const MAX_REQUESTS = 1000;
const MAX_DESCRIPTION = 4000;

type Format = 'json' | 'xml';

class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

const xmlEscape = (s: string): string => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

function xmlValue(name: string, v: unknown): string {
  if (v === null || v === undefined) return `<${name}/>`;
  if (Array.isArray(v)) return v.length === 0 ? `<${name}/>` : `<${name}>${v.map((x) => xmlValue(name.replace(/s$/, ''), x)).join('')}</${name}>`;
  if (typeof v === 'object') return `<${name}>${Object.entries(v as Record<string, unknown>).map(([k, x]) => xmlValue(k, x)).join('')}</${name}>`;
  return `<${name}>${xmlEscape(String(v))}</${name}>`;
}

/** An XML document: a root with repeated items (services/service, service_requests/request, errors/error) or one object. */
function toXml(root: string, item: string | null, value: unknown): string {
  const body = item === null ? xmlValue(root, value) : `<${root}>${(value as unknown[]).map((v) => xmlValue(item, v)).join('')}</${root}>`;
  return `<?xml version="1.0" encoding="utf-8"?>\n${body}`;
}

function send(res: http.ServerResponse, status: number, format: Format, value: unknown, xml: { root: string; item: string | null }): void {
  const body = format === 'json' ? JSON.stringify(value) : toXml(xml.root, xml.item, value);
  res.writeHead(status, {
    'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
  });
  res.end(body);
}

function sendError(res: http.ServerResponse, format: Format, status: number, description: string): void {
  send(res, status, format, [{ code: status, description }], { root: 'errors', item: 'error' });
}

// ---------------------------------------------------------------------------------------------
// Input

/** W3C date-times (with an offset or Z), or a date alone, read as Asia/Shanghai. */
export function parseW3cTime(v: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(`${v}T00:00:00Z`);
    return Number.isFinite(t) ? t - SHANGHAI_OFFSET_MS : null;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

const list = (v: string | null): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function readBody(req: http.IncomingMessage, body: Buffer | null, url: URL): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of url.searchParams) out.set(k, v);
  if (!body || body.length === 0) return out;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const text = body.toString('utf8');
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Open311Error(400, 'the request body is not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Open311Error(400, 'the JSON body must be an object of arguments');
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.set(k, String(v));
    }
    return out;
  }
  if (type.includes('multipart/form-data')) throw new Open311Error(400, 'send the arguments as application/x-www-form-urlencoded or application/json');
  for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
  return out;
}

function checkJurisdiction(core: Core, given: string | null | undefined): void {
  const expected = getMeta(core.db, 'open311_jurisdiction_id');
  if (expected && given && given !== expected) throw new Open311Error(404, `jurisdiction_id ${given} was not found`);
}

function checkApiKey(core: Core, given: string | undefined): void {
  const raw = getMeta(core.db, 'open311_api_keys');
  if (!raw) return;
  let keys: unknown;
  try {
    keys = JSON.parse(raw);
  } catch {
    keys = [];
  }
  if (!Array.isArray(keys) || keys.length === 0) return;
  if (!given) throw new Open311Error(403, 'api_key was not provided');
  if (!keys.includes(given)) throw new Open311Error(403, 'invalid api_key received: cannot create the request');
}

// ---------------------------------------------------------------------------------------------
// Handlers

function getServices(core: Core, res: http.ServerResponse, format: Format, url: URL): void {
  checkJurisdiction(core, url.searchParams.get('jurisdiction_id'));
  send(res, 200, format, open311Services(core.db), { root: 'services', item: 'service' });
}

function getServiceDefinition(core: Core, res: http.ServerResponse, format: Format, url: URL, code: string): void {
  checkJurisdiction(core, url.searchParams.get('jurisdiction_id'));
  if (!open311Service(core.db, code)) throw new Open311Error(404, `service_code ${code} was not found`);
  send(res, 200, format, { service_code: code, attributes: [] }, { root: 'service_definition', item: null });
}

function getRequests(core: Core, res: http.ServerResponse, format: Format, url: URL): void {
  const q = url.searchParams;
  checkJurisdiction(core, q.get('jurisdiction_id'));
  const ids = list(q.get('service_request_id'));
  const time = (name: string): number | null => {
    const v = q.get(name);
    if (v === null || v === '') return null;
    const t = parseW3cTime(v);
    if (t === null) throw new Open311Error(400, `${name} must be a W3C date-time such as 2026-03-02T00:00:00+08:00, got ${v}`);
    return t;
  };
  const statuses = list(q.get('status'));
  for (const s of statuses) if (s !== 'open' && s !== 'closed') throw new Open311Error(400, `status must be open or closed, got ${s}`);
  const now = core.now();
  let start = time('start_date');
  let end = time('end_date');
  if (start === null && end === null) {
    end = now;
    start = now - MAX_SPAN_MS;
  } else if (start === null) start = end! - MAX_SPAN_MS;
  else if (end === null) end = start + MAX_SPAN_MS;
  if (end! < start) throw new Open311Error(400, 'end_date is before start_date');
  if (end! - start > MAX_SPAN_MS && ids.length === 0) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days');
  const requests = open311Requests(core.db, {
    ids,
    codes: list(q.get('service_code')),
    start,
    end: end!,
    statuses: statuses as Array<'open' | 'closed'>,
    limit: MAX_REQUESTS,
  });
  send(res, 200, format, requests, { root: 'service_requests', item: 'request' });
}

function getRequest(core: Core, res: http.ServerResponse, format: Format, url: URL, id: string): void {
  checkJurisdiction(core, url.searchParams.get('jurisdiction_id'));
  const r = open311Request(core.db, id);
  if (!r) throw new Open311Error(404, `service_request_id ${id} was not found`);
  send(res, 200, format, [r], { root: 'service_requests', item: 'request' });
}

async function postRequest(core: Core, req: http.IncomingMessage, res: http.ServerResponse, format: Format, url: URL, body: Buffer | null): Promise<void> {
  const args = readBody(req, body, url);
  const get = (k: string): string | undefined => {
    const v = args.get(k)?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  checkApiKey(core, get('api_key'));
  checkJurisdiction(core, get('jurisdiction_id'));
  const code = get('service_code');
  if (!code) throw new Open311Error(400, 'service_code was not provided');
  const cat = open311Service(core.db, code);
  if (!cat) throw new Open311Error(404, `service_code ${code} was not found`);
  const latRaw = get('lat');
  const longRaw = get('long');
  if (latRaw === undefined || longRaw === undefined) {
    if (latRaw !== undefined || longRaw !== undefined) throw new Open311Error(400, 'lat and long must be sent together');
    throw new Open311Error(400, 'lat and long were not provided (this endpoint cannot geocode address_string or address_id)');
  }
  const lat = Number(latRaw);
  const lon = Number(longRaw);
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) throw new Open311Error(400, `lat is not a WGS84 latitude: ${latRaw}`);
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) throw new Open311Error(400, `long is not a WGS84 longitude: ${longRaw}`);
  const description = get('description') ?? '';
  if (description.length > MAX_DESCRIPTION) throw new Open311Error(400, `description is longer than ${MAX_DESCRIPTION} characters`);
  const media = get('media_url');
  if (media !== undefined && !/^https?:\/\/\S+$/i.test(media)) throw new Open311Error(400, 'media_url must be an http(s) URL');
  // Chinese names put the family name first.
  const name = [get('last_name'), get('first_name')].filter(Boolean).join('') || undefined;
  const reporter = { name, phone: get('phone'), email: get('email') };
  const result = await core.registry.invoke(
    'cases.create',
    {
      source: 'public',
      categoryCode: cat.code,
      lon,
      lat,
      description,
      address: (get('address_string') ?? '').slice(0, 300),
      reporter: name || reporter.phone || reporter.email ? reporter : undefined,
      attachments: media ? [{ kind: 'photo', url: media }] : [],
      externalId: get('account_id') ?? get('device_id'),
      actor: 'open311',
      role: 'operator',
    },
    { transport: 'http', client: `open311:${req.socket.remoteAddress ?? 'unknown'}` },
  );
  if (!result.ok) {
    const status = result.error.code === 'not_found' ? 404 : 400;
    throw new Open311Error(status, result.error.message.replace(/^input\.(\w+): /, (_m, f: string) => `${OPEN311_FIELD[f] ?? f}: `));
  }
  send(res, 201, format, [{ service_request_id: result.value.case.code, service_notice: serviceNotice(core.db, cat), account_id: get('account_id') ?? null }], {
    root: 'service_requests',
    item: 'request',
  });
}

/** cases.create fields → the Open311 argument a client sent. */
const OPEN311_FIELD: Record<string, string> = { lon: 'long', lat: 'lat', categoryCode: 'service_code', description: 'description', address: 'address_string' };

export function open311Route(core: Core): Route {
  return {
    prefix: OPEN311_PREFIX,
    async handle(req, res, url, body) {
      const rest = url.pathname.slice(OPEN311_PREFIX.length);
      const m = /^(.+)\.(json|xml)$/.exec(rest);
      const format: Format = m?.[2] === 'xml' ? 'xml' : 'json';
      const method = req.method ?? 'GET';
      try {
        if (!m) throw new Open311Error(404, `no such resource: ${url.pathname} (use services.json, requests.json …; .xml works too)`);
        let resource: string;
        try {
          resource = decodeURIComponent(m[1]!);
        } catch {
          throw new Open311Error(400, 'the URL is not valid');
        }
        const [kind, id, ...extra] = resource.split('/');
        const allow = (methods: string[]): void => {
          if (!methods.includes(method)) {
            res.setHeader('allow', methods.join(', '));
            throw new Open311Error(405, `use ${methods.join(' or ')} for ${url.pathname}`);
          }
        };
        if (extra.length > 0 || (id !== undefined && id === '')) throw new Open311Error(404, `no such resource: ${url.pathname}`);
        if (kind === 'services' && id === undefined) {
          allow(['GET']);
          getServices(core, res, format, url);
        } else if (kind === 'services') {
          allow(['GET']);
          getServiceDefinition(core, res, format, url, id!);
        } else if (kind === 'requests' && id === undefined) {
          allow(['GET', 'POST']);
          if (method === 'POST') await postRequest(core, req, res, format, url, body);
          else getRequests(core, res, format, url);
        } else if (kind === 'requests') {
          allow(['GET']);
          getRequest(core, res, format, url, id!);
        } else if (kind === 'tokens') {
          throw new Open311Error(404, 'this endpoint answers with service_request_id at once (type realtime): there are no tokens');
        } else throw new Open311Error(404, `no such resource: ${url.pathname}`);
      } catch (err) {
        if (err instanceof Open311Error) sendError(res, format, err.status, err.message);
        else {
          core.log.error('open311.failed', { path: url.pathname, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
          sendError(res, format, 400, 'the request could not be processed (logged on the host)');
        }
      }
    },
  };
}

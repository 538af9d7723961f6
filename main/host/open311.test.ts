import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setMeta } from '../core/db/store';
import { CATEGORIES } from '../../shared/domain/catalogue';
import { makeTestCore, T0, type TestCore } from '../core/cases/test-fixture';
import { startHost, type RunningHost } from './server';
import { open311Route } from './open311';

let tc: TestCore;
let host: RunningHost;
let base: string;

beforeAll(async () => {
  tc = await makeTestCore();
  host = await startHost({ core: tc.core, port: 0, routes: [open311Route(tc.core)] });
  base = `${host.url}open311/v2/`;
});
afterAll(async () => {
  await host.close();
  await tc.close();
});

const get = (path: string): Promise<Response> => fetch(base + path);
const postForm = (path: string, fields: Record<string, string>): Promise<Response> =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(fields).toString() });
const postJson = (path: string, body: unknown): Promise<Response> =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];
const W3C = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

async function expectError(res: Response, status: number, text: RegExp): Promise<void> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const body = (await res.json()) as Array<{ code: number; description: string }>;
  expect(body).toHaveLength(1);
  expect(Object.keys(body[0]!)).toEqual(['code', 'description']);
  expect(body[0]!.code).toBe(status);
  expect(body[0]!.description).toMatch(text);
}

const SAMPLE = {
  service_code: '0101',
  lat: '30.22',
  long: '120.02',
  address_string: '文一路 100 号',
  description: '路口垃圾堆积，气味很大',
  email: 'zhang@example.com',
  first_name: '三',
  last_name: '张',
  phone: '13800001111',
  media_url: 'http://photos.example.com/a.jpg',
  account_id: 'acc-42',
};

describe('GET services', () => {
  it('services.json lists the catalogue with the specification fields', async () => {
    const res = await get('services.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const list = (await res.json()) as Array<Record<string, unknown>>;
    expect(list).toHaveLength(CATEGORIES.length);
    for (const s of list) {
      expect(Object.keys(s)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      expect(typeof s.service_code).toBe('string');
      expect(typeof s.service_name).toBe('string');
      expect(typeof s.description).toBe('string');
      expect(s.metadata).toBe(false);
      expect(s.type).toBe('realtime');
      expect(typeof s.keywords).toBe('string');
      expect(typeof s.group).toBe('string');
    }
    const rubbish = list.find((s) => s.service_code === '0101')!;
    expect(rubbish).toMatchObject({ service_name: '暴露垃圾', group: '市容环境' });
    expect(rubbish.description).toContain('1个工作日');
    expect(String(rubbish.keywords).split(',')).toContain('Exposed rubbish');
  });

  it('services.xml is the XML form', async () => {
    const res = await get('services.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const xml = await res.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services><service><service_code>0101</service_code><service_name>暴露垃圾</service_name>')).toBe(true);
    expect(xml).toContain('<metadata>false</metadata><type>realtime</type>');
    expect(xml.match(/<service>/g)).toHaveLength(CATEGORIES.length);
  });

  it('services/<code>.json is the service definition; unknown codes are 404', async () => {
    const res = await get('services/0103.json');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ service_code: '0103', attributes: [] });
    const xml = await (await get('services/0103.xml')).text();
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?>\n<service_definition><service_code>0103</service_code><attributes/></service_definition>');
    await expectError(await get('services/9999.json'), 404, /service_code 9999 was not found/);
  });
});

describe('POST requests', () => {
  it('form-encoded: creates a public case and answers the specification fields', async () => {
    const res = await postForm('requests.json', SAMPLE);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Array<Record<string, unknown>>;
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0]!)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(body[0]!.service_request_id).toMatch(/^AJ20260302-\d{5}$/);
    expect(body[0]!.service_notice).toBe('城管执法局将在派遣后1个工作日内处置（垃圾清除，地面无残留）');
    expect(body[0]!.account_id).toBe('acc-42');
    const row = tc.core.db.prepare('SELECT * FROM cases WHERE code = ?').get(body[0]!.service_request_id) as Record<string, unknown>;
    expect(row).toMatchObject({ source: 'public', category_code: '0101', state: 'reported', reporter_name: '张三', reporter_phone: '13800001111', grid_id: 'area-g1', address: '文一路 100 号' });
    const detail = await tc.core.registry.invoke('cases.get', { id: row.id });
    expect(detail.ok && detail.value).toMatchObject({ reporterName: '张*', reporterPhone: '138****1111' });
  });

  it('JSON bodies work too, and .xml answers in XML', async () => {
    const res = await postJson('requests.json', { ...SAMPLE, lat: 30.221, long: 120.121, service_code: '0601', account_id: undefined });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Array<Record<string, unknown>>;
    expect(body[0]!.account_id).toBeNull();
    const xml = await (await postForm('requests.xml', { ...SAMPLE, lat: '30.215', long: '120.16' })).text();
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<service_requests><request><service_request_id>AJ20260302-\d{5}<\/service_request_id><service_notice>.+<\/service_notice><account_id>acc-42<\/account_id><\/request><\/service_requests>$/);
  });

  it('refuses bad requests with the specification error objects', async () => {
    const { service_code: _omit, ...noCode } = SAMPLE;
    await expectError(await postForm('requests.json', noCode), 400, /service_code was not provided/);
    await expectError(await postForm('requests.json', { ...SAMPLE, service_code: '9999' }), 404, /service_code 9999 was not found/);
    const { lat: _lat, long: _long, ...noPoint } = SAMPLE;
    await expectError(await postForm('requests.json', noPoint), 400, /lat and long were not provided/);
    await expectError(await postForm('requests.json', { ...SAMPLE, lat: '95' }), 400, /lat is not a WGS84 latitude/);
    await expectError(await postForm('requests.json', { ...SAMPLE, lat: '39.9', long: '116.4' }), 400, /^long: the point .* lies outside every area/);
    await expectError(await postForm('requests.json', { ...SAMPLE, description: 'x'.repeat(4001) }), 400, /description is longer than 4000/);
    await expectError(await postForm('requests.json', { ...SAMPLE, media_url: 'javascript:alert(1)' }), 400, /media_url/);
    await expectError(await postJson('requests.json', [1, 2]), 400, /must be an object/);
    const count = tc.core.db.prepare("SELECT COUNT(*) FROM cases WHERE description = '路口垃圾堆积，气味很大'").pluck().get();
    expect(count).toBe(3); // only the three accepted above
  });

  it('api keys, when configured, are required (403)', async () => {
    setMeta(tc.core.db, 'open311_api_keys', JSON.stringify(['key-1']));
    try {
      await expectError(await postForm('requests.json', SAMPLE), 403, /api_key was not provided/);
      await expectError(await postForm('requests.json', { ...SAMPLE, api_key: 'nope' }), 403, /invalid api_key/);
      expect((await postForm('requests.json', { ...SAMPLE, api_key: 'key-1', lat: '30.205', long: '120.195' })).status).toBe(201);
    } finally {
      tc.core.db.prepare("DELETE FROM meta WHERE key = 'open311_api_keys'").run();
    }
  });
});

describe('GET requests', () => {
  let id: string;
  beforeAll(async () => {
    tc.clock.t = T0 + 30 * 60_000;
    const body = (await (await postForm('requests.json', { ...SAMPLE, lat: '30.24', long: '120.07', service_code: '0103', account_id: 'acc-7' })).json()) as Array<{
      service_request_id: string;
    }>;
    id = body[0]!.service_request_id;
  });

  const fetchOne = async (): Promise<Record<string, unknown>> => {
    const res = await get(`requests/${id}.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Array<Record<string, unknown>>;
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0]!)).toEqual(REQUEST_FIELDS);
    return body[0]!;
  };

  it('requests/<id>.json reflects the case field by field, through its life', async () => {
    let r = await fetchOne();
    expect(r).toEqual({
      service_request_id: id,
      status: 'open',
      status_notes: '已受理，待核实立案',
      service_name: '道路不洁',
      service_code: '0103',
      description: '路口垃圾堆积，气味很大',
      agency_responsible: null,
      service_notice: '城管执法局将在派遣后5个工作时内处置（路面清洁）',
      requested_datetime: '2026-03-02T09:30:00.000+08:00',
      updated_datetime: '2026-03-02T09:30:00.000+08:00',
      expected_datetime: null,
      address: '文一路 100 号',
      address_id: null,
      zipcode: null,
      lat: 30.24,
      long: 120.07,
      media_url: 'http://photos.example.com/a.jpg',
    });
    expect(r.requested_datetime).toMatch(W3C);

    const caseId = tc.core.db.prepare('SELECT id FROM cases WHERE code = ?').pluck().get(id) as string;
    const act = async (action: string, role: string, fields: Record<string, unknown> = {}): Promise<void> => {
      const cur = await tc.core.registry.invoke('cases.get', { id: caseId });
      if (!cur.ok) throw new Error(cur.error.message);
      const res = await tc.core.registry.invoke('cases.act', { id: caseId, version: cur.value.version, action, actor: 'x', role, ...fields });
      if (!res.ok) throw new Error(res.error.message);
    };
    tc.clock.t = T0 + 60 * 60_000;
    await act('register', 'operator');
    await act('dispatch', 'operator', { departmentId: 'dept-CG', unitId: 'unit-CG-t1' });
    r = await fetchOne();
    expect(r).toMatchObject({
      status: 'open',
      status_notes: '已派遣至处置单位',
      agency_responsible: '城管执法局',
      expected_datetime: '2026-03-02T16:30:00.000+08:00', // 10:00 + 5 working hours (lunch 12:00–13:30)
      updated_datetime: '2026-03-02T10:00:00.000+08:00',
    });
    tc.clock.t = T0 + 2 * 60 * 60_000;
    await act('accept', 'unit');
    await act('handle', 'unit', { note: '已清扫' });
    await act('verify_pass', 'inspector', { note: '路面已清洁' });
    r = await fetchOne();
    expect(r).toMatchObject({ status: 'closed', status_notes: '已结案：路面已清洁', updated_datetime: '2026-03-02T11:00:00.000+08:00' });
    const xml = await (await get(`requests/${id}.xml`)).text();
    expect(xml).toContain(`<service_requests><request><service_request_id>${id}</service_request_id><status>closed</status>`);
    expect(xml).toContain('<address_id/><zipcode/>');
  });

  it('filters: service_request_id overrides, service_code, status, dates; defaults to 90 days', async () => {
    const all = (await (await get('requests.json')).json()) as Array<Record<string, unknown>>;
    expect(all.length).toBeGreaterThanOrEqual(5);
    expect(all.every((r) => Object.keys(r).join() === REQUEST_FIELDS.join())).toBe(true);
    const times = all.map((r) => Date.parse(String(r.requested_datetime)));
    expect([...times].sort((a, b) => b - a)).toEqual(times); // newest first
    const closed = (await (await get('requests.json?status=closed')).json()) as Array<Record<string, unknown>>;
    expect(closed.map((r) => r.service_request_id)).toEqual([id]);
    const open = (await (await get('requests.json?status=open')).json()) as Array<Record<string, unknown>>;
    expect(open).toHaveLength(all.length - 1);
    const both = (await (await get('requests.json?status=open,closed')).json()) as unknown[];
    expect(both).toHaveLength(all.length);
    const streetLights = (await (await get('requests.json?service_code=0601,0103')).json()) as Array<Record<string, unknown>>;
    expect(new Set(streetLights.map((r) => r.service_code))).toEqual(new Set(['0601', '0103']));
    const byId = (await (await get(`requests.json?service_request_id=${id},NOPE&status=open&start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z`)).json()) as Array<
      Record<string, unknown>
    >;
    expect(byId.map((r) => r.service_request_id)).toEqual([id]);
    const window = (await (await get('requests.json?start_date=2026-03-02T09:20:00%2B08:00&end_date=2026-03-02T09:40:00%2B08:00')).json()) as Array<Record<string, unknown>>;
    expect(window.map((r) => r.service_request_id)).toEqual([id]);
    const dayOnly = (await (await get('requests.json?start_date=2026-03-02&end_date=2026-03-03')).json()) as unknown[];
    expect(dayOnly).toHaveLength(all.length);
    const none = (await (await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-01-31T00:00:00Z')).json()) as unknown[];
    expect(none).toEqual([]);
  });

  it('bad queries and unknown ids', async () => {
    await expectError(await get('requests.json?start_date=yesterday'), 400, /start_date must be a W3C date-time/);
    await expectError(await get('requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400, /90 days/);
    await expectError(await get('requests.json?start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z'), 400, /before start_date/);
    await expectError(await get('requests.json?status=pending'), 400, /status must be open or closed/);
    await expectError(await get('requests/NOPE-1.json'), 404, /service_request_id NOPE-1 was not found/);
  });

  it('cases from internal channels are not visible through Open311', async () => {
    const r = await tc.core.registry.invoke('cases.create', { source: 'police110', categoryCode: '0509', lon: 120.03, lat: 30.21, actor: '110' });
    if (!r.ok) throw new Error(r.error.message);
    await expectError(await get(`requests/${r.value.case.code}.json`), 404, /not found/);
    const all = (await (await get('requests.json')).json()) as Array<Record<string, unknown>>;
    expect(all.map((x) => x.service_request_id)).not.toContain(r.value.case.code);
  });

  it('unknown resources, methods and formats', async () => {
    await expectError(await get('nothing.json'), 404, /no such resource/);
    await expectError(await get('services'), 404, /services\.json/);
    await expectError(await get('tokens/1.json'), 404, /no tokens/);
    const del = await fetch(base + 'requests.json', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, POST');
    const xmlErr = await get('services/9999.xml');
    expect(xmlErr.status).toBe(404);
    expect(await xmlErr.text()).toBe('<?xml version="1.0" encoding="utf-8"?>\n<errors><error><code>404</code><description>service_code 9999 was not found</description></error></errors>');
  });
});

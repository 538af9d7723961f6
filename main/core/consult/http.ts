/**
 * The briefing PDFs over HTTP (GET /api/briefings/<id>.pdf), transport-neutral: the host turns the
 * answer into a response. Served inline with the recorded digest as ETag.
 */
import { ApiFailure } from '../../../shared/api/contract';
import type { Db } from '../db/store';
import { readBriefingFile } from './briefing';

export const BRIEFING_ROUTE_PREFIX = '/api/briefings/';

export interface BriefingHttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

export function briefingHttp(db: Db, dataDir: string, method: string, pathname: string): BriefingHttpAnswer {
  const text = (status: number, message: string): BriefingHttpAnswer => ({
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify({ ok: false, error: { code: status === 404 ? 'not_found' : status === 405 ? 'validation' : 'internal', message } }),
  });
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'use GET');
  const m = /^\/api\/briefings\/([A-Za-z0-9-]{1,80})\.pdf$/.exec(pathname);
  if (!m) return text(404, `no such briefing: ${pathname}`);
  try {
    const { briefing, pdf } = readBriefingFile(db, dataDir, m[1]!);
    const filename = `${briefing.day}-briefing.pdf`;
    return {
      status: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-length': String(pdf.length),
        'content-disposition': `inline; filename="${filename}"; filename*=UTF-8''${encodeURIComponent(briefing.title)}.pdf`,
        etag: `"${briefing.sha256}"`,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      },
      body: method === 'HEAD' ? '' : pdf,
    };
  } catch (err) {
    if (err instanceof ApiFailure) return text(err.code === 'not_found' ? 404 : 500, err.message);
    throw err;
  }
}

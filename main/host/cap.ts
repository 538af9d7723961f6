/**
 * CAP 1.2 alerts over HTTP: `POST /api/cap` with the XML document as the body (a stable
 * interface, DESIGN.md). Answers the API envelope: 200 `{ok:true, value:{warning, duplicate,
 * affected, unmatchedReferences}}`, 400 with a clear message for invalid XML or a schema
 * violation (nothing stored), 405 for other verbs, 415 for a body that is not XML.
 */
import type http from 'node:http';
import { fail } from '../../shared/api';
import type { Core } from '../core/core';
import { sendJson, type Route } from './server';

const XML_TYPES = /^(application|text)\/([\w.+-]*\+)?xml\b/i;

export function capRoute(core: Core): Route {
  return {
    prefix: '/api/cap',
    async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: Buffer | null): Promise<void> {
      if (url.pathname !== '/api/cap' && url.pathname !== '/api/cap/') {
        sendJson(res, 404, fail('not_found', `no such endpoint: ${url.pathname}`));
        return;
      }
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        sendJson(res, 405, fail('validation', 'POST a CAP 1.2 XML document'));
        return;
      }
      const type = req.headers['content-type'];
      if (type && !XML_TYPES.test(type) && !/^text\/plain\b/i.test(type)) {
        sendJson(res, 415, fail('validation', `expected an XML body (application/cap+xml, application/xml or text/xml), got ${type}`));
        return;
      }
      const xml = (body ?? Buffer.alloc(0)).toString('utf8');
      if (xml.trim() === '') {
        sendJson(res, 400, fail('validation', 'the body is empty: POST a CAP 1.2 XML document', 'input.xml'));
        return;
      }
      const result = await core.registry.call('warnings.ingest', { xml, source: 'http' }, { transport: 'http', client: req.socket.remoteAddress ?? 'unknown' });
      const status = result.ok ? 200 : result.error.code === 'validation' ? 400 : result.error.code === 'unavailable' ? 503 : 500;
      sendJson(res, status, result);
    },
  };
}

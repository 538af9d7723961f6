/**
 * Renders docs/API.md from the contract, so the document can never drift from the code
 * (a test compares the committed file with this output).
 */
import { z } from 'zod';
import { events, methods } from './index';

function schemaText(schema: z.ZodType): string {
  try {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    delete json.$schema;
    return JSON.stringify(json, null, 1).replace(/\n\s*/g, ' ');
  } catch {
    return '(see shared/api)';
  }
}

export function renderApiDoc(): string {
  const lines: string[] = [
    '# CityOps Wall API',
    '',
    'Generated from the contract in `shared/api/` by `npm run docs:api`; a test fails when this file is stale.',
    '',
    'Every method is reachable through both hosts:',
    '',
    '- HTTP: `POST /api/call/<method>` with the JSON input as the body. The answer is the envelope',
    '  `{"ok":true,"value":…}` or `{"ok":false,"error":{"code","message","field?"}}`; HTTP status 200, or 400 validation,',
    '  403 forbidden, 404 not_found/unknown_method, 409 conflict/invalid_transition, 503 unavailable, 500 internal.',
    '- WebSocket `/api/ws`: send `{"id":1,"method":"…","input":{…}}`, receive `{"type":"result","id":1,"result":<envelope>}`;',
    '  pushed events arrive as `{"type":"event","event":"…","payload":{…}}`.',
    '- Electron: `window.cityops` (the preload bridge) carries the same calls and events over IPC.',
    '',
    'Also: `GET /api/health` → `{"ok":true,"version":…,"schemaVersion":…}` once the store is open.',
    '',
    '## Methods',
    '',
  ];
  for (const [name, def] of Object.entries(methods).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`### \`${name}\`${def.mutates ? ' (changes state)' : ''}`, '', def.summary, '', `- input: \`${schemaText(def.input)}\``, `- output: \`${schemaText(def.output)}\``, '');
  }
  lines.push('## Events', '');
  for (const [name, def] of Object.entries(events).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`### \`${name}\``, '', def.summary, '', `- payload: \`${schemaText(def.payload)}\``, '');
  }
  return lines.join('\n');
}

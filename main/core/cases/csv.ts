/**
 * CSV import of cases (cases.importCsv). Columns: CSV_IMPORT_COLUMNS in shared/api/workflow.ts.
 *
 * The file is parsed as RFC 4180 (commas, double-quoted fields with "" escapes and embedded line
 * breaks, CRLF or LF, an optional UTF-8 BOM). Every row is checked and inserted in one transaction,
 * each row under its own savepoint, with the same code as cases.create (category, location,
 * duplicates…); every bad row is reported by the line it starts on. The transaction is rolled back
 * when the file has any error, or on a dry run: a file imports completely or not at all.
 */
import { ApiFailure } from '../../../shared/api/contract';
import { CSV_IMPORT_COLUMNS } from '../../../shared/api/workflow';
import { CASE_SOURCES, URGENCIES, type CaseSource, type Urgency } from '../../../shared/domain/model';
import type { WorkflowRole } from '../../../shared/domain/workflow';
import { SHANGHAI_OFFSET_MS } from '../../../shared/time';
import type { CoreContext } from '../core';
import { emitCreated, insertCase, type CallInfo } from './workflow';
import type { CaseRow } from './queries';

export const CSV_MAX_ROWS = 50_000;

export interface CsvRecord {
  /** The physical line (1-based) the record starts on. */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** RFC 4180 records; blank lines are skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atFieldStart = true;
    let endOfRecord = false;
    while (i < s.length && !endOfRecord) {
      const ch = s[i]!;
      if (quoted) {
        if (ch === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          const next = s[i];
          if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') throw new CsvSyntaxError(line, `line ${line}: text after a closing quote`);
          continue;
        }
        if (ch === '\n') line++;
        field += ch;
        i++;
        continue;
      }
      if (ch === '"' && atFieldStart) {
        quoted = true;
        atFieldStart = false;
        i++;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        field += ch;
        atFieldStart = false;
        i++;
      }
    }
    if (quoted) throw new CsvSyntaxError(start, `line ${start}: a quoted field is not closed`);
    fields.push(field);
    if (fields.length === 1 && fields[0]!.trim() === '') continue;
    out.push({ line: start, fields });
  }
  return out;
}

export interface ImportError {
  line: number;
  column: string | null;
  message: string;
}

export interface ImportResult {
  dryRun: boolean;
  rows: number;
  imported: number;
  errors: ImportError[];
  duplicates: Array<{ line: number; caseId: string }>;
  ids: string[];
}

const URGENCY_WORDS: Record<string, Urgency> = {
  normal: 'normal',
  urgent: 'urgent',
  critical: 'critical',
  一般: 'normal',
  紧急: 'urgent',
  特急: 'critical',
  '0': 'normal',
  '1': 'urgent',
  '2': 'critical',
};

/** The input field of cases.create named in an ApiFailure → the CSV column. */
const FIELD_COLUMN: Record<string, string> = {
  categoryCode: 'category_code',
  lon: 'lon',
  lat: 'lat',
  reportedAt: 'reported_at',
  links: 'links',
};

/** ISO-8601 with an offset, or 'YYYY-MM-DD HH:mm[:ss]' read as Asia/Shanghai. */
export function parseCsvTime(v: string): number | null {
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (local) {
    const [, y, mo, d, h, mi, sec] = local;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec ?? '0')) - SHANGHAI_OFFSET_MS;
    const back = new Date(ms + SHANGHAI_OFFSET_MS);
    return back.getUTCMonth() === Number(mo) - 1 && back.getUTCDate() === Number(d) ? ms : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

class Rollback extends Error {}

export function importCsv(ctx: CoreContext, args: { csv: string; dryRun: boolean; actor: string; role: WorkflowRole }, call: CallInfo): ImportResult {
  const result: ImportResult = { dryRun: args.dryRun, rows: 0, imported: 0, errors: [], duplicates: [], ids: [] };
  let records: CsvRecord[];
  try {
    records = parseCsv(args.csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      result.errors.push({ line: err.line, column: null, message: err.message });
      return result;
    }
    throw err;
  }
  const header = records.shift();
  if (!header) {
    result.errors.push({ line: 1, column: null, message: 'the file is empty: a header row is required' });
    return result;
  }
  const known = new Set<string>(CSV_IMPORT_COLUMNS.map((c) => c.name));
  const names = header.fields.map((h) => h.trim().toLowerCase());
  names.forEach((n, i) => {
    if (!known.has(n)) result.errors.push({ line: header.line, column: n || `#${i + 1}`, message: `unknown column "${header.fields[i]}"; columns: ${[...known].join(', ')}` });
    else if (names.indexOf(n) !== i) result.errors.push({ line: header.line, column: n, message: `column ${n} appears twice` });
  });
  for (const c of CSV_IMPORT_COLUMNS) {
    if (c.required && !names.includes(c.name)) result.errors.push({ line: header.line, column: c.name, message: `required column ${c.name} is missing` });
  }
  result.rows = records.length;
  if (records.length > CSV_MAX_ROWS) result.errors.push({ line: records[CSV_MAX_ROWS]!.line, column: null, message: `at most ${CSV_MAX_ROWS} rows per file` });
  if (result.errors.length) return result;

  const created: CaseRow[] = [];
  const { db } = ctx;
  const run = db.transaction(() => {
    for (const rec of records) {
      const errs: ImportError[] = [];
      const err = (column: string | null, message: string): void => {
        errs.push({ line: rec.line, column, message });
      };
      if (rec.fields.length !== names.length) {
        err(null, `expected ${names.length} fields, found ${rec.fields.length}`);
        result.errors.push(...errs);
        continue;
      }
      const v = (name: string): string => {
        const i = names.indexOf(name);
        return i < 0 ? '' : rec.fields[i]!.trim();
      };
      const source = v('source');
      if (!(CASE_SOURCES as readonly string[]).includes(source)) err('source', `source must be one of ${CASE_SOURCES.join(', ')}; got "${source}"`);
      const lon = Number(v('lon'));
      const lat = Number(v('lat'));
      if (v('lon') === '' || !Number.isFinite(lon) || lon < -180 || lon > 180) err('lon', `lon must be a longitude in degrees; got "${v('lon')}"`);
      if (v('lat') === '' || !Number.isFinite(lat) || lat < -90 || lat > 90) err('lat', `lat must be a latitude in degrees; got "${v('lat')}"`);
      const urgencyRaw = v('urgency');
      const urgency = urgencyRaw === '' ? 'normal' : URGENCY_WORDS[urgencyRaw.toLowerCase()];
      if (!urgency) err('urgency', `urgency must be ${URGENCIES.join(' | ')} (一般 | 紧急 | 特急); got "${urgencyRaw}"`);
      let reportedAt: string | undefined;
      if (v('reported_at') !== '') {
        const ms = parseCsvTime(v('reported_at'));
        if (ms === null) err('reported_at', `reported_at must be ISO-8601 with an offset or 'YYYY-MM-DD HH:mm[:ss]'; got "${v('reported_at')}"`);
        else reportedAt = new Date(ms).toISOString();
      }
      if (v('category_code') === '') err('category_code', 'category_code is required');
      const limits: Array<[string, number]> = [
        ['title', 200],
        ['description', 4000],
        ['address', 300],
        ['reporter_name', 60],
        ['reporter_phone', 40],
        ['reporter_email', 200],
        ['external_id', 100],
        ['photo_url', 2000],
      ];
      for (const [name, max] of limits) if (v(name).length > max) err(name, `${name} is longer than ${max} characters`);
      if (errs.length) {
        result.errors.push(...errs);
        continue;
      }
      try {
        const reporter = { name: v('reporter_name') || undefined, phone: v('reporter_phone') || undefined, email: v('reporter_email') || undefined };
        const c = db.transaction(() =>
          insertCase(
            ctx,
            {
              source: source as CaseSource,
              categoryCode: v('category_code'),
              lon,
              lat,
              urgency: urgency!,
              title: v('title') || undefined,
              description: v('description'),
              address: v('address'),
              reporter: reporter.name || reporter.phone || reporter.email ? reporter : undefined,
              attachments: v('photo_url') ? [{ kind: 'photo', url: v('photo_url') }] : [],
              links: [],
              externalId: v('external_id') || undefined,
              reportedAt,
              actor: args.actor,
              role: args.role,
            },
            { ...call, transport: `${call.transport}:csv` },
            'row',
          ),
        )();
        created.push(c.row);
        result.ids.push(c.row.id);
        if (c.proposedMergeTarget) result.duplicates.push({ line: rec.line, caseId: c.proposedMergeTarget });
      } catch (e) {
        if (!(e instanceof ApiFailure)) throw e;
        const field = e.field?.replace(/^row\./, '') ?? '';
        result.errors.push({ line: rec.line, column: FIELD_COLUMN[field] ?? null, message: e.message.replace(/^row\.\w+: /, '') });
      }
    }
    if (args.dryRun || result.errors.length > 0) throw new Rollback();
  });
  try {
    run();
    result.imported = created.length;
    for (const row of created) emitCreated(ctx, row);
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    result.ids = [];
  }
  return result;
}

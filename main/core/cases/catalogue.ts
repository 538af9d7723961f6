/**
 * The category catalogue in the store (migration 002): read, edit with optimistic versions, add,
 * and the per-row history (who, when, the row after each change).
 */
import { ApiFailure } from '../../../shared/api/contract';
import type { CategoryClassRecord, CategoryRecord } from '../../../shared/api/catalogue';
import type { TimeLimit } from '../../../shared/domain/catalogue';
import { toShanghaiIso } from '../../../shared/time';
import type { Db } from '../db/store';
import { prep } from '../db/sql';

interface CategoryRow {
  code: string;
  class_code: string;
  name: string;
  name_en: string;
  department_code: string;
  limit_unit: 'work_hours' | 'work_days';
  limit_value: number;
  filing: string;
  closing: string;
  keywords: string;
  active: number;
  sort: number;
  updated_at: number;
  updated_by: string;
  version: number;
}

interface ClassRow {
  code: string;
  kind: 'component' | 'event';
  name: string;
  name_en: string;
  sort: number;
  active: number;
  updated_at: number;
  updated_by: string;
  version: number;
}

const toCategory = (r: CategoryRow): CategoryRecord => ({
  code: r.code,
  classCode: r.class_code,
  name: r.name,
  nameEn: r.name_en,
  departmentCode: r.department_code,
  limit: { unit: r.limit_unit, value: r.limit_value },
  filing: r.filing,
  closing: r.closing,
  keywords: r.keywords ? r.keywords.split(',').filter(Boolean) : [],
  active: r.active === 1,
  sort: r.sort,
  version: r.version,
  updatedAt: toShanghaiIso(r.updated_at),
  updatedBy: r.updated_by,
});

const toClass = (r: ClassRow): CategoryClassRecord => ({
  code: r.code,
  kind: r.kind,
  name: r.name,
  nameEn: r.name_en,
  sort: r.sort,
  active: r.active === 1,
  version: r.version,
  updatedAt: toShanghaiIso(r.updated_at),
  updatedBy: r.updated_by,
});

export function listCatalogue(db: Db, includeInactive: boolean): { classes: CategoryClassRecord[]; categories: CategoryRecord[] } {
  const where = includeInactive ? '' : 'WHERE active = 1';
  const classes = (prep(db, `SELECT * FROM category_classes ${where} ORDER BY sort, code`).all() as ClassRow[]).map(toClass);
  const categories = (prep(db, `SELECT * FROM categories ${where} ORDER BY class_code, sort, code`).all() as CategoryRow[]).map(toCategory);
  return { classes, categories };
}

export function getCategory(db: Db, code: string): CategoryRecord | null {
  const row = prep(db, 'SELECT * FROM categories WHERE code = ?').get(code) as CategoryRow | undefined;
  return row ? toCategory(row) : null;
}

export function getCategoryClass(db: Db, code: string): CategoryClassRecord | null {
  const row = prep(db, 'SELECT * FROM category_classes WHERE code = ?').get(code) as ClassRow | undefined;
  return row ? toClass(row) : null;
}

/** An active category or a validation error naming the field. */
export function requireActiveCategory(db: Db, code: string, field = 'input.categoryCode'): CategoryRecord {
  const cat = getCategory(db, code);
  if (!cat) throw new ApiFailure('validation', `${field}: no category with code ${code}`, field);
  if (!cat.active) throw new ApiFailure('validation', `${field}: category ${code} (${cat.name}) is no longer in use`, field);
  return cat;
}

const departmentExists = (db: Db, code: string): boolean => prep(db, 'SELECT 1 FROM departments WHERE code = ?').get(code) !== undefined;
const hasDepartments = (db: Db): boolean => prep(db, 'SELECT 1 FROM departments LIMIT 1').get() !== undefined;

function record(db: Db, code: string, version: number, at: number, actor: string, op: 'create' | 'update', note: string): void {
  const snapshot = toCategory(prep(db, 'SELECT * FROM categories WHERE code = ?').get(code) as CategoryRow);
  prep(db, "INSERT INTO catalogue_history(entity, code, version, at, actor, op, note, snapshot) VALUES ('category', ?, ?, ?, ?, ?, ?, ?)").run(
    code,
    version,
    at,
    actor,
    op,
    note,
    JSON.stringify(snapshot),
  );
}

export interface CategoryChanges {
  name?: string | undefined;
  nameEn?: string | undefined;
  departmentCode?: string | undefined;
  limit?: TimeLimit | undefined;
  filing?: string | undefined;
  closing?: string | undefined;
  keywords?: string[] | undefined;
  active?: boolean | undefined;
  sort?: number | undefined;
}

export function updateCategory(
  db: Db,
  args: { code: string; version: number; actor: string; note: string; changes: CategoryChanges },
  now: number,
): CategoryRecord {
  return db.transaction(() => {
    const cur = getCategory(db, args.code);
    if (!cur) throw new ApiFailure('not_found', `no category with code ${args.code}`, 'input.code');
    if (cur.version !== args.version) {
      throw new ApiFailure('conflict', `category ${args.code} is at version ${cur.version}, not ${args.version}: reload it and edit again`, 'input.version');
    }
    const c = args.changes;
    if (c.departmentCode !== undefined && hasDepartments(db) && !departmentExists(db, c.departmentCode)) {
      throw new ApiFailure('validation', `input.changes.departmentCode: no department with code ${c.departmentCode}`, 'input.changes.departmentCode');
    }
    const next = {
      name: c.name ?? cur.name,
      nameEn: c.nameEn ?? cur.nameEn,
      departmentCode: c.departmentCode ?? cur.departmentCode,
      limit: c.limit ?? cur.limit,
      filing: c.filing ?? cur.filing,
      closing: c.closing ?? cur.closing,
      keywords: c.keywords ?? cur.keywords,
      active: c.active ?? cur.active,
      sort: c.sort ?? cur.sort,
    };
    const version = cur.version + 1;
    prep(
      db,
      `UPDATE categories SET name = ?, name_en = ?, department_code = ?, limit_unit = ?, limit_value = ?, filing = ?, closing = ?,
         keywords = ?, active = ?, sort = ?, updated_at = ?, updated_by = ?, version = ? WHERE code = ? AND version = ?`,
    ).run(
      next.name,
      next.nameEn,
      next.departmentCode,
      next.limit.unit,
      next.limit.value,
      next.filing,
      next.closing,
      next.keywords.join(','),
      next.active ? 1 : 0,
      next.sort,
      now,
      args.actor,
      version,
      args.code,
      cur.version,
    );
    record(db, args.code, version, now, args.actor, 'update', args.note);
    return getCategory(db, args.code)!;
  })();
}

export function createCategory(
  db: Db,
  args: {
    code: string;
    classCode: string;
    name: string;
    nameEn: string;
    departmentCode: string;
    limit: TimeLimit;
    filing: string;
    closing: string;
    keywords: string[];
    active: boolean;
    sort?: number | undefined;
    actor: string;
    note: string;
  },
  now: number,
): CategoryRecord {
  return db.transaction(() => {
    const cls = getCategoryClass(db, args.classCode);
    if (!cls) throw new ApiFailure('validation', `input.classCode: no class with code ${args.classCode}`, 'input.classCode');
    if (!args.code.startsWith(args.classCode)) {
      throw new ApiFailure('validation', `input.code: a subcategory code starts with its class code ${args.classCode}`, 'input.code');
    }
    if (getCategory(db, args.code)) throw new ApiFailure('conflict', `a category with code ${args.code} already exists`, 'input.code');
    if (hasDepartments(db) && !departmentExists(db, args.departmentCode)) {
      throw new ApiFailure('validation', `input.departmentCode: no department with code ${args.departmentCode}`, 'input.departmentCode');
    }
    const sort = args.sort ?? ((prep(db, 'SELECT COALESCE(MAX(sort), -1) + 1 FROM categories').pluck().get() as number) ?? 0);
    prep(
      db,
      `INSERT INTO categories(code, class_code, name, name_en, department_code, limit_unit, limit_value, filing, closing, keywords, active, sort, updated_at, updated_by, version)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
    ).run(
      args.code,
      args.classCode,
      args.name,
      args.nameEn,
      args.departmentCode,
      args.limit.unit,
      args.limit.value,
      args.filing,
      args.closing,
      args.keywords.join(','),
      args.active ? 1 : 0,
      sort,
      now,
      args.actor,
    );
    record(db, args.code, 1, now, args.actor, 'create', args.note);
    return getCategory(db, args.code)!;
  })();
}

export function categoryHistory(
  db: Db,
  code: string,
): Array<{ version: number; at: string; actor: string; op: 'seed' | 'create' | 'update'; note: string; snapshot: Record<string, unknown> }> {
  if (!getCategory(db, code)) throw new ApiFailure('not_found', `no category with code ${code}`, 'input.code');
  const rows = prep(db, "SELECT version, at, actor, op, note, snapshot FROM catalogue_history WHERE entity = 'category' AND code = ? ORDER BY version").all(code) as Array<{
    version: number;
    at: number;
    actor: string;
    op: 'seed' | 'create' | 'update';
    note: string;
    snapshot: string;
  }>;
  return rows.map((r) => ({ version: r.version, at: toShanghaiIso(r.at), actor: r.actor, op: r.op, note: r.note, snapshot: JSON.parse(r.snapshot) as Record<string, unknown> }));
}

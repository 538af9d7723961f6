/**
 * The indicator models in the store: every revision kept whole, with who changed what and when.
 * Results (consult_runs) name the revision they were computed with, so an old day's figures can be
 * shown, and recomputed, exactly as they were.
 */
import { ApiFailure } from '../../../shared/api/contract';
import { DEFAULT_MODELS, diffModels, MODEL_FORMAT, ModelFormatError, parseModelConfig, type ModelChange, type ModelConfig } from '../../../shared/domain/indicators';
import { toShanghaiIso } from '../../../shared/time';
import type { ModelRevision, ModelSummary } from '../../../shared/api/consult';
import type { Db } from '../db/store';
import { z } from 'zod';

export interface StoredModel {
  config: ModelConfig;
  revision: number;
  changedBy: string;
  changedAt: number;
}

interface RevisionRow {
  model_id: string;
  revision: number;
  format: number;
  config: string;
  changed_by: string;
  changed_at: number;
  note: string;
  changes: string;
}

/** Insert the shipped models that the store does not have yet (revision 1, by 'system'). */
export function ensureDefaultModels(db: Db, now: number): string[] {
  const have = new Set((db.prepare('SELECT id FROM consult_models').pluck().all() as string[]));
  const added: string[] = [];
  const insert = db.transaction(() => {
    DEFAULT_MODELS.forEach((m, position) => {
      if (have.has(m.id)) return;
      db.prepare('INSERT INTO consult_models(id, current_revision, position, updated_at) VALUES (?, 1, ?, ?)').run(m.id, position, now);
      db.prepare(
        `INSERT INTO consult_model_revisions(model_id, revision, format, config, changed_by, changed_at, note, changes)
         VALUES (?, 1, ?, ?, 'system', ?, '出厂模型', '[]')`,
      ).run(m.id, MODEL_FORMAT, JSON.stringify(m), now);
      added.push(m.id);
    });
  });
  insert();
  return added;
}

const revisionCache = new WeakMap<Db, Map<string, StoredModel>>();

function fromRow(r: RevisionRow): StoredModel {
  return { config: parseModelConfig(JSON.parse(r.config)), revision: r.revision, changedBy: r.changed_by, changedAt: r.changed_at };
}

/** A model at a revision (default: its current one). Revisions never change, so they are cached. */
export function getModel(db: Db, id: string, revision?: number): StoredModel {
  const rev = revision ?? (db.prepare('SELECT current_revision FROM consult_models WHERE id = ?').pluck().get(id) as number | undefined);
  if (rev === undefined) throw new ApiFailure('not_found', `no indicator model ${id}`, 'input.id');
  let cache = revisionCache.get(db);
  if (!cache) {
    cache = new Map();
    revisionCache.set(db, cache);
  }
  const key = `${id}@${rev}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = db.prepare('SELECT * FROM consult_model_revisions WHERE model_id = ? AND revision = ?').get(id, rev) as RevisionRow | undefined;
  if (!row) throw new ApiFailure('not_found', `model ${id} has no revision ${rev}`, 'input.revision');
  const model = fromRow(row);
  cache.set(key, model);
  return model;
}

export function currentRevision(db: Db, id: string): number {
  const rev = db.prepare('SELECT current_revision FROM consult_models WHERE id = ?').pluck().get(id) as number | undefined;
  if (rev === undefined) throw new ApiFailure('not_found', `no indicator model ${id}`, 'input.id');
  return rev;
}

/** Every model at its current revision, in display order. */
export function listModels(db: Db): StoredModel[] {
  const ids = db.prepare('SELECT id FROM consult_models ORDER BY position, id').pluck().all() as string[];
  return ids.map((id) => getModel(db, id));
}

export function summarise(m: StoredModel): ModelSummary {
  const c = m.config;
  return {
    id: c.id,
    name: c.name,
    nameEn: c.nameEn,
    description: c.description,
    kind: c.kind,
    primary: c.primary,
    revision: m.revision,
    updatedAt: toShanghaiIso(m.changedAt),
    updatedBy: m.changedBy,
    indicatorCount: c.indicators.length,
    thresholds: [...c.levels.thresholds],
    index: c.index ? { id: c.index.id, name: c.index.name, nameEn: c.index.nameEn, order: c.index.order } : null,
    basedOn: c.precision?.basedOn ?? null,
  };
}

export function history(db: Db, id: string): ModelRevision[] {
  currentRevision(db, id);
  const rows = db.prepare('SELECT * FROM consult_model_revisions WHERE model_id = ? ORDER BY revision DESC').all(id) as RevisionRow[];
  return rows.map(toRevision);
}

export function toRevision(r: RevisionRow): ModelRevision {
  return {
    modelId: r.model_id,
    revision: r.revision,
    changedBy: r.changed_by,
    changedAt: toShanghaiIso(r.changed_at),
    note: r.note,
    changes: JSON.parse(r.changes) as ModelChange[],
  };
}

export function revisionInfo(db: Db, id: string, revision: number): ModelRevision {
  const row = db.prepare('SELECT * FROM consult_model_revisions WHERE model_id = ? AND revision = ?').get(id, revision) as RevisionRow | undefined;
  if (!row) throw new ApiFailure('not_found', `model ${id} has no revision ${revision}`, 'input.revision');
  return toRevision(row);
}

/**
 * Save a new revision. The config may be of any known format (it is migrated); its id must match;
 * `baseRevision` must be the current one (optimistic concurrency); a config that changes nothing
 * is refused. Cross-model rules: one primary model, index ids unique, precision models based on an
 * existing risk model.
 */
export function updateModel(db: Db, args: { id: string; baseRevision: number; config: unknown; actor: string; note: string; now: number }): ModelRevision {
  let config: ModelConfig;
  try {
    config = parseModelConfig(args.config);
  } catch (err) {
    if (err instanceof z.ZodError) {
      const issue = err.issues[0];
      const path = issue ? ['input', 'config', ...issue.path.map(String)].join('.') : 'input.config';
      throw new ApiFailure('validation', `${path}: ${issue?.message ?? 'invalid'}`, path);
    }
    if (err instanceof ModelFormatError) throw new ApiFailure('validation', err.message, 'input.config.format');
    throw err;
  }
  if (config.id !== args.id) throw new ApiFailure('validation', `the config is of model ${config.id}, not ${args.id}`, 'input.config.id');
  const run = db.transaction((): ModelRevision => {
    const current = getModel(db, args.id);
    if (current.revision !== args.baseRevision)
      throw new ApiFailure('conflict', `model ${args.id} is at revision ${current.revision}, not ${args.baseRevision}: reload and apply the change again`);
    const changes = diffModels(current.config, config);
    if (changes.length === 0) throw new ApiFailure('validation', 'the config changes nothing', 'input.config');
    const others = listModels(db).filter((m) => m.config.id !== args.id);
    if (config.primary && others.some((m) => m.config.primary)) throw new ApiFailure('validation', 'another model is already the primary one', 'input.config.primary');
    if (config.index && others.some((m) => m.config.index?.id === config.index?.id))
      throw new ApiFailure('validation', `index id ${config.index.id} is used by another model`, 'input.config.index.id');
    if (config.kind === 'precision') {
      const based = others.find((m) => m.config.id === config.precision?.basedOn);
      if (!based || based.config.kind !== 'risk') throw new ApiFailure('validation', 'a precision model must be based on an existing risk model', 'input.config.precision.basedOn');
    }
    if (config.kind !== 'risk' && others.some((m) => m.config.precision?.basedOn === args.id))
      throw new ApiFailure('validation', 'precision models are based on this model: it must stay a risk model', 'input.config.kind');
    const revision = current.revision + 1;
    db.prepare(
      `INSERT INTO consult_model_revisions(model_id, revision, format, config, changed_by, changed_at, note, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(args.id, revision, MODEL_FORMAT, JSON.stringify(config), args.actor, args.now, args.note, JSON.stringify(changes));
    db.prepare('UPDATE consult_models SET current_revision = ?, updated_at = ?, version = version + 1 WHERE id = ?').run(revision, args.now, args.id);
    return revisionInfo(db, args.id, revision);
  });
  return run.immediate();
}

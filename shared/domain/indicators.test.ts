import { describe, expect, it } from 'vitest';
import fixtureV1 from './fixtures/indicator-model.v1.json';
import {
  DEFAULT_MODELS,
  diffModels,
  MODEL_FORMAT,
  MODEL_FORMAT_MIGRATIONS,
  ModelFormatError,
  modelConfigSchema,
  parseModelConfig,
  type ModelConfig,
} from './indicators';

const clone = (m: ModelConfig): ModelConfig => JSON.parse(JSON.stringify(m)) as ModelConfig;

describe('indicator model configs', () => {
  it('ship the five-colour models of the issue, six of them with a safety index', () => {
    const names = DEFAULT_MODELS.map((m) => m.name);
    for (const n of ['综合风险', '矛盾风险', '生产安全', '消防安全', '治安警情']) expect(names).toContain(n);
    const indices = DEFAULT_MODELS.filter((m) => m.index);
    expect(indices).toHaveLength(6);
    expect(new Set(indices.map((m) => m.index!.id)).size).toBe(6);
    expect(DEFAULT_MODELS.filter((m) => m.primary).map((m) => m.id)).toEqual(['composite']);
    const composite = DEFAULT_MODELS.find((m) => m.id === 'composite')!;
    expect(composite.indicators).toHaveLength(6);
    const precision = DEFAULT_MODELS.filter((m) => m.kind === 'precision');
    expect(precision).toHaveLength(1);
    expect(precision[0]!.precision!.basedOn).toBe('composite');
  });

  it('read every fixture format up to the current one (one fixture per format)', () => {
    const fixtures: Record<number, unknown> = { 1: fixtureV1 };
    for (let v = 1; v <= MODEL_FORMAT; v++) {
      expect(fixtures[v], `a fixture for model format ${v}`).toBeDefined();
      const m = parseModelConfig(fixtures[v]);
      expect(m.format).toBe(MODEL_FORMAT);
      expect(m.id).toBe('fire_v1_fixture');
      expect(m.indicators.map((i) => i.id)).toEqual(['fires', 'fire_lanes', 'ebike', 'hydrants', 'smoke']);
    }
    // A migration exists for every format before the current one.
    for (let v = 1; v < MODEL_FORMAT; v++) expect(MODEL_FORMAT_MIGRATIONS[v]).toBeTypeOf('function');
  });

  it('fill defaults in a minimal document', () => {
    const m = parseModelConfig({
      format: 1,
      id: 'minimal',
      name: '最小模型',
      indicators: [{ id: 'x', name: 'X', domain: 'general', source: { kind: 'overdue_cases' }, normalise: { method: { kind: 'minmax' } }, weight: 1 }],
      levels: { thresholds: [10, 20, 30, 40] },
      rollup: {},
    });
    expect(m).toMatchObject({ kind: 'risk', primary: false, rollup: { weightBy: 'population' } });
    expect(m.indicators[0]).toMatchObject({ direction: 'increases', normalise: { per: 'grid', unit: 1 } });
  });

  it('refuse documents of an unknown or newer format, and bad structure', () => {
    expect(() => parseModelConfig({ ...fixtureV1, format: MODEL_FORMAT + 1 })).toThrowError(ModelFormatError);
    expect(() => parseModelConfig({ ...fixtureV1, format: undefined })).toThrowError(/format/);
    expect(() => parseModelConfig([])).toThrowError(ModelFormatError);
    const bad = clone(DEFAULT_MODELS[0]!);
    bad.levels.thresholds = [20, 10, 30, 40];
    expect(modelConfigSchema.safeParse(bad).success).toBe(false);
    const dup = clone(DEFAULT_MODELS[0]!);
    dup.indicators[1]!.id = dup.indicators[0]!.id;
    expect(modelConfigSchema.safeParse(dup).error?.issues[0]?.message).toMatch(/duplicate/);
    const steps = clone(DEFAULT_MODELS[0]!);
    steps.indicators[1]!.normalise.method = { kind: 'thresholds', breaks: [1, 2], scores: [0, 1] };
    expect(modelConfigSchema.safeParse(steps).success).toBe(false);
    const zero = clone(DEFAULT_MODELS[0]!);
    for (const i of zero.indicators) i.weight = 0;
    expect(modelConfigSchema.safeParse(zero).success).toBe(false);
    // Sources are a fixed set of kinds: no SQL goes through.
    const sql = { ...clone(DEFAULT_MODELS[0]!), indicators: [{ ...DEFAULT_MODELS[0]!.indicators[0]!, source: { kind: 'sql', query: 'DROP TABLE cases' } }] };
    expect(modelConfigSchema.safeParse(sql).success).toBe(false);
    const codes = clone(DEFAULT_MODELS[0]!);
    codes.indicators[0]!.source = { kind: 'case_count', windowHours: 24, event: 'reported', categoryCodes: ["0101') OR 1=1 --"] };
    expect(modelConfigSchema.safeParse(codes).success).toBe(false);
  });

  it('describe a revision as the weights and thresholds that changed, indicators named by id', () => {
    const before = clone(DEFAULT_MODELS[0]!);
    const after = clone(before);
    after.indicators[2]!.weight = 12;
    after.levels.thresholds = [15, 20, 30, 40];
    after.indicators.reverse();
    expect(diffModels(before, after)).toEqual([
      { path: 'indicators[supervised].weight', from: 10, to: 12 },
      { path: 'levels.thresholds', from: [10, 20, 30, 40], to: [15, 20, 30, 40] },
    ]);
    const removed = clone(before);
    removed.indicators.pop();
    expect(diffModels(before, removed)).toEqual([{ path: 'indicators[warnings]', from: before.indicators[5], to: null }]);
    expect(diffModels(before, clone(before))).toEqual([]);
  });
});

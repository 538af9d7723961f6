import { z } from 'zod';
import { defineMethod } from './contract';
import { areaLevelSchema, areaSchema, idSchema } from '../domain/model';

export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.string(),
      properties: z.object({
        id: z.string(),
        name: z.string(),
        code: z.string(),
        level: areaLevelSchema,
        parentId: z.string().nullable(),
        riskLevel: z.number().int(),
      }),
      geometry: z.object({
        type: z.enum(['Polygon', 'MultiPolygon']),
        // Validated structurally in the core when stored; large, so not re-parsed per call.
        coordinates: z.array(z.unknown()),
      }),
    }),
  ),
});
export type AreaFeatureCollection = z.infer<typeof featureCollectionSchema>;

export const areaMethods = {
  'areas.list': defineMethod({
    summary: 'Areas without geometry, filtered by level and/or parent.',
    input: z
      .object({
        level: areaLevelSchema.optional(),
        parentId: idSchema.optional(),
        limit: z.number().int().min(1).max(50_000).default(5_000),
      })
      .strict(),
    output: z.array(areaSchema),
  }),
  'areas.get': defineMethod({
    summary: 'One area with its ancestors (for breadcrumbs).',
    input: z.object({ id: idSchema }).strict(),
    output: z.object({ area: areaSchema, ancestors: z.array(areaSchema) }),
  }),
  'areas.geometry': defineMethod({
    summary: 'GeoJSON boundaries of the areas of one level, optionally under one parent (any depth).',
    input: z.object({ level: areaLevelSchema, within: idSchema.optional() }).strict(),
    output: featureCollectionSchema,
  }),
  'areas.locate': defineMethod({
    summary: 'Resolve a point to the grid that contains it and every level above it.',
    input: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict(),
    output: z.object({ chain: z.array(areaSchema) }),
  }),
} as const;

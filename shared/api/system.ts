import { z } from 'zod';
import { defineEvent, defineMethod } from './contract';
import { isoTimeSchema, modeSchema } from '../domain/model';

export const systemMethods = {
  'system.health': defineMethod({
    summary: 'Liveness of the core: version, schema version, start time.',
    input: z.object({}).strict(),
    output: z.object({
      version: z.string(),
      schemaVersion: z.number().int(),
      startedAt: isoTimeSchema,
      host: z.enum(['http', 'electron', 'test']),
    }),
  }),
  'system.info': defineMethod({
    summary: 'What the wall header shows: centre name, mode, demo data set, counts, last data change.',
    input: z.object({}).strict(),
    output: z.object({
      centreName: z.string(),
      centreNameEn: z.string(),
      mode: modeSchema,
      modeSince: isoTimeSchema,
      demo: z.string().nullable(),
      rootAreaId: z.string().nullable(),
      lastChangeAt: isoTimeSchema.nullable(),
      counts: z.object({
        areas: z.number().int(),
        grids: z.number().int(),
        cases: z.number().int(),
        cameras: z.number().int(),
        sensors: z.number().int(),
        staff: z.number().int(),
        departments: z.number().int(),
      }),
    }),
  }),
  'system.setMode': defineMethod({
    summary: 'Switch between normal (平时) and emergency (战时) mode; every attached wall and seat follows.',
    mutates: true,
    input: z.object({ mode: modeSchema, actor: z.string().min(1).max(60), reason: z.string().max(500).default('') }).strict(),
    output: z.object({ mode: modeSchema, modeSince: isoTimeSchema }),
  }),
} as const;

export const systemEvents = {
  'system.mode': defineEvent({
    summary: 'The mode changed.',
    payload: z.object({ mode: modeSchema, modeSince: isoTimeSchema, actor: z.string() }),
  }),
  'system.heartbeat': defineEvent({
    summary: 'Sent every few seconds so clients can show connection and data freshness.',
    payload: z.object({ at: isoTimeSchema, lastChangeAt: isoTimeSchema.nullable(), clients: z.number().int() }),
  }),
} as const;

import { z } from 'zod';
import { defineMethod } from './contract';
import { departmentSchema, idSchema, sensorSchema, staffSchema, unitSchema } from '../domain/model';

const bboxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]);

export const resourceMethods = {
  'departments.list': defineMethod({
    summary: 'Departments (公安, 城管执法, …) and their units.',
    input: z.object({}).strict(),
    output: z.object({ departments: z.array(departmentSchema), units: z.array(unitSchema) }),
  }),
  'sensors.list': defineMethod({
    summary: 'IoT sensors, optionally inside a bounding box or an area.',
    input: z
      .object({ bbox: bboxSchema.optional(), areaId: idSchema.optional(), limit: z.number().int().min(1).max(50_000).default(20_000) })
      .strict(),
    output: z.array(sensorSchema),
  }),
  'staff.list': defineMethod({
    summary: 'Field staff with their last known positions, optionally within an area.',
    input: z.object({ areaId: idSchema.optional(), onDuty: z.boolean().optional(), limit: z.number().int().min(1).max(50_000).default(5_000) }).strict(),
    output: z.array(staffSchema),
  }),
} as const;

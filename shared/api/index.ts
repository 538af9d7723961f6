/**
 * The whole API contract: every method and pushed event of CityOps Wall.
 * Each capability declares its part in its own file; this file only assembles them.
 * docs/API.md is generated from here (`npm run docs:api`) and checked by a test.
 */
import type { z } from 'zod';
import { areaMethods } from './areas';
import { caseEvents, caseMethods } from './cases';
import { catalogueMethods } from './catalogue';
import { consultEvents, consultMethods } from './consult';
import type { EventDef, MethodDef, Result } from './contract';
import { evaluationMethods } from './evaluation';
import { mapEvents, mapMethods } from './map';
import { monitoringEvents, monitoringMethods, warningEvents, warningMethods } from './monitoring';
import { resourceMethods } from './resources';
import { systemEvents, systemMethods } from './system';
import { workflowMethods } from './workflow';
import { videoEvents, videoMethods } from './video';

export const methods = {
  ...systemMethods,
  ...areaMethods,
  ...resourceMethods,
  ...caseMethods,
  ...workflowMethods,
  ...catalogueMethods,
  ...evaluationMethods,
  ...consultMethods,
  ...videoMethods,
  ...monitoringMethods,
  ...warningMethods,
  ...mapMethods,
} as const satisfies Record<string, MethodDef>;

export const events = {
  ...systemEvents,
  ...caseEvents,
  ...consultEvents,
  ...videoEvents,
  ...monitoringEvents,
  ...warningEvents,
  ...mapEvents,
} as const satisfies Record<string, EventDef>;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodInput<M extends MethodName> = z.input<Methods[M]['input']>;
export type MethodParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Methods[M]['output']>;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const isMethodName = (name: string): name is MethodName => Object.prototype.hasOwnProperty.call(methods, name);
export const isEventName = (name: string): name is EventName => Object.prototype.hasOwnProperty.call(events, name);

/** What a renderer holds, whatever the transport (Electron IPC or WebSocket). */
export interface ApiClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** A pushed event as it travels over any transport. */
export interface EventMessage {
  event: string;
  payload: unknown;
}

export * from './contract';

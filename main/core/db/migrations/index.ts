import { migration001 } from './001_foundation';
import type { Migration } from './types';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration001];

export type { Migration } from './types';

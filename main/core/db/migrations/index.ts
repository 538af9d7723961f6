import { migration001 } from './001_foundation';
import { migration002 } from './002_closed_loop';
import { migration003 } from './003_monitoring';
import { migration004 } from './004_video';
import { migration005 } from './005_consult';
import { migration006 } from './006_map';
import { migration007 } from './007_case_text';
import type { Migration } from './types';

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

export type { Migration } from './types';

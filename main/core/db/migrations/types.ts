import type Database from 'better-sqlite3';

export interface Migration {
  /** 1, 2, 3…: applied in order, recorded in PRAGMA user_version. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

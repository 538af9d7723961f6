import type { Migration } from './types';

/**
 * Case text search (issue 3, "free-text search over all cases"): an FTS5 index of the character
 * bigrams of every case's number, title and address (see main/core/db/text.ts), contentless
 * (the text stays in `cases`), rowids only (detail=none): a search narrows to the rows holding all
 * bigrams of the searched string and checks the exact substring on those. Kept by triggers that
 * call cityops_bigrams(), which the store registers on every connection that writes.
 */
export const migration007: Migration = {
  version: 7,
  name: 'case_text',
  up(db) {
    db.exec(`
CREATE VIRTUAL TABLE case_text USING fts5(grams, content='', contentless_delete=1, detail='none', tokenize='unicode61 remove_diacritics 0');
INSERT INTO case_text(rowid, grams) SELECT rid, cityops_bigrams(code, title, address) FROM cases;
CREATE TRIGGER case_text_ai AFTER INSERT ON cases BEGIN
  INSERT INTO case_text(rowid, grams) VALUES (new.rid, cityops_bigrams(new.code, new.title, new.address));
END;
CREATE TRIGGER case_text_au AFTER UPDATE OF code, title, address ON cases BEGIN
  DELETE FROM case_text WHERE rowid = old.rid;
  INSERT INTO case_text(rowid, grams) VALUES (new.rid, cityops_bigrams(new.code, new.title, new.address));
END;
CREATE TRIGGER case_text_ad AFTER DELETE ON cases BEGIN
  DELETE FROM case_text WHERE rowid = old.rid;
END;
`);
  },
};

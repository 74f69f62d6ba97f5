-- The floor: the bare catalog read any SQLite introspector must do, as one statement.
-- Schema text of every object, every column (table_xinfo), every foreign key, and every
-- index with its columns.  tools/bench/run.sh runs it with the sqlite3 CLI, output discarded.
SELECT 'o', m.type, m.name, m.tbl_name, m.sql, NULL, NULL, NULL
  FROM sqlite_master AS m
UNION ALL
SELECT 'c', m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk
  FROM sqlite_master AS m, pragma_table_xinfo(m.name) AS c
 WHERE m.type = 'table'
UNION ALL
SELECT 'f', m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update || ' ' || f.on_delete
  FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
 WHERE m.type = 'table'
UNION ALL
SELECT 'i', m.name, il.name, il."unique", il.origin, il.partial, ix.seqno,
       coalesce(ix.name, '') || ' ' || ix."desc" || ' ' || coalesce(ix.coll, '')
  FROM sqlite_master AS m, pragma_index_list(m.name) AS il, pragma_index_xinfo(il.name) AS ix
 WHERE m.type = 'table' AND ix.key;

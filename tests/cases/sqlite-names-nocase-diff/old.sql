-- SQLite matches names whatever the case of their ASCII letters: this
-- database's dataset/Name/ix_Name are the target's Dataset/name/IX_NAME.
CREATE TABLE dataset (id INTEGER PRIMARY KEY, Name TEXT);
CREATE INDEX ix_Name ON dataset (name);
CREATE TABLE child (x INTEGER REFERENCES DataSet (ID));
CREATE VIEW Child_View AS SELECT x FROM child;
INSERT INTO dataset VALUES (1, 'a');
INSERT INTO child VALUES (1);

-- Foreign keys and the names of their referenced columns: to tables read
-- (named from the columns read: attnum gaps after a dropped column, key
-- order unlike column order, a partitioned table) and to tables not read
-- (named by the server: another schema, a partition, alembic_version).
CREATE SCHEMA ext;
CREATE TABLE ext.target (a int, b text, c int, PRIMARY KEY (a, b), UNIQUE (c, a));
CREATE TABLE gap (x int, dropme int, y int, z int, UNIQUE (z, x));
ALTER TABLE gap DROP COLUMN dropme;
CREATE TABLE parted (k int PRIMARY KEY, v int) PARTITION BY RANGE (k);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE src (
	a int,
	b text,
	c int,
	z int,
	x int,
	k int,
	ver varchar(32),
	CONSTRAINT src_ext_fk FOREIGN KEY (b, a) REFERENCES ext.target (b, a),
	CONSTRAINT src_ext_c_fk FOREIGN KEY (c, a) REFERENCES ext.target (c, a),
	CONSTRAINT src_gap_fk FOREIGN KEY (x, z) REFERENCES gap (x, z),
	CONSTRAINT src_self_fk FOREIGN KEY (z) REFERENCES src (k),
	CONSTRAINT src_parted_fk FOREIGN KEY (k) REFERENCES parted (k),
	CONSTRAINT src_part1_fk FOREIGN KEY (k) REFERENCES parted_1 (k),
	CONSTRAINT src_ver_fk FOREIGN KEY (ver) REFERENCES alembic_version (version_num),
	UNIQUE (k)
);

CREATE TABLE item (id integer PRIMARY KEY, label text NOT NULL, flag date);
CREATE INDEX item_label ON item (label);
CREATE TABLE extra (id integer PRIMARY KEY, item_id integer REFERENCES item (id));

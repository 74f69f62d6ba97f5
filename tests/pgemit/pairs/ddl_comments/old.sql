-- a schema whose DDL carries comments in awkward places
CREATE TABLE /* the table */ note (
    id INTEGER NOT NULL, -- the key
    /* a block comment between columns, with a comma, and (parentheses) */
    title VARCHAR(64) NOT NULL,
    body TEXT, -- free text; not "quoted"
    PRIMARY KEY (id) -- trailing
);
INSERT INTO note VALUES (1, 'todo', 'buy milk');
INSERT INTO note VALUES (2, '-- not a comment', '/* not a comment */');

CREATE TABLE account (
    id INTEGER NOT NULL,
    code VARCHAR(16) NOT NULL CONSTRAINT ck_account_code CHECK (length(code) >= 3) CONSTRAINT uq_account_code UNIQUE,
    region VARCHAR(8) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT ck_account_region CHECK (region IN ('eu', 'us')),
    CONSTRAINT uq_account_region_code UNIQUE (region, code)
);
INSERT INTO account VALUES (1, 'abc', 'eu');
INSERT INTO account VALUES (2, 'xyz', 'us');

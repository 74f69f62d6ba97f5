CREATE TABLE account (
    id INTEGER NOT NULL,
    code VARCHAR(16) NOT NULL,
    region VARCHAR(8) NOT NULL,
    balance NUMERIC(12, 2),
    PRIMARY KEY (id),
    CONSTRAINT ck_account_code CHECK (length(code) >= 3),
    CONSTRAINT uq_account_code UNIQUE (code),
    CONSTRAINT ck_account_region CHECK (region IN ('eu', 'us')),
    CONSTRAINT uq_account_region_code UNIQUE (region, code)
);

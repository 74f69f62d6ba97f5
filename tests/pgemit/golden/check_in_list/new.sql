-- CHECK constraints with IN lists on varchar columns, which PostgreSQL deparses
-- with casts (and deparses differently again when that text is created anew):
-- only the list that really changes ('asia' added) is a change
CREATE TABLE account (
    id integer PRIMARY KEY,
    region varchar(8) NOT NULL,
    status varchar(10) NOT NULL,
    tier text,
    CONSTRAINT ck_account_region CHECK (region IN ('eu', 'us', 'asia')),
    CONSTRAINT ck_account_status CHECK (status NOT IN ('closed', 'banned')),
    CONSTRAINT ck_account_tier CHECK (tier IN ('gold', 'silver'))
);

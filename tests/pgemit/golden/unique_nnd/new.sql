CREATE TABLE account (
    id integer NOT NULL,
    email text,
    region text,
    CONSTRAINT account_pkey PRIMARY KEY (id),
    CONSTRAINT account_email_key UNIQUE NULLS NOT DISTINCT (email),
    CONSTRAINT account_region_key UNIQUE (region)
);
CREATE TABLE team (
    id integer NOT NULL,
    code text,
    lead_email text,
    CONSTRAINT team_pkey PRIMARY KEY (id),
    CONSTRAINT team_code_key UNIQUE NULLS NOT DISTINCT (code),
    CONSTRAINT team_lead_key UNIQUE (lead_email)
);

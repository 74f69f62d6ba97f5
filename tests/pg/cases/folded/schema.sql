-- Names written unquoted in DDL are folded to lower case by the server;
-- quoted ones keep their case.  The equal* files describe this database
-- with "names": "sql" (names as the DDL writes them), the differ* files
-- do not fold and must show differences.
CREATE TABLE Dataset (
	ID integer PRIMARY KEY,
	Run_Name varchar(64) NOT NULL,
	"Mixed Case" text
);
CREATE TABLE "Collection" (
	Dataset_ID integer REFERENCES Dataset (ID),
	"Key" text UNIQUE
);
CREATE INDEX Dataset_Run_Idx ON Dataset (Run_Name, "Mixed Case");
CREATE SEQUENCE Counter_Seq;
CREATE TYPE Run_State AS ENUM ('new', 'Done');
CREATE VIEW Dataset_View AS SELECT ID FROM Dataset;
CREATE SEQUENCE Owned_Seq OWNED BY Dataset.Run_Name;

/*
 * versions.h - what the revision-state commands share (verify, stamp,
 * identify, current, heads, history, branches): the versions directory,
 * schema snapshots, identification of a live schema, and revisions
 * formatted the way Alembic 1.8's command.py prints them.
 */
#ifndef SCHEMADIFF_CLI_VERSIONS_H
#define SCHEMADIFF_CLI_VERSIONS_H

#include "cli.h"
#include "schemadiff/compare.h"
#include "schemadiff/revision.h"

/* Where the revision-state commands find the versions directories. */
typedef struct sd_cli_versions_opts {
	sd_strlist versions;     /* --versions DIR, repeatable */
	const char *config;      /* -c/--config FILE (Alembic's) */
	const char *name;        /* -n/--name SECTION (Alembic's; default "alembic") */
	sd_strlist schemas;      /* --schema NAME: what the live database is read with */
	sd_introspect_opts iopts; /* set from schemas by sd_cli_versions_load */
} sd_cli_versions_opts;

/* --schema for the commands that read a live database (verify, identify, current, stamp). */
#define SD_CLI_SCHEMA_OPTION(o)                                                               \
	{ SD_OPT_LIST, 0, "schema", "NAME", &(o)->schemas,                                    \
	  "Database schema (namespace) to read; repeatable" }

#define SD_CLI_VERSIONS_OPTIONS(o)                                                            \
	{ SD_OPT_LIST, 0, "versions", "DIR", &(o)->versions,                                  \
	  "Versions directory (default: from the Alembic config file); repeatable" },         \
	{ SD_OPT_STRING, 'c', "config", "FILE", &(o)->config,                                 \
	  "Alembic config file (default: ./alembic.ini when present)" },                      \
	{ SD_OPT_STRING, 'n', "name", "NAME", &(o)->name,                                     \
	  "Section of the config file to read, as alembic -n (default: alembic)" }

/*
 * The versions directories: --versions, else those of the config file's
 * section (-c FILE, else ./alembic.ini; -n NAME, else [alembic]; *cfg is
 * then set; caller frees with sd_alembic_config_free).  When g is not NULL
 * the revision graph of those directories is loaded into *g too.
 */
int sd_cli_versions_load(sd_cli_versions_opts *vo, sd_alembic_config **cfg,
			 const char *const **dirs, size_t *ndirs, sd_revgraph **g, sd_error *err);

/* "<dir>/<rev>.schema.json": where `revision` writes rev's snapshot. */
void sd_cli_snapshot_path(sd_str *out, const char *dir, const char *rev);

/*
 * The snapshot written with a new revision file (cmd_revision.c):
 * sd_cli_snapshot_prepare sets target's dialect to d's name when the
 * target does not state one (so the snapshot file normalises as the
 * revision was compared), puts "<dir of rev_path>/<rev_id>.schema.json"
 * into snap_path and the target's fingerprint into fp; it refuses
 * (SD_EEXISTS) when the snapshot exists.  sd_cli_write_revision_pair then
 * writes the snapshot and the revision file, each atomically and never over
 * an existing file: both or neither (the snapshot is removed again when the
 * revision file cannot be written).
 */
int sd_cli_snapshot_prepare(sd_schema *target, const struct sd_dialect *d, const char *rev_path,
			    const char *rev_id, sd_str *snap_path, char *fp, size_t fpsize,
			    sd_error *err);
int sd_cli_write_revision_pair(const char *rev_path, const sd_str *rev_text, const char *snap_path,
			       const sd_schema *target, sd_error *err);

/* The first existing snapshot of rev in dirs, malloc'd, or NULL. */
char *sd_cli_find_snapshot(const char *const *dirs, size_t ndirs, const char *rev);

/*
 * Which snapshots in dirs (every *.schema.json, sorted by revision id) the
 * live schema matches: each exact match's revision id goes to *matches
 * (malloc'd strings), and when there is none *closest is the revision
 * whose snapshot is nearest by number of upgrade ops (*closest_ops), or
 * NULL when there are no snapshots.  A snapshot that cannot be loaded is an
 * error.  *nsnapshots counts the snapshots seen.
 */
typedef struct sd_identify_result {
	sd_strlist matches;       /* items are malloc'd */
	char *closest;
	size_t closest_ops;
	size_t nsnapshots;
} sd_identify_result;

int sd_cli_identify(sd_identify_result *res, const sd_schema *live, const char *const *dirs,
		    size_t ndirs, sd_error *err);
void sd_identify_result_release(sd_identify_result *res);

/* Compare snapshot (FROM) with the live schema (TO) with the live side's dialect. */
/*
 * Is snap (loaded from snap_path) still the schema revision rev was written
 * for?  `revision` records the target's fingerprint in the revision file's
 * header ("Schema fingerprint: sha256:..."); a snapshot edited or replaced
 * since then has another one, and comparing a database with it would
 * prove nothing.  0 when they agree, or when there is nothing to check
 * (rev not in g, or its file has no fingerprint line: written by Alembic
 * or by hand); SD_EINPUT naming both files otherwise.
 */
int sd_cli_check_snapshot(const sd_revgraph *g, const char *rev, const char *snap_path,
			  const sd_schema *snap, sd_error *err);

int sd_cli_compare_schemas(sd_migration *m, const sd_schema *snapshot, const sd_schema *live,
			   sd_error *err);

/* Review lines of m's upgrade, each prefixed with indent. */
void sd_cli_review(sd_str *out, const sd_migration *m, const char *indent);

/* JSON string literal of s (NULL: null), appended. */
void sd_cli_json_str(sd_str *out, const char *s);

/*
 * A revision as Alembic's Script._head_only() writes it
 *   "<down> (<deps>) -> <rev> (<labels>) (head) (branchpoint), <doc>"
 * the parts chosen by the flags.  Branch labels are Alembic's propagated
 * ones (a label also names the revisions after the labelled one).
 */
enum {
	SD_RF_PARENTS = 1 << 0,
	SD_RF_BRANCHES = 1 << 1,
	SD_RF_HEAD = 1 << 2,      /* " (head)", " (effective head)" */
	SD_RF_TREE = 1 << 3,      /* " (branchpoint)", " (mergepoint)" */
	SD_RF_DOC = 1 << 4
};
void sd_cli_rev_format(sd_str *out, const sd_revgraph *g, const sd_revision *r, unsigned flags);

/* Alembic's verbose entry (Script.log_entry), ending in a blank line. */
void sd_cli_rev_log_entry(sd_str *out, const sd_revgraph *g, const sd_revision *r);

/*
 * All revisions from the heads down to the bases, children before parents
 * (Alembic's walk_revisions order, ties by id), restricted to descendants
 * of base (or all when NULL) and ancestors of head (all when NULL), both
 * inclusive.  *out is malloc'd.  Unknown ids: SD_EINPUT.
 */
int sd_cli_walk(const sd_revgraph *g, const char *base, const char *head,
		const sd_revision ***out, size_t *n, sd_error *err);

/*
 * The check of `verify` (and `current --verify`) on the database at url
 * (read with iopts: --schema; may be NULL), appending the text (or with json, the JSON document) to out; g may be
 * NULL.  Returns the exit status: SD_EXIT_OK when the database's one
 * recorded revision has a snapshot its schema matches, SD_EXIT_CHANGES
 * otherwise (differs, no snapshot, unstamped, several heads), or
 * SD_EXIT_ERROR with err set.
 */
int sd_cli_verify_db(const char *url, const sd_introspect_opts *iopts, const sd_revgraph *g,
		     const char *const *dirs, size_t ndirs, bool json, sd_str *out, sd_error *err);

/* The database's dialect, or an error naming url when it is not a database
 * or the dialect lacks the version-table hook (write: the write hook). */
int sd_cli_db_dialect(const char *url, bool write, const struct sd_dialect **d, sd_error *err);

#endif

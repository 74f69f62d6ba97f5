/*
 * revision.h - the Alembic versions directory: revision files, the revision
 * graph, new revision ids and file names, and the alembic.ini reader.
 *
 * Revision files are read WITHOUT running Python: the module-level
 * assignments `revision`, `down_revision`, `branch_labels` and `depends_on`
 * (optionally type-annotated, e.g. `down_revision: Union[str, None] = 'x'`)
 * are found with PCRE2 and their values parsed as Python literals: None, a
 * string ('..', "..", with r/u prefixes), or a tuple/list of strings over one
 * or more lines with comments and trailing commas.  The docstring header
 * ("Revision ID:", "Revises:") is ignored: the assignments are authoritative.
 * When a name is assigned twice the last assignment wins, as in Python.
 *
 * Ownership: an sd_revgraph owns everything reachable from it (one arena);
 * sd_revgraph_free() releases it all.  Strings returned by functions named
 * *_new / sd_revision_slug / sd_revision_filename are malloc'd and owned by
 * the caller (free()).  Errors are reported through sd_error (error.h).
 */
#ifndef SCHEMADIFF_REVISION_H
#define SCHEMADIFF_REVISION_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"
#include "ops.h"
#include "dialect.h"

/* alembic_version.version_num is VARCHAR(32): longer ids are refused. */
#define SD_REVISION_ID_MAX 32
/* Alembic's default truncate_slug_length. */
#define SD_SLUG_LENGTH_DEFAULT 40

typedef struct sd_revision {
	const char *id;
	const char *path;        /* "<dir>/<file>.py" as found */
	int line;                /* line of the `revision =` assignment */
	int down_line;           /* line of `down_revision =` */
	int labels_line;         /* line of `branch_labels =`, 0 if absent */
	int depends_line;        /* line of `depends_on =`, 0 if absent */
	const char **down;       /* down_revision entries, file order; n_down 0 = None */
	size_t n_down;
	const char **labels;     /* branch_labels, file order */
	size_t n_labels;
	const char **depends;    /* depends_on entries (ids or branch labels), file order */
	size_t n_depends;
	/* Computed by sd_revgraph_load(): */
	const char **next;       /* revisions whose down_revision names this one, sorted */
	size_t n_next;
	bool is_head;            /* nobody names it in down_revision (depends_on does not count) */
	bool is_base;            /* down_revision is None */
	bool is_branch_point;    /* n_next > 1 */
	bool is_merge_point;     /* n_down > 1 */
} sd_revision;

typedef struct sd_revgraph {
	sd_revision **revs;      /* all revisions, sorted by id (strcmp) */
	size_t n;
	sd_revision **heads;     /* sorted by id */
	size_t n_heads;
	sd_revision **bases;     /* sorted by id */
	size_t n_bases;
	struct sd_revgraph_priv *priv;
} sd_revgraph;

/*
 * Parse one revision file's text (src, NUL-terminated; path is used for
 * messages and stored).  On success *out is allocated in the graph's arena of
 * g (g must come from sd_revgraph_new()) but NOT added to the graph: use
 * sd_revgraph_load() for whole directories.  Errors (SD_EINPUT) name the file
 * and the line: a missing `revision`/`down_revision` assignment, or a value
 * that is not a literal of the expected shape, e.g.
 *   error: x.py:7: down_revision: expected None, a string or a tuple of strings
 */
int sd_revision_parse(sd_revgraph *g, const char *path, const char *src,
		      sd_revision **out, sd_error *err);

/* An empty graph (for sd_revision_parse() and tests). */
sd_revgraph *sd_revgraph_new(void);

/*
 * Load every revision file in the versions directories dirs[0..ndirs-1]:
 * regular files named *.py, except names starting with "__init__" or ".#"
 * (Alembic's rule); subdirectories such as __pycache__ are not entered.  A
 * directory that does not exist is an error (SD_EIO).  Files are read in
 * sorted order per directory.  Then the graph is built and checked:
 * duplicate revision id (the message names both files), a down_revision or
 * depends_on that names an unknown revision (depends_on may also name a
 * branch label), a revision listing itself, a duplicate branch label, and
 * cycles (SD_EINPUT).  On success *out is a new graph owned by the caller.
 */
int sd_revgraph_load(sd_revgraph **out, const char *const *dirs, size_t ndirs,
		     sd_error *err);

/* Build the computed fields after adding revisions with sd_revgraph_add(). */
int sd_revgraph_add(sd_revgraph *g, sd_revision *rev, sd_error *err);
int sd_revgraph_finish(sd_revgraph *g, sd_error *err);

void sd_revgraph_free(sd_revgraph *g);

/* The revision with exactly this id, or NULL. */
const sd_revision *sd_revgraph_get(const sd_revgraph *g, const char *id);

/*
 * Pick the new revision's parent (its down_revision).
 *  - head == NULL or "head": the single head; an empty graph gives
 *    *parent = NULL (down_revision = None); several heads are refused
 *    (SD_EINPUT) with the heads listed in the detail line.
 *  - head == "base": *parent = NULL, a new root (as `alembic revision
 *    --head base`).
 *  - otherwise head must be an exact known revision id.  Like Alembic, a
 *    revision that is not a head is refused unless splice is true (then the
 *    new revision starts a branch from it).
 * *parent points into g (or is NULL).
 */
int sd_revgraph_pick_parent(const sd_revgraph *g, const char *head, bool splice,
			    const sd_revision **parent, sd_error *err);

/*
 * Validate a new revision id as Alembic 1.8 does (Revision.verify_rev_id:
 * the characters '@', '-', '+' are refused) plus: empty ids, ids longer than
 * SD_REVISION_ID_MAX (the alembic_version column), '/' and control
 * characters (the id is part of the file name), and ids already present in
 * g (g may be NULL).  ':' and '.' are accepted, as in Alembic (w.2020.22).
 */
int sd_revision_id_validate(const sd_revgraph *g, const char *id, sd_error *err);

/*
 * A new id: 12 lowercase hex digits (Alembic's uuid4().hex[-12:]), read
 * from /dev/urandom.  When the environment variable SD_REVISION_ID_SEED is
 * set, ids are a deterministic sequence derived from it (one step per call
 * in this process), for tests.  Caller frees.  Aborts if /dev/urandom cannot
 * be read.
 */
char *sd_revision_id_new(void);

/*
 * Alembic's slug (ScriptDirectory._rev_path): the message's \w+ runs (Python's
 * Unicode \w: letters, numbers, underscore) joined by "_", lower-cased (full
 * Unicode lower, with U+0130 and the final sigma as Python does), then if
 * longer than truncate_len code points: cut to truncate_len, drop from the
 * last "_" on (if any) and append "_".  truncate_len <= 0 means the default
 * 40 (Alembic's `truncate_slug_length or 40`).  message may be NULL.  Input
 * must be UTF-8 (invalid bytes are treated as non-word).  Caller frees.
 */
char *sd_revision_slug(const char *message, int truncate_len);

/* "<rev>_<slug>.py" (file_template = %%(rev)s_%%(slug)s).  Caller frees. */
char *sd_revision_filename(const char *rev, const char *message, int truncate_len);

/*
 * alembic.ini: the [alembic] section (or another), read the way Alembic's
 * Config does with Python's configparser: keys case-insensitive, "=" or ":"
 * separators, full-line "#"/";" comments (inline comments are NOT stripped),
 * indented continuation lines, and BasicInterpolation: %(name)s from the same
 * section, [DEFAULT], or `here` (the absolute directory of the ini file);
 * "%%" is "%".
 *
 * Paths are returned as Alembic uses them: script_location and each version
 * location after interpolation, NOT re-based on the ini's directory.  Alembic
 * passes them through os.path.abspath(), i.e. a relative path is relative to
 * the current directory (hence templates write %(here)s/alembic).  Package
 * resource locations ("pkg:dir") are refused (SD_EUNSUPPORTED).
 *
 * version_locations is split per version_path_separator: unset -> on commas
 * and spaces (legacy); "space" -> ' '; "os" -> ':'; ":" or ";" -> that char;
 * any other value is an error (as in Alembic, which does not strip inline
 * comments).  Empty items are dropped.  Without version_locations, versions
 * holds the single "<script_location>/versions".
 */
typedef struct sd_alembic_config {
	char *script_location;
	char **versions;          /* the versions directories to load */
	size_t n_versions;
	bool has_version_locations;
	int truncate_slug_length; /* 40 unless set */
	/* Added for working inside an Alembic project (src/cli/config.c): */
	char *sqlalchemy_url;     /* interpolated ("%%" is "%"), NULL when unset */
	char *file_template;      /* interpolated, so "%%(rev)s" is now "%(rev)s";
	                             "%(rev)s_%(slug)s" when unset */
	char *here;               /* the absolute directory of the ini file */
	struct sd_alembic_ini *ini; /* the parsed file, for sd_alembic_config_get */
} sd_alembic_config;

int sd_alembic_config_load(sd_alembic_config **out, const char *ini_path,
			   const char *section, sd_error *err);
void sd_alembic_config_free(sd_alembic_config *cfg);

/*
 * Any option of any section of the loaded file, interpolated as above
 * (the section's own keys, [DEFAULT], `here`).  Returns 0 and sets *out
 * (malloc'd, caller frees) or NULL when the section or the key is absent;
 * a bad interpolation is SD_EINPUT naming the file, line and key.
 */
int sd_alembic_config_get(const sd_alembic_config *cfg, const char *section, const char *key,
			  char **out, sd_error *err);

/*
 * Alembic's revision file name (ScriptDirectory._rev_path) without the
 * directory: file_template (after ini interpolation; NULL = the default
 * "%(rev)s_%(slug)s") formatted with Python's %-operator over rev, slug
 * (sd_revision_slug), epoch, year, month, day, hour, minute, second of
 * the local time t, then ".py".  Conversions s, d, i and r with flags
 * "-0 +", a width and a precision are understood, and "%%".  Anything else
 * is SD_EINPUT (as Python's ValueError/KeyError would stop Alembic).
 * *out is malloc'd.
 */
int sd_revision_filename_template(char **out, const char *file_template, const char *rev,
				  const char *message, int truncate_len, long long t,
				  sd_error *err);

/*
 * The convergence proof (prove.c), run before a revision file is written.
 *
 * On a scratch copy of the live database at url (the dialect's scratch_*
 * hooks; SQLite copies it into memory, the original is never written): the
 * migration m is rendered with the SQL emitter, the section before the
 * "-- migrate:down" line is executed, the copy is introspected and compared
 * with target (must give no ops); then the downgrade section is executed
 * and the copy compared with source (must give no ops).  The comparisons
 * use dialect d, as the original comparison did.  CHECK constraints that
 * still differ are judged again in the server's canonical form when the
 * dialect can deparse them on the copy (scratch_check_texts): every CHECK
 * of such a table, on both sides, as the server prints it once its text no
 * longer changes when created anew.
 *
 * Returns 0 when both come out empty.  When they do not, returns
 * SD_EVERIFY, sets *failed_step to "upgrade" or "downgrade" and fills
 * *residual with what is left (result -> expected schema; the caller
 * releases it with sd_migration_release(), which is safe on failure too:
 * *residual is zeroed first).  SQL that fails on the copy is SD_EVERIFY as
 * well, with *residual empty and err naming the statement.  A dialect
 * without scratch hooks gives SD_EUNSUPPORTED.
 */
int sd_revision_prove(const sd_dialect *d, const char *url, const sd_migration *m,
		      const sd_schema *source, const sd_schema *target, sd_migration *residual,
		      const char **failed_step, sd_error *err);

/*
 * The same proof on an empty scratch database the user provides (--dev-url),
 * for dialects that cannot copy a database (scratch_open_empty): source is
 * first built there from its model (the SQL of compare(empty, source)), the
 * proof runs as above, and the dev database is left empty again.  The live
 * database is never connected to.  A dev database that is not empty is
 * refused (SD_EINPUT) before anything is written to it.
 */
int sd_revision_prove_dev(const sd_dialect *d, const char *dev_url, const sd_migration *m,
			  const sd_schema *source, const sd_schema *target,
			  sd_migration *residual, const char **failed_step, sd_error *err);

/*
 * The same proof for a source that is a model only (a schema file), on a
 * dialect that can open an empty scratch database of its own (scratch_open
 * with a NULL url; SQLite: in memory): source is built there from its
 * model, then proven as above.  No database of the user's is touched.
 */
int sd_revision_prove_model(const sd_dialect *d, const sd_migration *m, const sd_schema *source,
			    const sd_schema *target, sd_migration *residual,
			    const char **failed_step, sd_error *err);

/*
 * Split the SQL emitter's text at its "-- migrate:down" line: *up is the
 * text before it (including any "-- migrate:up" line, a comment), *down the
 * text after it.  Both are malloc'd (caller frees).  SD_EINPUT when the
 * line is missing.
 */
int sd_sql_split_sections(const char *sql, char **up, char **down, sd_error *err);

#endif

/*
 * common.c - what several commands share: load two sources, compare them,
 * write output to stdout or atomically to a file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "config.h"
#include "schemadiff/source.h"

struct load_job {
	const char *spec;
	const sd_introspect_opts *opts;
	sd_schema *schema;
	sd_error err;
	int rc;
};

static void *load_thread(void *arg)
{
	struct load_job *job = arg;

	job->rc = sd_source_load(&job->schema, job->spec, job->opts, &job->err);
	return NULL;
}

/*
 * Load both sides.  When one is a live database and the other a schema
 * file, the file is parsed on a second thread while the catalog is read:
 * the two costs are of the same size at 10,000 tables, and they share no
 * state (the JSON loader's allocator hooks are jansson's, which nothing in
 * an introspector uses).  Two PostgreSQL databases are read concurrently
 * too: each introspection has its own libpq connection and context (pg.c
 * keeps no shared state; its query counter is thread-local), and the
 * server does the work of both at once -- one connection each
 * (one_connection: a second connection per database only adds server
 * processes when two databases already keep the server busy; measured at
 * N=100/1000/5000: 28/104/558 ms with one each, 35/113/572 ms with two).
 * Two files, or two databases of
 * which one is SQLite, load one after the other.  On failure the error of
 * FROM wins, as it would sequentially.
 */
int sd_cli_load_pair(sd_schema **a, sd_schema **b, const char *from, const char *to,
		     const sd_introspect_opts *iopts, sd_error *err)
{
	const sd_dialect *da = NULL, *db = NULL;
	sd_source_kind ka = sd_source_classify(from, &da), kb = sd_source_classify(to, &db);
	struct load_job job = { NULL, iopts, NULL, SD_ERROR_INIT, 0 };
	bool both_pg = ka == SD_SOURCE_DATABASE && kb == SD_SOURCE_DATABASE && da && db &&
		       strcmp(da->name, "postgresql") == 0 && strcmp(db->name, "postgresql") == 0;
	sd_introspect_opts one;
	bool parallel = both_pg || ((ka == SD_SOURCE_DATABASE) != (kb == SD_SOURCE_DATABASE) &&
				    ka != SD_SOURCE_UNKNOWN && kb != SD_SOURCE_UNKNOWN);
	pthread_t tid;
	int rc;

	if (!parallel || getenv("SCHEMADIFF_NO_THREADS")) {
		if ((rc = sd_source_load(a, from, iopts, err)))
			return rc;
		return sd_source_load(b, to, iopts, err);
	}
	if (both_pg) {
		memset(&one, 0, sizeof(one));
		if (iopts)
			one = *iopts;
		one.one_connection = true;
		iopts = job.opts = &one;
	}
	job.spec = to;
	if (pthread_create(&tid, NULL, load_thread, &job) != 0) {
		if ((rc = sd_source_load(a, from, iopts, err)))
			return rc;
		return sd_source_load(b, to, iopts, err);
	}
	rc = sd_source_load(a, from, iopts, err);
	pthread_join(tid, NULL);
	*b = job.schema;
	if (!rc && job.rc) {
		if (err && !err->code)
			*err = job.err;   /* hand over ownership of the strings */
		else
			sd_error_clear(&job.err);
		return job.rc;
	}
	sd_error_clear(&job.err);
	return rc;
}

/* Without a configuration: only alembic_version is filtered out (config.c). */
int sd_cli_compare(sd_migration *m, const char *from, const char *to,
		   const sd_introspect_opts *iopts, const sd_dialect **dialect, sd_error *err)
{
	return sd_cli_compare_cfg(m, from, to, iopts, NULL, dialect, NULL, NULL, err);
}

int sd_cli_write_output(const char *path, const sd_str *text, sd_error *err)
{
	int rc;

	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(text->ptr, 1, text->len, stdout) != text->len || fflush(stdout) != 0)
			return sd_error_set(err, SD_EIO, "cannot write to standard output: %s",
					    strerror(errno));
		return 0;
	}
	rc = sd_write_file_atomic(path, text->ptr, text->len, false);
	if (rc)
		return sd_error_set_at(err, SD_EIO, path, 0, 0, NULL, "cannot write file: %s",
				       strerror(-rc));
	return 0;
}

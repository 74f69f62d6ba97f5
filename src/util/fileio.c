/*
 * fileio.c - whole-file reads and atomic, no-clobber writes.
 *
 * A revision file is never half-written and never overwritten: data goes to
 * a temporary file in the target's directory, is fsync'd, then linked (no
 * clobber) or renamed into place; on any failure the temporary is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schemadiff/util.h"

int sd_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	sd_str buf = SD_STR_INIT;
	char chunk[65536];
	size_t n;
	int rc = 0;

	*out = NULL;
	if (len)
		*len = 0;
	if (!f)
		return -errno;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sd_str_addn(&buf, chunk, n);
	if (ferror(f))
		rc = -EIO;
	fclose(f);
	if (rc) {
		sd_str_release(&buf);
		return rc;
	}
	if (len)
		*len = buf.len;
	*out = sd_str_detach(&buf);
	return 0;
}

/*
 * Write to something that is not a regular file (a terminal, a pipe,
 * /dev/null) in place: renaming a temporary file over it would replace the
 * device node itself - as root, `-o /dev/null` would turn /dev/null into a
 * regular file for the whole machine.
 */
static int write_in_place(const char *path, const char *data, size_t len)
{
	size_t off = 0;
	int fd = open(path, O_WRONLY | O_NOCTTY), rc = 0;

	if (fd < 0)
		return -errno;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}

int sd_write_file_atomic(const char *path, const char *data, size_t len, bool no_clobber)
{
	sd_str tmp = SD_STR_INIT;
	struct stat st;
	size_t off = 0;
	int fd = -1, rc = 0;

	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
		if (no_clobber)
			return -EEXIST;
		return write_in_place(path, data, len);
	}
	sd_str_addf(&tmp, "%s.tmp-XXXXXX", path);
	fd = mkstemp(tmp.ptr);
	if (fd < 0) {
		rc = -errno;
		goto done;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			goto done;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0) {
		rc = -errno;
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		rc = -errno;
		goto done;
	}
	fd = -1;
	if (no_clobber) {
		/* link() fails with EEXIST instead of replacing: no race with another writer. */
		if (link(tmp.ptr, path) < 0)
			rc = -errno;
	} else if (rename(tmp.ptr, path) < 0) {
		rc = -errno;
	}
done:
	if (fd >= 0)
		close(fd);
	if (tmp.len && (rc || no_clobber))
		unlink(tmp.ptr);
	sd_str_release(&tmp);
	return rc;
}

/* download.c — see download.h. */
#include "download.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "util.h"

static bool plain_name(const char *s)
{
	if (!*s || *s == '.' || *s == '-' || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

void download_name(const char *download_path, int64_t id, char *out, size_t n)
{
	const char *b = download_path ? strrchr(download_path, '/') : NULL;
	b = b ? b + 1 : download_path ? download_path : "";
	if (plain_name(b))
		snprintf(out, n, "%s", b);
	else
		snprintf(out, n, "job-%lld.download", (long long)id);
}

void download_default_path(const char *download_path, int64_t id, char *out, size_t n)
{
	char name[256];
	const char *dir = config_export_dir();
	download_name(download_path, id, name, sizeof name);
	if (dir && *dir)
		snprintf(out, n, "%s/%s", dir, name);
	else
		snprintf(out, n, "%s", name);
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Streams the chunks of job id's file to fd. 0 with *bytes, -1 with err. */
static int copy_chunks(db *d, int64_t id, int fd, const char *to, int64_t *bytes, char *err, size_t errlen)
{
	*bytes = 0;
	for (int seq = 0;; seq++) {
		const char *p[] = { DB_INT(id), DB_INT(seq) };
		db_res *r;
		if (db_exec_prepared(d, "SELECT data FROM jobdeck.job_file WHERE job_id = $1::bigint AND seq = $2::integer",
				     2, p, &r) < 0) {
			snprintf(err, errlen, "%s", db_error(d));
			return -1;
		}
		if (db_rows(r) == 0) {
			db_res_free(r);
			return 0;
		}
		size_t len;
		unsigned char *data = db_bytea(r, 0, 0, &len);
		db_res_free(r);
		int rc = write_all(fd, data, len);
		free(data);
		if (rc < 0) {
			snprintf(err, errlen, "cannot write %s: %s", to, strerror(errno));
			return -1;
		}
		*bytes += (int64_t)len;
	}
}

/* Into path, whole or not at all (never over an existing file without force). */
static int save_file(db *d, int64_t id, const char *path, bool force, int64_t *bytes, char *err, size_t errlen)
{
	whole_file w;
	int fd = whole_file_open(&w, path, err, errlen);
	if (fd < 0)
		return -1;
	int rc = copy_chunks(d, id, fd, path, bytes, err, errlen);
	if (close(fd) < 0 && rc == 0) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
		rc = -1;
	}
	return whole_file_done(&w, path, force, rc, err, errlen);
}

/* The job's file, in the snapshot the caller began. */
static int save_in_snapshot(db *d, int64_t id, const char *path, bool force, int64_t *bytes, char *saved,
			    size_t n, char *err, size_t errlen)
{
	const char *p[] = { DB_INT(id) };
	db_res *r;
	if (db_exec(d, "SELECT download_path, file_bytes FROM jobdeck.jobs WHERE id = $1::bigint", 1, p, &r) < 0) {
		snprintf(err, errlen, "%s", db_error(d));
		return -1;
	}
	int rc = -1;
	if (db_rows(r) == 0) {
		snprintf(err, errlen, "job %lld not found", (long long)id);
	} else if (db_isnull(r, 0, 0)) {
		snprintf(err, errlen, "job %lld made no file", (long long)id);
	} else if (db_isnull(r, 0, 1)) {
		snprintf(err, errlen, "job %lld's file was not stored in the database (it was made before files were): "
			 "only its worker's machine had it, as %s", (long long)id, db_get(r, 0, 0));
	} else {
		char name[256];
		int64_t want = db_int(r, 0, 1);
		download_name(db_get(r, 0, 0), id, name, sizeof name);
		const char *to = path ? path : name;
		snprintf(saved, n, "%s", to);
		if (strcmp(to, "-") == 0) {
			fflush(stdout);
			rc = copy_chunks(d, id, STDOUT_FILENO, "standard output", bytes, err, errlen);
		} else if (!force && access(to, F_OK) == 0) {
			snprintf(err, errlen, "%s already exists (use --force to overwrite)", to);
		} else {
			rc = save_file(d, id, to, force, bytes, err, errlen);
		}
		if (rc == 0 && *bytes != want) {
			snprintf(err, errlen, "job %lld's stored file has %lld bytes, not %lld", (long long)id,
				 (long long)*bytes, (long long)want);
			rc = -1;
		}
	}
	db_res_free(r);
	return rc;
}

int download_to_path(db *d, int64_t id, const char *path, bool force, int64_t *bytes, char *saved,
		     size_t n, char *err, size_t errlen)
{
	*bytes = 0;
	if (n)
		saved[0] = '\0';
	if (db_exec(d, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL, NULL) < 0) {
		snprintf(err, errlen, "%s", db_error(d));
		return -1;
	}
	int rc = save_in_snapshot(d, id, path, force, bytes, saved, n, err, errlen);
	db_exec(d, rc == 0 ? "COMMIT" : "ROLLBACK", 0, NULL, NULL);
	return rc;
}

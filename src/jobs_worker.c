/* jobs_worker.c — see jobs_worker.h. */
#include "jobs_worker.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* info without the waiting notes, order kept */
#define DROP_WAITING(col) \
	"array(SELECT n FROM unnest(" col ") WITH ORDINALITY AS u(n, o)" \
	" WHERE n NOT LIKE '" JOBS_WAITING_NOTE "%' ORDER BY o)"

static void requeue_add(jobs_requeue_list *l, const db_res *r, int i, int idc);

/* ==== arrays as PostgreSQL literals ==== */

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* ids as a PostgreSQL array literal, in ascending order (see LOCKED); caller frees */
static char *id_array(const int64_t *ids, size_t n)
{
	int64_t *v = xcalloc(n ? n : 1, sizeof *v);
	memcpy(v, ids, n * sizeof *v);
	qsort(v, n, sizeof *v, cmp_id);
	char *s = db_int_array(v, n);
	free(v);
	return s;
}

/* The jobs of the array $1 (ascending) that meet cond, each locked in turn: every statement
 * that changes many jobs takes its row locks in id order, so two of them never wait on each
 * other in a cycle. Each is found through the primary key whatever the statistics say: as a
 * plain id = ANY($1), a cached plan could prefer the Active tab's index, and with thousands
 * of jobs waiting it read them all (20 ms a statement). */
#define LOCKED(cond) \
	"SELECT j.id FROM unnest($1::bigint[]) AS a(id)," \
	" LATERAL (SELECT id FROM jobdeck.jobs WHERE id = a.id AND " cond " OFFSET 0 FOR UPDATE) j"

/* one element of a text array literal: quoted, or NULL */
static void array_text(strbuf *sb, const char *v)
{
	if (sb->len > 1)
		sb_addc(sb, ',');
	if (!v) {
		sb_adds(sb, "NULL");
		return;
	}
	sb_addc(sb, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			sb_addc(sb, '\\');
		sb_addc(sb, *v);
	}
	sb_addc(sb, '"');
}

/* ==== claim, heartbeat, end ==== */

int jobs_claim_many(db *d, const int64_t *ids, size_t n, const char *worker, const char *ns,
		    double timeout_s, job_claim **out, size_t *nout)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", timeout_s);
	char *arr = id_array(ids, n);
	const char *p[] = { arr, worker, ns, secs };
	static const char sql[] =
		"WITH l AS (" LOCKED("status = 'Running' AND namespace = $3 AND attempts < max_attempts"
		"             AND (worker IS NULL OR heartbeat_at < now() - make_interval(secs => $4::float8))") "),"
		" c AS ("
		"  UPDATE jobdeck.jobs j SET worker = $2, attempts = j.attempts + 1, started_at = now(),"
		"         heartbeat_at = now()"   /* no indexed column: a HOT update (db/041) */
		"    FROM l WHERE j.id = l.id"
		"  RETURNING j.id, j.type, j.name, coalesce(j.object_id, 0) AS object_id, j.attempts,"
		"            j.max_attempts, j.username IS NULL AS cmdline, j.params)"
		"SELECT c.id, c.type, c.name, c.object_id, c.attempts, c.max_attempts, c.cmdline, k.key, k.value"
		"  FROM c LEFT JOIN LATERAL jsonb_each_text(c.params) k ON true ORDER BY c.id";
	db_res *r;
	*out = NULL;
	*nout = 0;
	int rc = db_exec_prepared(d, sql, 4, p, &r);
	free(arr);
	if (rc < 0)
		return -1;
	int rows = db_rows(r);
	job_claim *v = rows ? xcalloc((size_t)rows, sizeof *v) : NULL;
	size_t k = 0;
	for (int i = 0; i < rows;) {
		job_claim *c = &v[k++];
		c->id = db_int(r, i, 0);
		c->type = db_dup(r, i, 1);
		c->name = db_dup(r, i, 2);
		c->object_id = db_int(r, i, 3);
		c->attempts = (int)db_int(r, i, 4);
		c->max_attempts = (int)db_int(r, i, 5);
		c->cmdline = strcmp(db_get(r, i, 6), "t") == 0;
		int first = i;
		while (i < rows && db_int(r, i, 0) == c->id)
			i++;
		if (db_isnull(r, first, 7))
			continue;
		for (int j = first; j < i; j++) {
			const char *key = db_get(r, j, 7);
			job_params_add(&c->params, key, strlen(key), db_isnull(r, j, 8) ? "" : db_get(r, j, 8));
		}
	}
	db_res_free(r);
	*out = v;
	*nout = k;
	return (int)k;
}

int jobs_claim(db *d, int64_t id, const char *worker, const char *ns, double timeout_s, job_claim *out)
{
	job_claim *v;
	size_t n;
	memset(out, 0, sizeof *out);
	if (jobs_claim_many(d, &id, 1, worker, ns, timeout_s, &v, &n) < 0)
		return -1;
	if (n == 1)
		*out = v[0];
	free(v);
	return (int)n;
}

void job_claim_release(job_claim *c)
{
	free(c->type);
	free(c->name);
	job_params_release(&c->params);
	memset(c, 0, sizeof *c);
}

const char *job_claim_param(const job_claim *c, const char *key)
{
	return job_params_get(&c->params, key);
}

int jobs_heartbeat(db *d, int64_t id, const char *worker, char *cancel_by, size_t n)
{
	const char *p[] = { DB_INT(id), worker };
	if (n)
		cancel_by[0] = '\0';
	db_res *r;
	if (db_exec_prepared(d,
			     "UPDATE jobdeck.jobs SET heartbeat_at = now()"
			     " WHERE id = $1::bigint AND worker = $2 AND status = 'Running'"
			     " RETURNING cancel_requested_by",
			     2, p, &r) < 0)
		return -1;
	int rows = db_rows(r);
	if (rows == 1 && n && !db_isnull(r, 0, 0))
		snprintf(cancel_by, n, "%s", db_get(r, 0, 0));
	db_res_free(r);
	if (rows == 0) {
		db_set_error(d, DB_FAIL_NOTFOUND, worker ? "job %lld is no longer this worker's"
							: "job %lld is not running", (long long)id);
		return -1;
	}
	return 0;
}

int jobs_output_add(db *d, int64_t id, const char *worker, const void *data, size_t len)
{
	int64_t lines = 0;
	for (const char *c = data, *end = c + len; (c = memchr(c, '\n', (size_t)(end - c))); c++)
		lines++;
	const char *p[] = { DB_INT(id), data, DB_INT((int64_t)len), DB_INT(lines), worker };
	int lengths[] = { 0, (int)len, 0, 0, 0 };
	int formats[] = { 0, 1, 0, 0, 0 };
	db_res *r;
	/* the check and the write in one statement: a job handed to another worker meanwhile
	 * gets nothing more from this one; prepared: it runs for every chunk of every job */
	if (db_exec_bin_prepared(d,
			"WITH j AS (UPDATE jobdeck.jobs SET output_bytes = output_bytes + $3::bigint,"
			"                                   output_lines = output_lines + $4::bigint,"
			"                                   heartbeat_at = now()"
			"            WHERE id = $1::bigint AND status = 'Running' AND ($5::text IS NULL OR worker = $5)"
			"            RETURNING output_bytes - $3::bigint AS off, output_lines - $4::bigint AS lines)"
			"INSERT INTO jobdeck.job_output (job_id, offset_, data, line_at)"
			"SELECT $1::bigint, off, $2::bytea, lines FROM j RETURNING offset_",
			5, p, lengths, formats, &r) < 0)
		return -1;
	int rows = db_rows(r);
	db_res_free(r);
	if (rows == 0) {
		db_set_error(d, DB_FAIL_NOTFOUND, "job %lld is no longer this worker's", (long long)id);
		return -1;
	}
	return 0;
}

int jobs_cancel_requested(db *d, int64_t id, char *by, size_t n)
{
	const char *p[] = { DB_INT(id) };
	db_res *r;
	if (db_exec(d, "SELECT cancel_requested_by FROM jobdeck.jobs WHERE id = $1::bigint", 1, p, &r) < 0)
		return -1;
	by[0] = '\0';
	if (db_rows(r) == 1 && !db_isnull(r, 0, 0))
		snprintf(by, n, "%s", db_get(r, 0, 0));
	db_res_free(r);
	return by[0] != '\0';
}

static int cmp_end(const void *a, const void *b)
{
	return cmp_id(&(*(const job_end *const *)a)->id, &(*(const job_end *const *)b)->id);
}

int jobs_end_many(db *d, const job_end *e, size_t n, const char *worker, bool *recorded)
{
	strbuf ids = STRBUF_INIT, sts = STRBUF_INIT, notes = STRBUF_INIT, paths = STRBUF_INIT,
	       sizes = STRBUF_INIT, delays = STRBUF_INIT;
	strbuf *all[] = { &ids, &sts, &notes, &paths, &sizes, &delays };
	for (size_t k = 0; k < 6; k++)
		sb_addc(all[k], '{');
	/* in id order (see LOCKED) */
	const job_end **v = xcalloc(n ? n : 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = &e[i];
	qsort(v, n, sizeof *v, cmp_end);
	for (size_t k = 0; k < n; k++) {
		const job_end *x = v[k];
		const char *sep = k ? "," : "";
		sb_addf(&ids, "%s%lld", sep, (long long)x->id);
		sb_addf(&sts, "%s%s", sep, job_status_name(x->status));
		array_text(&notes, x->note);
		array_text(&paths, x->download_path);
		if (x->download_path)
			sb_addf(&sizes, "%s%lld", sep, (long long)x->download_size);
		else
			sb_addf(&sizes, "%sNULL", sep);
		sb_addf(&delays, "%s%.6f", sep, x->delay > 0 ? x->delay : 0.0);
	}
	free(v);
	for (size_t k = 0; k < 6; k++)
		sb_addc(all[k], '}');
	const char *p[] = { ids.buf, sts.buf, notes.buf, paths.buf, sizes.buf, delays.buf, worker };
	static const char sql[] =
		"WITH l AS (" LOCKED("status = 'Running' AND worker IS NOT DISTINCT FROM $7") ")"
		"UPDATE jobdeck.jobs j SET status = e.status, completed_at = now(),"
		" started_at = j.started_at + make_interval(secs => e.delay),"
		" info = " DROP_WAITING("j.info") " || CASE WHEN e.note IS NULL THEN '{}'::text[]"
		"                                         ELSE ARRAY[e.note] END,"
		" download_path = coalesce(e.path, j.download_path),"
		" download_size = coalesce(e.size, j.download_size)"
		" FROM l, unnest($1::bigint[], $2::jobdeck.job_status[], $3::text[], $4::text[], $5::bigint[],"
		"                $6::float8[]) AS e(id, status, note, path, size, delay)"
		" WHERE j.id = l.id AND e.id = l.id"
		" RETURNING j.id";
	db_res *r;
	int rc = db_exec_prepared(d, sql, 7, p, &r);
	for (size_t k = 0; k < 6; k++)
		sb_release(all[k]);
	if (rc < 0)
		return -1;
	/* the ids it ended, read once and sorted, then each end looked up */
	size_t rows = (size_t)db_rows(r);
	int64_t *got = xcalloc(rows ? rows : 1, sizeof *got);
	for (size_t k = 0; k < rows; k++)
		got[k] = db_int(r, (int)k, 0);
	db_res_free(r);
	qsort(got, rows, sizeof *got, cmp_id);
	int done = 0;
	for (size_t i = 0; i < n; i++) {
		recorded[i] = bsearch(&e[i].id, got, rows, sizeof *got, cmp_id) != NULL;
		done += recorded[i];
	}
	free(got);
	return done;
}

int jobs_end(db *d, int64_t id, const char *worker, job_status st, const char *note,
	     const char *download_path, int64_t download_size)
{
	job_end e = { id, st, (char *)note, (char *)download_path, download_size, 0 };
	bool recorded;
	if (jobs_end_many(d, &e, 1, worker, &recorded) < 0)
		return -1;
	if (!recorded) {
		db_set_error(d, DB_FAIL_NOTFOUND, "job %lld is no longer this worker's", (long long)id);
		return -1;
	}
	return 0;
}

int jobs_release_many(db *d, const int64_t *ids, size_t n, const char *worker, jobs_requeue_list *out)
{
	char *arr = id_array(ids, n);
	const char *p[] = { arr, worker };
	db_res *r;
	out->v = NULL;
	out->n = 0;
	int rc = db_exec(d,
			 "UPDATE jobdeck.jobs SET worker = NULL, started_at = NULL, heartbeat_at = NULL,"
			 "       attempts = attempts - 1, queued_at = now()"
			 " WHERE id IN (" LOCKED("worker = $2 AND status = 'Running'") ")"
			 " RETURNING id, type, CASE WHEN type = 'command' THEN params->>'task' END",
			 2, p, &r);
	free(arr);
	if (rc < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++)
		requeue_add(out, r, i, 0);
	db_res_free(r);
	return 0;
}

int jobs_mark_queued(db *d, int64_t id)
{
	const char *p[] = { DB_INT(id) };
	return db_exec(d, "UPDATE jobdeck.jobs SET queued_at = now() WHERE id = $1::bigint", 1, p, NULL);
}

/* ==== input files ==== */

int jobs_input_chunk(db *d, int64_t id, int seq, unsigned char **data, size_t *len)
{
	const char *p[] = { DB_INT(id), DB_INT(seq) };
	db_res *r;
	*data = NULL;
	*len = 0;
	if (db_exec(d, "SELECT data FROM jobdeck.job_input WHERE job_id = $1::bigint AND seq = $2::integer",
		    2, p, &r) < 0)
		return -1;
	int got = db_rows(r) == 1;
	if (got)
		*data = db_bytea(r, 0, 0, len);
	db_res_free(r);
	return got;
}

/* ==== produced files ==== */

/* Reads up to n bytes, short only at the end of the file. */
static ssize_t read_full(int fd, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = read(fd, buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

static int store_chunks(db *d, int fd, int64_t id, const char *worker, const char *name, int64_t announced,
			int64_t limit, int64_t *size)
{
	const char *p[] = { DB_INT(id), worker, name, DB_INT(announced) };
	if (db_exec(d, "SELECT jobdeck.job_file_begin($1::bigint, $2, $3, $4::bigint)", 4, p, NULL) < 0)
		return -1;
	unsigned char *buf = xmalloc(JOBS_FILE_CHUNK);
	int rc = 0;
	for (;;) {
		ssize_t n = read_full(fd, buf, JOBS_FILE_CHUNK);
		if (n < 0) {
			db_set_error(d, DB_FAIL_QUERY, "cannot read %s: %s", name, strerror(errno));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		if (*size + n > limit) {   /* it grew since it was measured */
			rc = 1;
			break;
		}
		const char *q[] = { DB_INT(id), worker, (const char *)buf };
		int lengths[] = { 0, 0, (int)n };
		int formats[] = { 0, 0, 1 };
		if (db_exec_bin(d, "SELECT jobdeck.job_file_append($1::bigint, $2, $3::bytea)", 3, q, lengths,
				formats, NULL) < 0) {
			rc = -1;
			break;
		}
		*size += n;
	}
	free(buf);
	return rc;
}

int jobs_file_store(db *d, int64_t id, const char *worker, const char *path, const char *name,
		    int64_t *size, int64_t *limit)
{
	*size = 0;
	*limit = 0;
	/* only the regular file the job left under its name: a command that put a link there
	 * (to a file its worker may read) does not get that file stored for its user */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1) {
		db_set_error(d, DB_FAIL_QUERY, "cannot store %s: %s", name,
			     fd < 0 ? strerror(errno) : "not a regular file of its own");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	db_res *r;
	if (db_exec(d, "SELECT value FROM jobdeck.settings WHERE name = 'file_max_bytes'", 0, NULL, &r) < 0) {
		close(fd);
		return -1;
	}
	*limit = db_rows(r) ? db_int(r, 0, 0) : 0;
	db_res_free(r);
	if (st.st_size > *limit) {
		close(fd);
		return 1;
	}
	if (db_exec(d, "BEGIN", 0, NULL, NULL) < 0) {
		close(fd);
		return -1;
	}
	int rc = store_chunks(d, fd, id, worker, name, (int64_t)st.st_size, *limit, size);
	close(fd);
	if (rc == 0 && db_exec(d, "COMMIT", 0, NULL, NULL) == 0)
		return 0;
	/* nothing of it stays: the error said, the transaction rolled back */
	char msg[600];
	enum db_fail why = db_failure(d);
	snprintf(msg, sizeof msg, "%s", db_error(d));
	db_exec(d, "ROLLBACK", 0, NULL, NULL);
	if (rc == 1) {
		*size = 0;
		return 1;
	}
	db_set_error(d, why == DB_FAIL_NONE ? DB_FAIL_QUERY : why, "%s", msg);
	*size = 0;
	return -1;
}

/* ==== the sweep ==== */

static int lock_call(db *d, const char *ns, const char *fn)
{
	char *sql = xasprintf("SELECT pg_catalog.%s(pg_catalog.hashtext('jobdeck-sweep:' || $1))", fn);
	const char *p[] = { ns };
	db_res *r;
	int rc = db_exec(d, sql, 1, p, &r);
	free(sql);
	if (rc < 0)
		return -1;
	rc = strcmp(db_get(r, 0, 0), "t") == 0;
	db_res_free(r);
	return rc;
}

int jobs_sweep_lock(db *d, const char *ns) { return lock_call(d, ns, "pg_try_advisory_lock"); }
int jobs_sweep_unlock(db *d, const char *ns) { return lock_call(d, ns, "pg_advisory_unlock") < 0 ? -1 : 0; }

void jobs_requeue_list_release(jobs_requeue_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].type);
		free(l->v[i].task);
		free(l->v[i].note);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void requeue_add(jobs_requeue_list *l, const db_res *r, int i, int idc)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	jobs_requeue *q = &l->v[l->n++];
	q->id = db_int(r, i, idc);
	q->type = db_dup(r, i, idc + 1);
	q->task = db_dup(r, i, idc + 2);
	q->note = db_cols(r) > idc + 3 ? db_dup(r, i, idc + 3) : NULL;
}

/* The boolean a SELECT EXISTS answers: 1 or 0, -1 on error. */
static int exists(db *d, const char *sql, int n, const char *const *p)
{
	db_res *r;
	if (db_exec_prepared(d, sql, n, p, &r) < 0)
		return -1;
	int yes = db_rows(r) == 1 && strcmp(db_get(r, 0, 0), "t") == 0;
	db_res_free(r);
	return yes;
}

int jobs_sweep_stale(db *d, const char *ns, double timeout_s, jobs_requeue_list *out, int64_t *failed)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", timeout_s);
	const char *p[] = { ns, secs };
	static const char sql[] =
		"WITH s AS ("
		"  SELECT id, worker AS w,"
		"         to_char(heartbeat_at, 'YYYY-MM-DD HH24:MI:SS') || ' UTC' AS hb,"
		"         attempts < max_attempts AND type <> '" JOBS_TYPE_CMDLINE "'"
		"           AND cancel_requested_by IS NULL AS again"
		"    FROM jobdeck.jobs"
		"   WHERE status = 'Running' AND namespace = $1 AND worker IS NOT NULL"
		"     AND heartbeat_at < now() - make_interval(secs => $2::float8)"
		"   FOR UPDATE SKIP LOCKED),"
		" o AS ("    /* command-line runs whose runner died before it claimed them */
		"  SELECT id FROM jobdeck.jobs"
		"   WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		"     AND type = '" JOBS_TYPE_CMDLINE "'"
		"     AND created_at < now() - make_interval(secs => $2::float8)"
		"   FOR UPDATE SKIP LOCKED),"
		" r AS ("
		"  UPDATE jobdeck.jobs j SET worker = NULL, heartbeat_at = NULL, queued_at = NULL, started_at = NULL,"
		"         info = ARRAY['" JOBS_WAITING_NOTE "'] || " DROP_WAITING("j.info")
		"    FROM s WHERE j.id = s.id AND s.again"
		"  RETURNING j.id, j.type, j.params->>'task' AS task,"
		"            format('Attempt %s of %s lost: worker %s stopped responding (last heard from %s);"
		" trying again', j.attempts, j.max_attempts, s.w, s.hb) AS note),"
		" f AS ("
		"  UPDATE jobdeck.jobs j SET status = 'Error', completed_at = now(),"
		"         info = " DROP_WAITING("j.info") " || CASE"
		"           WHEN j.cancel_requested_by IS NOT NULL"
		"           THEN format('Cancelled by %s; its worker %s was lost (last heard from %s)',"
		"                       j.cancel_requested_by, s.w, s.hb)"
		"           WHEN j.type = '" JOBS_TYPE_CMDLINE "'"
		"           THEN format('The command-line run on %s was lost (last heard from %s)', s.w, s.hb)"
		"           ELSE format('Worker %s was lost (last heard from %s); gave up after %s attempt%s',"
		"                       s.w, s.hb, j.attempts, CASE WHEN j.attempts = 1 THEN '' ELSE 's' END) END"
		"    FROM s WHERE j.id = s.id AND NOT s.again"
		"  RETURNING j.id),"
		" g AS ("
		"  UPDATE jobdeck.jobs j SET status = 'Error', completed_at = now(),"
		"         info = " DROP_WAITING("j.info") " || 'The command-line run ended before it started'::text"
		"    FROM o WHERE j.id = o.id"
		"  RETURNING j.id)"
		"SELECT 0, id, type, task, note FROM r"
		" UNION ALL SELECT 1, id, NULL, NULL, NULL FROM f"
		" UNION ALL SELECT 1, id, NULL, NULL, NULL FROM g";
	db_res *r;
	out->v = NULL;
	out->n = 0;
	*failed = 0;
	/* the statement below announces a change to every listener even when it changes no row
	 * (a statement trigger): it runs only when there is something to sweep */
	int any = exists(d,
		"SELECT EXISTS (SELECT 1 FROM jobdeck.jobs"
		"                WHERE status = 'Running' AND namespace = $1 AND worker IS NOT NULL"
		"                  AND heartbeat_at < now() - make_interval(secs => $2::float8))"
		"    OR EXISTS (SELECT 1 FROM jobdeck.jobs"
		"                WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		"                  AND type = '" JOBS_TYPE_CMDLINE "'"
		"                  AND created_at < now() - make_interval(secs => $2::float8))", 2, p);
	if (any <= 0)
		return any;
	if (db_exec(d, sql, 2, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++) {
		if (db_int(r, i, 0) == 0)
			requeue_add(out, r, i, 1);
		else
			(*failed)++;
	}
	db_res_free(r);
	return 0;
}

int jobs_sweep_waiting(db *d, const char *ns, double older_s, jobs_waiting_fn fn, void *ctx)
{
	char secs[32];
	snprintf(secs, sizeof secs, "%.3f", older_s);
	const char *p[] = { ns, secs };
	db_res *r;
	if (db_exec(d,
		    "SELECT type, CASE WHEN type = 'command' THEN params->>'task' END AS task, count(*)"
		    "  FROM jobdeck.jobs WHERE status = 'Running' AND namespace = $1 AND worker IS NULL"
		    "   AND type <> '" JOBS_TYPE_CMDLINE "'"
		    "   AND coalesce(queued_at, created_at) < now() - make_interval(secs => $2::float8)"
		    " GROUP BY 1, 2",
		    2, p, &r) < 0)
		return -1;
	for (int i = 0; i < db_rows(r); i++)
		fn(ctx, db_get(r, i, 0), db_isnull(r, i, 1) ? NULL : db_get(r, i, 1), db_int(r, i, 2));
	db_res_free(r);
	return 0;
}

int jobs_sweep_unqueued(db *d, const char *ns, const char *type, const char *task, double older_s,
			int limit, jobs_requeue_list *out)
{
	char secs[32], lim[16];
	snprintf(secs, sizeof secs, "%.3f", older_s);
	snprintf(lim, sizeof lim, "%d", limit);
	const char *p[] = { ns, type, task, secs, lim };
	db_res *r;
	out->v = NULL;
	out->n = 0;
#define UNQUEUED \
		    "  SELECT id FROM jobdeck.jobs" \
		    "   WHERE status = 'Running' AND namespace = $1 AND worker IS NULL" \
		    "     AND type <> '" JOBS_TYPE_CMDLINE "'" \
		    "     AND ($2::text IS NULL OR (type = $2 AND" \
		    "          (type <> 'command' OR params->>'task' IS NOT DISTINCT FROM $3::text)))" \
		    "     AND coalesce(queued_at, created_at) < now() - make_interval(secs => $4::float8)"
	/* as in jobs_sweep_stale: no UPDATE, and so no announcement, when none waits */
	int any = exists(d, "SELECT EXISTS (" UNQUEUED ")", 4, p);
	if (any <= 0)
		return any;
	if (db_exec(d,
		    "UPDATE jobdeck.jobs SET queued_at = now() WHERE id IN ("
		    UNQUEUED
		    "   ORDER BY id LIMIT $5::integer FOR UPDATE SKIP LOCKED)"
		    " RETURNING id, type, CASE WHEN type = 'command' THEN params->>'task' END",
		    5, p, &r) < 0)
		return -1;
#undef UNQUEUED
	for (int i = 0; i < db_rows(r); i++)
		requeue_add(out, r, i, 0);
	db_res_free(r);
	return 0;
}

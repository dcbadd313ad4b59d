/* db.c — see db.h. The only file that includes libpq-fe.h. */
#include "db.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct db {
	PGconn *conn;
	char *conninfo;
	char err[512];
	enum db_fail fail;
	char *user;
	bool admin;
	char **channels;
	size_t nchannels;
	char **prepared;        /* names prepared on the current connection */
	size_t nprepared;
};

struct db_res {
	PGresult *res;
};

/* ==== errors ==== */

void db_set_error(db *d, enum db_fail kind, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
	/* one line: drop libpq's trailing newline and fold any inner ones */
	size_t n = strlen(d->err);
	while (n && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
	for (char *p = d->err; *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	d->fail = kind;
}

const char *db_error(const db *d) { return d->err; }
enum db_fail db_failure(const db *d) { return d->fail; }
const char *db_user(const db *d) { return d->user ? d->user : ""; }
bool db_is_admin(const db *d) { return d->admin; }
bool db_connected(const db *d) { return d->conn && PQstatus(d->conn) == CONNECTION_OK; }
int db_server_version(const db *d) { return d->conn ? PQserverVersion(d->conn) : 0; }

/* The first line of the server's message, without libpq's "ERROR:  " prefix. */
static const char *primary(const PGresult *r, const PGconn *c)
{
	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	return m ? m : PQerrorMessage(c);
}

/* Decides what a failed result means; marks the connection lost when it is. */
static int fail_from(db *d, PGresult *r)
{
	if (PQstatus(d->conn) != CONNECTION_OK) {
		db_set_error(d, DB_FAIL_CONNECT, "lost connection to the database: %s", primary(r, d->conn));
		return -1;
	}
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	enum db_fail kind = DB_FAIL_QUERY;
	if (state && strcmp(state, "42501") == 0)
		kind = DB_FAIL_DENIED;
	else if (state && strncmp(state, "08", 2) == 0)
		kind = DB_FAIL_CONNECT;
	db_set_error(d, kind, "%s", primary(r, d->conn));
	return -1;
}

/* ==== connecting ==== */

/* Pins what every statement relies on. JIT is off: jobdeck's statements take milliseconds,
 * and a plan whose estimate crosses jit_above_cost (a tail read of a big output's, for one)
 * spent 70 ms to over a second compiling before it ran. */
static int session_setup(db *d)
{
	static const char setup[] =
		"SELECT pg_catalog.set_config('search_path', 'jobdeck, pg_catalog', false),"
		"       pg_catalog.set_config('TimeZone', 'UTC', false),"
		"       pg_catalog.set_config('DateStyle', 'ISO, YMD', false),"
		"       pg_catalog.set_config('jit', 'off', false),"
		"       current_user,"
		"       pg_catalog.pg_has_role(current_user, oid, 'MEMBER')"
		"  FROM (SELECT coalesce((SELECT oid FROM pg_catalog.pg_roles"
		"                         WHERE rolname = 'jobdeck_admin'), 0) AS oid) r";
	PGresult *r = PQexec(d->conn, setup);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		fail_from(d, r);
		PQclear(r);
		return -1;
	}
	free(d->user);
	d->user = xstrdup(PQgetvalue(r, 0, 4));
	/* oid 0 (schema not migrated yet) makes pg_has_role fail, hence the guard above */
	d->admin = strcmp(PQgetvalue(r, 0, 5), "t") == 0;
	PQclear(r);
	for (size_t i = 0; i < d->nchannels; i++) {
		char *q = xasprintf("LISTEN %s", d->channels[i]);
		r = PQexec(d->conn, q);
		free(q);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			fail_from(d, r);
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

static void quiet_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void forget_prepared(db *d)
{
	for (size_t i = 0; i < d->nprepared; i++)
		free(d->prepared[i]);
	free(d->prepared);
	d->prepared = NULL;
	d->nprepared = 0;
}

static int connect_now(db *d)
{
	if (d->conn)
		PQfinish(d->conn);
	forget_prepared(d);
	/* A short connect timeout unless the caller chose one: a dead server must show as an
	 * error quickly, never as a hang. Keys after dbname override what it expands to. */
	const char *keys[4], *vals[4];
	int k = 0;
	if (!getenv("PGCONNECT_TIMEOUT")) {
		keys[k] = "connect_timeout";
		vals[k++] = "5";
	}
	keys[k] = "dbname";
	vals[k++] = d->conninfo;
	keys[k] = "fallback_application_name";
	vals[k++] = "jobdeck";
	keys[k] = NULL;
	vals[k] = NULL;
	d->conn = PQconnectdbParams(keys, vals, 1);
	if (!d->conn) {
		db_set_error(d, DB_FAIL_CONNECT, "cannot connect to the database: out of memory");
		return -1;
	}
	if (PQstatus(d->conn) != CONNECTION_OK) {
		db_set_error(d, DB_FAIL_CONNECT, "cannot connect to the database: %s", PQerrorMessage(d->conn));
		return -1;
	}
	PQsetNoticeProcessor(d->conn, quiet_notice, NULL);
	if (session_setup(d) < 0)
		return -1;
	d->fail = DB_FAIL_NONE;
	d->err[0] = '\0';
	return 0;
}

db *db_open(const char *conninfo)
{
	db *d = xcalloc(1, sizeof *d);
	d->conninfo = xstrdup(conninfo && *conninfo ? conninfo : "");
	connect_now(d);
	return d;
}

int db_reconnect(db *d)
{
	return connect_now(d);
}

void db_close(db *d)
{
	if (!d)
		return;
	if (d->conn)
		PQfinish(d->conn);
	for (size_t i = 0; i < d->nchannels; i++)
		free(d->channels[i]);
	free(d->channels);
	forget_prepared(d);
	free(d->conninfo);
	free(d->user);
	free(d);
}

/* Before each call: a lost connection is retried once, quietly. */
static int ensure(db *d)
{
	if (db_connected(d))
		return 0;
	return db_reconnect(d);
}

/* ==== queries ==== */

static int take_result(db *d, PGresult *r, db_res **res);

int db_exec_bin(db *d, const char *sql, int n, const char *const *params, const int *lengths,
		const int *formats, db_res **res)
{
	if (res)
		*res = NULL;
	if (ensure(d) < 0)
		return -1;
	PGresult *r = PQexecParams(d->conn, sql, n, NULL, params, lengths, formats, 0);
	return take_result(d, r, res);
}

/* A finished statement's result: kept in *res (when asked for) and 0, or -1 with the error. */
static int take_result(db *d, PGresult *r, db_res **res)
{
	switch (PQresultStatus(r)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		if (res) {
			*res = xmalloc(sizeof **res);
			(*res)->res = r;
		} else {
			PQclear(r);
		}
		return 0;
	case PGRES_EMPTY_QUERY:
	case PGRES_COPY_OUT:
	case PGRES_COPY_IN:
	case PGRES_COPY_BOTH:
	case PGRES_SINGLE_TUPLE:
	case PGRES_PIPELINE_SYNC:
	case PGRES_PIPELINE_ABORTED:
	case PGRES_BAD_RESPONSE:
	case PGRES_NONFATAL_ERROR:
	case PGRES_FATAL_ERROR:
	default:
		fail_from(d, r);
		PQclear(r);
		return -1;
	}
}

const char *db_num_text(db_num *buf, int64_t v)
{
	snprintf(buf->s, sizeof buf->s, "%lld", (long long)v);
	return buf->s;
}

char *db_int_array(const int64_t *v, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '{');
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%lld", i ? "," : "", (long long)v[i]);
	sb_addc(&sb, '}');
	return sb_detach(&sb);
}

int db_exec(db *d, const char *sql, int n, const char *const *params, db_res **res)
{
	return db_exec_bin(d, sql, n, params, NULL, NULL, res);
}

static bool is_prepared(const db *d, const char *name)
{
	for (size_t i = 0; i < d->nprepared; i++)
		if (strcmp(d->prepared[i], name) == 0)
			return true;
	return false;
}

int db_exec_prepared(db *d, const char *sql, int n, const char *const *params, db_res **res)
{
	return db_exec_bin_prepared(d, sql, n, params, NULL, NULL, res);
}

int db_exec_bin_prepared(db *d, const char *sql, int n, const char *const *params, const int *lengths,
			 const int *formats, db_res **res)
{
	if (res)
		*res = NULL;
	if (ensure(d) < 0)
		return -1;
	/* named after its text (FNV-1a), so the same text always finds its statement */
	char name[32];
	uint64_t h = 1469598103934665603ULL;
	for (const unsigned char *c = (const unsigned char *)sql; *c; c++)
		h = (h ^ *c) * 1099511628211ULL;
	snprintf(name, sizeof name, "jobdeck_%016llx", (unsigned long long)h);
	for (int attempt = 0;; attempt++) {
		if (!is_prepared(d, name)) {
			PGresult *p = PQprepare(d->conn, name, sql, n, NULL);
			if (PQresultStatus(p) != PGRES_COMMAND_OK) {
				fail_from(d, p);
				PQclear(p);
				return -1;
			}
			PQclear(p);
			d->prepared = xrealloc(d->prepared, (d->nprepared + 1) * sizeof *d->prepared);
			d->prepared[d->nprepared++] = xstrdup(name);
		}
		PGresult *r = PQexecPrepared(d->conn, name, n, params, lengths, formats, 0);
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		/* the server forgot it (DISCARD ALL, a pooler): prepare again, once */
		if (attempt == 0 && PQresultStatus(r) == PGRES_FATAL_ERROR && state && strcmp(state, "26000") == 0 &&
		    PQstatus(d->conn) == CONNECTION_OK) {
			PQclear(r);
			forget_prepared(d);
			continue;
		}
		return take_result(d, r, res);
	}
}

int db_exec_setting(db *d, const char *setting, const char *value, const char *sql, int n,
		    const char *const *params, db_res **res)
{
	if (res)
		*res = NULL;
	if (ensure(d) < 0)
		return -1;
	PGconn *c = d->conn;
	if (!PQenterPipelineMode(c))
		return db_exec(d, sql, n, params, res);
	/* statements up to the sync share one transaction: set_config(..., true) lasts for it */
	const char *sp[] = { setting, value };
	bool sent = PQsendQueryParams(c, "SELECT pg_catalog.set_config($1, $2, true)", 2, NULL, sp, NULL, NULL, 0) &&
		    PQsendQueryParams(c, sql, n, NULL, params, NULL, NULL, 0) && PQpipelineSync(c);
	PGresult *keep = NULL;
	bool failed = !sent;
	if (!sent)
		fail_from(d, NULL);
	/* each statement's results end with NULL; then comes the sync */
	for (int stmt = 0; sent && stmt < 2 && PQstatus(c) == CONNECTION_OK;) {
		PGresult *r = PQgetResult(c);
		if (!r) {
			stmt++;
			continue;
		}
		ExecStatusType st = PQresultStatus(r);
		if ((st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) && !failed) {
			if (stmt == 1 && !keep) {
				keep = r;
				continue;
			}
		} else if (!failed) {
			failed = true;
			if (st == PGRES_PIPELINE_ABORTED)
				db_set_error(d, DB_FAIL_QUERY, "the statement was not run");
			else
				fail_from(d, r);
		}
		PQclear(r);
	}
	for (PGresult *r; sent && PQstatus(c) == CONNECTION_OK && (r = PQgetResult(c));) {
		bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	PQexitPipelineMode(c);
	if (PQstatus(c) != CONNECTION_OK && !failed)
		failed = fail_from(d, NULL) < 0;
	if (failed || !keep) {
		PQclear(keep);
		if (!failed)
			db_set_error(d, DB_FAIL_QUERY, "no result");
		return -1;
	}
	return take_result(d, keep, res);
}

int db_send(db *d, const char *sql, int n, const char *const *params)
{
	if (ensure(d) < 0)
		return -1;
	if (!PQsendQueryParams(d->conn, sql, n, NULL, params, NULL, NULL, 0))
		return fail_from(d, NULL);
	return 0;
}

int db_wait(db *d, db_res **res)
{
	if (res)
		*res = NULL;
	/* one statement: its result, then NULL (anything more is kept only as an error) */
	PGresult *keep = NULL;
	for (PGresult *r; (r = PQgetResult(d->conn));) {
		if (!keep)
			keep = r;
		else
			PQclear(r);
	}
	if (!keep) {
		if (PQstatus(d->conn) != CONNECTION_OK)
			return fail_from(d, NULL);
		db_set_error(d, DB_FAIL_QUERY, "no result");
		return -1;
	}
	return take_result(d, keep, res);
}

int db_script(db *d, const char *sql)
{
	if (ensure(d) < 0)
		return -1;
	PGresult *r = PQexec(d->conn, sql);
	int rc = 0;
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = fail_from(d, r);
	PQclear(r);
	return rc;
}

int db_rows(const db_res *r) { return PQntuples(r->res); }
int db_cols(const db_res *r) { return PQnfields(r->res); }
bool db_isnull(const db_res *r, int row, int col) { return PQgetisnull(r->res, row, col); }
const char *db_get(const db_res *r, int row, int col) { return PQgetvalue(r->res, row, col); }
int db_len(const db_res *r, int row, int col) { return PQgetlength(r->res, row, col); }

char *db_dup(const db_res *r, int row, int col)
{
	return PQgetisnull(r->res, row, col) ? NULL : xstrdup(PQgetvalue(r->res, row, col));
}

int64_t db_int(const db_res *r, int row, int col)
{
	return PQgetisnull(r->res, row, col) ? 0 : strtoll(PQgetvalue(r->res, row, col), NULL, 10);
}

int64_t db_time(const db_res *r, int row, int col)
{
	return PQgetisnull(r->res, row, col) ? JD_TIME_NONE : strtoll(PQgetvalue(r->res, row, col), NULL, 10);
}

unsigned char *db_bytea(const db_res *r, int row, int col, size_t *len)
{
	size_t n = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r->res, row, col), &n);
	if (!raw) {
		fputs("jobdeck: out of memory\n", stderr);
		exit(1);
	}
	unsigned char *out = xmalloc(n + 1);
	memcpy(out, raw, n);
	out[n] = '\0';
	PQfreemem(raw);
	*len = n;
	return out;
}

void db_res_free(db_res *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

int db_stream(db *d, const char *sql, int n, const char *const *params, db_row_fn fn, void *ctx)
{
	if (ensure(d) < 0)
		return -1;
	if (!PQsendQueryParams(d->conn, sql, n, NULL, params, NULL, NULL, 0) || !PQsetSingleRowMode(d->conn)) {
		db_set_error(d, DB_FAIL_CONNECT, "%s", PQerrorMessage(d->conn));
		return -1;
	}
	int rc = 0, stopped = 0;
	PGresult *r;
	while ((r = PQgetResult(d->conn))) {
		ExecStatusType st = PQresultStatus(r);
		if (st == PGRES_SINGLE_TUPLE && !stopped) {
			db_res row = { r };
			if (fn(ctx, &row)) {
				stopped = 1;
				/* Ask the server to stop; the rest is drained and dropped below. */
				PGcancel *c = PQgetCancel(d->conn);
				char buf[256];
				if (c) {
					PQcancel(c, buf, sizeof buf);
					PQfreeCancel(c);
				}
			}
		} else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK && !stopped && rc == 0) {
			rc = fail_from(d, r);
		}
		PQclear(r);
	}
	return stopped ? 1 : rc;
}

/* ==== notifications ==== */

int db_listen(db *d, const char *channel)
{
	d->channels = xrealloc(d->channels, (d->nchannels + 1) * sizeof *d->channels);
	d->channels[d->nchannels++] = xstrdup(channel);
	if (ensure(d) < 0)
		return -1;
	char *q = xasprintf("LISTEN %s", channel);
	int rc = db_exec(d, q, 0, NULL, NULL);
	free(q);
	return rc;
}

int db_unlisten(db *d, const char *channel)
{
	for (size_t i = 0; i < d->nchannels; i++)
		if (strcmp(d->channels[i], channel) == 0) {
			free(d->channels[i]);
			d->channels[i] = d->channels[--d->nchannels];
			break;
		}
	if (!d->conn)
		return 0;       /* a reconnect listens to what is left */
	char *q = xasprintf("UNLISTEN %s", channel);
	int rc = db_exec(d, q, 0, NULL, NULL);
	free(q);
	return rc;
}

int db_socket(const db *d)
{
	return d->conn ? PQsocket(d->conn) : -1;
}

int db_notifies(db *d, db_notify_fn fn, void *ctx)
{
	if (!d->conn)
		return -1;
	if (!PQconsumeInput(d->conn)) {
		db_set_error(d, DB_FAIL_CONNECT, "lost connection to the database: %s", PQerrorMessage(d->conn));
		return -1;
	}
	PGnotify *n;
	int count = 0;
	while ((n = PQnotifies(d->conn))) {
		fn(ctx, n->relname, n->extra);
		PQfreemem(n);
		count++;
	}
	return count;
}

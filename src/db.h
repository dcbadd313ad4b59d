/* db.h — the one checked path to PostgreSQL.
 *
 * Every query goes through db_exec (parameters always passed as $n, never spliced into the
 * text). Results come back as a db_res, this module's own wrapper: no PGresult leaves db.c.
 * On failure a call returns -1 and leaves one clear line in db_error(). A broken connection
 * is noticed on the failing call and re-established on the next one. */
#ifndef JOBDECK_DB_H
#define JOBDECK_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_res db_res;

/* Kinds of failure, so callers can tell a missing job from a lost server. */
enum db_fail {
	DB_FAIL_NONE = 0,
	DB_FAIL_CONNECT,     /* server unreachable or connection lost */
	DB_FAIL_DENIED,      /* permission denied (SQLSTATE 42501) */
	DB_FAIL_NOTFOUND,    /* set by callers for rows that are not there (or not visible) */
	DB_FAIL_QUERY,       /* any other error the server reported */
};

/* Opens a connection with libpq's conventions: conninfo may be NULL or "" (PG* variables,
 * PGSERVICE, .pgpass apply), a key=value string or a URI. Pins search_path, TimeZone (UTC)
 * and DateStyle. Returns a handle even on failure (check db_connected); caller frees it
 * with db_close. */
db *db_open(const char *conninfo);
void db_close(db *d);

bool db_connected(const db *d);
/* Tries once to re-establish a lost connection (and re-LISTEN). 0 on success. */
int db_reconnect(db *d);
const char *db_error(const db *d);
enum db_fail db_failure(const db *d);
void db_set_error(db *d, enum db_fail kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

const char *db_user(const db *d);     /* the role connected as */
bool db_is_admin(const db *d);        /* member of jobdeck_admin */
int db_server_version(const db *d);

/* A whole number as a text parameter, in storage that lasts as long as the enclosing block:
 *   const char *p[] = { DB_INT(id), name };  */
typedef struct db_num {
	char s[24];
} db_num;
const char *db_num_text(db_num *buf, int64_t v);
#define DB_INT(v) db_num_text(&(db_num){ { 0 } }, (v))

/* Whole numbers as a bigint[] parameter ("{1,2,3}"), in the order given. Caller frees. */
char *db_int_array(const int64_t *v, size_t n);

/* Runs sql with n text parameters (a NULL entry is SQL NULL). On success returns 0 and, when
 * res is not NULL, a result the caller frees with db_res_free. */
int db_exec(db *d, const char *sql, int n, const char *const *params, db_res **res);
/* Like db_exec, with lengths and formats per parameter (format 1: binary, for bytea). */
int db_exec_bin(db *d, const char *sql, int n, const char *const *params, const int *lengths,
		const int *formats, db_res **res);
/* Like db_exec for a statement run often: sql is prepared once per connection (under a name
 * taken from its text) and executed by name after that, so the server parses and plans it
 * once. Prepared again after a reconnect. */
int db_exec_prepared(db *d, const char *sql, int n, const char *const *params, db_res **res);
/* Both: prepared once per connection, with lengths and formats per parameter. */
int db_exec_bin_prepared(db *d, const char *sql, int n, const char *const *params, const int *lengths,
			 const int *formats, db_res **res);
/* Like db_exec, with a planner setting (setting = value) for this statement alone: the two
 * travel together, in one round trip and one transaction (a libpq pipeline). */
int db_exec_setting(db *d, const char *setting, const char *value, const char *sql, int n,
		    const char *const *params, db_res **res);
/* db_exec in two halves, for work done while the server runs the statement: db_send sends
 * it and returns; db_wait waits for its result (as db_exec's). One at a time, nothing else
 * on the connection in between. */
int db_send(db *d, const char *sql, int n, const char *const *params);
int db_wait(db *d, db_res **res);
/* Runs a script of several statements (migrations); no parameters. */
int db_script(db *d, const char *sql);

int db_rows(const db_res *r);
int db_cols(const db_res *r);
bool db_isnull(const db_res *r, int row, int col);
const char *db_get(const db_res *r, int row, int col);     /* "" for NULL */
char *db_dup(const db_res *r, int row, int col);            /* NULL for NULL; caller frees */
int64_t db_int(const db_res *r, int row, int col);          /* 0 for NULL */
int64_t db_time(const db_res *r, int row, int col);         /* epoch µs; JD_TIME_NONE for NULL */
int db_len(const db_res *r, int row, int col);
/* A bytea column fetched as text (\x hex); decoded into a new buffer the caller frees. */
unsigned char *db_bytea(const db_res *r, int row, int col, size_t *len);
void db_res_free(db_res *r);

/* Streams the rows of a query one at a time (libpq single-row mode), so memory stays flat
 * however many there are. fn returns 0 to go on, non-zero to stop. */
typedef int (*db_row_fn)(void *ctx, const db_res *row);
int db_stream(db *d, const char *sql, int n, const char *const *params, db_row_fn fn, void *ctx);

/* LISTEN/NOTIFY. db_listen subscribes (and re-subscribes after a reconnect); db_unlisten
 * ends that; db_socket is the descriptor to poll; db_notifies consumes input and calls fn
 * for each notification. A channel is a plain lower-case name: it is not quoted. */
int db_listen(db *d, const char *channel);
int db_unlisten(db *d, const char *channel);
int db_socket(const db *d);
typedef void (*db_notify_fn)(void *ctx, const char *channel, const char *payload);
int db_notifies(db *d, db_notify_fn fn, void *ctx);

#endif

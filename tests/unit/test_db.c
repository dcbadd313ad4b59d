/* db_exec_setting against the real database (the harness's PostgreSQL): the setting holds for
 * its one statement and no longer, parameters pass, and a failure, of the setting or of the
 * statement, is reported and leaves the connection usable. */
#include "check.h"
#include "db.h"
#include "util.h"

/* the one value a query returns, or "" on failure; caller frees */
static char *one(db *d, const char *sql)
{
	db_res *r;
	if (db_exec(d, sql, 0, NULL, &r) < 0)
		return xstrdup("");
	char *v = db_dup(r, 0, 0);
	db_res_free(r);
	return v;
}

int main(void)
{
	db *d = db_open(NULL);
	if (!db_connected(d)) {
		CHECK(0, "connects to the test database");
		printf("        %s\n", db_error(d));
		db_close(d);
		return CHECK_DONE();
	}
	db_res *r;
	char *v;
	CHECK(db_exec_setting(d, "enable_sort", "off", "SELECT current_setting('enable_sort')", 0, NULL, &r) == 0 &&
	      strcmp(db_get(r, 0, 0), "off") == 0, "the statement runs with the setting");
	db_res_free(r);
	CHECK_STR(v = one(d, "SELECT current_setting('enable_sort')"), "on", "the next statement runs without it");
	free(v);

	const char *p[] = { "41" };
	CHECK(db_exec_setting(d, "enable_sort", "off", "SELECT $1::integer + 1", 1, p, &r) == 0 &&
	      strcmp(db_get(r, 0, 0), "42") == 0, "parameters reach the statement");
	db_res_free(r);

	CHECK(db_exec_setting(d, "enable_sort", "off", "SELECT 1 / 0", 0, NULL, &r) < 0 && !r &&
	      strstr(db_error(d), "division by zero"), "a failing statement is reported");
	CHECK_STR(v = one(d, "SELECT 'still here'"), "still here", "the connection still works after it");
	free(v);
	CHECK(db_exec_setting(d, "no_such_setting", "off", "SELECT 1", 0, NULL, &r) < 0 &&
	      strstr(db_error(d), "no_such_setting"), "an unknown setting is reported");
	CHECK_STR(v = one(d, "SELECT current_setting('enable_sort')"), "on", "and leaves nothing behind");
	free(v);

	db_close(d);
	return CHECK_DONE();
}

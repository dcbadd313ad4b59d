/* migrate.h — schema migrations compiled into the binary (db/NNN_name.sql). */
#ifndef JOBDECK_MIGRATE_H
#define JOBDECK_MIGRATE_H

#include "db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct migration migrations[];
extern const int nmigrations;

/* Applies every migration not yet recorded, each in its own transaction, under an advisory
 * lock so two migrations never race, then writes the job types' declared parameters
 * (jobtypes_sync). Sets *applied to how many migrations ran. 0 or -1 (db_error). */
int migrate_run(db *d, int *applied);
/* The newest version recorded in the database, or 0 when none. */
int migrate_version(db *d);

#endif

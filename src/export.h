/* export.h — the job history as CSV, through libcsv, streamed. */
#ifndef JOBDECK_EXPORT_H
#define JOBDECK_EXPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jobs.h"

/* The header row, as AtoM writes it. */
#define EXPORT_HEADER "startDate,endDate,jobName,jobStatus,jobInfo,jobUser"

/* Writes one CSV field (RFC 4180: quoted only when it must be). A value a spreadsheet would
 * run as a formula (first character =, +, -, @, tab or CR) gets a leading apostrophe. */
void export_field(FILE *f, const char *s, int last);
/* Writes one job as a CSV record. */
void export_row(FILE *f, const job_row *r);
/* Streams every job of the query to f with the header first; *rows gets the count.
 * 0, or -1 with db_error() set (or errno for a write failure, with a message in db_error). */
int export_csv(db *d, const jobs_query *q, FILE *f, int64_t *rows);
/* The default file name for today: jobdeck-job-history-YYYY-MM-DD.csv. */
void export_default_name(char *out, size_t n);
/* The default path for today: the default name in config_export_dir() when that is set,
 * else the name alone (the current folder). Cut to fit n. */
void export_default_path(char *out, size_t n);

/* What an export writes: CSV (the history as AtoM has it) or JSON lines (jsonout.h). */
typedef enum export_format { EXPORT_CSV, EXPORT_JSON } export_format;
/* Streams every job of the query to f as JSON, one object a line; *rows gets the count. */
int export_json(db *d, const jobs_query *q, FILE *f, int64_t *rows);

/* Whether an export may be written to path, by the rules export_to_path keeps. */
typedef enum export_path_rule {
	EXPORT_PATH_WRITE,     /* write it (a new file, or "-" for standard output) */
	EXPORT_PATH_EXISTS,    /* a file is there: replace it only when the user says so (force) */
	EXPORT_PATH_SCREEN,    /* "-" where standard output is the screen itself (a dashboard):
				* refused, the CSV would write over the screen */
} export_path_rule;
/* Checks path before an export: stdout_is_screen says that "-" would write over the
 * caller's own screen. Looks at the file system only; never fails. */
export_path_rule export_path_check(const char *path, bool stdout_is_screen);
/* Exports into path without overwriting an existing file unless force ("-": stdout). The
 * file appears only when complete. Standard output on a terminal gets every job-controlled
 * cell through text_sanitize; a file or a pipe gets the exact bytes. 0, or -1 with one line
 * in err. */
int export_to_path(db *d, const jobs_query *q, const char *path, int force, int64_t *rows,
		   char *err, size_t errlen);
/* The same in the given format (JSON on a terminal goes through jsonout_screen). */
int export_to_path_as(db *d, const jobs_query *q, export_format fmt, const char *path, int force,
		      int64_t *rows, char *err, size_t errlen);

#endif

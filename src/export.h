/* export.h — the job history as CSV, through libcsv, streamed. */
#ifndef JOBDECK_EXPORT_H
#define JOBDECK_EXPORT_H

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
/* Exports into path without overwriting an existing file unless force ("-": stdout). The
 * file appears only when complete. Standard output on a terminal gets every job-controlled
 * cell through text_sanitize; a file or a pipe gets the exact bytes. 0, or -1 with one line
 * in err. */
int export_to_path(db *d, const jobs_query *q, const char *path, int force, int64_t *rows,
		   char *err, size_t errlen);

#endif

/* download.h — a job's produced file, out of the database (db/054) to wherever its user wants
 * it, on any machine: `jobdeck download` and the dashboard's d.
 *
 * The file is read in one snapshot (a read-only repeatable-read transaction), a stored chunk
 * at a time, so it is never held in memory whole and never mixed with a clear or a re-run. */
#ifndef JOBDECK_DOWNLOAD_H
#define JOBDECK_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The name a job's file is saved under: the last part of what jobs.download_path holds (the
 * stored name, "<stem>-<id>.<ext>"; a full path on rows from before files were stored), when
 * it is a plain name (letters, digits, '.', '_', '-', not starting with '.' or '-'), else
 * "job-<id>.download". */
void download_name(const char *download_path, int64_t id, char *out, size_t n);
/* The default path for it: the name in config_export_dir() when that is set, else the name
 * alone (the current folder). Cut to fit n. */
void download_default_path(const char *download_path, int64_t id, char *out, size_t n);

/* Saves job id's stored file to path (NULL: its name in the current folder; "-": standard
 * output, exact bytes: the caller refuses a terminal) without replacing an existing file
 * unless force; a file appears only when whole. 0 with *bytes and the path written in
 * saved (n bytes; "-" for standard output), or -1 with one line in err: "job ID not found"
 * (also for a job the caller may not read), "job ID made no file", "job ID's file was not
 * stored in the database ...", "PATH already exists (use --force to overwrite)", or what
 * failed. */
int download_to_path(db *d, int64_t id, const char *path, bool force, int64_t *bytes, char *saved,
		     size_t n, char *err, size_t errlen);

#endif

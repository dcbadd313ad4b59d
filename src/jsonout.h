/* jsonout.h — jobs, workers and queues as JSON for scripts, written through json-c.
 *
 * One object per line (NDJSON for lists). Job-controlled text is data here: never sanitised,
 * its exact bytes escaped by json-c. JSON strings hold Unicode, so a byte that is not part of
 * valid UTF-8 (console output may hold any bytes) is written as the lone surrogate
 * \udc80-\udcff of that byte, the "surrogateescape" rule: lossless (valid UTF-8 never holds
 * a surrogate), and Python gives the bytes back with s.encode("utf-8", "surrogateescape").
 *
 * A job's fields (see jobdeck(1)): id, name, type, status, user (null: a command-line run),
 * record (null, or {id, identifier, title}), created, started, ended (ISO 8601 with offset, or
 * null), info (the notes, an array of strings), worker (or null), attempts, download (size
 * in bytes, or null), parameters (an object), and with the output, output. */
#ifndef JOBDECK_JSONOUT_H
#define JOBDECK_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "db.h"
#include "jobs.h"
#include "queue.h"
#include "workers.h"

/* One job as a line. */
void jsonout_job(FILE *f, const job_detail *j);
/* One job as a line with its whole console output as "output", streamed from the database
 * chunk by chunk. 0, or -1 (db_error; the line is then left unfinished). */
int jsonout_job_output(FILE *f, db *d, const job_detail *j);
/* One worker as a line: the fields of `jobdeck workers`' table. */
void jsonout_worker(FILE *f, const worker_row *w);
/* One gearmand function as a line: server, function, route, queued, running, workers, paused. */
void jsonout_queue(FILE *f, const char *server, const char *function, const char *route,
		   const queue_fstat *st, bool paused);

/* A stream onto the terminal f through text_sanitize, for JSON a person reads: json-c leaves
 * C1 controls and bidirectional overrides as they are, which a terminal may act on (a pipe
 * or a file gets the exact text). Unbuffered, so each write is whole; fclose it (f stays). */
FILE *jsonout_screen(FILE *f);

/* The JSON text of a string (quotes included) by the rule above; caller frees. */
char *jsonout_string(const char *s, size_t n);

#endif

/* filter.h — the text of a filter: field terms and free text.
 *
 *   user:alice  type:csv-import  status:error  since:2d  since:2026-11-01  record:F-001
 *
 * combined with free text, each field negated with a leading '-' (-user:bob). A value with
 * spaces goes in double quotes (user:"Command line"). Words that are not a field term (an
 * unknown field, a colon in a name) are free text: the job's name, info, user or type must
 * contain all of it, as one piece. Pure code, no database: jobs.c turns a filter into SQL. */
#ifndef JOBDECK_FILTER_H
#define JOBDECK_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef enum filter_field { FILTER_USER, FILTER_TYPE, FILTER_STATUS, FILTER_SINCE, FILTER_RECORD } filter_field;

typedef struct filter_term {
	filter_field field;
	bool negated;
	char *value;           /* as given; for FILTER_STATUS the status word, capitalised */
	bool cmdline;          /* FILTER_USER: the command line ("Command line") */
	jd_time since;         /* FILTER_SINCE: the moment, µs since the epoch */
} filter_term;

typedef struct filter {
	filter_term *terms;
	size_t nterms;
	char *text;            /* the free text, words joined by one space; NULL when none */
} filter;

/* Parses text as of now (for since:2d). 0, or -1 with one line in err (a bad status, a since
 * that is neither a span nor a date). Release f either way. */
int filter_parse(const char *text, jd_time now, filter *f, char *err, size_t errlen);
void filter_release(filter *f);
/* The field's name as written ("user"). */
const char *filter_field_name(filter_field f);

#endif

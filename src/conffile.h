/* conffile.h — the line format the task file and the dashboard's settings file share:
 *
 *   # comment (or ; comment), blank lines ignored
 *   [SECTION WORDS]
 *   key = value                      blanks around key and value dropped
 *
 * conf_parse walks the lines and hands each section and setting to the caller's functions,
 * which say what they mean; a message from them (conf_bad) starts with "ORIGIN:LINE: ". */
#ifndef JOBDECK_CONFFILE_H
#define JOBDECK_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* Where a line is, for its messages. */
typedef struct conf_where {
	const char *origin;
	int line;
	char *err;
	size_t errlen;
} conf_where;

/* A "[...]" line: inner is what the brackets hold, blanks trimmed. 0, or -1 (conf_bad). */
typedef int (*conf_section_fn)(void *ctx, char *inner, const conf_where *w);
/* A "key = value" line, both trimmed (value may be empty). 0, or -1 (conf_bad). */
typedef int (*conf_setting_fn)(void *ctx, char *key, char *value, const conf_where *w);

/* Parses text line by line. origin names it in messages. 0, or -1 with one line in err. */
int conf_parse(const char *text, const char *origin, conf_section_fn section, conf_setting_fn setting,
	       void *ctx, char *err, size_t errlen);
/* Writes "ORIGIN:LINE: message" into w's err; returns -1. */
int conf_bad(const conf_where *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reads the file path whole into out (empty file: ""). 0; 1 when it does not exist and
 * missing_ok (out left empty); -1 with "cannot read WHAT PATH: reason" in err. */
int conf_read(const char *path, const char *what, bool missing_ok, strbuf *out, char *err, size_t errlen);
/* Trims blanks (and a carriage return) at both ends, in place. */
char *conf_trim(char *s);

#endif

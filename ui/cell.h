/* cell.h — fitting untrusted text into terminal columns.
 *
 * Everything a job provides (names, notes, user names, console output) is made safe with
 * text_sanitize and then measured in display columns with wcwidth, so wide characters keep
 * the table aligned. Needs setlocale(LC_CTYPE, "") with a UTF-8 locale to measure properly. */
#ifndef JOBDECK_UI_CELL_H
#define JOBDECK_UI_CELL_H

#include <stddef.h>

#include "util.h"

/* Appends a printable, single-line rendering of n raw bytes to out: text_sanitize, then any
 * code point the terminal could not show (wcwidth < 0) becomes U+FFFD. */
void cell_clean(const char *raw, size_t n, strbuf *out);
/* Display width of clean UTF-8 text. */
int cell_width(const char *s);
/* Appends s cut (with "…") or padded with spaces to exactly width columns. */
void cell_fit(const char *s, int width, strbuf *out);
/* The byte length of the longest prefix of s that fits in width columns (at least one
 * character when s is not empty, so wrapping always advances). */
size_t cell_prefix(const char *s, int width);

#endif

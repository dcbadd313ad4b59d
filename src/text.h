/* text.h — making untrusted bytes safe to show on a terminal. */
#ifndef JOBDECK_TEXT_H
#define JOBDECK_TEXT_H

#include <stddef.h>

#include "util.h"

/* Appends a printable rendering of n bytes to out: valid UTF-8 text stays as it is; control
 * characters become caret placeholders (ESC as ^[, NUL as ^@, DEL as ^?), C1 controls and
 * bidirectional overrides become <U+XXXX>, bytes that are not UTF-8 become \xNN. Newlines
 * and tabs are kept when keep_lines, else shown as ^J and ^I; "\r\n" counts as a newline.
 * Nothing that reaches a terminal from out can move the cursor or change its state. */
void text_sanitize(const unsigned char *in, size_t n, strbuf *out, int keep_lines);

/* Decodes one UTF-8 sequence at p (n bytes available). Returns its length (1-4) and the code
 * point, or 0 when the bytes are not valid UTF-8 (overlong, surrogate, truncated, > U+10FFFF). */
int text_utf8_decode(const unsigned char *p, size_t n, unsigned *cp);

#endif

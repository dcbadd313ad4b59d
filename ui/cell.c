/* cell.c — see cell.h. */
#include "cell.h"

#include <string.h>
#include <wchar.h>

#include "text.h"

/* Decodes one character of clean text; returns its length and display width. */
static size_t next_char(const char *s, int *width)
{
	unsigned cp;
	int len = text_utf8_decode((const unsigned char *)s, strlen(s), &cp);
	if (len <= 0) {
		*width = 1;
		return 1;
	}
	int w = wcwidth((wchar_t)cp);
	*width = w < 0 ? 1 : w;
	return (size_t)len;
}

void cell_clean(const char *raw, size_t n, strbuf *out)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)raw, n, &sb, 0);
	const unsigned char *p = (const unsigned char *)(sb.buf ? sb.buf : "");
	size_t left = sb.len;
	while (left > 0) {
		unsigned cp;
		int len = text_utf8_decode(p, left, &cp);
		if (len <= 0) {          /* cannot happen after text_sanitize; be safe anyway */
			sb_adds(out, "\xEF\xBF\xBD");
			len = 1;
		} else if (cp >= 0x80 && wcwidth((wchar_t)cp) < 0) {
			sb_adds(out, "\xEF\xBF\xBD");
		} else {
			sb_add(out, p, (size_t)len);
		}
		p += len;
		left -= (size_t)len;
	}
	sb_release(&sb);
}

int cell_width(const char *s)
{
	int total = 0, w;
	while (*s) {
		s += next_char(s, &w);
		total += w;
	}
	return total;
}

size_t cell_prefix(const char *s, int width)
{
	size_t at = 0;
	int used = 0, w;
	while (s[at]) {
		size_t len = next_char(s + at, &w);
		if (used + w > width && at > 0)
			break;
		if (used + w > width && width <= 0)
			break;
		used += w;
		at += len;
	}
	return at;
}

void cell_fit(const char *s, int width, strbuf *out)
{
	if (width <= 0)
		return;
	int total = cell_width(s);
	if (total <= width) {
		sb_adds(out, s);
		for (int i = total; i < width; i++)
			sb_addc(out, ' ');
		return;
	}
	/* cut, leaving one column for the ellipsis; a wide character that does not fit whole
	 * leaves a space instead of half a glyph */
	int used = 0, w;
	const char *p = s;
	while (*p) {
		size_t len = next_char(p, &w);
		if (used + w > width - 1)
			break;
		sb_add(out, p, len);
		used += w;
		p += len;
	}
	for (; used < width - 1; used++)
		sb_addc(out, ' ');
	sb_adds(out, "…");
}

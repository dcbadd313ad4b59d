/* text.c — see text.h. */
#include "text.h"

int text_utf8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0];
	int len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (n < (size_t)len)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

void text_sanitize(const unsigned char *in, size_t n, strbuf *out, int keep_lines)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n;) {
		unsigned c = in[i];
		if (c == '\r' && i + 1 < n && in[i + 1] == '\n' && keep_lines) {
			i++;
			continue;
		}
		if ((c == '\n' || c == '\t') && keep_lines) {
			sb_addc(out, (char)c);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			sb_addc(out, '^');
			sb_addc(out, c == 0x7F ? '?' : (char)(c + '@'));
			i++;
			continue;
		}
		unsigned cp;
		int len = text_utf8_decode(in + i, n - i, &cp);
		if (len == 0) {
			char esc[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			sb_add(out, esc, 4);
			i++;
			continue;
		}
		if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp))
			sb_addf(out, "<U+%04X>", cp);
		else
			sb_add(out, in + i, (size_t)len);
		i += (size_t)len;
	}
}

/* Unit tests: text_sanitize and the UTF-8 decoder. */
#include "check.h"
#include "text.h"

static char *san(const char *in, size_t n, int keep)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)in, n, &sb, keep);
	return sb_detach(&sb);
}

#define SAN(lit, keep) san(lit, sizeof(lit) - 1, keep)

int main(void)
{
	char *s;
	s = SAN("plain text", 1);
	CHECK_STR(s, "plain text", "plain ASCII passes through");
	free(s);
	s = SAN("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 1);
	CHECK_STR(s, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", "valid UTF-8 (accents, CJK) passes through");
	free(s);
	s = SAN("\x1b[31mred\x1b[0m", 1);
	CHECK_STR(s, "^[[31mred^[[0m", "ESC becomes ^[ so no colour escape reaches the terminal");
	free(s);
	s = SAN("a\0b", 1);
	CHECK_STR(s, "a^@b", "NUL becomes ^@");
	free(s);
	s = SAN("bell\x07 del\x7f", 1);
	CHECK_STR(s, "bell^G del^?", "BEL and DEL become carets");
	free(s);
	s = SAN("bad \xff\xfe end", 1);
	CHECK_STR(s, "bad \\xFF\\xFE end", "bytes that are not UTF-8 become \\xNN");
	free(s);
	s = SAN("\xc0\xaf overlong", 1);
	CHECK_STR(s, "\\xC0\\xAF overlong", "overlong encodings are rejected");
	free(s);
	s = SAN("\xed\xa0\x80 surrogate", 1);
	CHECK_STR(s, "\\xED\\xA0\\x80 surrogate", "encoded surrogates are rejected");
	free(s);
	s = SAN("cut \xe6\x97", 1);
	CHECK_STR(s, "cut \\xE6\\x97", "a truncated sequence at the end is shown as bytes");
	free(s);
	s = SAN("\xc2\x9b" "31m", 1);
	CHECK_STR(s, "<U+009B>31m", "C1 control CSI is shown as <U+009B>");
	free(s);
	s = SAN("abc\xe2\x80\xaemirror", 1);
	CHECK_STR(s, "abc<U+202E>mirror", "bidirectional override is made visible");
	free(s);
	s = SAN("one\r\ntwo\tthree\rfour", 1);
	CHECK_STR(s, "one\ntwo\tthree^Mfour", "keep_lines keeps LF and tab, folds CRLF, shows lone CR");
	free(s);
	s = SAN("one\ntwo\tx", 0);
	CHECK_STR(s, "one^Jtwo^Ix", "without keep_lines newline and tab are placeholders");
	free(s);

	unsigned cp = 0;
	CHECK(text_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp) == 4 && cp == 0x1F600,
	      "four-byte sequence decodes to U+1F600");
	CHECK(text_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp) == 0,
	      "code points above U+10FFFF are rejected");
	return CHECK_DONE();
}

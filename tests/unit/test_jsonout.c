/* Unit tests: jsonout_string, the JSON text of any bytes (json-c's escapes, \udcXX outside UTF-8). */
#include "check.h"
#include "jsonout.h"

#include <stdlib.h>

#define JS(lit) jsonout_string(lit, sizeof(lit) - 1)

int main(void)
{
	char *s;
	s = JS("plain / text");
	CHECK_STR(s, "\"plain / text\"", "plain text is quoted, a slash left as it is");
	free(s);
	s = JS("q\"b\\");
	CHECK_STR(s, "\"q\\\"b\\\\\"", "quotes and backslashes are escaped");
	free(s);
	s = JS("\x1b[31m\x01\n\t\r");
	CHECK_STR(s, "\"\\u001b[31m\\u0001\\n\\t\\r\"", "control bytes are escaped, none raw");
	free(s);
	s = JS("a\0b");
	CHECK_STR(s, "\"a\\u0000b\"", "NUL is escaped and the string goes on after it");
	free(s);
	s = JS("caf\xc3\xa9 \xf0\x9f\x98\x80");
	CHECK_STR(s, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\"", "valid UTF-8 stays as it is");
	free(s);
	s = JS("x\xffy\xc3");
	CHECK_STR(s, "\"x\\udcffy\\udcc3\"", "a byte outside UTF-8 is \\udcXX, a truncated sequence too");
	free(s);
	s = JS("\xed\xa0\x80\xc0\xaf");
	CHECK_STR(s, "\"\\udced\\udca0\\udc80\\udcc0\\udcaf\"", "an encoded surrogate and an overlong are bytes, each escaped");
	free(s);
	s = JS("");
	CHECK_STR(s, "\"\"", "the empty string");
	free(s);
	return CHECK_DONE();
}

/* Unit tests: time, size and number formatting; the CSV field writer. */
#include <csv.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "export.h"
#include "util.h"

/* Writes fields with export_field, parses them back with libcsv, returns field k. */
struct parsed {
	char fields[8][256];
	int n, rows;
};

static void cb_field(void *s, size_t len, void *data)
{
	struct parsed *p = data;
	if (p->n < 8) {
		snprintf(p->fields[p->n], sizeof p->fields[0], "%.*s", (int)len, (const char *)s);
		p->n++;
	}
}

static void cb_row(int c, void *data)
{
	(void)c;
	((struct parsed *)data)->rows++;
}

static struct parsed roundtrip(const char *const *vals, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (int i = 0; i < n; i++)
		export_field(f, vals[i], i == n - 1);
	fclose(f);
	struct parsed p = { .n = 0, .rows = 0 };
	struct csv_parser cp;
	csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI);
	csv_parse(&cp, buf, len, cb_field, cb_row, &p);
	csv_fini(&cp, cb_field, cb_row, &p);
	csv_free(&cp);
	free(buf);
	return p;
}

int main(void)
{
	char out[64];
	setenv("TZ", "UTC", 1);
	tzset();
	fmt_local(JD_TIME_NONE, out, sizeof out);
	CHECK_STR(out, "N/A", "an unset time shows N/A");
	fmt_local(1764324903000000LL, out, sizeof out);
	CHECK_STR(out, "2025-11-28 10:15:03", "local time in UTC");
	fmt_iso8601(1764324903000000LL, out, sizeof out);
	CHECK_STR(out, "2025-11-28T10:15:03+00:00", "ISO 8601 with offset in UTC");
	setenv("TZ", "America/Toronto", 1);
	tzset();
	fmt_iso8601(1764324903000000LL, out, sizeof out);
	CHECK_STR(out, "2025-11-28T05:15:03-05:00", "ISO 8601 carries the zone's offset");
	setenv("TZ", "Asia/Kolkata", 1);
	tzset();
	fmt_iso8601(1764324903000000LL, out, sizeof out);
	CHECK_STR(out, "2025-11-28T15:45:03+05:30", "half-hour offsets keep their minutes");
	setenv("TZ", "UTC", 1);
	tzset();
	fmt_iso8601(JD_TIME_NONE, out, sizeof out);
	CHECK_STR(out, "", "an unset time is an empty CSV cell");

	fmt_duration(1500000, out, sizeof out);
	CHECK_STR(out, "1.5s", "short durations keep a decimal");
	fmt_duration(3723000000LL, out, sizeof out);
	CHECK_STR(out, "1h 02m", "hours and minutes");
	fmt_size(999, out, sizeof out);
	CHECK_STR(out, "999 B", "bytes");
	fmt_size(12345678, out, sizeof out);
	CHECK_STR(out, "12.3 MB", "megabytes");
	CHECK(parse_count("42") == 42 && parse_count("") < 0 && parse_count("4x") < 0 &&
	      parse_count("-1") < 0 && parse_count("99999999999999999999") < 0,
	      "parse_count takes whole numbers only");

	const char *plain[] = { "a", "b c", "" };
	struct parsed p = roundtrip(plain, 3);
	CHECK(p.rows == 1 && p.n == 3 && !strcmp(p.fields[0], "a") && !strcmp(p.fields[1], "b c") &&
	      !strcmp(p.fields[2], ""), "plain fields round-trip");

	const char *hard[] = { "comma, inside", "quote \"here\"", "two\nlines", "caf\xc3\xa9 \xe2\x9c\x93" };
	p = roundtrip(hard, 4);
	CHECK(p.rows == 1 && p.n == 4, "hard fields stay one record of four fields");
	CHECK_STR(p.fields[0], "comma, inside", "comma round-trips");
	CHECK_STR(p.fields[1], "quote \"here\"", "quotes round-trip");
	CHECK_STR(p.fields[2], "two\nlines", "newline round-trips");
	CHECK_STR(p.fields[3], "caf\xc3\xa9 \xe2\x9c\x93", "UTF-8 round-trips");

	const char *formulas[] = { "=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", "safe=1" };
	p = roundtrip(formulas, 7);
	CHECK_STR(p.fields[0], "'=1+2", "= is neutralised");
	CHECK_STR(p.fields[1], "'+SUM(A1)", "+ is neutralised");
	CHECK_STR(p.fields[2], "'-2+3", "- is neutralised");
	CHECK_STR(p.fields[3], "'@cmd", "@ is neutralised");
	CHECK_STR(p.fields[4], "'\tx", "a leading tab is neutralised");
	CHECK_STR(p.fields[5], "'\rx", "a leading carriage return is neutralised");
	CHECK_STR(p.fields[6], "safe=1", "an = later in the cell is left alone");
	return CHECK_DONE();
}

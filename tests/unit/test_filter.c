/* The filter's text: field terms, negation, quotes, free text, and the errors a user meets. */
#include "check.h"
#include "filter.h"

#define NOW ((jd_time)1772357400 * 1000000)   /* 2026-03-01 09:30:00 UTC */

int main(void)
{
	filter f;
	char err[300];

	CHECK(filter_parse("user:alice type:csv-import -status:error", NOW, &f, err, sizeof err) == 0 && f.nterms == 3,
	      "three field terms parse");
	CHECK(f.terms[0].field == FILTER_USER && !f.terms[0].negated && strcmp(f.terms[0].value, "alice") == 0,
	      "user:alice");
	CHECK(f.terms[1].field == FILTER_TYPE && strcmp(f.terms[1].value, "csv-import") == 0, "type:csv-import");
	CHECK(f.terms[2].field == FILTER_STATUS && f.terms[2].negated && strcmp(f.terms[2].value, "Error") == 0,
	      "-status:error is negated, its word capitalised as the database spells it");
	CHECK(f.text == NULL, "no free text");
	filter_release(&f);

	CHECK(filter_parse("  Import   CSV  user:bob ", NOW, &f, err, sizeof err) == 0 && f.nterms == 1, "text and a term");
	CHECK_STR(f.text, "Import CSV", "free text is its words, one space apart");
	filter_release(&f);

	CHECK(filter_parse("Step 1: import colour:red -5", NOW, &f, err, sizeof err) == 0 && f.nterms == 0,
	      "an unknown field and a leading '-' on a word are text");
	CHECK_STR(f.text, "Step 1: import colour:red -5", "…kept as written");
	filter_release(&f);

	CHECK(filter_parse("user:\"Command line\"", NOW, &f, err, sizeof err) == 0 && f.nterms == 1 && f.terms[0].cmdline,
	      "a quoted value with a space; Command line means command-line jobs");
	filter_release(&f);
	CHECK(filter_parse("user:cli", NOW, &f, err, sizeof err) == 0 && f.terms[0].cmdline, "user:cli too");
	filter_release(&f);

	CHECK(filter_parse("since:2d", NOW, &f, err, sizeof err) == 0 && f.terms[0].since == NOW - (jd_time)2 * 86400 * 1000000,
	      "since:2d is two days before now");
	filter_release(&f);
	CHECK(filter_parse("since:90m", NOW, &f, err, sizeof err) == 0 && f.terms[0].since == NOW - (jd_time)5400 * 1000000,
	      "since:90m");
	filter_release(&f);
	setenv("TZ", "UTC", 1);
	CHECK(filter_parse("since:2026-02-01", NOW, &f, err, sizeof err) == 0 && f.terms[0].since == (jd_time)1769904000 * 1000000,
	      "since:2026-02-01 is that midnight, local time");
	filter_release(&f);
	CHECK(filter_parse("since:2026-02-01T12:30", NOW, &f, err, sizeof err) == 0 &&
	      f.terms[0].since == (jd_time)(1769904000 + 45000) * 1000000, "since with a time of day");
	filter_release(&f);

	CHECK(filter_parse("status:maybe", NOW, &f, err, sizeof err) < 0 && strstr(err, "running, completed or error"),
	      "a status that is none is an error that says which are");
	filter_release(&f);
	CHECK(filter_parse("since:soon", NOW, &f, err, sizeof err) < 0 && strstr(err, "since:soon"),
	      "a since that is neither span nor date is an error naming it");
	filter_release(&f);
	CHECK(filter_parse("since:2026-13-45", NOW, &f, err, sizeof err) < 0, "a date that is none too");
	filter_release(&f);
	CHECK(filter_parse("user:", NOW, &f, err, sizeof err) == 0 && f.nterms == 0 && f.text && strcmp(f.text, "user:") == 0,
	      "a field with no value is text");
	filter_release(&f);
	CHECK(filter_parse(NULL, NOW, &f, err, sizeof err) == 0 && f.nterms == 0 && !f.text, "no filter, nothing");
	filter_release(&f);
	return CHECK_DONE();
}

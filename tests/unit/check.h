/* check.h — a tiny unit-test harness. Each CHECK records one line in $JD_RESULTS (or only
 * prints when run by hand); main returns non-zero when any failed. */
#ifndef JOBDECK_CHECK_H
#define JOBDECK_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_failed, check_passed;

static void check_record(int ok, const char *title, const char *file, int line, const char *detail)
{
	const char *res = getenv("JD_RESULTS");
	const char *name = getenv("T_FILE") ? getenv("T_FILE") : file;
	FILE *f = res ? fopen(res, "a") : NULL;
	if (f) {
		fprintf(f, "%s %s: %s\n", ok ? "pass" : "fail", name, title);
		fclose(f);
	}
	if (ok) {
		check_passed++;
		printf("  ok    %s\n", title);
	} else {
		check_failed++;
		printf("  FAIL  %s (%s:%d) %s\n", title, file, line, detail ? detail : "");
	}
}

#define CHECK(cond, title) check_record(!!(cond), (title), __FILE__, __LINE__, #cond)
#define CHECK_STR(actual, expected, title) do { \
		const char *a_ = (actual), *e_ = (expected); \
		int ok_ = a_ && e_ && strcmp(a_, e_) == 0; \
		char d_[1024]; \
		snprintf(d_, sizeof d_, "\n        expected: \"%s\"\n        actual:   \"%s\"", e_ ? e_ : "(null)", a_ ? a_ : "(null)"); \
		check_record(ok_, (title), __FILE__, __LINE__, d_); \
	} while (0)
#define CHECK_DONE() (printf("  (%d checks ok, %d failing)\n", check_passed, check_failed), check_failed ? 1 : 0)

#endif

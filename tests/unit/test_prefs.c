/* Unit tests: the dashboard's settings file — what each key's value becomes, sections and
 * whole keys, the "color" spelling, the last value winning, nothing set by an empty file. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "prefs.h"

int main(void)
{
	prefs p;
	char err[512] = "";
	setenv("HOME", "/home/ann", 1);

	prefs_init(&p);
	CHECK(prefs_parse("# nothing\n\n; at all\n", "c", &p, err, sizeof err) == 0, "comments and blank lines parse");
	CHECK(p.interval == 0 && p.auto_refresh == -1 && p.mouse == -1 && !p.filter && !p.export_dir,
	      "…and set nothing");
	for (int r = 0; r < PREFS_NROLES; r++)
		CHECK(!p.colour[r].set, "…no colour either");
	prefs_release(&p);

	prefs_init(&p);
	int rc = prefs_parse("[dashboard]\ninterval = 3600\nauto-refresh = OFF\nmouse = yes\n"
			     "filter = user:alice \"disk full\"\nexport-dir = ~/exports\n"
			     "[color]\nerror = bold magenta on 4\nselected = reverse\n"
			     "[dashboard]\ninterval = 7\n", "c", &p, err, sizeof err);
	CHECK_STR(rc == 0 ? "" : err, "", "a file with sections parses");
	CHECK(p.interval == 7, "the last value of a key wins");
	CHECK(p.auto_refresh == 0 && p.mouse == 1, "switches take on/off words in any case");
	CHECK_STR(p.filter, "user:alice \"disk full\"", "the filter is kept as written");
	CHECK_STR(p.export_dir, "/home/ann/exports", "~ in the export folder is the home folder");
	prefs_colour e = p.colour[PREFS_ERROR];
	CHECK(e.set && e.fg == 5 && e.bg == 4 && e.attrs == PREFS_BOLD, "[color] is [colour]; bold magenta on 4");
	prefs_colour s = p.colour[PREFS_SELECTED];
	CHECK(s.set && s.fg == -1 && s.bg == -1 && s.attrs == PREFS_REVERSE, "attributes alone");
	CHECK(!p.colour[PREFS_HEADER].set, "a role not given stays unset");
	prefs_release(&p);

	/* a whole key inside a section reads as SECTION.KEY: unknown */
	prefs_init(&p);
	CHECK(prefs_parse("[dashboard]\ncolour.header = red\n", "c", &p, err, sizeof err) < 0, "SECTION.KEY in a section");
	CHECK_STR(err, "c:2: unknown key 'dashboard.colour.header'", "names the key it read");
	prefs_release(&p);

	prefs_init(&p);
	CHECK(prefs_parse("color.running = 208 on black\ndashboard.mouse = 0\n", "c", &p, err, sizeof err) == 0,
	      "whole keys outside a section, color for colour");
	CHECK(p.colour[PREFS_RUNNING].fg == 208 && p.colour[PREFS_RUNNING].bg == 0 && p.mouse == 0, "…with their values");
	prefs_release(&p);

	static const struct { const char *text, *msg; } bad[] = {
		{ "interval = 5\n", "f:1: unknown key 'interval'" },
		{ "[dashboard]\ninterval = 3601\n", "f:2: dashboard.interval takes whole seconds from 1 to 3600, not '3601'" },
		{ "colour.error = 256\n", "f:1: colour.error: '256' is no colour (black, red, green, yellow, blue, magenta, cyan, white, default, 0 to 255)" },
		{ "colour.error = on red\n", "" },
		{ "colour.error = red on blue green\n", "f:1: colour.error: expected [bold] [FG] [on BG], found 'green'" },
		{ "dashboard.filter = since:never\n", NULL },
		{ "[task x]\n", "f:1: unknown section [task x]" },
		{ "[dashboard\n", "f:1: expected [SECTION], found [dashboard" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		prefs_init(&p);
		err[0] = '\0';
		rc = prefs_parse(bad[i].text, "f", &p, err, sizeof err);
		if (bad[i].msg && !bad[i].msg[0]) {
			CHECK(rc == 0, "a background alone is a colour");
		} else if (!bad[i].msg) {
			CHECK(rc < 0 && strncmp(err, "f:1: dashboard.filter: ", 23) == 0, "a filter the dashboard refuses");
		} else {
			CHECK(rc < 0, "a bad line is refused");
			CHECK_STR(err, bad[i].msg, "with its file and line");
		}
		prefs_release(&p);
	}

	prefs_init(&p);
	CHECK(prefs_load("/nonexistent/config", true, &p, err, sizeof err) == 0, "a missing default file is no error");
	CHECK(prefs_load("/nonexistent/config", false, &p, err, sizeof err) < 0, "a missing named file is");
	CHECK_STR(err, "cannot read the settings file /nonexistent/config: No such file or directory", "…saying so");
	prefs_release(&p);
	return CHECK_DONE();
}

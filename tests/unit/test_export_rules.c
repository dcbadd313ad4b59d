/* The export path rules the dashboard asks before exporting (src/export): the default path
 * for today, in JOBDECK_EXPORT_DIR when set; an existing file needs a yes; "-" is refused
 * where it would write over the screen, and is standard output elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "config.h"
#include "export.h"

int main(void)
{
	char name[64], path[200], want[240];
	export_default_name(name, sizeof name);
	CHECK(strncmp(name, "jobdeck-job-history-", 20) == 0 && strlen(name) == 34 &&
	      strcmp(name + 30, ".csv") == 0, "the default name is jobdeck-job-history-YYYY-MM-DD.csv");

	unsetenv("JOBDECK_EXPORT_DIR");
	CHECK(!config_export_dir() || !*config_export_dir(), "config_export_dir is empty when unset");
	export_default_path(path, sizeof path);
	CHECK_STR(path, name, "without JOBDECK_EXPORT_DIR the default path is the name alone");
	setenv("JOBDECK_EXPORT_DIR", "", 1);
	export_default_path(path, sizeof path);
	CHECK_STR(path, name, "an empty JOBDECK_EXPORT_DIR counts as unset");
	setenv("JOBDECK_EXPORT_DIR", "/srv/exports", 1);
	CHECK_STR(config_export_dir(), "/srv/exports", "config_export_dir reads JOBDECK_EXPORT_DIR");
	export_default_path(path, sizeof path);
	snprintf(want, sizeof want, "/srv/exports/%s", name);
	CHECK_STR(path, want, "with JOBDECK_EXPORT_DIR the default path is in that folder");

	char dir[] = "/tmp/jd-export-rules-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "a scratch folder");
	snprintf(path, sizeof path, "%s/new.csv", dir);
	CHECK(export_path_check(path, true) == EXPORT_PATH_WRITE, "a new file may be written");
	FILE *f = fopen(path, "w");
	if (f)
		fclose(f);
	CHECK(export_path_check(path, true) == EXPORT_PATH_EXISTS, "an existing file needs a yes first");
	CHECK(export_path_check(path, false) == EXPORT_PATH_EXISTS, "…wherever the export is asked for");
	CHECK(export_path_check("-", true) == EXPORT_PATH_SCREEN, "\"-\" is refused where it would write over the screen");
	CHECK(export_path_check("-", false) == EXPORT_PATH_WRITE, "\"-\" is standard output elsewhere");
	unlink(path);
	rmdir(dir);
	return CHECK_DONE();
}

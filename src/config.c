/* config.c — see config.h. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *config_conninfo;

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);
	return v && *v ? v : fallback;
}

const char *config_gearman_servers(void) { return env_or("JOBDECK_GEARMAN", "127.0.0.1:4730"); }
const char *config_namespace(void) { return env_or("JOBDECK_NAMESPACE", "jobdeck"); }
const char *config_tasks_file(void) { return env_or("JOBDECK_CONFIG", "/etc/jobdeck/tasks.conf"); }
const char *config_export_dir(void) { return getenv("JOBDECK_EXPORT_DIR"); }

const char *config_downloads_dir(void)
{
	static char dir[4096];
	if (dir[0])
		return dir;
	const char *v = getenv("JOBDECK_DOWNLOADS");
	if (v && *v)
		snprintf(dir, sizeof dir, "%s", v);
	else if (getenv("HOME"))
		snprintf(dir, sizeof dir, "%s/.local/share/jobdeck/downloads", getenv("HOME"));
	else
		snprintf(dir, sizeof dir, "/tmp/jobdeck-downloads");
	/* make the folder and its parents; failures show later where a file is written */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0755);
			*p = '/';
		}
	mkdir(dir, 0755);
	return dir;
}

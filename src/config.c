/* config.c — see config.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

const char *config_conninfo;

/* The rows of config_vars, so no name is written twice. */
enum { GEARMAN, NAMESPACE, DOWNLOADS, TASKS, HEARTBEAT, RETENTION, EXPORT_DIR, NOCOLOR, SETTINGS, CLOCK };

const config_var config_vars[] = {
	[GEARMAN] = { "JOBDECK_GEARMAN", "127.0.0.1:4730", "gearmand servers, host:port[,host:port...]" },
	[NAMESPACE] = { "JOBDECK_NAMESPACE", "jobdeck", "prefix of Gearman function names, so installations can share a gearmand" },
	[DOWNLOADS] = { "JOBDECK_DOWNLOADS", "~/.local/share/jobdeck/downloads", "the worker's scratch folder for files jobs produce (each is stored in the database when its job ends, then removed)" },
	[TASKS] = { "JOBDECK_CONFIG", "/etc/jobdeck/tasks.conf", "the worker's task file" },
	[HEARTBEAT] = { "JOBDECK_HEARTBEAT_TIMEOUT", "60", "seconds of silence after which a running job's worker counts as lost" },
	[RETENTION] = { "JOBDECK_RETENTION", "unset", "prune inactive jobs that ended longer ago than this (90d, 12h, 2w), in the workers' sweep" },
	[EXPORT_DIR] = { "JOBDECK_EXPORT_DIR", "the current folder", "folder the dashboard's export and download offer" },
	[NOCOLOR] = { "NO_COLOR", "unset", "when set and not empty, a monochrome dashboard" },
	[SETTINGS] = { "XDG_CONFIG_HOME", "~/.config", "the dashboard's settings file is jobdeck/config in this folder" },
	[CLOCK] = { "JOBDECK_CLOCK", "unset", "for screen tests: seconds since the epoch the dashboard shows as now" },
};
const size_t config_nvars = ARRAY_SIZE(config_vars);

void config_print(FILE *f)
{
	for (size_t i = 0; i < config_nvars; i++)
		fprintf(f, "  %s\n      %s (default: %s)\n", config_vars[i].name, config_vars[i].meaning,
			config_vars[i].fallback);
}

/* The value of row i of the table; NULL when unset or empty. */
static const char *value(int i)
{
	const char *v = getenv(config_vars[i].name);
	return v && *v ? v : NULL;
}

/* The value of row i, or its default (rows whose default is a value). */
static const char *value_or_default(int i)
{
	const char *v = value(i);
	return v ? v : config_vars[i].fallback;
}

const char *config_gearman_servers(void) { return value_or_default(GEARMAN); }
const char *config_namespace(void) { return value_or_default(NAMESPACE); }
const char *config_tasks_file(void) { return value_or_default(TASKS); }
bool config_tasks_file_set(void) { return getenv(config_vars[TASKS].name) != NULL; }

/* the settings file's export folder, which JOBDECK_EXPORT_DIR overrides */
static const char *export_dir_file;
void config_set_export_dir(const char *dir) { export_dir_file = dir; }
const char *config_export_dir(void)
{
	const char *v = value(EXPORT_DIR);
	return v ? v : export_dir_file;
}

char *config_settings_file(void)
{
	const char *v = value(SETTINGS), *home = getenv("HOME");
	if (v)
		return xasprintf("%s/jobdeck/config", v);
	return home && *home ? xasprintf("%s/.config/jobdeck/config", home) : NULL;
}

char *config_expand_home(const char *path)
{
	const char *home = getenv("HOME");
	if (path[0] == '~' && (path[1] == '/' || !path[1]) && home && *home)
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

int64_t config_retention(void)
{
	const char *v = value(RETENTION);
	return v ? parse_span(v) : 0;
}
bool config_color(void) { return value(NOCOLOR) == NULL; }

int64_t config_clock(void)
{
	int64_t s = parse_count(value(CLOCK));
	return s >= 0 ? s * 1000000 : -1;
}

double config_heartbeat_timeout(void)
{
	const char *v = value(HEARTBEAT);
	if (v) {
		char *end;
		double t = strtod(v, &end);
		if (end != v && !*end && t > 0 && t < 1e6)
			return t;
	}
	return strtod(config_vars[HEARTBEAT].fallback, NULL);
}

double config_beat_period(void)
{
	double b = config_heartbeat_timeout() / 4;
	return b < 0.2 ? 0.2 : b > 15 ? 15 : b;
}

const char *config_downloads_dir(void)
{
	static char dir[4096];
	if (dir[0])
		return dir;
	const char *v = value(DOWNLOADS);
	if (v)
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

/* config.h — every setting jobdeck reads from its environment, and its default, in one place.
 *
 * The table in config.c is the list: `jobdeck --help` prints it, and a test compares it with
 * the README's and the man page's (tests/integration/b55_config.sh). Nothing else in the
 * program calls getenv for a setting of its own. The database is found by libpq's own
 * conventions (PG* variables, PGSERVICE, .pgpass) or --db. */
#ifndef JOBDECK_CONFIG_H
#define JOBDECK_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

extern const char *config_conninfo;   /* set by --db; NULL: libpq's defaults */

/* One setting: its variable, its default as a reader would say it, and what it is. */
typedef struct config_var {
	const char *name;
	const char *fallback;
	const char *meaning;
} config_var;
extern const config_var config_vars[];
extern const size_t config_nvars;
/* The settings, each its name and a line saying what it is and its default, for --help. */
void config_print(FILE *f);

const char *config_gearman_servers(void);   /* JOBDECK_GEARMAN */
const char *config_namespace(void);         /* JOBDECK_NAMESPACE */
const char *config_downloads_dir(void);     /* JOBDECK_DOWNLOADS; created on first use when possible */
const char *config_tasks_file(void);        /* JOBDECK_CONFIG */
bool config_tasks_file_set(void);           /* JOBDECK_CONFIG was given (so the file must exist) */
double config_heartbeat_timeout(void);      /* JOBDECK_HEARTBEAT_TIMEOUT, seconds */
/* How often a job's heartbeat is written: a quarter of the timeout, within 0.2 s to 15 s. */
double config_beat_period(void);
/* JOBDECK_EXPORT_DIR, else the folder given to config_set_export_dir; NULL when neither. */
const char *config_export_dir(void);
void config_set_export_dir(const char *dir);   /* the settings file's; dir must stay */
/* The dashboard's settings file: $XDG_CONFIG_HOME/jobdeck/config, else
 * ~/.config/jobdeck/config; NULL without HOME. Caller frees. */
char *config_settings_file(void);
/* path with a leading ~ replaced by $HOME. Caller frees. */
char *config_expand_home(const char *path);
/* JOBDECK_RETENTION in µs: 0 when unset (keep every job), -1 when it is no span. */
int64_t config_retention(void);
bool config_color(void);                    /* not NO_COLOR */
/* JOBDECK_CLOCK: the time the dashboard shows as now, in µs since the epoch, for screen
 * tests; -1 when unset (the real clock). */
int64_t config_clock(void);

#endif

/* config.h — settings from flags and the environment.
 *
 *   --db CONNINFO / libpq's PG* variables, PGSERVICE, .pgpass   the database
 *   JOBDECK_GEARMAN     gearmand servers, "host:port[,host:port...]" (default 127.0.0.1:4730)
 *   JOBDECK_NAMESPACE   prefix of Gearman function names (default "jobdeck")
 *   JOBDECK_DOWNLOADS   folder for files jobs produce
 *   JOBDECK_CONFIG      the worker's task file (default /etc/jobdeck/tasks.conf)
 *   JOBDECK_EXPORT_DIR  the folder the dashboard offers for exports (default: the current one)
 */
#ifndef JOBDECK_CONFIG_H
#define JOBDECK_CONFIG_H

extern const char *config_conninfo;   /* set by --db; NULL: libpq's defaults */

const char *config_gearman_servers(void);
const char *config_namespace(void);
const char *config_downloads_dir(void);   /* created on first use when possible */
const char *config_tasks_file(void);
const char *config_export_dir(void);      /* NULL or "" when unset */

#endif

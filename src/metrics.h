/* metrics.h — jobdeck's state in the Prometheus text exposition format (version 0.0.4), for
 * node_exporter's textfile collector or any scraper.
 *
 * Everything is read as the connected role, so the job metrics are what it may see:
 * administrators and workers every job, a user their own (jobdeck_scope_all says which).
 * The workers' states need an administrator or a worker (the table is theirs); gearmand's
 * queues are anyone's, as `jobdeck queues` is. Each query reads an index or a counter, so a
 * scrape costs milliseconds at a million jobs. */
#ifndef JOBDECK_METRICS_H
#define JOBDECK_METRICS_H

#include "db.h"
#include "util.h"

/* The duration histogram's upper bounds, in seconds (then +Inf). */
#define METRICS_BUCKETS { 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600 }

/* Appends every metric to out: gearmand's functions of namespace ns on servers (a server that
 * does not answer is jobdeck_gearmand_up 0, not a failure). 0, or -1 (db_error; out then
 * holds a part, not to be printed). */
int metrics_collect(db *d, const char *servers, const char *ns, double heartbeat_timeout, strbuf *out);

#endif

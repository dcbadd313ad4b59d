/* workers.h — the workers as the database knows them (db/051): each worker process beats a
 * row; administrators read them, with the throughput and queue wait that the jobs' own
 * timestamps tell. */
#ifndef JOBDECK_WORKERS_H
#define JOBDECK_WORKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "util.h"

/* ==== a worker process ==== */

typedef struct worker_beat {
	const char *id, *host, *ns;
	int pid, concurrency;
	const char *const *routes;   /* TYPE or command:TASK */
	size_t nroutes;
	int64_t completed, failed;   /* since it started */
} worker_beat;
/* Registers the worker, or says it is alive and what it has done. 0 or -1 (db_error). */
int workers_beat(db *d, const worker_beat *b);
/* The worker stopped cleanly. */
int workers_stop(db *d, const char *id);

/* ==== reading them (administrators) ==== */

typedef enum worker_state { WORKER_IDLE, WORKER_BUSY, WORKER_PAUSED, WORKER_LOST, WORKER_STOPPED } worker_state;
const char *worker_state_name(worker_state s);   /* "idle", "busy", ... */

typedef struct worker_row {
	char *id, *host, *ns;
	int pid, concurrency;
	char *routes;                /* "sleep, csv-import, command:reindex" */
	worker_state state;
	char *current;               /* the ids of its running jobs, "12, 13"; "" when none */
	int64_t completed, failed;
	jd_time started_at, heartbeat_at;
	char *routes_json, *current_json;   /* the same two as JSON arrays, for scripts */
} worker_row;

typedef struct worker_list {
	worker_row *v;
	size_t n;
} worker_list;
/* Every worker that beat in the last day or still runs, newest first; a worker silent for
 * more than timeout_s seconds is lost, one whose every route is paused is paused. */
int workers_list(db *d, double timeout_s, worker_list *out);
void worker_list_release(worker_list *l);

/* Jobs ended per minute over the last hour (oldest first) and how long jobs waited to start
 * over the last 15 minutes, from the jobs' timestamps. */
#define THROUGHPUT_MINUTES 60
typedef struct throughput {
	int64_t completed[THROUGHPUT_MINUTES], failed[THROUGHPUT_MINUTES];
	int64_t waited;              /* jobs that started in the last 15 minutes */
	double wait_p50, wait_p95;   /* seconds from queued (or created) to started */
} throughput;
int workers_throughput(db *d, throughput *t);
/* A sparkline of n counts in ▁▂▃▄▅▆▇█ (a space for none), scaled to the largest. */
void workers_sparkline(const int64_t *v, size_t n, strbuf *out);

#endif

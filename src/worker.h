/* worker.h — `jobdeck worker`: takes job ids from gearmand and runs the jobs.
 *
 * A worker claims each job in the database before running it (so a job never runs twice at
 * once), keeps its heartbeat and console output current from a companion thread (runner.h),
 * and ends it Completed or Error. Every few seconds one worker of the namespace (an advisory
 * lock decides which) sweeps: jobs whose worker went silent are retried or ended, and jobs
 * gearmand lost are handed to it again. SIGTERM finishes the current job, then exits. */
#ifndef JOBDECK_WORKER_H
#define JOBDECK_WORKER_H

/* Seconds without a heartbeat after which a running job's worker is taken for lost:
 * JOBDECK_HEARTBEAT_TIMEOUT (decimal, > 0), default 60. */
double worker_heartbeat_timeout(void);

/* The heartbeat period for that timeout: a quarter of it, between 0.2 s and 15 s. */
double worker_beat_period(double timeout_s);

#endif

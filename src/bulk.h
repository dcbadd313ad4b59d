/* bulk.h — acting on many jobs at once: clear, cancel or retry the jobs of a tab and filter,
 * or a chosen set (the dashboard's marks).
 *
 * A plan says, before anything is done, how many jobs the action will take and how many it
 * will skip and why (running, someone else's, not failed...), so the question asked can say
 * so. The database has the last word: its functions act only on what the caller may touch,
 * whatever the plan said. */
#ifndef JOBDECK_BULK_H
#define JOBDECK_BULK_H

#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "jobs.h"

typedef enum bulk_action { BULK_CLEAR, BULK_CANCEL, BULK_RETRY } bulk_action;
const char *bulk_verb(bulk_action a);   /* "clear", "cancel", "retry" */

/* Why a job is skipped. */
enum { SKIP_RUNNING, SKIP_NOT_RUNNING, SKIP_NOT_FAILED, SKIP_NOT_YOURS, SKIP_CMDLINE, SKIP_GONE, SKIP_N };

typedef struct bulk_plan {
	bulk_action action;
	int64_t *ids;            /* the jobs to act on, in id order */
	size_t n;
	int64_t skipped[SKIP_N];
} bulk_plan;

/* Plans the action on every job of the query, or on the n jobs of ids. 0, or -1 (db_error). */
int bulk_plan_query(db *d, bulk_action a, const jobs_query *q, bulk_plan *p);
int bulk_plan_ids(db *d, bulk_action a, const int64_t *ids, size_t n, bulk_plan *p);
void bulk_plan_release(bulk_plan *p);
/* "12 jobs will be cleared; 3 are skipped: 2 running, 1 someone else's" (one line). */
void bulk_plan_text(const bulk_plan *p, char *out, size_t n);
/* The skips alone: "2 running, 1 someone else's"; "" when none. */
void bulk_skips_text(const bulk_plan *p, char *out, size_t n);

/* What happened. */
typedef struct bulk_result {
	int64_t done;            /* cleared, cancelled (ended or asked to stop) or retried */
	int64_t refused;         /* the database would not (changed since the plan) */
	int64_t queued_failed;   /* retried, but gearmand did not take the new job */
	char error[600];         /* gearmand's reason when queued_failed */
} bulk_result;
/* Hands the new jobs of a retry (jobs_retry's results, reordered) to gearmand; r counts those
 * it did not take, with the reason. */
void bulk_hand_over(const char *servers, jobs_retry_result *v, size_t n, bulk_result *r);
/* Carries the plan out, a thousand jobs a statement; new jobs of a retry are handed to
 * gearmand (servers). 0, or -1 (db_error) with r saying what was done before. */
int bulk_run(db *d, const bulk_plan *p, const char *servers, bulk_result *r);

#endif

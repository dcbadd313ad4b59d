/* queue.h — the Gearman side of jobdeck: handing a job id to gearmand, asking who is there.
 *
 * gearmand carries only job ids; the database holds everything else. A job of type TYPE goes
 * to function NAMESPACE:TYPE (an external-command task NAME to NAMESPACE:command:NAME), with
 * the job id as both workload and unique, so handing the same job over twice never makes two
 * gearmand jobs. Server status comes from gearmand's admin text protocol over a plain socket
 * with a timeout (libgearman 1.1's status calls can spin when a server is down). */
#ifndef JOBDECK_QUEUE_H
#define JOBDECK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct queue queue;

/* A client for the servers "host:port[,host:port...]". Never NULL; caller frees with
 * queue_close. Nothing connects until the first submit.
 *
 * With several servers each job goes to ONE of them: its home server (the job id modulo the
 * number of servers, which spreads jobs evenly), or when that one fails the next in turn, and
 * so on; a server that failed is tried after the others for two seconds. (libgearman's own
 * client sends every job to the last server listed and moves on only when it cannot connect;
 * a connection lost in the middle of a pipelined batch failed the whole batch.) A job handed
 * over twice (a server that took it but died before answering) is harmless: the claim lets
 * only one worker run it. */
queue *queue_open(const char *servers);
void queue_close(queue *q);

/* The route of a job: its type, or "command:TASK" for an external-command task. Writes into
 * out (n bytes). */
void queue_route(const char *type, const char *task, char *out, size_t n);
/* The Gearman function for a route in a namespace: "NAMESPACE:ROUTE". */
void queue_function(const char *ns, const char *route, char *out, size_t n);

/* Hands job id to gearmand as a background job on function fn. 0, or -1 with one line
 * naming the server(s) and the reason in err. Waits at most about timeout_ms. */
int queue_submit(queue *q, const char *fn, int64_t id, int timeout_ms, char *err, size_t errlen);

/* Hands n job ids to gearmand as background jobs on function fn, pipelined: every request is
 * sent, then the replies are read (one wait, not n round trips). ok[i] tells whether job i was
 * taken. Returns how many were taken; when not all were, err has one line naming the
 * server(s) and the reason. Waits at most about timeout_ms. ok is the caller's (n entries). */
size_t queue_submit_many(queue *q, const char *fn, const int64_t *ids, size_t n, int timeout_ms,
			 bool *ok, char *err, size_t errlen);

/* Asks gearmand at host:port for its version (the admin protocol): 0 when it answered within
 * timeout_ms, -1 with the reason in err. */
int queue_probe(const char *host, int port, int timeout_ms, char *err, size_t errlen);

/* What gearmand's admin "status" says about one function, summed over the servers. */
typedef struct queue_fstat {
	int64_t total;      /* jobs queued, running included */
	int64_t running;
	int64_t workers;    /* workers that registered the function */
} queue_fstat;

/* Status lines for every function of every server that answered, through fn (one call per
 * server and function). Returns how many servers answered; when none did, -1 with the first
 * server's address and reason in err. */
typedef void (*queue_status_fn)(void *ctx, const char *function, const queue_fstat *st);
int queue_status(const char *servers, int timeout_ms, queue_status_fn fn, void *ctx, char *err,
		 size_t errlen);
/* The same, server by server: after each server's functions (through fn, with ctx), on_server
 * (with sctx) gets its address and NULL when it answered, or the reason it did not. Returns
 * how many answered. */
typedef void (*queue_server_fn)(void *sctx, const char *server, const char *error);
int queue_status_by_server(const char *servers, int timeout_ms, queue_server_fn on_server, void *sctx,
			   queue_status_fn fn, void *ctx);
/* The status of one function, summed. 0 (st zero when no server knows it), or -1 with err. */
int queue_status_of(const char *servers, const char *function, int timeout_ms, queue_fstat *st,
		    char *err, size_t errlen);

/* Parses one admin status line "FUNC\tTOTAL\tRUNNING\tWORKERS" (for unit tests and the
 * reader). 0, or -1 when it is not one; *function points into a copy in fnbuf. */
int queue_parse_status_line(const char *line, char *fnbuf, size_t fnlen, queue_fstat *st);

/* Splits "host:port,host:port" one entry at a time: *pos starts at 0; returns false at the
 * end. "[v6addr]:port" and a missing port (4730) are understood. */
bool queue_next_server(const char *servers, size_t *pos, char *host, size_t hostlen, int *port);

#endif

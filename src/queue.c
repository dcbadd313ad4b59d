/* queue.c — see queue.h. The only file besides worker.c that includes libgearman. */
#include "queue.h"

#include <errno.h>
#include <fcntl.h>
#include <libgearman/gearman.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

struct queue {
	gearman_client_st *client;
	char *servers;
	bool added;
};

/* ==== names ==== */

void queue_route(const char *type, const char *task, char *out, size_t n)
{
	if (strcmp(type, "command") == 0 && task && *task)
		snprintf(out, n, "command:%s", task);
	else
		snprintf(out, n, "%s", type);
}

void queue_function(const char *ns, const char *route, char *out, size_t n)
{
	snprintf(out, n, "%s:%s", ns, route);
}

bool queue_next_server(const char *servers, size_t *pos, char *host, size_t hostlen, int *port)
{
	const char *s = servers + *pos;
	while (*s == ',' || *s == ' ')
		s++;
	if (!*s)
		return false;
	const char *end = strchr(s, ',');
	if (!end)
		end = s + strlen(s);
	*pos = (size_t)(end - servers);
	char entry[300];
	snprintf(entry, sizeof entry, "%.*s", (int)(end - s), s);
	char *h = entry, *colon;
	*port = 4730;
	if (*h == '[' && (colon = strchr(h, ']'))) {
		*colon = '\0';
		h++;
		if (colon[1] == ':')
			*port = atoi(colon + 2);
	} else if ((colon = strrchr(h, ':')) && !strchr(colon + 1, ':') && colon == strchr(h, ':')) {
		*colon = '\0';
		*port = atoi(colon + 1);
	}
	while (*h == ' ')
		h++;
	size_t hl = strlen(h);
	while (hl && h[hl - 1] == ' ')
		h[--hl] = '\0';
	snprintf(host, hostlen, "%s", *h ? h : "127.0.0.1");
	if (*port <= 0 || *port > 65535)
		*port = 4730;
	return true;
}

/* ==== submitting ==== */

queue *queue_open(const char *servers)
{
	queue *q = xcalloc(1, sizeof *q);
	q->servers = xstrdup(servers);
	return q;
}

void queue_close(queue *q)
{
	if (!q)
		return;
	if (q->client)
		gearman_client_free(q->client);
	free(q->servers);
	free(q);
}

/* a fresh client next time: libgearman keeps a failed connection's state around */
static void client_reset(queue *q)
{
	gearman_client_free(q->client);
	q->client = NULL;
	q->added = false;
}

static int client_ready(queue *q, char *err, size_t errlen)
{
	if (q->client && q->added)
		return 0;
	if (!q->client && !(q->client = gearman_client_create(NULL))) {
		snprintf(err, errlen, "cannot create a gearman client");
		return -1;
	}
	size_t pos = 0;
	char host[256];
	int port;
	while (queue_next_server(q->servers, &pos, host, sizeof host, &port)) {
		gearman_return_t rc = gearman_client_add_server(q->client, host, (in_port_t)port);
		if (gearman_failed(rc)) {
			snprintf(err, errlen, "gearmand %s:%d: %s", host, port, gearman_client_error(q->client));
			return -1;
		}
	}
	q->added = true;
	return 0;
}

int queue_submit(queue *q, const char *fn, int64_t id, int timeout_ms, char *err, size_t errlen)
{
	if (client_ready(q, err, errlen) < 0)
		return -1;
	gearman_client_set_timeout(q->client, timeout_ms);
	char ids[24];
	int len = snprintf(ids, sizeof ids, "%lld", (long long)id);
	gearman_job_handle_t handle;
	gearman_return_t rc = gearman_client_do_background(q->client, fn, ids, ids, (size_t)len, handle);
	if (gearman_success(rc))
		return 0;
	const char *why = gearman_client_error(q->client);
	snprintf(err, errlen, "gearmand %s did not take the job: %s", q->servers,
		 why && *why ? why : gearman_strerror(rc));
	client_reset(q);
	return -1;
}

size_t queue_submit_many(queue *q, const char *fn, const int64_t *ids, size_t n, int timeout_ms,
			 bool *ok, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		ok[i] = false;
	if (n == 0)
		return 0;
	if (client_ready(q, err, errlen) < 0)
		return 0;
	gearman_client_set_timeout(q->client, timeout_ms);
	char (*idtext)[24] = xcalloc(n, sizeof *idtext);
	gearman_task_st **tasks = xcalloc(n, sizeof *tasks);
	gearman_return_t rc = GEARMAN_SUCCESS;
	size_t added = 0, taken = 0;
	for (; added < n; added++) {
		int len = snprintf(idtext[added], sizeof idtext[added], "%lld", (long long)ids[added]);
		tasks[added] = gearman_client_add_task_background(q->client, NULL, NULL, fn, idtext[added],
								  idtext[added], (size_t)len, &rc);
		if (!tasks[added] || gearman_failed(rc))
			break;
	}
	if (added == n)
		rc = gearman_client_run_tasks(q->client);
	const char *why = NULL;
	for (size_t i = 0; i < added; i++) {
		/* a background task is done once gearmand answered JOB_CREATED */
		if (gearman_success(rc) && gearman_success(gearman_task_return(tasks[i]))) {
			ok[i] = true;
			taken++;
		} else if (!why && gearman_failed(gearman_task_return(tasks[i]))) {
			why = gearman_strerror(gearman_task_return(tasks[i]));
		}
	}
	if (taken < n) {
		const char *cerr = gearman_client_error(q->client);
		snprintf(err, errlen, "gearmand %s did not take the job%s: %s", q->servers, n - taken == 1 ? "" : "s",
			 cerr && *cerr ? cerr : gearman_failed(rc) ? gearman_strerror(rc) : why ? why : "no answer");
	}
	for (size_t i = 0; i < added; i++)
		if (tasks[i])
			gearman_task_free(tasks[i]);
	free(tasks);
	free(idtext);
	if (taken < n)
		client_reset(q);
	return taken;
}

/* ==== admin status ==== */

int queue_parse_status_line(const char *line, char *fnbuf, size_t fnlen, queue_fstat *st)
{
	const char *t1 = strchr(line, '\t');
	if (!t1)
		return -1;
	char *end;
	long long total = strtoll(t1 + 1, &end, 10);
	if (*end != '\t')
		return -1;
	long long running = strtoll(end + 1, &end, 10);
	if (*end != '\t')
		return -1;
	long long workers = strtoll(end + 1, &end, 10);
	if (*end && *end != '\r' && *end != '\n')
		return -1;
	snprintf(fnbuf, fnlen, "%.*s", (int)(t1 - line), line);
	st->total = total;
	st->running = running;
	st->workers = workers;
	return 0;
}

/* Connects to host:port within timeout_ms. Returns the socket, or -1 with err. */
static int connect_timeout(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
	struct addrinfo hints = { 0 }, *ai = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	char ports[16];
	snprintf(ports, sizeof ports, "%d", port);
	int g = getaddrinfo(host, ports, &hints, &ai);
	if (g != 0) {
		snprintf(err, errlen, "gearmand %s:%d: %s", host, port, gai_strerror(g));
		return -1;
	}
	int fd = -1, saved = 0;
	for (struct addrinfo *a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0) {
			saved = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			break;
		if (errno == EINPROGRESS) {
			struct pollfd p = { fd, POLLOUT, 0 };
			int r = poll(&p, 1, timeout_ms);
			int soerr = 0;
			socklen_t sl = sizeof soerr;
			if (r > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0)
				break;
			saved = r == 0 ? ETIMEDOUT : soerr ? soerr : errno;
		} else {
			saved = errno;
		}
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		snprintf(err, errlen, "gearmand %s:%d is unreachable: %s", host, port, strerror(saved));
	return fd;
}

/* Sends "status" and reads lines until "." or the deadline. */
static int status_one(const char *host, int port, int timeout_ms, queue_status_fn fn, void *ctx,
		      char *err, size_t errlen)
{
	int fd = connect_timeout(host, port, timeout_ms, err, errlen);
	if (fd < 0)
		return -1;
	jd_time deadline = jd_now() + (jd_time)timeout_ms * 1000;
	static const char cmd[] = "status\n";
	if (send(fd, cmd, sizeof cmd - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof cmd - 1)) {
		snprintf(err, errlen, "gearmand %s:%d: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	strbuf in = STRBUF_INIT;
	int rc = -1;
	size_t done = 0;
	for (;;) {
		/* handle the complete lines received so far */
		char *nl;
		while (in.buf && (nl = memchr(in.buf + done, '\n', in.len - done))) {
			*nl = '\0';
			char *line = in.buf + done;
			done = (size_t)(nl - in.buf) + 1;
			if (strcmp(line, ".") == 0 || strcmp(line, ".\r") == 0) {
				rc = 0;
				goto out;
			}
			char fname[256];
			queue_fstat st;
			if (queue_parse_status_line(line, fname, sizeof fname, &st) == 0)
				fn(ctx, fname, &st);
		}
		int left = (int)((deadline - jd_now()) / 1000);
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, left) <= 0) {
			snprintf(err, errlen, "gearmand %s:%d did not answer in time", host, port);
			goto out;
		}
		char buf[4096];
		ssize_t n = recv(fd, buf, sizeof buf, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "gearmand %s:%d closed the connection", host, port);
			goto out;
		}
		sb_add(&in, buf, (size_t)n);
	}
out:
	sb_release(&in);
	close(fd);
	return rc;
}

int queue_status_by_server(const char *servers, int timeout_ms, queue_server_fn on_server, void *sctx,
			   queue_status_fn fn, void *ctx)
{
	size_t pos = 0;
	char host[256], name[300];
	int port, answered = 0;
	while (queue_next_server(servers, &pos, host, sizeof host, &port)) {
		char e[300];
		snprintf(name, sizeof name, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
		bool ok = status_one(host, port, timeout_ms, fn, ctx, e, sizeof e) == 0;
		answered += ok;
		on_server(sctx, name, ok ? NULL : e);
	}
	return answered;
}

struct first_error {
	char reason[300];
	int tried;
};

static void keep_first(void *sctx, const char *server, const char *error)
{
	struct first_error *f = sctx;
	(void)server;
	f->tried++;
	if (error && !f->reason[0])
		snprintf(f->reason, sizeof f->reason, "%s", error);
}

int queue_status(const char *servers, int timeout_ms, queue_status_fn fn, void *ctx, char *err, size_t errlen)
{
	struct first_error f = { "", 0 };
	int answered = queue_status_by_server(servers, timeout_ms, keep_first, &f, fn, ctx);
	if (answered == 0) {
		snprintf(err, errlen, "%s", f.tried ? f.reason : "no gearmand server configured");
		return -1;
	}
	return answered;
}

struct one_ctx {
	const char *function;
	queue_fstat *st;
};

static void add_one(void *ctx, const char *function, const queue_fstat *st)
{
	struct one_ctx *c = ctx;
	if (strcmp(function, c->function) != 0)
		return;
	c->st->total += st->total;
	c->st->running += st->running;
	c->st->workers += st->workers;
}

int queue_status_of(const char *servers, const char *function, int timeout_ms, queue_fstat *st, char *err,
		    size_t errlen)
{
	memset(st, 0, sizeof *st);
	struct one_ctx c = { function, st };
	return queue_status(servers, timeout_ms, add_one, &c, err, errlen) < 0 ? -1 : 0;
}

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

/* One server of a client: its own libgearman client, so a failure is known to be its own. */
struct qserver {
	char host[256];
	int port;
	char name[300];
	gearman_client_st *client;
	jd_time down_until;     /* it failed: tried after the others until then */
};

struct queue {
	struct qserver *v;
	size_t n;
	char *servers;
};

#define DOWN_FOR (2 * 1000 * 1000)   /* µs a failed server is tried after the others */

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

static void server_name(const char *host, int port, char *out, size_t n)
{
	snprintf(out, n, strchr(host, ':') ? "[%s]:%d" : "%s:%d", host, port);
}

queue *queue_open(const char *servers)
{
	queue *q = xcalloc(1, sizeof *q);
	q->servers = xstrdup(servers);
	size_t pos = 0;
	char host[256];
	int port;
	while (queue_next_server(servers, &pos, host, sizeof host, &port)) {
		q->v = xrealloc(q->v, (q->n + 1) * sizeof *q->v);
		struct qserver *sv = &q->v[q->n++];
		memset(sv, 0, sizeof *sv);
		snprintf(sv->host, sizeof sv->host, "%s", host);
		sv->port = port;
		server_name(host, port, sv->name, sizeof sv->name);
	}
	return q;
}

void queue_close(queue *q)
{
	if (!q)
		return;
	for (size_t k = 0; k < q->n; k++)
		if (q->v[k].client)
			gearman_client_free(q->v[k].client);
	free(q->v);
	free(q->servers);
	free(q);
}

/* A server failed: a fresh client next time (libgearman keeps a failed connection's state
 * around), and the others first for a while. */
static void server_failed(struct qserver *sv)
{
	if (sv->client)
		gearman_client_free(sv->client);
	sv->client = NULL;
	sv->down_until = jd_now() + DOWN_FOR;
}

/* The server that job id tries at round r (0 .. n-1): each job has a home server (its id
 * modulo n, which spreads jobs over the servers), then the next ones in turn; servers that
 * failed lately come last. down: which were failing when the call began. */
static size_t choice(size_t n, const bool *down, int64_t id, size_t r)
{
	size_t home = (size_t)(id % (int64_t)n), seen = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			size_t k = (home + i) % n;
			if (down[k] != (pass == 1))
				continue;
			if (seen++ == r)
				return k;
		}
	return home;
}

/* Hands the jobs ids[at[0..m-1]] to server sv, pipelined. Marks ok; returns how many were
 * taken. When not all were, the reason goes into why and the server counts as failed. */
static size_t submit_to(struct qserver *sv, const char *fn, const int64_t *ids, const size_t *at, size_t m,
			int timeout_ms, bool *ok, strbuf *why, char *last, size_t lastlen)
{
	const char *reason = NULL;
	if (!sv->client) {
		if (!(sv->client = gearman_client_create(NULL))) {
			snprintf(last, lastlen, "cannot create a gearman client");
			sb_addf(why, "%s%s: %s", why->len ? "; " : "", sv->name, last);
			return 0;
		}
		if (gearman_failed(gearman_client_add_server(sv->client, sv->host, (in_port_t)sv->port))) {
			snprintf(last, lastlen, "%s", gearman_client_error(sv->client));
			sb_addf(why, "%s%s: %s", why->len ? "; " : "", sv->name, last);
			server_failed(sv);
			return 0;
		}
	}
	gearman_client_set_timeout(sv->client, timeout_ms);
	char (*idtext)[24] = xcalloc(m, sizeof *idtext);
	gearman_task_st **tasks = xcalloc(m, sizeof *tasks);
	gearman_return_t rc = GEARMAN_SUCCESS;
	size_t added = 0, taken = 0;
	for (; added < m; added++) {
		int len = snprintf(idtext[added], sizeof idtext[added], "%lld", (long long)ids[at[added]]);
		tasks[added] = gearman_client_add_task_background(sv->client, NULL, NULL, fn, idtext[added],
								  idtext[added], (size_t)len, &rc);
		if (!tasks[added] || gearman_failed(rc))
			break;
	}
	if (added == m)
		rc = gearman_client_run_tasks(sv->client);
	for (size_t i = 0; i < added; i++) {
		/* a background task is done once gearmand answered JOB_CREATED */
		if (gearman_success(rc) && gearman_success(gearman_task_return(tasks[i]))) {
			ok[at[i]] = true;
			taken++;
		} else if (!reason && gearman_failed(gearman_task_return(tasks[i]))) {
			reason = gearman_strerror(gearman_task_return(tasks[i]));
		}
	}
	if (taken < m) {
		const char *cerr = gearman_client_error(sv->client);
		snprintf(last, lastlen, "%s",
			 cerr && *cerr ? cerr : gearman_failed(rc) ? gearman_strerror(rc) : reason ? reason : "no answer");
		sb_addf(why, "%s%s: %s", why->len ? "; " : "", sv->name, last);
	}
	for (size_t i = 0; i < added; i++)
		if (tasks[i])
			gearman_task_free(tasks[i]);
	free(tasks);
	free(idtext);
	if (taken < m)
		server_failed(sv);
	return taken;
}

size_t queue_submit_many(queue *q, const char *fn, const int64_t *ids, size_t n, int timeout_ms,
			 bool *ok, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		ok[i] = false;
	if (n == 0)
		return 0;
	if (q->n == 0) {
		snprintf(err, errlen, "no gearmand server configured");
		return 0;
	}
	jd_time now = jd_now();
	bool *down = xcalloc(q->n, sizeof *down), *failed = xcalloc(q->n, sizeof *failed);
	for (size_t k = 0; k < q->n; k++)
		down[k] = q->v[k].down_until > now;
	size_t *at = xcalloc(n, sizeof *at), taken = 0;
	strbuf why = STRBUF_INIT;
	char last[400] = "no answer";
	/* round r: each job not taken yet goes to its r-th server, a server that failed during
	 * this call excepted; so each job is taken by one server, or tried on all */
	for (size_t r = 0; r < q->n && taken < n; r++)
		for (size_t k = 0; k < q->n && taken < n; k++) {
			if (failed[k])
				continue;
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (!ok[i] && choice(q->n, down, ids[i], r) == k)
					at[m++] = i;
			if (!m)
				continue;
			size_t got = submit_to(&q->v[k], fn, ids, at, m, timeout_ms, ok, &why, last, sizeof last);
			taken += got;
			failed[k] = got < m;
		}
	if (taken < n) {
		const char *nj = n - taken == 1 ? "" : "s";
		if (q->n == 1)
			snprintf(err, errlen, "gearmand %s did not take the job%s: %s", q->servers, nj, last);
		else
			snprintf(err, errlen, "no gearmand server took the job%s (%s)", nj, why.buf ? why.buf : "no answer");
	}
	sb_release(&why);
	free(at);
	free(failed);
	free(down);
	return taken;
}

int queue_submit(queue *q, const char *fn, int64_t id, int timeout_ms, char *err, size_t errlen)
{
	bool ok;
	return queue_submit_many(q, fn, &id, 1, timeout_ms, &ok, err, errlen) == 1 ? 0 : -1;
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

int queue_probe(const char *host, int port, int timeout_ms, char *err, size_t errlen)
{
	int fd = connect_timeout(host, port, timeout_ms, err, errlen);
	if (fd < 0)
		return -1;
	jd_time deadline = jd_now() + (jd_time)timeout_ms * 1000;
	static const char cmd[] = "version\n";
	char buf[128];
	size_t got = 0;
	int rc = -1;
	if (send(fd, cmd, sizeof cmd - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof cmd - 1)) {
		snprintf(err, errlen, "gearmand %s:%d: %s", host, port, strerror(errno));
		goto out;
	}
	while (!memchr(buf, '\n', got)) {
		int left = (int)((deadline - jd_now()) / 1000);
		struct pollfd p = { fd, POLLIN, 0 };
		if (left <= 0 || poll(&p, 1, left) <= 0) {
			snprintf(err, errlen, "gearmand %s:%d did not answer in time", host, port);
			goto out;
		}
		ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0 || (got += (size_t)n) == sizeof buf - 1) {
			snprintf(err, errlen, "gearmand %s:%d closed the connection", host, port);
			goto out;
		}
	}
	if (strncmp(buf, "OK", 2) == 0)
		rc = 0;
	else
		snprintf(err, errlen, "%s:%d does not answer as gearmand does", host, port);
out:
	close(fd);
	return rc;
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

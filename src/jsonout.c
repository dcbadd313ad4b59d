/* jsonout.c — see jsonout.h. */
#include "jsonout.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* No "\/" for a slash: it is valid either way, and paths read better without. */
#define FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* The length of the valid UTF-8 at the start of p (n bytes). */
static size_t valid_run(const unsigned char *p, size_t n)
{
	size_t i = 0;
	unsigned cp;
	while (i < n) {
		if (p[i] < 0x80) {   /* the common case, without the decoder */
			i++;
			continue;
		}
		int k = text_utf8_decode(p + i, n - i, &cp);
		if (k == 0)
			break;
		i += (size_t)k;
	}
	return i;
}

/* Appends the inside of a JSON string (no quotes) for n bytes: json-c escapes each valid
 * UTF-8 run, and a byte outside one becomes \udcXX. */
static void escape_into(strbuf *out, const unsigned char *p, size_t n)
{
	while (n) {
		size_t k = valid_run(p, n);
		if (k) {
			json_object *s = json_object_new_string_len((const char *)p, (int)k);
			size_t len;
			const char *t = json_object_to_json_string_length(s, FLAGS, &len);
			sb_add(out, t + 1, len - 2);   /* without its quotes */
			json_object_put(s);
			p += k;
			n -= k;
		} else {
			sb_addf(out, "\\udc%02x", *p);
			p++;
			n--;
		}
	}
}

char *jsonout_string(const char *s, size_t n)
{
	strbuf sb = STRBUF_INIT;
	sb_addc(&sb, '"');
	escape_into(&sb, (const unsigned char *)s, n);
	sb_addc(&sb, '"');
	return sb_detach(&sb);
}

/* json-c's serializer for a string that is not valid UTF-8 (json-c would pass its bytes on
 * raw, which no parser takes). */
static int lossless_string(json_object *jso, struct printbuf *pb, int level, int flags)
{
	(void)level;
	(void)flags;
	char *t = jsonout_string(json_object_get_string(jso), (size_t)json_object_get_string_len(jso));
	printbuf_memappend(pb, t, (int)strlen(t));
	free(t);
	return 0;
}

/* A string, or null for NULL. */
static json_object *str(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	json_object *o = json_object_new_string_len(s, (int)n);
	if (valid_run((const unsigned char *)s, n) != n)
		json_object_set_serializer(o, lossless_string, NULL, NULL);
	return o;
}

static json_object *time_or_null(jd_time t)
{
	char buf[40];
	if (t == JD_TIME_NONE)
		return NULL;
	fmt_iso8601(t, buf, sizeof buf);
	return json_object_new_string(buf);
}

/* Parsed JSON text from the database (jsonb, array_to_json), or dflt when it does not parse. */
static json_object *parsed(const char *text, json_object *dflt)
{
	json_object *o = text ? json_tokener_parse(text) : NULL;
	if (!o)
		return dflt;
	json_object_put(dflt);
	return o;
}

static json_object *job_object(const job_detail *j)
{
	const job_row *r = &j->row;
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(r->id));
	json_object_object_add(o, "name", str(r->name));
	json_object_object_add(o, "type", str(r->type));
	json_object_object_add(o, "status", json_object_new_string(job_status_name(r->status)));
	json_object_object_add(o, "user", str(r->username));
	json_object *rec = NULL;
	if (r->object_id) {
		rec = json_object_new_object();
		json_object_object_add(rec, "id", json_object_new_int64(r->object_id));
		json_object_object_add(rec, "identifier", str(j->record_identifier));
		json_object_object_add(rec, "title", str(j->record_title));
	}
	json_object_object_add(o, "record", rec);
	json_object_object_add(o, "created", time_or_null(r->created_at));
	json_object_object_add(o, "started", time_or_null(r->started_at));
	json_object_object_add(o, "ended", time_or_null(r->completed_at));
	json_object *info = json_object_new_array_ext((int)j->nnotes);
	for (size_t i = 0; i < j->nnotes; i++)
		json_object_array_add(info, str(j->notes[i]));
	json_object_object_add(o, "info", info);
	json_object_object_add(o, "worker", str(j->worker));
	json_object_object_add(o, "attempts", json_object_new_int(j->attempts));
	json_object_object_add(o, "download", r->download_path ? json_object_new_int64(r->download_size) : NULL);
	json_object_object_add(o, "parameters", parsed(j->params, json_object_new_object()));
	return o;
}

/* Writes o and a newline to f; frees o. */
static void put_line(FILE *f, json_object *o)
{
	size_t len;
	const char *t = json_object_to_json_string_length(o, FLAGS, &len);
	fwrite(t, 1, len, f);
	putc('\n', f);
	json_object_put(o);
}

void jsonout_job(FILE *f, const job_detail *j)
{
	put_line(f, job_object(j));
}

/* The output, streamed: a UTF-8 sequence cut by a chunk's end waits for the next chunk. */
struct output_ctx {
	FILE *f;
	strbuf esc;
	unsigned char carry[4];
	size_t ncarry;
};

/* How many bytes at the end of p (n bytes) begin a UTF-8 sequence that the next chunk may
 * complete (0 to 3). */
static size_t cut_sequence(const unsigned char *p, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char c = p[n - back];
		if ((c & 0xC0) == 0x80)
			continue;   /* a continuation byte: look further back */
		size_t want = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
		return want > back ? back : 0;
	}
	return 0;
}

static void output_put(struct output_ctx *o, const unsigned char *p, size_t n)
{
	sb_reset(&o->esc);
	escape_into(&o->esc, p, n);
	fwrite(o->esc.buf ? o->esc.buf : "", 1, o->esc.len, o->f);
}

static int output_chunk(void *ctx, const unsigned char *p, size_t n)
{
	struct output_ctx *o = ctx;
	/* finish the sequence the last chunk cut, byte by byte until it decodes or cannot */
	while (o->ncarry && n) {
		o->carry[o->ncarry++] = *p++;
		n--;
		unsigned cp;
		if (text_utf8_decode(o->carry, o->ncarry, &cp) || o->ncarry == 4 ||
		    cut_sequence(o->carry, o->ncarry) != o->ncarry) {
			output_put(o, o->carry, o->ncarry);
			o->ncarry = 0;
		}
	}
	size_t keep = cut_sequence(p, n);
	output_put(o, p, n - keep);
	memcpy(o->carry, p + n - keep, keep);
	o->ncarry = keep;
	return ferror(o->f) ? 1 : 0;
}

int jsonout_job_output(FILE *f, db *d, const job_detail *j)
{
	json_object *obj = job_object(j);
	size_t len;
	const char *t = json_object_to_json_string_length(obj, FLAGS, &len);
	/* the object without its closing brace, then "output" written as the chunks come */
	fwrite(t, 1, len - 1, f);
	json_object_put(obj);
	fputs(",\"output\":\"", f);
	struct output_ctx o = { .f = f, .esc = STRBUF_INIT };
	int rc = jobs_output_each(d, j->row.id, output_chunk, &o);
	if (rc == 0 && o.ncarry)
		output_put(&o, o.carry, o.ncarry);
	sb_release(&o.esc);
	if (rc < 0)
		return -1;
	fputs("\"}\n", f);
	return 0;
}

void jsonout_worker(FILE *f, const worker_row *w)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", str(w->id));
	json_object_object_add(o, "host", str(w->host));
	json_object_object_add(o, "namespace", str(w->ns));
	json_object_object_add(o, "pid", json_object_new_int(w->pid));
	json_object_object_add(o, "state", json_object_new_string(worker_state_name(w->state)));
	json_object_object_add(o, "processes", json_object_new_int(w->concurrency));
	json_object_object_add(o, "completed", json_object_new_int64(w->completed));
	json_object_object_add(o, "failed", json_object_new_int64(w->failed));
	json_object_object_add(o, "heartbeat", time_or_null(w->heartbeat_at));
	json_object_object_add(o, "started", time_or_null(w->started_at));
	json_object_object_add(o, "jobs", parsed(w->current_json, json_object_new_array()));
	json_object_object_add(o, "routes", parsed(w->routes_json, json_object_new_array()));
	put_line(f, o);
}

void jsonout_queue(FILE *f, const char *server, const char *function, const char *route,
		   const queue_fstat *st, bool paused)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "server", str(server));
	json_object_object_add(o, "function", str(function));
	json_object_object_add(o, "route", str(route));
	json_object_object_add(o, "queued", json_object_new_int64(st->total - st->running));
	json_object_object_add(o, "running", json_object_new_int64(st->running));
	json_object_object_add(o, "workers", json_object_new_int64(st->workers));
	json_object_object_add(o, "paused", json_object_new_boolean(paused));
	put_line(f, o);
}

static ssize_t screen_write(void *cookie, const char *buf, size_t n)
{
	strbuf sb = STRBUF_INIT;
	text_sanitize((const unsigned char *)buf, n, &sb, 1);
	size_t w = fwrite(sb.buf ? sb.buf : "", 1, sb.len, cookie);
	sb_release(&sb);
	return w == sb.len ? (ssize_t)n : -1;
}

static int screen_close(void *cookie)
{
	return fflush(cookie);
}

FILE *jsonout_screen(FILE *f)
{
	cookie_io_functions_t io = { .write = screen_write, .close = screen_close };
	FILE *s = fopencookie(f, "w", io);
	if (!s)
		return NULL;
	setvbuf(s, NULL, _IONBF, 0);
	return s;
}

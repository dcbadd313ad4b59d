/* Unit tests: the task file, placeholders, gearmand admin status lines, server lists, RTF. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jobtypes/jobtypes.h"
#include "queue.h"
#include "tasks.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "scope") == 0)
		return "a b; rm -rf /";
	if (strcmp(name, "job") == 0)
		return "42";
	return NULL;
}

int main(void)
{
	tasks t;
	char err[300];
	int rc = tasks_parse("# tasks\n\n[task reindex]\ndescription = Rebuild the index\n"
			     "command = /usr/bin/reindex\nargs = --scope {scope} \"two words\" x\"y z\"\n"
			     "env = MODE={scope}\nparams = scope, mode\n[task other]\ncommand=/bin/true\n",
			     "t.conf", &t, err, sizeof err);
	CHECK(rc == 0, "a valid task file parses");
	CHECK(t.n == 2, "with both tasks");
	const task *r = tasks_find(&t, "reindex");
	CHECK(r && strcmp(r->command, "/usr/bin/reindex") == 0, "command is read");
	CHECK_STR(r ? r->description : NULL, "Rebuild the index", "description is read");
	CHECK(r && r->nargs == 4, "args are split into words");
	CHECK_STR(r && r->nargs > 2 ? r->args[2] : NULL, "two words", "quotes keep blanks");
	CHECK_STR(r && r->nargs > 3 ? r->args[3] : NULL, "xy z", "quotes join with the word around them");
	CHECK(r && task_accepts(r, "mode") && !task_accepts(r, "other"), "params restrict parameters");
	CHECK(task_accepts(tasks_find(&t, "other"), "anything"), "no params line accepts any");
	strbuf sb = STRBUF_INIT;
	char missing[64];
	CHECK(tasks_expand("--x={scope}/{job}{", lookup, NULL, &sb, missing, sizeof missing) == 0, "placeholders expand");
	CHECK_STR(sb.buf, "--x=a b; rm -rf //42{", "into the values, verbatim");
	sb_release(&sb);
	CHECK(tasks_expand("{nope}", lookup, NULL, &sb, missing, sizeof missing) < 0, "an unknown placeholder fails");
	CHECK_STR(missing, "nope", "naming it");
	sb_release(&sb);
	tasks_release(&t);

	static const struct { const char *text, *msg; } bad[] = {
		{ "command = /bin/true\n", "t.conf:1: 'command' outside a [task NAME] section" },
		{ "[task a]\ncommand = true\n", "t.conf:2: command must be an absolute path" },
		{ "[task a b]\n", "t.conf:1: task name 'a b' must be letters, digits, '.', '_' or '-'" },
		{ "[task a]\ncommand=/x\n[task a]\n", "t.conf:3: task 'a' is defined twice" },
		{ "[task a]\nshell = 1\n", "t.conf:2: unknown setting 'shell'" },
		{ "[task a]\n", "t.conf: task 'a' has no command" },
		{ "[job a]\n", "t.conf:1: expected [task NAME], found [job a]" },
		{ "[task a]\ncommand=/x\nargs = \"open\n", "t.conf:3: unterminated quote in args" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		err[0] = '\0';
		rc = tasks_parse(bad[i].text, "t.conf", &t, err, sizeof err);
		CHECK(rc < 0, "a broken task file is refused");
		CHECK_STR(err, bad[i].msg, "with a message naming the line");
		tasks_release(&t);
	}
	CHECK(tasks_load("/nonexistent/tasks.conf", true, &t, err, sizeof err) == 0 && t.n == 0,
	      "a missing default task file is an empty list");
	CHECK(tasks_load("/nonexistent/tasks.conf", false, &t, err, sizeof err) < 0, "a missing chosen one is an error");

	/* gearmand admin status */
	queue_fstat st;
	char fn[64];
	CHECK(queue_parse_status_line("jobdeck:sleep\t12\t3\t2", fn, sizeof fn, &st) == 0, "a status line parses");
	CHECK_STR(fn, "jobdeck:sleep", "its function");
	CHECK(st.total == 12 && st.running == 3 && st.workers == 2, "its counts");
	CHECK(queue_parse_status_line(".", fn, sizeof fn, &st) < 0, "the end marker is not a status line");
	CHECK(queue_parse_status_line("a\tb\tc\td", fn, sizeof fn, &st) < 0, "nor is garbage");

	/* server lists */
	size_t pos = 0;
	char host[64];
	int port;
	const char *list = "gm1:4731, [::1]:4732,gm3";
	CHECK(queue_next_server(list, &pos, host, sizeof host, &port) && strcmp(host, "gm1") == 0 && port == 4731, "host:port");
	CHECK(queue_next_server(list, &pos, host, sizeof host, &port) && strcmp(host, "::1") == 0 && port == 4732, "[v6]:port");
	CHECK(queue_next_server(list, &pos, host, sizeof host, &port) && strcmp(host, "gm3") == 0 && port == 4730, "default port");
	CHECK(!queue_next_server(list, &pos, host, sizeof host, &port), "then the end");
	char route[64], func[96];
	queue_route("command", "reindex", route, sizeof route);
	queue_function("ns", route, func, sizeof func);
	CHECK_STR(func, "ns:command:reindex", "a task's function name");
	queue_route("sleep", NULL, route, sizeof route);
	queue_function("jobdeck", route, func, sizeof func);
	CHECK_STR(func, "jobdeck:sleep", "a type's function name");

	/* RTF */
	jobtype_rtf_escape("a\\b{c}\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\xa2\xff\x1b\n", &sb);
	CHECK_STR(sb.buf, "a\\\\b\\{c\\}\\u233?\\u8364?\\u-10179?\\u-8542??\\line ", "RTF escapes, \\u for non-ASCII, surrogates");
	sb_release(&sb);
	return CHECK_DONE();
}

/* kit.h — what every command shares: its table row, option parsing, help, connecting,
 * messages and exit codes.
 *
 * A command is one `command` row: its name, summary, synopsis, description, options and the
 * functions that take each option and do the work. `jobdeck --help`, each command's --help,
 * the man page check (tests/integration/b50_cli.sh), option parsing, connecting and exit
 * codes all go through here, so a command only says what is its own. */
#ifndef JOBDECK_CLI_KIT_H
#define JOBDECK_CLI_KIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "db.h"

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* One option: --name, and -key when key is a letter; OPT_LONG(n) gives keys with no short form. */
#define OPT_LONG(n) (256 + (n))
typedef struct cmd_option {
	const char *name;
	int key;
	const char *arg;      /* the value's name in help ("N", "FILE"); NULL: a flag */
	const char *help;     /* one line */
} cmd_option;

typedef struct cmd_ctx cmd_ctx;

typedef struct command {
	const char *name;
	const char *summary;      /* one line for `jobdeck --help` */
	const char *synopsis;     /* after "usage: jobdeck NAME " */
	const char *about;        /* what it does, in paragraphs */
	const cmd_option *options;   /* ended by a row with a NULL name; --help is added */
	int min_args, max_args;   /* positional arguments (max -1: any number) */
	bool stop_at_args;        /* options end at the first argument (run's COMMAND) */
	bool connects;            /* the kit connects before run and closes after */
	size_t state_size;        /* the command's own options, zeroed, then init */
	void (*init)(void *state);
	/* Takes one option (key, its value or NULL); EXIT_OK, or a usage error's exit code. */
	int (*option)(cmd_ctx *c, void *state, int key, const char *value);
	/* Does the work; returns the exit code. */
	int (*run)(cmd_ctx *c, void *state);
	/* More help after the options (NULL: none), such as lists from a registry. */
	void (*help_more)(FILE *f);
} command;

struct cmd_ctx {
	const command *cmd;
	char **args;              /* the positional arguments */
	int nargs;
	db *d;                    /* open when cmd->connects */
};

/* Every command, in `jobdeck --help` order (cli/main.c). */
extern const command *const commands[];
extern const size_t ncommands;
const command *command_find(const char *name);

/* `jobdeck __complete WHAT...`: words for the shell's completion (cli/complete.c). */
int cli_complete(int argc, char **argv);

/* Runs cmd with argv (argv[0] is the command's name): parses options, answers --help,
 * checks the positional arguments, connects when the command needs it, runs it, closes.
 * Returns the exit code. */
int kit_run(const command *cmd, int argc, char **argv);
/* The help of cmd (synopsis, about, options) on f. */
void kit_help(const command *cmd, FILE *f);

/* Writes n bytes of s to f through text_sanitize, the dashboard's sanitiser, so nothing a job
 * or the database put in them can act on a terminal; newlines and tabs stay when keep_lines.
 * Every job-controlled string a command prints goes through here. */
void cli_put_text(FILE *f, const char *s, size_t n, int keep_lines);
/* Standard output for --json: the exact text to a pipe or a file, through the sanitiser to a
 * terminal (jsonout_screen). End with cli_json_done. */
FILE *cli_json_out(void);
void cli_json_done(FILE *f);
/* Prints "jobdeck: <message>" on standard error, the message through the sanitiser. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "jobdeck CMD: <message>" (through the sanitiser) and "Try 'jobdeck CMD --help'.";
 * returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Connects with --db or libpq's defaults; on failure prints one line and returns NULL. */
db *cli_connect(void);
/* Prints db_error() as one line; returns EXIT_RUNTIME. */
int cli_db_fail(db *d);
/* A job ID argument; -1, with the usage error printed, when s is not one. */
int64_t cli_job_id(const cmd_ctx *c, const char *s);

#endif

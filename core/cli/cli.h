/*
 * cli: the subcommands of the comptoir binary, one file each, dispatched
 * from the table in main.c in the manner of git.
 */
#ifndef CPT_CLI_H
#define CPT_CLI_H

#include <stdbool.h>

struct config;
struct db;

/* One option of a subcommand, given as --name. */
enum cli_kind { CLI_FLAG, CLI_TEXT, CLI_NUMBER };
struct cli_option {
	const char *name;
	enum cli_kind kind;
	const char *value;                /* what the value is, for messages: "SECONDS" */
	unsigned long long min, max;      /* CLI_NUMBER: the accepted range */
};
#define CLI_MAX_OPTIONS 16

/* A subcommand's command line: what cli_parse() checks it against. */
struct cli_spec {
	const char *name;                 /* "work": starts every message */
	const char *usage;                /* on stdout for --help, after a refusal on stderr */
	const struct cli_option *opts;    /* ended by { NULL } */
	int max_args;                     /* positional arguments accepted */
};

struct cli {
	const char *config_path;
	int argc;           /* arguments after the subcommand's name; after */
	char **argv;        /* cli_parse(), only the positional ones */
	const struct cli_option *opts;                  /* set by cli_parse() */
	const char *values[CLI_MAX_OPTIONS];            /* as given; NULL when absent, "" for a flag */
	unsigned long long numbers[CLI_MAX_OPTIONS];    /* CLI_NUMBER values */
};

int cmd_serve(struct cli *c);
int cmd_migrate(struct cli *c);
int cmd_check_config(struct cli *c);
int cmd_user(struct cli *c);
int cmd_shop(struct cli *c);
int cmd_work(struct cli *c);
int cmd_seed(struct cli *c);
int cmd_search(struct cli *c);
int cmd_plugins(struct cli *c);

/* Loads the configuration, printing every problem to stderr; NULL on error. */
struct config *cli_load_config(const char *config_path);

/* Loads the configuration, connects, and gives every shop its id.
 * Prints what went wrong and returns -1 on failure. */
int cli_open(const char *config_path, struct config **cfg, struct db **db);
void cli_close(struct config *cfg, struct db *db);

/*
 * Checks c's arguments against `spec`: unknown options, repeated ones,
 * missing values and numbers out of range (digits only: "5s" is not 5) are
 * refused by name with the usage on stderr. Returns 0 to go on, 1 when the
 * command must stop now with exit status *status (0 after --help or
 * --version, 2 after a refusal), -1 on an internal failure (*status 1).
 */
int cli_parse(struct cli *c, const struct cli_spec *spec, int *status);

/* After cli_parse(): the value of --name as given, or NULL. */
const char *cli_opt(const struct cli *c, const char *name);
/* After cli_parse(): was the flag --name given? */
bool cli_flag(const struct cli *c, const char *name);
/* After cli_parse(): the checked number of --name, or `absent`. */
unsigned long long cli_num(const struct cli *c, const char *name, unsigned long long absent);
/* A whole decimal number in [lo, hi]: digits only, no sign, no unit. */
bool cli_parse_number(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out);

#endif

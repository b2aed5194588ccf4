/*
 * comptoir: one binary, subcommands in the manner of git.
 *   comptoir [--config FILE] COMMAND [ARGS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif
#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

static const struct command {
	const char *name;
	int (*run)(struct cli *c);
	const char *help;
} commands[] = {
	{ "serve",        cmd_serve,        "run the FastCGI server" },
	{ "work",         cmd_work,         "run the background worker (clean-ups)" },
	{ "migrate",      cmd_migrate,      "bring the database schema up to date" },
	{ "check-config", cmd_check_config, "validate the configuration files" },
	{ "user",         cmd_user,         "manage staff accounts (add, passwd, list)" },
	{ "shop",         cmd_shop,         "list the configured shops" },
	{ "seed",         cmd_seed,         "fill shops with realistic orders (demo, benchmarks)" },
	{ "search",       cmd_search,       "rebuild the search index (search reindex)" },
	{ "plugins",      cmd_plugins,      "list the plugins loaded and those refused" },
};

static int
usage(FILE *f)
{
	size_t i;

	fputs("usage: comptoir [--config FILE] COMMAND [ARGS]\n"
	    "       comptoir --help | --version\n\ncommands:\n", f);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-14s %s\n", commands[i].name, commands[i].help);
	fputs("\nThe configuration is --config, else $COMPTOIR_CONFIG, else "
	    SYSCONFDIR "/comptoir/comptoir.yaml.\n"
	    "`comptoir COMMAND --help` describes each command.\n", f);
	return f == stdout ? 0 : 2;
}

int
main(int argc, char **argv)
{
	struct cli c = { 0 };
	int i = 1;
	size_t k;

	c.config_path = getenv("COMPTOIR_CONFIG");
	if (!c.config_path)
		c.config_path = SYSCONFDIR "/comptoir/comptoir.yaml";
	if (getenv("COMPTOIR_DEBUG"))
		log_set_level(LOG_DEBUG);
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "comptoir: %s needs a value (FILE)\n", argv[i]);
				return usage(stderr);
			}
			c.config_path = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			c.config_path = argv[i++] + 9;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			return usage(stdout);
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("comptoir %s\n", PACKAGE_VERSION);
			return 0;
		} else {
			fprintf(stderr, "comptoir: unknown option %s\n", argv[i]);
			return usage(stderr);
		}
	}
	if (i >= argc)
		return usage(stderr);
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		if (strcmp(argv[i], commands[k].name) == 0) {
			c.argc = argc - i - 1;
			c.argv = argv + i + 1;
			return commands[k].run(&c);
		}
	}
	fprintf(stderr, "comptoir: '%s' is not a command\n", argv[i]);
	return usage(stderr);
}

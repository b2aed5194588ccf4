/*
 * cli: the subcommands of the comptoir binary, one file each, dispatched
 * from the table in main.c in the manner of git.
 */
#ifndef CPT_CLI_H
#define CPT_CLI_H

struct config;
struct db;

struct cli {
	const char *config_path;
	int argc;           /* arguments after the subcommand's name */
	char **argv;
};

int cmd_serve(struct cli *c);
int cmd_migrate(struct cli *c);
int cmd_check_config(struct cli *c);
int cmd_user(struct cli *c);
int cmd_shop(struct cli *c);
int cmd_work(struct cli *c);
int cmd_seed(struct cli *c);

/* Loads the configuration, printing every problem to stderr; NULL on error. */
struct config *cli_load_config(const char *config_path);

/* Loads the configuration, connects, and gives every shop its id.
 * Prints what went wrong and returns -1 on failure. */
int cli_open(const char *config_path, struct config **cfg, struct db **db);
void cli_close(struct config *cfg, struct db *db);

/* "--name value" options: the value of `name`, or NULL. */
const char *cli_opt(const struct cli *c, const char *name);

#endif

/*
 * comptoir user add|passwd|disable|enable|list: staff accounts, for the hosting provider's
 * provisioning scripts. The password comes from the environment variable
 * COMPTOIR_PASSWORD or, failing that, a prompt at a terminal (echo off) or
 * the first line of standard input.
 */
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "auth/staff.h"
#include "cli/cli.h"
#include "conf/conf.h"
#include "util/arena.h"

static const char usage[] =
	"usage: comptoir user add --shop CODE --email E --role owner|staff|picker [--name N] [--locale fr|en]\n"
	"       comptoir user passwd --shop CODE --email E\n"
	"       comptoir user disable|enable --shop CODE --email E\n"
	"       comptoir user list --shop CODE\n"
	"The password is read from COMPTOIR_PASSWORD, else asked for at a terminal,\n"
	"else read from the first line of standard input.\n";

/* Longest password line read, with its line end. */
#define PASSWORD_LINE 1100

static const struct cli_option options[] = {
	{ .name = "shop", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = "email", .kind = CLI_TEXT, .value = "E" },
	{ .name = "role", .kind = CLI_TEXT, .value = "owner|staff|picker" },
	{ .name = "name", .kind = CLI_TEXT, .value = "N" },
	{ .name = "locale", .kind = CLI_TEXT, .value = "fr|en" },
	{ .name = NULL }
};

static const struct cli_spec spec = {
	.name = "user", .usage = usage, .opts = options, .max_args = 1,
};

/* The terminal's settings while echo is off, to put back on SIGINT too. */
static struct termios tty_saved;
static volatile sig_atomic_t tty_echo_off;

static void
restore_echo(int sig)
{
	if (tty_echo_off)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line of stdin without its line end; false at end of input. */
static bool
read_line(char *line, size_t size)
{
	if (!fgets(line, (int)size, stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return true;
}

/* Asks for the password at the terminal, twice, without echoing it. */
static bool
prompt_password(char *line, size_t size)
{
	struct termios quiet;
	char again[PASSWORD_LINE];
	bool ok;

	if (tcgetattr(STDIN_FILENO, &tty_saved) != 0)
		return read_line(line, size);
	quiet = tty_saved;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	signal(SIGINT, restore_echo);
	signal(SIGTERM, restore_echo);
	tty_echo_off = 1;
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
		tty_echo_off = 0;
		fprintf(stderr, "user: cannot turn off the echo of the terminal\n");
		return false;
	}
	fputs("Password: ", stderr);
	ok = read_line(line, size);
	if (ok) {
		fputs("Password again: ", stderr);
		ok = read_line(again, sizeof(again));
		if (ok && strcmp(line, again) != 0) {
			fprintf(stderr, "user: the two passwords differ\n");
			ok = false;
		}
	}
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &tty_saved);
	tty_echo_off = 0;
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sodium_memzero(again, sizeof(again));
	return ok;
}

/* $COMPTOIR_PASSWORD, else a prompt at a terminal, else stdin's first line. */
static char *
read_password(char *line, size_t size)
{
	const char *env = getenv("COMPTOIR_PASSWORD");

	if (env) {
		snprintf(line, size, "%s", env);
		return line;
	}
	if (isatty(STDIN_FILENO))
		return prompt_password(line, size) ? line : NULL;
	return read_line(line, size) ? line : NULL;
}

static int
report(int rc, const char *email, const char *shop)
{
	switch (rc) {
	case STAFF_OK:
		return 0;
	case STAFF_EXISTS:
		fprintf(stderr, "user: %s already exists in shop %s\n", email, shop);
		return 1;
	case STAFF_NOT_FOUND:
		fprintf(stderr, "user: no account %s in shop %s\n", email, shop);
		return 1;
	case STAFF_INVALID:
		fprintf(stderr, "user: invalid e-mail, role, locale or password"
		    " (at least %d characters)\n", STAFF_PASSWORD_MIN);
		return 1;
	default:
		fprintf(stderr, "user: database error\n");
		return 1;
	}
}

int
cmd_user(struct cli *c)
{
	const char *action, *shop_code, *email;
	struct config *cfg;
	struct db *db;
	struct shop *shop;
	struct arena a;
	char line[PASSWORD_LINE];
	int rc = 1;

	if (cli_parse(c, &spec, &rc) != 0)
		return rc;
	rc = 1;
	action = c->argc > 0 ? c->argv[0] : "";
	shop_code = cli_opt(c, "shop");
	email = cli_opt(c, "email");
	if (!shop_code || (strcmp(action, "list") != 0 && !email) ||
	    (strcmp(action, "add") && strcmp(action, "passwd") && strcmp(action, "list") &&
	    strcmp(action, "disable") && strcmp(action, "enable"))) {
		fputs(usage, stderr);
		return 2;
	}
	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	arena_init(&a, 0);
	shop = config_shop_by_code(cfg, shop_code);
	if (!shop) {
		fprintf(stderr, "user: no shop '%s' in the configuration\n", shop_code);
		goto out;
	}
	if (strcmp(action, "list") == 0) {
		struct staff_user *users;
		size_t n, i;

		if (staff_list(db, &a, shop->id, &users, &n) != STAFF_OK)
			goto out;
		for (i = 0; i < n; i++)
			printf("%s\t%s\t%s\t%s%s\n", users[i].email, staff_role_name(users[i].role),
			    users[i].locale, users[i].display_name, users[i].disabled ? "\t(disabled)" : "");
		rc = 0;
	} else if (strcmp(action, "add") == 0) {
		enum staff_role role;
		const char *locale = cli_opt(c, "locale");
		long long id;

		if (!staff_role_parse(cli_opt(c, "role"), &role)) {
			fputs(usage, stderr);
			rc = 2;
			goto out;
		}
		if (!read_password(line, sizeof(line))) {
			fprintf(stderr, "user: no password given\n");
			goto out;
		}
		rc = report(staff_create(db, &a, shop->id, email, cli_opt(c, "name"), role,
		    locale ? locale : shop->locale, line, &id), email, shop_code);
		if (rc == 0)
			printf("user: %s added to %s as %s\n", email, shop_code, staff_role_name(role));
	} else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
		bool disable = strcmp(action, "disable") == 0;

		rc = report(staff_set_disabled(db, &a, shop->id, email, disable), email, shop_code);
		if (rc == 0)
			printf("user: %s %s\n", email, disable ?
			    "disabled; their sessions are closed" : "enabled");
	} else {
		if (!read_password(line, sizeof(line))) {
			fprintf(stderr, "user: no password given\n");
			goto out;
		}
		rc = report(staff_set_password(db, &a, shop->id, email, line), email, shop_code);
		if (rc == 0)
			printf("user: password of %s changed; their sessions are closed\n", email);
	}
out:
	sodium_memzero(line, sizeof(line));
	arena_free(&a);
	cli_close(cfg, db);
	return rc;
}

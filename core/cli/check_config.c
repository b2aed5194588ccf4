/*
 * comptoir check-config [FILE]: validates the YAML files, and the templates
 * they point to, without starting anything: what a reload would refuse.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "tpl/tpl.h"

static const struct cli_spec spec = {
	.name = "check-config",
	.usage = "usage: comptoir [--config FILE] check-config [FILE]\n"
	    "Checks FILE (default: the configuration) and the shop files, templates and\n"
	    "translations it names; every problem is reported as file:line:col.\n",
	.max_args = 1,
};

int
cmd_check_config(struct cli *c)
{
	struct config *cfg;
	struct tpl_set *tpl = NULL;
	struct buf err;
	const char *path;
	int rc = 0, status;

	if (cli_parse(c, &spec, &status) != 0)
		return status;
	path = c->argc > 0 ? c->argv[0] : c->config_path;
	cfg = cli_load_config(path);
	if (!cfg)
		return 1;
	buf_init(&err, 64 * 1024);
	if (tpl_set_load(cfg->paths.templates, &tpl, &err) != 0) {
		fprintf(stderr, "%s%s", buf_str(&err),
		    err.len && err.data[err.len - 1] != '\n' ? "\n" : "");
		rc = 1;
	} else {
		printf("%s: ok, %zu shop%s, %zu host name%s, templates in %s\n", path,
		    cfg->nshops, cfg->nshops == 1 ? "" : "s",
		    cfg->nhosts, cfg->nhosts == 1 ? "" : "s", cfg->paths.templates);
	}
	tpl_set_free(tpl);
	buf_free(&err);
	config_free(cfg);
	return rc;
}

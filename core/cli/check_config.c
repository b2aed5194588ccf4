/*
 * comptoir check-config [FILE]: validates the YAML files, and the templates
 * and translations they point to, without starting anything: what serve
 * and a reload would refuse.
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
	/* Every problem at once: the templates are compiled whatever the locale. */
	if (config_check_templates(cfg, &err) != 0 || tpl_set_load(cfg->paths.templates, &tpl, &err) != 0)
		rc = 1;
	if (config_check_locale(cfg, &err) != 0)
		rc = 1;
	if (rc) {
		fprintf(stderr, "%s%s", buf_str(&err),
		    err.len && err.data[err.len - 1] != '\n' ? "\n" : "");
	} else {
		/* Valid, but serve needs the host's secret: say so before it refuses. */
		if (!cfg->security.key_set)
			fprintf(stderr, "%s: warning: security.key_file is not set: `comptoir serve` will"
			    " refuse to start (openssl rand -hex 32 > FILE; chmod 600 FILE)\n", path);
		printf("%s: ok, %zu shop%s, %zu host name%s, templates in %s, translations in %s\n",
		    path, cfg->nshops, cfg->nshops == 1 ? "" : "s",
		    cfg->nhosts, cfg->nhosts == 1 ? "" : "s", cfg->paths.templates, cfg->paths.locale);
	}
	tpl_set_free(tpl);
	buf_free(&err);
	config_free(cfg);
	return rc;
}

/*
 * comptoir plugins: loads the plugins of the configuration as serve would,
 * and lists what loaded (name, kind, version, ABI) and what was refused,
 * and why. Nothing else is opened (no database).
 */
#include <stdio.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "plugins/host.h"

static const struct cli_spec spec = {
	.name = "plugins",
	.usage = "usage: comptoir [--config FILE] plugins\n"
	    "Loads the plugins named in plugins.load from plugins.dir, as serve does at\n"
	    "start, and lists those loaded and those refused, with the reason.\n"
	    "Exit status 1 when one was refused.\n",
};

int
cmd_plugins(struct cli *c)
{
	struct config *cfg;
	size_t i, refused = 0;
	int status;

	if (cli_parse(c, &spec, &status) != 0)
		return status;
	if (!(cfg = cli_load_config(c->config_path)))
		return 1;
	if (plugins_load(cfg) != 0) {
		config_free(cfg);
		return 1;
	}
	printf("plugin ABI %d.%d, folder %s\n", CPT_PLUGIN_ABI_MAJOR, CPT_PLUGIN_ABI_MINOR,
	    cfg->plugins.dir);
	if (plugins_count() == 0)
		printf("no plugin loaded (plugins.load is empty)\n");
	for (i = 0; i < plugins_count(); i++) {
		const struct plugin *p = plugins_at(i);

		if (p->desc)
			printf("loaded   %-16s %-12s %-10s ABI %u.%u\n", p->name,
			    plugin_kind_name(p->desc->kind), p->desc->version,
			    (unsigned)p->desc->abi_major, (unsigned)p->desc->abi_minor);
	}
	for (i = 0; i < plugins_count(); i++) {
		const struct plugin *p = plugins_at(i);

		if (!p->desc) {
			printf("refused  %-16s %s: %s\n", p->name, p->file, p->refused);
			refused++;
		}
	}
	plugins_unload();
	config_free(cfg);
	return refused ? 1 : 0;
}

/* failinit: a plugin whose init() fails: refused at start, the rest runs. */
#include <comptoir/plugin.h>

static const struct cpt_payment_ops payment = { 0 };

static int
failinit_init(const struct cpt_host *host, void **state)
{
	(void)state;
	host->log(NULL, CPT_LOG_ERROR, "cannot reach its provider");
	return -1;
}

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	CPT_PLUGIN_HEADER,
	.kind = CPT_KIND_PAYMENT,
	.name = "failinit",
	.version = "0.0.1",
	.label_fr = "Échec",
	.label_en = "Failure",
	.init = failinit_init,
	.payment = &payment,
};

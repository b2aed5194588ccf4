/* badabi: built for an ABI major this host does not speak: refused at start. */
#include <comptoir/plugin.h>

static const struct cpt_payment_ops payment = { 0 };

CPT_PLUGIN_EXPORT const struct cpt_plugin cpt_plugin = {
	.magic = CPT_PLUGIN_MAGIC,
	.abi_major = CPT_PLUGIN_ABI_MAJOR + 1,
	.abi_minor = 0,
	.kind = CPT_KIND_PAYMENT,
	.name = "badabi",
	.version = "9.9.9",
	.label_fr = "Mauvaise ABI",
	.label_en = "Wrong ABI",
	.payment = &payment,
};

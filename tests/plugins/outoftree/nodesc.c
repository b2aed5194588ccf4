/* nodesc: a shared module without the cpt_plugin descriptor: refused at start. */
#include <comptoir/plugin.h>

CPT_PLUGIN_EXPORT int not_a_descriptor = 42;

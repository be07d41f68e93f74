/** The sparsemax plugin exports only the LossLang plugin ABI (see losslang_plugin.h). */
#include "losslang_plugin.h"
int32_t losslang_plugin_abi_version(void);
int32_t losslang_plugin_init(const ll_host *host);

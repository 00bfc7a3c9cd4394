// The output reader's exports (svd_output.c), added to the module's by svd_spawn.c.
#pragma once
#include <node_api.h>

void register_output(napi_env env, napi_value exports);

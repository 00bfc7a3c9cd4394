// The log writer's exports (svd_logwrite.c), added to the module's by svd_spawn.c.
#pragma once
#include <node_api.h>

void register_logwrite(napi_env env, napi_value exports);

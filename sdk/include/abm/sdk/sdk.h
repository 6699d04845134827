// Umbrella header of the ABM plugin SDK: include this in a plugin.
#ifndef ABM_SDK_SDK_H_
#define ABM_SDK_SDK_H_

#include "abm/sdk/directory.h"
#include "abm/sdk/event.h"
#include "abm/sdk/plugin.h"
#include "abm/sdk/query.h"
#include "abm/sdk/version.h"

#endif  // ABM_SDK_SDK_H_

/* platforms.h: the adapters' tables, for the registry (registry.c) only: the engine finds a
 * platform by name through sl_platform_find() (platform.h), never by its table's symbol. */
#ifndef SHIPLOAD_PLATFORMS_H
#define SHIPLOAD_PLATFORMS_H

#include "shipload/platform.h"

#include "platform/ecart/ecart.h"     /* sl_ecart_platform */
#include "platform/orderprotection/orderprotection.h"     /* sl_orderprotection_platform */

#endif

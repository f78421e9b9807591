#ifndef SMSH_CLUASHIM_H
#define SMSH_CLUASHIM_H
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#endif

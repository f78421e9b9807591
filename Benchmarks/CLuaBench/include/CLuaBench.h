#ifndef SMSH_CLUABENCH_H
#define SMSH_CLUABENCH_H
#include <lua.h>
/* The benchmark's peer: the same trivial work as the Swift-backed function, as a plain
   lua_CFunction (no trampoline, no Swift). */
int smsh_bench_add(lua_State *L);
#endif

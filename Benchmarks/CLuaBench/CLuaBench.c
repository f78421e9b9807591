#include "CLuaBench.h"
#include <lauxlib.h>

int smsh_bench_add(lua_State *L) {
    lua_Integer a = lua_tointegerx(L, 1, NULL);
    lua_Integer b = lua_tointegerx(L, 2, NULL);
    lua_pushinteger(L, a + b);
    return 1;
}

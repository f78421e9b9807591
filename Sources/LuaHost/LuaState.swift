// Safe Swift API over lua_State.

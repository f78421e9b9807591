#ifndef SMSH_CLUASHIM_H
#define SMSH_CLUASHIM_H
/*
 * The C side of the Lua/Swift boundary.
 *
 * 1. Real functions for Lua's function-like macros, which Swift cannot import.
 * 2. The trampoline: Swift closures never raise Lua errors themselves (longjmp must never
 *    cross a Swift frame). A Swift-backed function returns n >= 0 results, or -1 with the
 *    error value on top of the stack; the C trampoline then raises, after Swift returned.
 * 3. Protected helpers for operations that may raise (open libraries, tostring with
 *    metamethods) and lua.c's message handler and interrupt hook.
 */
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>
#include <stddef.h>

/* ---- macros as functions (stack effects as in the Lua manual) ---- */
static inline int smsh_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int smsh_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void smsh_pop(lua_State *L, int n) { lua_pop(L, n); }                 /* [-n, +0] */
static inline void smsh_newtable(lua_State *L) { lua_newtable(L); }                 /* [-0, +1] */
static inline int smsh_pcall(lua_State *L, int nargs, int nres, int msgh) {
    return lua_pcall(L, nargs, nres, msgh);
}
static inline void smsh_insert(lua_State *L, int idx) { lua_insert(L, idx); }
static inline void smsh_remove(lua_State *L, int idx) { lua_remove(L, idx); }
static inline void smsh_replace(lua_State *L, int idx) { lua_replace(L, idx); }
static inline int smsh_isinteger(lua_State *L, int idx) { return lua_isinteger(L, idx); }
static inline void smsh_pushglobaltable(lua_State *L) { lua_pushglobaltable(L); }
static inline int smsh_loadbuffer(lua_State *L, const char *buf, size_t len, const char *name) {
    return luaL_loadbufferx(L, buf, len, name, NULL);
}
static inline int smsh_upvalue_count_ok(void) { return 1; }
static inline int smsh_lua_ok(void) { return LUA_OK; }
static inline int smsh_lua_yield(void) { return LUA_YIELD; }
static inline void smsh_settop(lua_State *L, int idx) { lua_settop(L, idx); }
static inline int smsh_lua_errsyntax(void) { return LUA_ERRSYNTAX; }
static inline int smsh_lua_multret(void) { return LUA_MULTRET; }
static inline lua_Integer smsh_maxinteger(void) { return LUA_MAXINTEGER; }

/* ---- the trampoline ---- */
/* Returns the number of results pushed, or -1 with the error value on top, or SMSH_SUSPEND
   with exactly two values on top (and nothing else on the stack) to yield them from the
   running coroutine: the call then finishes when the coroutine is resumed with
   (true, results...) or (false, error). Only return it when lua_isyieldable(L). */
#define SMSH_SUSPEND (-2)
static inline int smsh_suspend_code(void) { return SMSH_SUSPEND; }
typedef int (*smsh_swift_call)(lua_State *L, void *ctx);
/* Frees ctx; called once, from the box's __gc (i.e. when the closure dies or lua_close). */
typedef void (*smsh_swift_release)(void *ctx);

/*
 * Pushes a Lua C closure that calls `call(L, ctx)`; `release(ctx)` runs when the closure is
 * collected. Runs protected: returns LUA_OK with the closure on top, or an error status
 * with the message on top (then `release` has NOT been called: the caller still owns ctx).
 * `where`: when non-zero, a string error gets "chunk:line: " prepended like luaL_error does.
 */
int smsh_push_swift_function(lua_State *L, smsh_swift_call call, smsh_swift_release release,
                             void *ctx, int where);

/* ---- protected helpers ---- */
/* luaL_openlibs, protected. Returns a LUA_* status (message on top when not LUA_OK). */
int smsh_openlibs(lua_State *L);
/* Switches the collector to generational mode, as lua.c does before running a script
   (collectgarbage("incremental") then answers "generational" under both). */
void smsh_gc_generational(lua_State *L);

/* ---- the state's allocator ----
 * Lua frees most of what it allocates soon after (a page of recipients: a table, its fields
 * and a string per row) and tells the allocator each block's size. smsh_heap_install swaps
 * in an allocator that keeps freed small blocks (8..256 bytes) on one list per exact size
 * and hands them out again, instead of a malloc/free round trip each time; at most 16 MiB
 * wait on the lists. Every block still comes from malloc, so blocks made before the swap
 * mix in freely. smsh_heap_close closes the state and frees what the lists hold. */
/* ---- row iterators ----
 * Pops a "next page" function and pushes an iterator (for `for row in ...`) that returns the
 * rows (tables) of the page it holds, one per call, in order, skipping non-table items.
 * When the page is done it calls the function, which returns the next page's rows table and
 * their count, `true` to be called again (an empty page), or nil when there are no more. So
 * a row costs no call into Swift, only a page does; errors from the function propagate, and
 * the function may yield (a task waiting for its page). [-1, +1] */
void smsh_push_rows_iterator(lua_State *L);

void smsh_heap_install(lua_State *L);
void smsh_heap_close(lua_State *L);
/* luaL_tolstring of the value at idx (honours __tostring/__name), protected.
   Pushes the string (or the error message) and returns a LUA_* status. */
int smsh_tostring(lua_State *L, int idx);
/* lua.c's msghandler: makes any error value a string (via __tostring) and appends a traceback. */
int smsh_traceback_handler(lua_State *L);
/* Calls the function below nargs args with smsh_traceback_handler; like lua.c's docall. */
int smsh_docall(lua_State *L, int nargs, int nres);
/* Raw length of the value at idx (lua_rawlen). */
static inline lua_Unsigned smsh_rawlen(lua_State *L, int idx) { return lua_rawlen(L, idx); }
/* How many keys the table at idx has (raw: lua_next, no metamethods; never raises). One C
   loop, no Swift call per key: scripts/bench/send_build measured ~3 ms less of 0.095 s. */
static inline lua_Integer smsh_countkeys(lua_State *L, int idx) {
    lua_Integer n = 0;
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx) != 0) {
        lua_settop(L, -2);
        n++;
    }
    return n;
}

/* Ctrl-C support as in lua.c: makes running Lua code raise "interrupted!" at the next hook. */
void smsh_request_interrupt(lua_State *L);
void smsh_clear_interrupt(lua_State *L);

/* ---- Ctrl-C (SIGINT), as lua.c handles it ----
   The handler only sets a flag and, while Lua code runs (a state is registered with
   smsh_sigint_watch), installs the interrupt hook on it. Swift loops that wait or page
   poll smsh_sigint_pending(). Installed without SA_RESTART so a blocked read (libedit)
   returns early. */
void smsh_sigint_install(void);
void smsh_sigint_watch(lua_State *L);   /* NULL: no Lua code running */
int smsh_sigint_pending(void);
void smsh_sigint_clear(void);
/* The state the handler interrupts (tasks move it to the coroutine they resume). */
lua_State *smsh_sigint_watched(void);
/* 0, or the signal that arrived (SIGINT or SIGTERM). */
int smsh_signal_received(void);
/* SIGTERM (cron's stop) handled like SIGINT: tasks cancel, the run exits 143. */
void smsh_sigterm_install(void);
/* Pushes the traceback of coroutine co (a failed task) with the string at msgidx of L as
   its message, protected. Returns a LUA_* status (message on top when not LUA_OK). */
int smsh_task_traceback(lua_State *L, lua_State *co, int msgidx);
/* A light userdata that tags a task's suspension (unique address). */
void *smsh_task_tag(void);

/* Writes to stderr and flushes (Swift 6 cannot touch C's `stderr` global directly). */
void smsh_write_stderr(const char *text, size_t len);
void smsh_flush_stdout(void);
/// LUA_COPYRIGHT ("Lua 5.4.4  Copyright (C) 1994-2022 Lua.org, PUC-Rio"): what lua5.4 -v prints.
const char *smsh_lua_copyright(void);
/* isatty(2) */
int smsh_stderr_is_tty(void);
int smsh_stdout_is_tty(void);

#endif

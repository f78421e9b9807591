#include "CLuaShim.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <signal.h>

typedef struct {
    smsh_swift_call call;
    smsh_swift_release release;
    void *ctx;
    int where;
} swift_box;

static const char *const BOX_METATABLE = "smsh.SwiftFunction";

static int box_gc(lua_State *L) {
    swift_box *box = (swift_box *)lua_touserdata(L, 1);
    if (box != NULL && box->ctx != NULL) {
        void *ctx = box->ctx;
        box->ctx = NULL;
        if (box->release != NULL) box->release(ctx);
    }
    return 0;
}

/* Continuation of a Swift-backed call that suspended its task (see SMSH_SUSPEND). The task
   scheduler resumes the coroutine with (true, results...) or (false, error value): the stack
   here holds exactly those values (the trampoline cleared the call's arguments). */
static int resume_k(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    if (!lua_toboolean(L, 1)) {
        lua_settop(L, 2);
        return lua_error(L);   /* the error value, raised after Swift finished long ago */
    }
    return lua_gettop(L) - 1;  /* the results above the flag */
}

/* The only place a Swift-backed function's failure becomes a Lua error: Swift has returned.
   Also the only place a task suspends: Swift returned SMSH_SUSPEND with the values to yield
   on top (a tag and an operation id), so lua_yieldk's longjmp never crosses a Swift frame. */
static int trampoline(lua_State *L) {
    swift_box *box = (swift_box *)lua_touserdata(L, lua_upvalueindex(1));
    int n = box->call(L, box->ctx);
    if (n >= 0) return n;
    if (n == SMSH_SUSPEND) return lua_yieldk(L, 2, 0, resume_k);
    if (box->where && lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);        /* [+1] "chunk:line: " of the Lua caller */
        lua_insert(L, -2);
        lua_concat(L, 2);        /* [-2, +1] */
    }
    return lua_error(L);
}

typedef struct {
    smsh_swift_call call;
    smsh_swift_release release;
    void *ctx;
    int where;
} push_args;

static int push_swift_function_p(lua_State *L) {
    push_args *a = (push_args *)lua_touserdata(L, 1);
    swift_box *box = (swift_box *)lua_newuserdatauv(L, sizeof(swift_box), 0);
    box->call = a->call;
    box->release = NULL;  /* set only once the closure exists; see below */
    box->ctx = NULL;
    box->where = a->where;
    if (luaL_newmetatable(L, BOX_METATABLE)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, trampoline, 1);
    /* Nothing below can fail: from here the box owns ctx. */
    box->release = a->release;
    box->ctx = a->ctx;
    return 1;
}

int smsh_push_swift_function(lua_State *L, smsh_swift_call call, smsh_swift_release release,
                             void *ctx, int where) {
    push_args a = {call, release, ctx, where};
    if (!lua_checkstack(L, 4)) {
        return LUA_ERRMEM;
    }
    lua_pushcfunction(L, push_swift_function_p);
    lua_pushlightuserdata(L, &a);
    return lua_pcall(L, 1, 1, 0);
}

void smsh_gc_generational(lua_State *L) {
    lua_gc(L, LUA_GCGEN, 0, 0);
}

static int openlibs_p(lua_State *L) {
    luaL_openlibs(L);
    return 0;
}

int smsh_openlibs(lua_State *L) {
    lua_pushcfunction(L, openlibs_p);
    return lua_pcall(L, 0, 0, 0);
}

static int tostring_p(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int smsh_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    if (!lua_checkstack(L, 3)) return LUA_ERRMEM;
    lua_pushcfunction(L, tostring_p);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

/* From lua.c: message handler that adds a traceback. */
int smsh_traceback_handler(lua_State *L) {
    /* Keep the original error value (an sms error table, say) for the host: the message
       below is only its readable form. */
    lua_pushvalue(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "smsh.errorobject");
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {                                  /* is error object not a string? */
        if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
            msg = lua_tostring(L, -1);                  /* that is the message */
        else
            msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int smsh_docall(lua_State *L, int nargs, int nres) {
    int base = lua_gettop(L) - nargs;                   /* function index */
    lua_pushcfunction(L, smsh_traceback_handler);
    lua_insert(L, base);
    int status = lua_pcall(L, nargs, nres, base);
    lua_remove(L, base);
    return status;
}

/* From lua.c: the hook raises in C, never through Swift (hooks run only in the VM). */
static void interrupt_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
}

void smsh_request_interrupt(lua_State *L) {
    int flag = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
    lua_sethook(L, interrupt_hook, flag, 1);
}

void smsh_clear_interrupt(lua_State *L) {
    lua_sethook(L, NULL, 0, 0);
}

void smsh_write_stderr(const char *text, size_t len) {
    fwrite(text, 1, len, stderr);
    fflush(stderr);
}

int smsh_stderr_is_tty(void) { return isatty(2); }
int smsh_stdout_is_tty(void) { return isatty(1); }

static volatile sig_atomic_t sigint_flag = 0;
static lua_State *volatile sigint_state = NULL;

static void on_sigint(int sig) {
    /* The hook first, then the flag: the signal may run on another thread (a NIO one), and
       Swift code that sees the flag clears the hook (smsh_clear_interrupt) before it builds
       the error value; a hook armed after that clear would fire inside the error's
       __tostring ("(error object is a table value)"). The fence keeps the order. */
    lua_State *L = sigint_state;
    if (L != NULL) smsh_request_interrupt(L);  /* lua_sethook is signal-safe (lua.c relies on it) */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    sigint_flag = sig;
}

void smsh_sigint_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  /* no SA_RESTART: interrupt blocking reads */
    sigaction(SIGINT, &sa, NULL);
}

void smsh_sigint_watch(lua_State *L) { sigint_state = L; }
lua_State *smsh_sigint_watched(void) { return sigint_state; }
int smsh_sigint_pending(void) { return sigint_flag != 0; }
int smsh_signal_received(void) { return sigint_flag; }
void smsh_sigint_clear(void) { sigint_flag = 0; }

void smsh_sigterm_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGTERM, &sa, NULL);
}

static int task_traceback_p(lua_State *L) {
    lua_State *co = (lua_State *)lua_touserdata(L, 1);
    const char *msg = lua_tostring(L, 2);
    luaL_traceback(L, co, msg, 0);
    return 1;
}

int smsh_task_traceback(lua_State *L, lua_State *co, int msgidx) {
    msgidx = lua_absindex(L, msgidx);
    if (!lua_checkstack(L, 4)) return LUA_ERRMEM;
    lua_pushcfunction(L, task_traceback_p);
    lua_pushlightuserdata(L, co);
    lua_pushvalue(L, msgidx);
    return lua_pcall(L, 2, 1, 0);
}

void smsh_flush_stdout(void) { fflush(stdout); }
const char *smsh_lua_copyright(void) { return LUA_COPYRIGHT; }

/* ---- the state's allocator (see the header) ---- */

#define SMSH_HEAP_SMALL 256
#define SMSH_HEAP_LIMIT (16u << 20)

typedef struct {
    void *lists[SMSH_HEAP_SMALL + 1]; /* freed blocks by exact size; the link is in the block */
    size_t waiting;                   /* bytes on the lists */
} smsh_heap;

static void *heap_take(smsh_heap *h, size_t size) {
    if (size <= SMSH_HEAP_SMALL) {
        void *block = h->lists[size];
        if (block != NULL) {
            h->lists[size] = *(void **)block;
            h->waiting -= size;
            return block;
        }
    }
    return malloc(size);
}

static void heap_give(smsh_heap *h, void *block, size_t size) {
    if (size >= sizeof(void *) && size <= SMSH_HEAP_SMALL && h->waiting + size <= SMSH_HEAP_LIMIT) {
        *(void **)block = h->lists[size];
        h->lists[size] = block;
        h->waiting += size;
    } else {
        free(block);
    }
}

/* lua_Alloc: osize is the block's size when ptr != NULL (else a type tag). */
static void *heap_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    smsh_heap *h = (smsh_heap *)ud;
    if (nsize == 0) {
        if (ptr != NULL) heap_give(h, ptr, osize);
        return NULL;
    }
    if (ptr == NULL) return heap_take(h, nsize);
    if (osize > SMSH_HEAP_SMALL && nsize > SMSH_HEAP_SMALL) return realloc(ptr, nsize);
    /* A small block grows or shrinks: move it, so the lists stay exact. */
    void *moved = heap_take(h, nsize);
    if (moved == NULL) {
        /* Shrinking never fails: the block is kept (a larger block on a smaller list is safe). */
        return nsize <= osize ? ptr : NULL;
    }
    memcpy(moved, ptr, osize < nsize ? osize : nsize);
    heap_give(h, ptr, osize);
    return moved;
}

void smsh_heap_install(lua_State *L) {
    smsh_heap *h = calloc(1, sizeof(smsh_heap));
    if (h != NULL) lua_setallocf(L, heap_alloc, h);
}

void smsh_heap_close(lua_State *L) {
    void *ud = NULL;
    lua_Alloc f = lua_getallocf(L, &ud);
    lua_close(L);
    if (f != heap_alloc) return;
    smsh_heap *h = (smsh_heap *)ud;
    for (size_t size = 0; size <= SMSH_HEAP_SMALL; size++) {
        void *block = h->lists[size];
        while (block != NULL) {
            void *next = *(void **)block;
            free(block);
            block = next;
        }
    }
    free(h);
}

/* ---- row iterators (see the header) ----
 * Upvalues: 1 the page's rows (table or nil), 2 the position, 3 the count, 4 next page.
 * The next-page function is called with lua_callk, so it may suspend a task (the Swift
 * binding yields through the trampoline): rows_continue picks up where rows_next left off. */
static int rows_next(lua_State *L);

/* The next-page function's two results are on top. Returns 1 when paging is done (nil pushed
 * for the iterator to return), else 0 with the new page taken (or an empty page dropped). */
static int rows_take(lua_State *L) {
    if (lua_type(L, -2) == LUA_TBOOLEAN) {  /* an empty page: ask again */
        lua_pop(L, 2);
        return 0;
    }
    if (lua_type(L, -2) != LUA_TTABLE) {
        /* Done: drop the last page, and stay done if called again. */
        lua_pushnil(L);
        lua_replace(L, lua_upvalueindex(1));
        lua_pushinteger(L, 0);
        lua_replace(L, lua_upvalueindex(3));
        lua_pushinteger(L, 0);
        lua_replace(L, lua_upvalueindex(2));
        lua_pushnil(L);
        return 1;
    }
    lua_replace(L, lua_upvalueindex(3));
    lua_replace(L, lua_upvalueindex(1));
    lua_pushinteger(L, 0);
    lua_replace(L, lua_upvalueindex(2));
    return 0;
}

static int rows_continue(lua_State *L, int status, lua_KContext ctx) {
    (void)status;
    (void)ctx;
    if (rows_take(L)) return 1;
    return rows_next(L);
}

static int rows_next(lua_State *L) {
    for (;;) {
        lua_Integer position = lua_tointeger(L, lua_upvalueindex(2));
        lua_Integer count = lua_tointeger(L, lua_upvalueindex(3));
        while (position < count) {
            position++;
            if (lua_rawgeti(L, lua_upvalueindex(1), position) == LUA_TTABLE) {
                lua_pushinteger(L, position);
                lua_replace(L, lua_upvalueindex(2));
                return 1;
            }
            lua_pop(L, 1);
        }
        lua_pushvalue(L, lua_upvalueindex(4));
        lua_callk(L, 0, 2, 0, rows_continue);
        if (rows_take(L)) return 1;
    }
}

void smsh_push_rows_iterator(lua_State *L) {
    lua_pushnil(L);          /* rows */
    lua_pushinteger(L, 0);   /* position */
    lua_pushinteger(L, 0);   /* count */
    lua_rotate(L, -4, -1);   /* next page function last */
    lua_pushcclosure(L, rows_next, 4);
}

static const char task_tag_anchor = 0;
void *smsh_task_tag(void) { return (void *)&task_tag_anchor; }

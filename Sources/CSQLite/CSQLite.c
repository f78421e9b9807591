#define _GNU_SOURCE
#include "CSQLite.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

// SQLite's functions, looked up by name once.
static struct {
    const char *error;
    int (*open_v2)(const char *, sqlite3 **, int, const char *);
    int (*close)(sqlite3 *);
    const char *(*errmsg)(sqlite3 *);
    int (*busy_timeout)(sqlite3 *, int);
    int (*exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);
    void (*free)(void *);
    int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
    int (*finalize)(sqlite3_stmt *);
    int (*bind_null)(sqlite3_stmt *, int);
    int (*bind_int64)(sqlite3_stmt *, int, sqlite3_int64);
    int (*bind_double)(sqlite3_stmt *, int, double);
    int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
    int (*step)(sqlite3_stmt *);
    int (*changes)(sqlite3 *);
    const unsigned char *(*column_text)(sqlite3_stmt *, int);
    double (*column_double)(sqlite3_stmt *, int);
    sqlite3_int64 (*column_int64)(sqlite3_stmt *, int);
} lite;

static void *symbol(void *lib, const char *name) {
    void *p = dlsym(lib, name);
    if (p == NULL && lite.error == NULL) lite.error = "libsqlite3.so.0 lacks a function smsh needs";
    return p;
}

static void load_once(void) {
    void *lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        lite.error = "libsqlite3.so.0 not found (apt install libsqlite3-0)";
        return;
    }
#define LOAD(field, name) *(void **)(&lite.field) = symbol(lib, name)
    LOAD(open_v2, "sqlite3_open_v2");
    LOAD(close, "sqlite3_close");
    LOAD(errmsg, "sqlite3_errmsg");
    LOAD(busy_timeout, "sqlite3_busy_timeout");
    LOAD(exec, "sqlite3_exec");
    LOAD(free, "sqlite3_free");
    LOAD(prepare_v2, "sqlite3_prepare_v2");
    LOAD(finalize, "sqlite3_finalize");
    LOAD(bind_null, "sqlite3_bind_null");
    LOAD(bind_int64, "sqlite3_bind_int64");
    LOAD(bind_double, "sqlite3_bind_double");
    LOAD(bind_text, "sqlite3_bind_text");
    LOAD(step, "sqlite3_step");
    LOAD(changes, "sqlite3_changes");
    LOAD(column_text, "sqlite3_column_text");
    LOAD(column_double, "sqlite3_column_double");
    LOAD(column_int64, "sqlite3_column_int64");
#undef LOAD
}

/* Loaded once, whichever thread asks first; the others wait for it (stores may open on
   several threads at once: a task's journal and the sandbox, say). */
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static int load(void) {
    pthread_once(&loaded, load_once);
    return lite.error == NULL;
}

const char *smsh_sqlite3_load_error(void) { return lite.error; }

// Only open loads the library: every other call comes after a successful open.
int smsh_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs) {
    *db = NULL;
    if (!load()) return SQLITE_CANTOPEN;
    return lite.open_v2(path, db, flags, vfs);
}
int smsh_sqlite3_close(sqlite3 *db) { return db == NULL || lite.close == NULL ? SQLITE_OK : lite.close(db); }
const char *smsh_sqlite3_errmsg(sqlite3 *db) {
    if (lite.error != NULL) return lite.error;
    return db == NULL ? "out of memory" : lite.errmsg(db);
}
int smsh_sqlite3_busy_timeout(sqlite3 *db, int ms) { return lite.busy_timeout(db, ms); }
int smsh_sqlite3_exec(sqlite3 *db, const char *sql, char **error) { return lite.exec(db, sql, NULL, NULL, error); }
void smsh_sqlite3_free(void *p) { if (lite.free != NULL) lite.free(p); }
int smsh_sqlite3_prepare_v2(sqlite3 *db, const char *sql, sqlite3_stmt **s) { return lite.prepare_v2(db, sql, -1, s, NULL); }
int smsh_sqlite3_finalize(sqlite3_stmt *s) { return lite.finalize(s); }
int smsh_sqlite3_bind_null(sqlite3_stmt *s, int i) { return lite.bind_null(s, i); }
int smsh_sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 v) { return lite.bind_int64(s, i, v); }
int smsh_sqlite3_bind_double(sqlite3_stmt *s, int i, double v) { return lite.bind_double(s, i, v); }
int smsh_sqlite3_bind_text(sqlite3_stmt *s, int i, const char *text, int n) { return lite.bind_text(s, i, text, n, SQLITE_TRANSIENT); }
int smsh_sqlite3_step(sqlite3_stmt *s) { return lite.step(s); }
int smsh_sqlite3_changes(sqlite3 *db) { return lite.changes(db); }
const unsigned char *smsh_sqlite3_column_text(sqlite3_stmt *s, int c) { return lite.column_text(s, c); }
double smsh_sqlite3_column_double(sqlite3_stmt *s, int c) { return lite.column_double(s, c); }
sqlite3_int64 smsh_sqlite3_column_int64(sqlite3_stmt *s, int c) { return lite.column_int64(s, c); }

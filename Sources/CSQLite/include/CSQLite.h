#ifndef SMSH_CSQLITE_H
#define SMSH_CSQLITE_H

/// SQLite (libsqlite3.so.0, apt libsqlite3-0), loaded with dlopen the first time the state store
/// opens, so runs that never use `once` (and `smsh -e ''`) start without loading it
/// (scripts/bench/call_overhead). The functions are SQLite's own, prefixed smsh_; when the
/// library is missing, smsh_sqlite3_open_v2 fails with SQLITE_CANTOPEN and
/// smsh_sqlite3_load_error() says why.
#include <sqlite3.h>

const char *smsh_sqlite3_load_error(void);
int smsh_sqlite3_open_v2(const char *path, sqlite3 **db, int flags, const char *vfs);
int smsh_sqlite3_close(sqlite3 *db);
const char *smsh_sqlite3_errmsg(sqlite3 *db);
int smsh_sqlite3_busy_timeout(sqlite3 *db, int ms);
int smsh_sqlite3_exec(sqlite3 *db, const char *sql, char **error);
void smsh_sqlite3_free(void *p);
int smsh_sqlite3_prepare_v2(sqlite3 *db, const char *sql, sqlite3_stmt **statement);
int smsh_sqlite3_finalize(sqlite3_stmt *s);
int smsh_sqlite3_bind_null(sqlite3_stmt *s, int i);
int smsh_sqlite3_bind_int64(sqlite3_stmt *s, int i, sqlite3_int64 v);
int smsh_sqlite3_bind_double(sqlite3_stmt *s, int i, double v);
/// Binds a copy of the text (SQLITE_TRANSIENT, a cast macro Swift cannot import).
int smsh_sqlite3_bind_text(sqlite3_stmt *s, int i, const char *text, int n);
int smsh_sqlite3_step(sqlite3_stmt *s);
int smsh_sqlite3_changes(sqlite3 *db);
const unsigned char *smsh_sqlite3_column_text(sqlite3_stmt *s, int column);
double smsh_sqlite3_column_double(sqlite3_stmt *s, int column);
sqlite3_int64 smsh_sqlite3_column_int64(sqlite3_stmt *s, int column);

#endif

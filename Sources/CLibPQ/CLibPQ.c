#define _GNU_SOURCE
#include "CLibPQ.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

typedef unsigned int Oid;

// libpq's functions, looked up by name once.
static struct {
    const char *error;
    PGconn *(*connectdb_params)(const char *const *, const char *const *, int);
    int (*status)(const PGconn *);
    const char *(*error_message)(const PGconn *);
    void (*finish)(PGconn *);
    PGresult *(*exec_params)(PGconn *, const char *, int, const Oid *, const char *const *, const int *, const int *, int);
    int (*result_status)(const PGresult *);
    const char *(*result_error_field)(const PGresult *, int);
    int (*ntuples)(const PGresult *);
    int (*nfields)(const PGresult *);
    const char *(*getvalue)(const PGresult *, int, int);
    int (*getisnull)(const PGresult *, int, int);
    const char *(*cmd_tuples)(PGresult *);
    void (*clear)(PGresult *);
} pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *symbol(void *lib, const char *name) {
    void *p = dlsym(lib, name);
    if (p == NULL && pq.error == NULL) pq.error = "libpq.so.5 lacks a function smsh needs";
    return p;
}

static void load(void) {
    void *lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        pq.error = "libpq.so.5 not found (apt install libpq5)";
        return;
    }
#define LOAD(field, name) *(void **)(&pq.field) = symbol(lib, name)
    LOAD(connectdb_params, "PQconnectdbParams");
    LOAD(status, "PQstatus");
    LOAD(error_message, "PQerrorMessage");
    LOAD(finish, "PQfinish");
    LOAD(exec_params, "PQexecParams");
    LOAD(result_status, "PQresultStatus");
    LOAD(result_error_field, "PQresultErrorField");
    LOAD(ntuples, "PQntuples");
    LOAD(nfields, "PQnfields");
    LOAD(getvalue, "PQgetvalue");
    LOAD(getisnull, "PQgetisnull");
    LOAD(cmd_tuples, "PQcmdTuples");
    LOAD(clear, "PQclear");
#undef LOAD
}

static int loaded(void) {
    pthread_once(&once, load);
    return pq.error == NULL;
}

const char *smsh_pq_load_error(void) {
    loaded();
    return pq.error;
}

PGconn *smsh_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    if (!loaded()) return NULL;
    return pq.connectdb_params(keywords, values, expand_dbname);
}

// The others are called only on a connection or result that exists, so libpq is loaded.
int smsh_PQstatus(const PGconn *conn) { return pq.status(conn); }
const char *smsh_PQerrorMessage(const PGconn *conn) { return pq.error_message(conn); }
void smsh_PQfinish(PGconn *conn) { pq.finish(conn); }
PGresult *smsh_PQexecParams(PGconn *conn, const char *command, int n, const char *const *values) {
    return pq.exec_params(conn, command, n, NULL, values, NULL, NULL, 0);
}
int smsh_PQresultStatus(const PGresult *res) { return pq.result_status(res); }
const char *smsh_PQresultErrorField(const PGresult *res, int field) { return pq.result_error_field(res, field); }
int smsh_PQntuples(const PGresult *res) { return pq.ntuples(res); }
int smsh_PQnfields(const PGresult *res) { return pq.nfields(res); }
const char *smsh_PQgetvalue(const PGresult *res, int row, int column) { return pq.getvalue(res, row, column); }
int smsh_PQgetisnull(const PGresult *res, int row, int column) { return pq.getisnull(res, row, column); }
const char *smsh_PQcmdTuples(PGresult *res) { return pq.cmd_tuples(res); }
void smsh_PQclear(PGresult *res) { pq.clear(res); }

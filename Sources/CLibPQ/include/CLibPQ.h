#ifndef SMSH_CLIBPQ_H
#define SMSH_CLIBPQ_H

/// libpq (libpq.so.5, apt libpq5), PostgreSQL's own client library, loaded with dlopen the
/// first time a `state_url` store opens: runs on the local SQLite journal (and `smsh -e ''`)
/// never load it, and the binary links neither it nor a second TLS or Foundation stack. libpq
/// brings sslmode, ~/.pgpass, PGPASSWORD and the rest of its conventions itself. The
/// functions are libpq's own, prefixed smsh_; when the library is missing, smsh_PQconnectdbParams
/// returns NULL and smsh_pq_load_error() says why.
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

/// PQstatus: CONNECTION_OK. PQresultStatus: PGRES_COMMAND_OK, PGRES_TUPLES_OK.
enum { SMSH_CONNECTION_OK = 0, SMSH_PGRES_COMMAND_OK = 1, SMSH_PGRES_TUPLES_OK = 2 };
/// PQresultErrorField codes: the primary message and the SQLSTATE.
enum { SMSH_PG_DIAG_MESSAGE_PRIMARY = 'M', SMSH_PG_DIAG_SQLSTATE = 'C' };

const char *smsh_pq_load_error(void);
PGconn *smsh_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
int smsh_PQstatus(const PGconn *conn);
const char *smsh_PQerrorMessage(const PGconn *conn);
void smsh_PQfinish(PGconn *conn);
/// PQexecParams with text parameters and text results.
PGresult *smsh_PQexecParams(PGconn *conn, const char *command, int n, const char *const *values);
int smsh_PQresultStatus(const PGresult *res);
const char *smsh_PQresultErrorField(const PGresult *res, int field);
int smsh_PQntuples(const PGresult *res);
int smsh_PQnfields(const PGresult *res);
const char *smsh_PQgetvalue(const PGresult *res, int row, int column);
int smsh_PQgetisnull(const PGresult *res, int row, int column);
const char *smsh_PQcmdTuples(PGresult *res);
void smsh_PQclear(PGresult *res);

#endif

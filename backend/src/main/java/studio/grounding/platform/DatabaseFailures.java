package studio.grounding.platform;

import java.net.ConnectException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;

/** Recognises the exceptions that mean "the database cannot be reached" (not: "the request was wrong"). */
final class DatabaseFailures {

    private DatabaseFailures() {
    }

    static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException || isConnectionSqlState(t) || isClosedPoolConnection(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the exception involves the database at all (a SQL exception somewhere in its causes). */
    static boolean involvesDatabase(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof org.springframework.dao.DataAccessException
                    || t instanceof org.springframework.transaction.TransactionException) {
                return true;
            }
        }
        return false;
    }

    /** HikariCP's answer on a connection it has closed under a request (its server died): no SQLSTATE. */
    private static boolean isClosedPoolConnection(Throwable t) {
        return t instanceof java.sql.SQLException && "Connection is closed".equals(t.getMessage());
    }

    /** SQLSTATE class 08 (connection exception) and 57P01..57P03 (admin shutdown, crash shutdown, cannot connect now). */
    private static boolean isConnectionSqlState(Throwable t) {
        if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
        return false;
    }
}

package studio.grounding.annotation;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Item locks as leases in PostgreSQL (times on the database clock): taken when free, expired or already one's own,
 * renewed by the holder, taken over by anyone once expired.
 */
@Component
class ItemLocks {

    static final Duration LEASE = Duration.ofMinutes(2);

    private final JdbcClient jdbc;

    ItemLocks(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The live lock of an item, if any. */
    Optional<Lock> live(long itemId) {
        return jdbc.sql("select holder, acquired_at from item_locks where item_id = :item and expires_at > now()")
                .param("item", itemId)
                .query((rs, n) -> new Lock(rs.getString("holder"),
                        rs.getObject("acquired_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Takes or renews the lock for {@code user}; empty when another user holds a live lock. */
    Optional<Lock> acquire(long itemId, String user) {
        return jdbc.sql("""
                        insert into item_locks as l (item_id, holder, acquired_at, expires_at)
                        values (:item, :user, now(), now() + :lease * interval '1 millisecond')
                        on conflict (item_id) do update
                          set holder = excluded.holder,
                              acquired_at = case when l.holder = excluded.holder and l.expires_at > now()
                                                 then l.acquired_at else now() end,
                              expires_at = excluded.expires_at
                          where l.holder = excluded.holder or l.expires_at <= now()
                        returning holder, acquired_at""")
                .param("item", itemId).param("user", user).param("lease", LEASE.toMillis())
                .query((rs, n) -> new Lock(rs.getString("holder"),
                        rs.getObject("acquired_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Takes or renews the lock, or says who holds it. */
    Lock acquireOrThrow(long itemId, String user) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Lock> mine = acquire(itemId, user);
            if (mine.isPresent()) {
                return mine.get();
            }
            Optional<Lock> other = live(itemId);
            if (other.isPresent()) {
                throw new LockLostException(itemId, other.get().holder(), other.get().since());
            }
            // the other lease ran out between the two statements: try again
        }
        throw new IllegalStateException("lock: item #" + itemId + " could not be locked");
    }

    void release(long itemId, String user) {
        jdbc.sql("delete from item_locks where item_id = :item and holder = :user")
                .param("item", itemId).param("user", user).update();
    }

    record Lock(String holder, Instant since) {
    }
}

package studio.grounding.annotation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The drafts table: one draft per item and user, upserted with a growing version. */
@Component
class Drafts {

    private final JdbcClient jdbc;

    Drafts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Draft> find(long itemId, String user) {
        return jdbc.sql("""
                        select base_revision_id, conflict_revision_id, payload::text as payload, version, saved_at
                        from drafts where item_id = :item and username = :user""")
                .param("item", itemId).param("user", user).query(Drafts::draftOf).optional();
    }

    Draft upsert(long itemId, String user, Long baseRevisionId, Long conflictRevisionId, String documentJson) {
        return jdbc.sql("""
                        insert into drafts as d (item_id, username, base_revision_id, conflict_revision_id, payload, version)
                        values (:item, :user, :base, :conflict, cast(:payload as jsonb), 1)
                        on conflict (item_id, username) do update
                          set base_revision_id = excluded.base_revision_id,
                              conflict_revision_id = excluded.conflict_revision_id,
                              payload = excluded.payload, version = d.version + 1, saved_at = now()
                        returning base_revision_id, conflict_revision_id, payload::text as payload, version, saved_at""")
                .param("item", itemId).param("user", user).param("base", baseRevisionId)
                .param("conflict", conflictRevisionId).param("payload", documentJson)
                .query(Drafts::draftOf).single();
    }

    void delete(long itemId, String user) {
        jdbc.sql("delete from drafts where item_id = :item and username = :user")
                .param("item", itemId).param("user", user).update();
    }

    private static Draft draftOf(ResultSet rs, int row) throws SQLException {
        long base = rs.getLong("base_revision_id");
        Long baseId = rs.wasNull() ? null : base;
        long conflict = rs.getLong("conflict_revision_id");
        Long conflictId = rs.wasNull() ? null : conflict;
        return new Draft(baseId, rs.getString("payload"), rs.getLong("version"),
                rs.getObject("saved_at", OffsetDateTime.class).toInstant(), conflictId);
    }
}

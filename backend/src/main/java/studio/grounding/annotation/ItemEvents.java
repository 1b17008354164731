package studio.grounding.annotation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.text.StoredText;

/** The append-only log of what happened to each item (submits, review decisions, comments) and who did it. */
@Service
public class ItemEvents {

    private final JdbcClient jdbc;

    ItemEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends an event.
     *
     * @param target {@code phrase:<i>} or {@code mask:<j>}, or null for the whole item
     * @throws IllegalArgumentException naming the field, for a blank author or a malformed target
     */
    @Transactional
    public ItemEvent record(long itemId, ItemEventKind kind, String author, Long revisionId, String comment,
                            String target) {
        if (author == null || author.isBlank()) {
            throw new IllegalArgumentException("author: must not be blank");
        }
        if (target != null && !target.matches("(phrase|mask):[0-9]+")) {
            throw new IllegalArgumentException("target: \"" + target + "\" must be phrase:<index> or mask:<index>");
        }
        StoredText.require("comment", comment);
        String text = comment == null || comment.isBlank() ? null : comment.strip();
        return jdbc.sql("""
                        insert into item_events (item_id, kind, author, revision_id, comment, target)
                        values (:item, :kind, :author, :rev, :comment, :target) returning *""")
                .param("item", itemId).param("kind", kind.name()).param("author", author).param("rev", revisionId)
                .param("comment", text).param("target", target)
                .query(ItemEvents::eventOf).single();
    }

    /** An item's events, oldest first. */
    @Transactional(readOnly = true)
    public List<ItemEvent> of(long itemId) {
        return jdbc.sql("select * from item_events where item_id = :item order by id")
                .param("item", itemId).query(ItemEvents::eventOf).list();
    }

    /** The comments (rejections and comments with text) made since the item was last submitted, oldest first. */
    @Transactional(readOnly = true)
    public List<ReviewComment> openComments(long itemId) {
        return jdbc.sql("""
                        select * from item_events e where e.item_id = :item and e.comment is not null
                          and e.kind in ('REJECTED', 'COMMENTED')
                          and e.id > coalesce((select max(s.id) from item_events s
                                               where s.item_id = :item and s.kind = 'SUBMITTED'), 0)
                        order by e.id""")
                .param("item", itemId).query(ItemEvents::eventOf).list().stream()
                .map(e -> new ReviewComment(e.id(), e.kind(), e.author(), e.target(), e.comment(), e.createdAt()))
                .toList();
    }

    /** The author of the item's last submit, if it was ever submitted. */
    @Transactional(readOnly = true)
    public Optional<ItemEvent> lastSubmit(long itemId) {
        return jdbc.sql("select * from item_events where item_id = :item and kind = 'SUBMITTED' order by id desc limit 1")
                .param("item", itemId).query(ItemEvents::eventOf).optional();
    }

    private static ItemEvent eventOf(ResultSet rs, int row) throws SQLException {
        long rev = rs.getLong("revision_id");
        Long revisionId = rs.wasNull() ? null : rev;
        Instant created = rs.getObject("created_at", OffsetDateTime.class).toInstant();
        return new ItemEvent(rs.getLong("id"), rs.getLong("item_id"), ItemEventKind.valueOf(rs.getString("kind")),
                rs.getString("author"), revisionId, rs.getString("comment"), rs.getString("target"), created);
    }
}

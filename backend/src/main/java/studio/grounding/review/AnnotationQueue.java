package studio.grounding.review;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.annotation.ItemEvents;
import studio.grounding.dataset.ItemStatus;

/**
 * What each user should work on next, across datasets or in one: first their items that came back from review
 * (with the reviewer's comments), then the items they started or hold, then PREFILLED and NEW items nobody else holds.
 * Reviewers also get the SUBMITTED items waiting for them. D / A in the editor move along this order.
 */
@Service
public class AnnotationQueue {

    /** The longest queue shown (the work of a day and more). */
    public static final int LIMIT = 500;

    private final JdbcClient jdbc;
    private final ItemEvents events;

    AnnotationQueue(JdbcClient jdbc, ItemEvents events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** The user's queue across all datasets. */
    @Transactional(readOnly = true)
    public List<QueueEntry> myQueue(String user) {
        return myQueue(user, null);
    }

    /** The user's queue, in one dataset when {@code datasetId} is not null. */
    @Transactional(readOnly = true)
    public List<QueueEntry> myQueue(String user, Long datasetId) {
        return jdbc.sql("""
                        select * from (
                          select it.id, it.dataset_id, d.name as dataset_name, im.file_name, it.status, r.caption,
                            case when it.status = 'REJECTED' then 'REJECTED'
                                 when it.status = 'IN_PROGRESS' then 'IN_PROGRESS'
                                 else 'TO_DO' end as reason,
                            case when it.status = 'REJECTED' then 0
                                 when it.status = 'IN_PROGRESS' then 1
                                 when it.status = 'PREFILLED' then 2 else 3 end as bucket
                          from items it
                          join images im on im.id = it.image_id
                          join datasets d on d.id = it.dataset_id
                          left join caption_revisions r on r.id = it.latest_revision_id
                          left join item_locks l on l.item_id = it.id and l.expires_at > now()
                          where (cast(:ds as bigint) is null or it.dataset_id = :ds)
                            and ((it.status = 'REJECTED'
                                  and (select e.author from item_events e where e.item_id = it.id and e.kind = 'SUBMITTED'
                                       order by e.id desc limit 1) = :user)
                              or (it.status = 'IN_PROGRESS'
                                  and (l.holder = :user or exists (select 1 from drafts dr
                                                                   where dr.item_id = it.id and dr.username = :user)))
                              or (it.status in ('PREFILLED', 'NEW') and (l.holder is null or l.holder = :user)))
                        ) q order by bucket, id limit :limit""")
                .param("ds", datasetId).param("user", user).param("limit", LIMIT)
                .query((rs, n) -> {
                    long itemId = rs.getLong("id");
                    QueueEntry.Reason reason = QueueEntry.Reason.valueOf(rs.getString("reason"));
                    return new QueueEntry(itemId, rs.getLong("dataset_id"), rs.getString("dataset_name"),
                            rs.getString("file_name"), ItemStatus.valueOf(rs.getString("status")), reason,
                            rs.getString("caption"),
                            reason == QueueEntry.Reason.REJECTED ? events.openComments(itemId) : List.of());
                })
                .list();
    }

    /** SUBMITTED items waiting for review, oldest first, in one dataset when {@code datasetId} is not null. */
    @Transactional(readOnly = true)
    public List<QueueEntry> toReview(Long datasetId) {
        return jdbc.sql("""
                        select it.id, it.dataset_id, d.name as dataset_name, im.file_name, it.status, r.caption
                        from items it
                        join images im on im.id = it.image_id
                        join datasets d on d.id = it.dataset_id
                        left join caption_revisions r on r.id = it.latest_revision_id
                        where it.status = 'SUBMITTED' and (cast(:ds as bigint) is null or it.dataset_id = :ds)
                        order by it.updated_at, it.id limit :limit""")
                .param("ds", datasetId).param("limit", LIMIT)
                .query((rs, n) -> new QueueEntry(rs.getLong("id"), rs.getLong("dataset_id"),
                        rs.getString("dataset_name"), rs.getString("file_name"), ItemStatus.SUBMITTED,
                        QueueEntry.Reason.TO_REVIEW, rs.getString("caption"), List.of()))
                .list();
    }

    /** The item after {@code itemId} in the user's queue (the first one when it is not in the queue). */
    @Transactional(readOnly = true)
    public Optional<Long> next(long itemId, String user) {
        List<Long> ids = myQueue(user).stream().map(QueueEntry::itemId).toList();
        int at = ids.indexOf(itemId);
        return ids.stream().skip(at + 1L).filter(id -> id != itemId).findFirst();
    }

    /** The item before {@code itemId} in the user's queue; empty at the start or when it is not in the queue. */
    @Transactional(readOnly = true)
    public Optional<Long> previous(long itemId, String user) {
        List<Long> ids = myQueue(user).stream().map(QueueEntry::itemId).toList();
        int at = ids.indexOf(itemId);
        return at > 0 ? Optional.of(ids.get(at - 1)) : Optional.empty();
    }
}

package studio.grounding.annotation;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.mask.MalformedRleException;
import studio.grounding.mask.Rle;
import tools.jackson.databind.json.JsonMapper;

/**
 * The append-only history of each item's grounded caption. {@link #append} validates a revision completely
 * (spans in range and matching their text, every mask well-formed RLE of the image's size) and stores the
 * revision, its phrases and masks in one transaction, or nothing at all.
 */
@Service
public class RevisionService {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final JsonMapper json = JsonMapper.builder().build();

    RevisionService(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /**
     * Validates and appends a revision.
     *
     * @throws InvalidRevisionException listing every problem, when anything is invalid; nothing is stored then
     */
    @Transactional
    public Revision append(NewRevision revision) {
        return append(revision, null);
    }

    /**
     * Validates and appends a revision with further reference captions of its ground truth (the revision's caption
     * is the first reference). {@code otherReferences} null: the parent's references are carried forward (none
     * without a parent); a list, even empty, replaces them.
     *
     * @throws InvalidRevisionException listing every problem, when anything is invalid; nothing is stored then
     */
    @Transactional
    public Revision append(NewRevision revision, List<String> otherReferences) {
        return append(revision, otherReferences, null);
    }

    /**
     * Validates and appends a revision with further reference captions (see above) and, for a model's output, how
     * the model listed its phrases and masks ({@code listing}, may be null).
     *
     * @throws InvalidRevisionException listing every problem, when anything is invalid; nothing is stored then
     */
    @Transactional
    public Revision append(NewRevision revision, List<String> otherReferences, PhraseListing listing) {
        if (listing != null) {
            int masksOfRevision = revision.caption().allMasks().size();
            for (int k : listing.maskOrder()) {
                if (k < 0 || k >= masksOfRevision) {
                    throw new IllegalArgumentException("listing: mask " + k + " is not one of the revision's "
                            + masksOfRevision + " masks");
                }
            }
        }
        List<ValidMask> masks = validate(revision);
        GroundedCaption caption = revision.caption();
        String hash = ContentHash.of(caption);
        Inserted inserted = jdbc.sql("""
                        insert into caption_revisions
                          (item_id, parent_id, caption, origin, author, model_version_id, content_hash, source, warnings, timings)
                        values (:item, :parent, :caption, :origin, :author, :model, :hash, :source, :warnings, cast(:timings as jsonb))
                        returning id, created_at""")
                .param("item", revision.itemId()).param("parent", revision.parentId())
                .param("caption", caption.caption()).param("origin", revision.origin().dbValue())
                .param("author", revision.author()).param("model", revision.modelVersionId())
                .param("hash", hash).param("source", revision.source())
                .param("warnings", revision.warnings().toArray(String[]::new))
                .param("timings", revision.timings().isEmpty() ? null : json.writeValueAsString(revision.timings()))
                .query((rs, n) -> new Inserted(rs.getLong("id"), rs.getObject("created_at", OffsetDateTime.class)))
                .single();
        long revisionId = inserted.id();

        long[] phraseIds = insertPhrases(revisionId, caption.phrases(), revision.keys());
        insertMasks(revisionId, masks, phraseIds, revision.keys());
        insertReferences(revisionId, revision.parentId(), otherReferences);
        if (listing != null) {
            jdbc.sql("""
                            insert into revision_listings (revision_id, phrases, mask_order)
                            values (:rev, :phrases, :order)""")
                    .param("rev", revisionId).param("phrases", listing.phrases().toArray(String[]::new))
                    .param("order", listing.maskOrder().stream().mapToInt(Integer::intValue).toArray()).update();
        }
        events.publishEvent(new RevisionAppended(revision.itemId(), revisionId, revision.origin()));
        return new Revision(revisionId, revision.itemId(), revision.parentId(), revision.origin(), revision.author(),
                revision.modelVersionId(), hash, revision.source(), revision.warnings(), inserted.createdAt(), caption,
                revision.keys());
    }

    private void insertReferences(long revisionId, Long parentId, List<String> otherReferences) {
        if (otherReferences == null) {
            if (parentId != null) {
                jdbc.sql("""
                                insert into revision_references (revision_id, ordinal, caption)
                                select :rev, ordinal, caption from revision_references where revision_id = :parent""")
                        .param("rev", revisionId).param("parent", parentId).update();
            }
            return;
        }
        if (otherReferences.isEmpty()) {
            return;
        }
        int[] ordinals = new int[otherReferences.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = i + 1;
        }
        jdbc.sql("""
                        insert into revision_references (revision_id, ordinal, caption)
                        select :rev, u.ordinal, u.caption
                        from unnest(cast(:ordinals as int[]), cast(:captions as text[])) as u(ordinal, caption)""")
                .param("rev", revisionId).param("ordinals", ordinals)
                .param("captions", otherReferences.toArray(String[]::new)).update();
    }

    /**
     * The further reference captions of each revision (after its own caption), in order; revisions without any are
     * left out of the map.
     */
    @Transactional(readOnly = true)
    public Map<Long, List<String>> otherReferences(List<Long> revisionIds) {
        Map<Long, List<String>> result = new HashMap<>();
        if (revisionIds.isEmpty()) {
            return result;
        }
        jdbc.sql("select revision_id, caption from revision_references where revision_id = any(:ids) "
                        + "order by revision_id, ordinal")
                .param("ids", revisionIds.toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    result.computeIfAbsent(rs.getLong("revision_id"), k -> new ArrayList<>())
                            .add(rs.getString("caption"));
                });
        return result;
    }

    /** The stored listings of those revisions that have one. */
    @Transactional(readOnly = true)
    public Map<Long, PhraseListing> listings(List<Long> revisionIds) {
        Map<Long, PhraseListing> result = new HashMap<>();
        if (revisionIds.isEmpty()) {
            return result;
        }
        jdbc.sql("select revision_id, phrases, mask_order from revision_listings where revision_id = any(:ids)")
                .param("ids", revisionIds.toArray(Long[]::new))
                .query((ResultSet rs) -> {
                    String[] phrases = (String[]) rs.getArray("phrases").getArray();
                    Integer[] order = (Integer[]) rs.getArray("mask_order").getArray();
                    result.put(rs.getLong("revision_id"), new PhraseListing(List.of(phrases), List.of(order)));
                });
        return result;
    }

    /** Inserts a revision's phrases in one statement; returns their ids in phrase order. */
    private long[] insertPhrases(long revisionId, List<PhraseSpan> phrases, ElementKeys keys) {
        long[] ids = new long[phrases.size()];
        if (phrases.isEmpty()) {
            return ids;
        }
        int n = phrases.size();
        int[] ordinals = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        String[] texts = new String[n];
        int[] phraseKeys = new int[n];
        for (int i = 0; i < n; i++) {
            ordinals[i] = i;
            phraseKeys[i] = keys.phrases().get(i);
            starts[i] = phrases.get(i).start();
            ends[i] = phrases.get(i).end();
            texts[i] = phrases.get(i).text();
        }
        jdbc.sql("""
                        insert into phrases (revision_id, ordinal, start_offset, end_offset, text, element_key)
                        select :rev, u.ordinal, u.start_offset, u.end_offset, u.text, u.element_key
                        from unnest(cast(:ordinals as int[]), cast(:starts as int[]), cast(:ends as int[]),
                                    cast(:texts as text[]), cast(:keys as int[]))
                             as u(ordinal, start_offset, end_offset, text, element_key)
                        returning id, ordinal""")
                .param("rev", revisionId).param("ordinals", ordinals).param("starts", starts).param("ends", ends)
                .param("texts", texts).param("keys", phraseKeys)
                .query((ResultSet rs) -> {
                    ids[rs.getInt("ordinal")] = rs.getLong("id");
                });
        return ids;
    }

    /** Inserts a revision's masks in one statement, each linked to its phrase's id or to none. */
    private void insertMasks(long revisionId, List<ValidMask> masks, long[] phraseIds, ElementKeys keys) {
        if (masks.isEmpty()) {
            return;
        }
        int n = masks.size();
        Long[] phrase = new Long[n];
        int[] ordinals = new int[n];
        String[] counts = new String[n];
        int[] heights = new int[n];
        int[] widths = new int[n];
        long[] areas = new long[n];
        int[][] boxes = new int[4][n];
        int[] maskKeys = new int[n];
        for (int i = 0; i < n; i++) {
            ValidMask m = masks.get(i);
            maskKeys[i] = keys.masks().get(i);
            phrase[i] = m.phraseIndex() < 0 ? null : phraseIds[m.phraseIndex()];
            ordinals[i] = i;
            counts[i] = m.mask().counts();
            heights[i] = m.mask().height();
            widths[i] = m.mask().width();
            areas[i] = m.area();
            for (int k = 0; k < 4; k++) {
                boxes[k][i] = m.bbox()[k];
            }
        }
        jdbc.sql("""
                        insert into masks (revision_id, phrase_id, ordinal, rle_counts, height, width, area,
                                           bbox_x, bbox_y, bbox_w, bbox_h, element_key)
                        select :rev, u.* from unnest(cast(:phrase as bigint[]), cast(:ordinals as int[]),
                            cast(:counts as text[]), cast(:heights as int[]), cast(:widths as int[]),
                            cast(:areas as bigint[]), cast(:x as int[]), cast(:y as int[]), cast(:w as int[]),
                            cast(:h as int[]), cast(:keys as int[])) as u""")
                .param("rev", revisionId).param("phrase", phrase).param("ordinals", ordinals).param("counts", counts)
                .param("keys", maskKeys)
                .param("heights", heights).param("widths", widths).param("areas", areas)
                .param("x", boxes[0]).param("y", boxes[1]).param("w", boxes[2]).param("h", boxes[3])
                .update();
    }

    /**
     * The newest revision of an item without its content (id, origin, model version, content hash): what an
     * import needs to decide whether a record changes anything.
     */
    @Transactional(readOnly = true)
    public Optional<RevisionSummary> latestSummary(long itemId) {
        return summaries("r.item_id = :item", itemId, null, 1).stream().findFirst();
    }

    /** The newest revision of an item with the given origin, without its content. */
    @Transactional(readOnly = true)
    public Optional<RevisionSummary> latestSummary(long itemId, Origin origin) {
        return summaries("r.item_id = :item and r.origin = :origin", itemId, origin, 1).stream().findFirst();
    }

    /** The newest revision of an item, if it has any. */
    @Transactional(readOnly = true)
    public Optional<Revision> latest(long itemId) {
        return jdbc.sql("select id from caption_revisions where item_id = :item order by id desc limit 1")
                .param("item", itemId).query(Long.class).optional().flatMap(this::get);
    }

    /** The newest revision of an item with the given origin (the model's pre-fill, say). */
    @Transactional(readOnly = true)
    public Optional<Revision> latest(long itemId, Origin origin) {
        return jdbc.sql("select id from caption_revisions where item_id = :item and origin = :origin order by id desc limit 1")
                .param("item", itemId).param("origin", origin.dbValue()).query(Long.class).optional().flatMap(this::get);
    }

    /** An item's history, newest first. */
    @Transactional(readOnly = true)
    public List<RevisionSummary> history(long itemId) {
        return summaries("r.item_id = :item", itemId, null, Integer.MAX_VALUE);
    }

    private List<RevisionSummary> summaries(String where, long itemId, Origin origin, int limit) {
        return jdbc.sql("""
                        select r.id, r.parent_id, r.origin, r.author, r.model_version_id, r.content_hash, r.created_at,
                          (select count(*) from phrases p where p.revision_id = r.id) as phrase_count,
                          (select count(*) from masks m where m.revision_id = r.id) as mask_count
                        from caption_revisions r where\s""" + where + " order by r.id desc limit :limit")
                .param("item", itemId).param("limit", limit).param("origin", origin == null ? null : origin.dbValue())
                .query((rs, n) -> new RevisionSummary(rs.getLong("id"), nullableLong(rs, "parent_id"),
                        Origin.fromDb(rs.getString("origin")), rs.getString("author"),
                        nullableLong(rs, "model_version_id"), rs.getString("content_hash"),
                        rs.getObject("created_at", OffsetDateTime.class), rs.getInt("phrase_count"),
                        rs.getInt("mask_count")))
                .list();
    }

    /** A revision with its full content. */
    @Transactional(readOnly = true)
    public Optional<Revision> get(long revisionId) {
        return getAll(List.of(revisionId)).stream().findFirst();
    }

    /**
     * Several revisions with their full content in three queries, in the order of the ids given (unknown ids
     * are left out): what an export reads a page of items at a time.
     */
    @Transactional(readOnly = true)
    public List<Revision> getAll(List<Long> revisionIds) {
        if (revisionIds.isEmpty()) {
            return List.of();
        }
        Long[] ids = revisionIds.toArray(Long[]::new);
        Map<Long, RevisionHead> heads = new HashMap<>();
        jdbc.sql("select * from caption_revisions where id = any(:ids)").param("ids", ids)
                .query(RevisionService::headOf).list().forEach(h -> heads.put(h.id(), h));
        Map<Long, List<PhraseRow>> phrasesByRevision = new HashMap<>();
        Map<Long, PhraseRow> phrasesById = new HashMap<>();
        jdbc.sql("select id, revision_id, start_offset, end_offset, text, coalesce(element_key, ordinal) as k"
                        + " from phrases where revision_id = any(:ids) order by revision_id, ordinal")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    PhraseRow row = new PhraseRow(rs.getLong("id"), rs.getInt("start_offset"), rs.getInt("end_offset"),
                            rs.getString("text"), new ArrayList<>(), rs.getInt("k"), new ArrayList<>());
                    phrasesByRevision.computeIfAbsent(rs.getLong("revision_id"), k -> new ArrayList<>()).add(row);
                    phrasesById.put(row.id(), row);
                });
        Map<Long, List<MaskRle>> unlinkedByRevision = new HashMap<>();
        Map<Long, List<Integer>> unlinkedKeysByRevision = new HashMap<>();
        jdbc.sql("select revision_id, phrase_id, rle_counts, height, width, coalesce(element_key, ordinal) as k"
                        + " from masks where revision_id = any(:ids) order by revision_id, ordinal")
                .param("ids", ids)
                .query((ResultSet rs) -> {
                    MaskRle mask = new MaskRle(rs.getInt("height"), rs.getInt("width"), rs.getString("rle_counts"));
                    int key = rs.getInt("k");
                    long phraseId = rs.getLong("phrase_id");
                    if (rs.wasNull()) {
                        long revision = rs.getLong("revision_id");
                        unlinkedByRevision.computeIfAbsent(revision, k -> new ArrayList<>()).add(mask);
                        unlinkedKeysByRevision.computeIfAbsent(revision, k -> new ArrayList<>()).add(key);
                    } else {
                        PhraseRow row = phrasesById.get(phraseId);
                        row.masks().add(mask);
                        row.maskKeys().add(key);
                    }
                });
        List<Revision> result = new ArrayList<>(ids.length);
        for (Long id : revisionIds) {
            RevisionHead h = heads.get(id);
            if (h == null) {
                continue;
            }
            List<PhraseRow> rows = phrasesByRevision.getOrDefault(id, List.of());
            List<PhraseSpan> phrases = rows.stream()
                    .map(p -> new PhraseSpan(p.start(), p.end(), p.text(), p.masks())).toList();
            List<Integer> maskKeys = new ArrayList<>();
            rows.forEach(p -> maskKeys.addAll(p.maskKeys()));
            maskKeys.addAll(unlinkedKeysByRevision.getOrDefault(id, List.of()));
            result.add(new Revision(h.id(), h.itemId(), h.parentId(), h.origin(), h.author(), h.modelVersionId(),
                    h.contentHash(), h.source(), h.warnings(), h.createdAt(),
                    new GroundedCaption(h.caption(), phrases, unlinkedByRevision.getOrDefault(id, List.of())),
                    new ElementKeys(rows.stream().map(PhraseRow::key).toList(), maskKeys)));
        }
        return result;
    }

    /** Whether a revision with this id exists and belongs to the item. */
    @Transactional(readOnly = true)
    public boolean isRevisionOf(long revisionId, long itemId) {
        return jdbc.sql("select count(*) from caption_revisions where id = :id and item_id = :item")
                .param("id", revisionId).param("item", itemId).query(Long.class).single() > 0;
    }

    /** The content hash a caption would be stored with (to detect an unchanged re-import). */
    public String contentHash(GroundedCaption caption) {
        return ContentHash.of(caption);
    }

    private static List<ValidMask> validate(NewRevision revision) {
        GroundedCaption caption = revision.caption();
        List<GroundedCaption.FieldProblem> problems = new ArrayList<>(caption.problems());
        List<ValidMask> masks = new ArrayList<>();
        for (int i = 0; i < caption.phrases().size(); i++) {
            List<MaskRle> phraseMasks = caption.phrases().get(i).masks();
            for (int j = 0; j < phraseMasks.size(); j++) {
                check(phraseMasks.get(j), i, "phrases[" + i + "].masks[" + j + "]", revision, masks, problems);
            }
        }
        for (int j = 0; j < caption.unlinkedMasks().size(); j++) {
            check(caption.unlinkedMasks().get(j), -1, "unlinkedMasks[" + j + "]", revision, masks, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRevisionException(problems);
        }
        return masks;
    }

    private static void check(MaskRle mask, int phraseIndex, String field, NewRevision revision,
                              List<ValidMask> valid, List<GroundedCaption.FieldProblem> problems) {
        if (mask.height() != revision.imageHeight() || mask.width() != revision.imageWidth()) {
            problems.add(new GroundedCaption.FieldProblem(field + ".size", "mask size [" + mask.height() + ", "
                    + mask.width() + "] does not match the image size [" + revision.imageHeight() + ", "
                    + revision.imageWidth() + "]"));
            return;
        }
        try {
            Rle rle = Rle.fromString(mask.counts(), mask.height(), mask.width());
            double[] box = rle.bbox();
            int[] bbox = {(int) box[0], (int) box[1], (int) box[2], (int) box[3]};
            valid.add(new ValidMask(phraseIndex, mask, rle.area(), bbox));
        } catch (MalformedRleException e) {
            problems.add(new GroundedCaption.FieldProblem(field + ".counts", e.getMessage()));
        }
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static RevisionHead headOf(ResultSet rs, int row) throws SQLException {
        Array warnings = rs.getArray("warnings");
        List<String> warningList = warnings == null ? List.of() : Arrays.asList((String[]) warnings.getArray());
        return new RevisionHead(rs.getLong("id"), rs.getLong("item_id"), nullableLong(rs, "parent_id"),
                Origin.fromDb(rs.getString("origin")), rs.getString("author"), nullableLong(rs, "model_version_id"),
                rs.getString("content_hash"), rs.getString("source"), warningList,
                rs.getObject("created_at", OffsetDateTime.class), rs.getString("caption"));
    }

    private record Inserted(long id, OffsetDateTime createdAt) {
    }

    private record ValidMask(int phraseIndex, MaskRle mask, long area, int[] bbox) {
    }

    private record PhraseRow(long id, int start, int end, String text, List<MaskRle> masks, int key,
                             List<Integer> maskKeys) {
    }

    private record RevisionHead(long id, long itemId, Long parentId, Origin origin, String author, Long modelVersionId,
                                String contentHash, String source, List<String> warnings, OffsetDateTime createdAt,
                                String caption) {
    }
}

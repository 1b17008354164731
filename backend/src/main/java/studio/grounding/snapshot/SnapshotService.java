package studio.grounding.snapshot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.Split;
import studio.grounding.interchange.ExportReport;
import studio.grounding.interchange.ExportService;
import studio.grounding.interchange.PinnedRevision;
import studio.grounding.text.StoredText;

/**
 * Snapshots: immutable, numbered freezes of a dataset's ACCEPTED items at their latest revision, with the split
 * each image belongs to. An image's split is decided once, the first time a snapshot takes it, and kept forever
 * (explicit val/test from the import, otherwise a hash of the image content; see {@link SplitAssigner} and ADR 0007).
 */
@Service
public class SnapshotService {

    private static final int INSERT_CHUNK = 5_000;
    /** Canonical order of entries: file name by Java string order (not the database collation). */
    private static final Comparator<SnapshotEntry> CANONICAL = Comparator.comparing(SnapshotEntry::fileName);

    private final JdbcClient jdbc;
    private final DatasetService datasets;
    private final ExportService exports;
    private final SplitAssigner splits;

    SnapshotService(JdbcClient jdbc, DatasetService datasets, ExportService exports, SplitAssigner splits) {
        this.jdbc = jdbc;
        this.datasets = datasets;
        this.exports = exports;
        this.splits = splits;
    }

    /**
     * Freezes the dataset's ACCEPTED items (their latest revision) as its next snapshot. Concurrent creates for one
     * dataset are serialised on the dataset row, so each gets its own number.
     *
     * @throws IllegalStateException if the dataset has no accepted item with a revision (nothing is stored)
     */
    @Transactional
    public SnapshotInfo create(String dataset, String createdBy, String note) {
        if (createdBy == null || createdBy.isBlank()) {
            throw new IllegalArgumentException("createdBy: a snapshot needs its author");
        }
        StoredText.require("note", note);
        DatasetSummary ds = datasets.require(dataset);
        jdbc.sql("select id from datasets where id = :id for update").param("id", ds.id()).query(Long.class).single();
        List<Row> rows = jdbc.sql("""
                        select it.id as item_id, it.latest_revision_id, im.id as image_id, im.file_name,
                               im.content_hash as image_hash, im.split as image_split, r.content_hash as revision_hash,
                               s.split as pinned_split
                        from items it
                        join images im on im.id = it.image_id
                        join caption_revisions r on r.id = it.latest_revision_id
                        left join snapshot_image_splits s on s.image_id = im.id
                        where it.dataset_id = :ds and it.status = 'ACCEPTED'""")
                .param("ds", ds.id())
                .query((rs, n) -> new Row(rs.getLong("item_id"), rs.getLong("latest_revision_id"), rs.getLong("image_id"),
                        rs.getString("file_name"), rs.getString("image_hash"), Split.fromDb(rs.getString("image_split")),
                        rs.getString("revision_hash"), rs.getString("pinned_split")))
                .list();
        if (rows.isEmpty()) {
            throw new IllegalStateException("Dataset \"" + ds.name() + "\" has no ACCEPTED items: nothing to snapshot");
        }
        Map<Long, Split> pinned = pinSplits(rows.stream().filter(r -> r.pinnedSplit() == null).toList());
        List<SnapshotEntry> entries = new ArrayList<>(rows.size());
        Map<Long, String> revisionHashes = new HashMap<>();
        for (Row row : rows) {
            Split split = row.pinnedSplit() != null ? Split.fromDb(row.pinnedSplit()) : pinned.get(row.imageId());
            entries.add(new SnapshotEntry(row.itemId(), row.revisionId(), row.imageId(), row.fileName(), split));
            revisionHashes.put(row.revisionId(), row.revisionHash());
        }
        entries.sort(CANONICAL);
        Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            perSplit.put(s, 0);
        }
        entries.forEach(e -> perSplit.merge(e.split(), 1, Integer::sum));
        Long[] revisionIds = entries.stream().map(SnapshotEntry::revisionId).toArray(Long[]::new);
        int phrases = jdbc.sql("select count(*) from phrases where revision_id = any(:ids)")
                .param("ids", revisionIds).query(Integer.class).single();
        int masks = jdbc.sql("select count(*) from masks where revision_id = any(:ids)")
                .param("ids", revisionIds).query(Integer.class).single();
        int number = jdbc.sql("select coalesce(max(number), 0) + 1 from snapshots where dataset_id = :ds")
                .param("ds", ds.id()).query(Integer.class).single();
        long id = jdbc.sql("""
                        insert into snapshots (dataset_id, number, content_hash, items, items_train, items_val, items_test,
                                               phrases, masks, created_by, note)
                        values (:ds, :number, :hash, :items, :train, :val, :test, :phrases, :masks, :by, :note)
                        returning id""")
                .param("ds", ds.id()).param("number", number).param("hash", contentHash(entries, revisionHashes))
                .param("items", entries.size()).param("train", perSplit.get(Split.TRAIN))
                .param("val", perSplit.get(Split.VAL)).param("test", perSplit.get(Split.TEST))
                .param("phrases", phrases).param("masks", masks).param("by", createdBy.strip())
                .param("note", note == null || note.isBlank() ? null : note.strip())
                .query(Long.class).single();
        for (int from = 0; from < entries.size(); from += INSERT_CHUNK) {
            List<SnapshotEntry> chunk = entries.subList(from, Math.min(entries.size(), from + INSERT_CHUNK));
            jdbc.sql("""
                            insert into snapshot_entries (snapshot_id, item_id, revision_id, image_id, file_name, split)
                            select :snapshot, * from unnest(:items, :revisions, :images, :names, :splits)""")
                    .param("snapshot", id)
                    .param("items", chunk.stream().map(SnapshotEntry::itemId).toArray(Long[]::new))
                    .param("revisions", chunk.stream().map(SnapshotEntry::revisionId).toArray(Long[]::new))
                    .param("images", chunk.stream().map(SnapshotEntry::imageId).toArray(Long[]::new))
                    .param("names", chunk.stream().map(SnapshotEntry::fileName).toArray(String[]::new))
                    .param("splits", chunk.stream().map(e -> e.split().dbValue()).toArray(String[]::new))
                    .update();
        }
        return get(id);
    }

    /** The dataset's snapshots, newest first. */
    @Transactional(readOnly = true)
    public List<SnapshotInfo> list(String dataset) {
        DatasetSummary ds = datasets.require(dataset);
        return jdbc.sql(SELECT + " where s.dataset_id = :ds order by s.number desc").param("ds", ds.id())
                .query(SnapshotService::infoOf).list();
    }

    @Transactional(readOnly = true)
    public SnapshotInfo get(String dataset, int number) {
        DatasetSummary ds = datasets.require(dataset);
        return jdbc.sql(SELECT + " where s.dataset_id = :ds and s.number = :n").param("ds", ds.id()).param("n", number)
                .query(SnapshotService::infoOf).optional()
                .orElseThrow(() -> new UnknownSnapshotException(number + " of dataset \"" + ds.name() + "\""));
    }

    @Transactional(readOnly = true)
    public SnapshotInfo get(long snapshotId) {
        return jdbc.sql(SELECT + " where s.id = :id").param("id", snapshotId).query(SnapshotService::infoOf).optional()
                .orElseThrow(() -> new UnknownSnapshotException("#" + snapshotId));
    }

    /** The snapshot's entries in file-name order, only those of {@code split} unless it is null. */
    @Transactional(readOnly = true)
    public List<SnapshotEntry> entries(long snapshotId, Split split) {
        get(snapshotId);
        List<SnapshotEntry> entries = new ArrayList<>(jdbc.sql("""
                        select item_id, revision_id, image_id, file_name, split from snapshot_entries
                        where snapshot_id = :id""" + (split == null ? "" : " and split = :split"))
                .param("id", snapshotId).param("split", split == null ? "-" : split.dbValue())
                .query((rs, n) -> new SnapshotEntry(rs.getLong("item_id"), rs.getLong("revision_id"),
                        rs.getLong("image_id"), rs.getString("file_name"), Split.fromDb(rs.getString("split"))))
                .list());
        entries.sort(CANONICAL);
        return entries;
    }

    /** GranD_f HA JSON (GLaMM's training format) of the snapshot's entries of these splits (all if empty). */
    public ExportReport exportGrandf(long snapshotId, Set<Split> splits, OutputStream out) {
        return exports.exportGrandf(pinned(snapshotId, splits), out);
    }

    /** The COCO GCG validation/test pair per split of the snapshot's entries of these splits (all if empty). */
    public ExportReport exportCocoGcg(long snapshotId, Set<Split> splits, Path outDir) {
        return exports.exportCocoGcg(pinned(snapshotId, splits), outDir);
    }

    /**
     * The COCO GCG pairs of the snapshot's entries of these splits (all if empty) as one zip stream, its entries
     * dated at the snapshot's creation, so a snapshot always gives the same bytes.
     */
    public ExportReport exportCocoGcgZip(long snapshotId, Set<Split> splits, OutputStream out) throws IOException {
        return exports.exportCocoGcgZip(pinned(snapshotId, splits), get(snapshotId).createdAt(), out);
    }

    /** Items added, removed and changed (other revision) from snapshot {@code a} to snapshot {@code b}. */
    @Transactional(readOnly = true)
    public SnapshotComparison compare(String dataset, int a, int b) {
        SnapshotInfo first = get(dataset, a);
        SnapshotInfo second = get(dataset, b);
        List<SnapshotComparison.ComparedItem> added = new ArrayList<>();
        List<SnapshotComparison.ComparedItem> removed = new ArrayList<>();
        List<SnapshotComparison.ComparedItem> changed = new ArrayList<>();
        int[] unchanged = {0};
        jdbc.sql("""
                        select coalesce(x.item_id, y.item_id) as item_id, coalesce(y.file_name, x.file_name) as file_name,
                               x.revision_id as rev_a, y.revision_id as rev_b
                        from (select * from snapshot_entries where snapshot_id = :a) x
                        full outer join (select * from snapshot_entries where snapshot_id = :b) y on y.item_id = x.item_id""")
                .param("a", first.id()).param("b", second.id())
                .query((ResultSet rs) -> {
                    long revA = rs.getLong("rev_a");
                    Long revisionA = rs.wasNull() ? null : revA;
                    long revB = rs.getLong("rev_b");
                    Long revisionB = rs.wasNull() ? null : revB;
                    var item = new SnapshotComparison.ComparedItem(rs.getLong("item_id"), rs.getString("file_name"),
                            revisionA, revisionB);
                    if (revisionA == null) {
                        added.add(item);
                    } else if (revisionB == null) {
                        removed.add(item);
                    } else if (!revisionA.equals(revisionB)) {
                        changed.add(item);
                    } else {
                        unchanged[0]++;
                    }
                });
        Comparator<SnapshotComparison.ComparedItem> byName = Comparator.comparing(SnapshotComparison.ComparedItem::fileName);
        added.sort(byName);
        removed.sort(byName);
        changed.sort(byName);
        return new SnapshotComparison(first, second, added, removed, changed, unchanged[0]);
    }

    private List<PinnedRevision> pinned(long snapshotId, Set<Split> wanted) {
        return entries(snapshotId, null).stream()
                .filter(e -> wanted == null || wanted.isEmpty() || wanted.contains(e.split()))
                .map(e -> new PinnedRevision(e.itemId(), e.revisionId(), e.split())).toList();
    }

    /**
     * Decides the split of images no snapshot has taken yet, for good: an explicit val/test split from the import
     * wins, otherwise the hash. Returns the pinned split of each (re-read: the stored row is what counts).
     */
    private Map<Long, Split> pinSplits(List<Row> unpinned) {
        Map<Long, Split> pinned = new HashMap<>();
        for (int from = 0; from < unpinned.size(); from += INSERT_CHUNK) {
            List<Row> chunk = unpinned.subList(from, Math.min(unpinned.size(), from + INSERT_CHUNK));
            List<String> splitsOf = new ArrayList<>(chunk.size());
            List<String> assignedBy = new ArrayList<>(chunk.size());
            for (Row row : chunk) {
                boolean explicit = row.imageSplit() != Split.TRAIN;
                splitsOf.add((explicit ? row.imageSplit() : splits.splitOf(row.imageHash())).dbValue());
                assignedBy.add(explicit ? "import" : "hash");
            }
            Long[] imageIds = chunk.stream().map(Row::imageId).toArray(Long[]::new);
            jdbc.sql("""
                            insert into snapshot_image_splits (image_id, split, assigned_by)
                            select * from unnest(:images, :splits, :by) on conflict (image_id) do nothing""")
                    .param("images", imageIds).param("splits", splitsOf.toArray(String[]::new))
                    .param("by", assignedBy.toArray(String[]::new)).update();
            jdbc.sql("select image_id, split from snapshot_image_splits where image_id = any(:images)")
                    .param("images", imageIds)
                    .query((ResultSet rs) -> {
                        pinned.put(rs.getLong("image_id"), Split.fromDb(rs.getString("split")));
                    });
        }
        return pinned;
    }

    static String contentHash(List<SnapshotEntry> canonicalEntries, Map<Long, String> revisionHashes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (SnapshotEntry e : canonicalEntries) {
                digest.update((e.fileName() + '\t' + revisionHashes.get(e.revisionId()).strip() + '\t'
                        + e.split().dbValue() + '\n').getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final String SELECT = """
            select s.*, d.name as dataset_name from snapshots s join datasets d on d.id = s.dataset_id""";

    private static SnapshotInfo infoOf(ResultSet rs, int row) throws SQLException {
        Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        perSplit.put(Split.TRAIN, rs.getInt("items_train"));
        perSplit.put(Split.VAL, rs.getInt("items_val"));
        perSplit.put(Split.TEST, rs.getInt("items_test"));
        return new SnapshotInfo(rs.getLong("id"), rs.getString("dataset_name"), rs.getInt("number"),
                rs.getString("content_hash"), rs.getInt("items"), perSplit, rs.getInt("phrases"), rs.getInt("masks"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                rs.getString("note"));
    }

    private record Row(long itemId, long revisionId, long imageId, String fileName, String imageHash, Split imageSplit,
                       String revisionHash, String pinnedSplit) {
    }
}

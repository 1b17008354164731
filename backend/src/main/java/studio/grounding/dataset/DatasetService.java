package studio.grounding.dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import studio.grounding.text.StoredText;

/** Datasets, their images and items: the catalogue the annotation work is organised by. */
@Service
public class DatasetService {

    private static final String ITEM_COLUMNS = """
            it.id, it.dataset_id, it.status, it.latest_revision_id, it.updated_at,
            im.id as image_id, im.file_name, im.content_hash, im.media_type, im.byte_size, im.width, im.height,
            im.source, im.split
            """;

    /** Characters a dataset name may not hold ({@link #validName}). */
    private static final String FORBIDDEN_IN_NAMES = "/\\%;";

    private final DatasetRepository datasets;
    private final JdbcClient jdbc;

    DatasetService(DatasetRepository datasets, JdbcClient jdbc) {
        this.datasets = datasets;
        this.jdbc = jdbc;
    }

    @Transactional
    public DatasetSummary create(String name, String description, String createdBy) {
        String trimmed = validName(name);
        if (datasets.findByName(trimmed).isPresent()) {
            throw new IllegalArgumentException("A dataset named \"" + trimmed + "\" already exists");
        }
        StoredText.require("description", description);
        DatasetEntity saved = datasets.saveAndFlush(new DatasetEntity(trimmed, description, createdBy));
        return summaryOf(saved);
    }

    /** The dataset of that name, created empty if there is none. */
    @Transactional
    public DatasetSummary getOrCreate(String name, String createdBy) {
        String trimmed = validName(name);
        return datasets.findByName(trimmed).map(this::summaryOf)
                .orElseGet(() -> summaryOf(datasets.saveAndFlush(new DatasetEntity(trimmed, null, createdBy))));
    }

    @Transactional(readOnly = true)
    public Optional<DatasetSummary> find(String name) {
        return datasets.findByName(name).map(this::summaryOf);
    }

    @Transactional(readOnly = true)
    public DatasetSummary get(long id) {
        return datasets.findById(id).map(this::summaryOf).orElseThrow(() -> new UnknownDatasetException("#" + id));
    }

    @Transactional(readOnly = true)
    public DatasetSummary require(String name) {
        return find(name).orElseThrow(() -> new UnknownDatasetException("named \"" + name + "\""));
    }

    /** Every dataset with its item counts per status, by name. */
    @Transactional(readOnly = true)
    public List<DatasetSummary> list() {
        Map<Long, Map<ItemStatus, Long>> counts = new LinkedHashMap<>();
        jdbc.sql("select dataset_id, status, count(*) as n from items group by dataset_id, status")
                .query((ResultSet rs) -> {
                    counts.computeIfAbsent(rs.getLong("dataset_id"), k -> emptyCounts())
                            .put(ItemStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        List<DatasetSummary> result = new ArrayList<>();
        for (DatasetEntity d : datasets.findAll(org.springframework.data.domain.Sort.by("name"))) {
            result.add(new DatasetSummary(d.id(), d.name(), d.description(), d.createdAt(),
                    counts.getOrDefault(d.id(), emptyCounts())));
        }
        return result;
    }

    /**
     * Registers an image of a dataset under its original file name. Idempotent: the same file name with the
     * same content returns the existing image; the same name with other content is refused.
     */
    @Transactional
    public ImageInfo addImage(long datasetId, String fileName, StoredImage stored, String source, Split split) {
        Optional<ImageInfo> inserted = jdbc.sql("""
                        insert into images (dataset_id, file_name, content_hash, media_type, byte_size, width, height,
                                            source, split)
                        values (:ds, :name, :hash, :type, :size, :width, :height, :source, :split)
                        on conflict (dataset_id, file_name) do nothing
                        returning *""")
                .param("ds", datasetId).param("name", fileName).param("hash", stored.contentHash())
                .param("type", stored.mediaType()).param("size", stored.byteSize()).param("width", stored.width())
                .param("height", stored.height()).param("source", source).param("split", split.dbValue())
                .query(DatasetService::imageOf).optional();
        if (inserted.isPresent()) {
            return inserted.get();
        }
        ImageInfo existing = findImage(datasetId, fileName).orElseThrow();
        if (!existing.contentHash().equals(stored.contentHash())) {
            throw new IllegalArgumentException("Image " + fileName + " is already in the dataset with other content ("
                    + existing.contentHash().substring(0, 12) + "…, now " + stored.contentHash().substring(0, 12) + "…)");
        }
        return existing;
    }

    /** The item of an image, created (status NEW, no revision yet) if the image has none. */
    @Transactional
    public ItemInfo ensureItem(ImageInfo image) {
        Optional<ItemInfo> created = jdbc.sql("""
                        insert into items (dataset_id, image_id) values (:ds, :image)
                        on conflict (image_id) do nothing
                        returning id, status, updated_at""")
                .param("ds", image.datasetId()).param("image", image.id())
                .query((rs, n) -> new ItemInfo(rs.getLong("id"), image.datasetId(), ItemStatus.valueOf(rs.getString("status")),
                        null, rs.getObject("updated_at", OffsetDateTime.class), image))
                .optional();
        return created.orElseGet(() -> itemOfImage(image.id()).orElseThrow());
    }

    @Transactional(readOnly = true)
    public Optional<ImageInfo> findImage(long datasetId, String fileName) {
        return jdbc.sql("select * from images where dataset_id = :ds and file_name = :name")
                .param("ds", datasetId).param("name", fileName).query(DatasetService::imageOf).optional();
    }

    /** Images of a dataset whose file name without extension is {@code stem} (GLaMM names predictions so). */
    @Transactional(readOnly = true)
    public List<ImageInfo> findImagesByStem(long datasetId, String stem) {
        return jdbc.sql("""
                        select * from images where dataset_id = :ds
                        and (file_name = :stem or (left(file_name, length(:stem) + 1) = :stem || '.'
                             and position('.' in substr(file_name, length(:stem) + 2)) = 0))
                        order by id""")
                .param("ds", datasetId).param("stem", stem)
                .query(DatasetService::imageOf).list();
    }

    @Transactional(readOnly = true)
    public Optional<ItemInfo> item(long itemId) {
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id where it.id = :id")
                .param("id", itemId).query(DatasetService::itemOf).optional();
    }

    @Transactional(readOnly = true)
    public Optional<ItemInfo> itemOfImage(long imageId) {
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id where it.image_id = :id")
                .param("id", imageId).query(DatasetService::itemOf).optional();
    }

    /** These items (unknown ids left out), in id order. */
    @Transactional(readOnly = true)
    public List<ItemInfo> items(Collection<Long> itemIds) {
        if (itemIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id"
                        + " where it.id = any(:ids) order by it.id")
                .param("ids", itemIds.toArray(Long[]::new)).query(DatasetService::itemOf).list();
    }

    /** A page of a dataset's items in id order, optionally only those in the given statuses. */
    @Transactional(readOnly = true)
    public List<ItemInfo> items(long datasetId, Collection<ItemStatus> statuses, int offset, int limit) {
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id"
                        + " where it.dataset_id = :ds " + statusFilter(statuses) + " order by it.id offset :off limit :lim")
                .param("ds", datasetId).param("statuses", statusNames(statuses))
                .param("off", offset).param("lim", limit)
                .query(DatasetService::itemOf).list();
    }

    /**
     * A page of a dataset's items in id order whose latest revision's caption contains {@code captionQuery}
     * (case-insensitive; blank means all), optionally only those in the given statuses.
     */
    @Transactional(readOnly = true)
    public List<ItemInfo> items(long datasetId, Collection<ItemStatus> statuses, String captionQuery, int offset,
                                int limit) {
        if (captionQuery == null || captionQuery.isBlank()) {
            return items(datasetId, statuses, offset, limit);
        }
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id"
                        + " join caption_revisions r on r.id = it.latest_revision_id"
                        + " where it.dataset_id = :ds " + statusFilter(statuses)
                        + " and r.caption ilike :pattern escape '\\' order by it.id offset :off limit :lim")
                .param("ds", datasetId).param("statuses", statusNames(statuses)).param("pattern", likePattern(captionQuery))
                .param("off", offset).param("lim", limit)
                .query(DatasetService::itemOf).list();
    }

    /** How many items {@link #items(long, Collection, String, int, int)} finds in all. */
    @Transactional(readOnly = true)
    public long countItems(long datasetId, Collection<ItemStatus> statuses, String captionQuery) {
        if (captionQuery == null || captionQuery.isBlank()) {
            return countItems(datasetId, statuses);
        }
        return jdbc.sql("select count(*) from items it join caption_revisions r on r.id = it.latest_revision_id"
                        + " where it.dataset_id = :ds " + statusFilter(statuses) + " and r.caption ilike :pattern escape '\\'")
                .param("ds", datasetId).param("statuses", statusNames(statuses)).param("pattern", likePattern(captionQuery))
                .query(Long.class).single();
    }

    /** {@code %query%} with the LIKE wildcards of the query taken literally. */
    private static String likePattern(String query) {
        return "%" + query.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    @Transactional(readOnly = true)
    public long countItems(long datasetId, Collection<ItemStatus> statuses) {
        return countItems(datasetId, statuses, List.of());
    }

    /** How many items of a dataset are in the given statuses and splits (all if empty). */
    @Transactional(readOnly = true)
    public long countItems(long datasetId, Collection<ItemStatus> statuses, Collection<Split> splits) {
        return jdbc.sql("select count(*) from items it join images im on im.id = it.image_id where it.dataset_id = :ds "
                        + statusFilter(statuses) + splitFilter(splits))
                .param("ds", datasetId).param("statuses", statusNames(statuses)).param("splits", splitNames(splits))
                .query(Long.class).single();
    }

    /**
     * Visits the items of a dataset in id order, a page at a time (keyset paging), so an export of any
     * size runs in constant memory.
     *
     * @param statuses     only these statuses, or all if empty
     * @param splits       only images of these splits, or all if empty
     * @param changedSince only items updated at or after this time, or all if null
     * @param pageVisitor  gets each page of at most {@code pageSize} items
     */
    public void forEachItemPage(long datasetId, Collection<ItemStatus> statuses, Collection<Split> splits,
                                OffsetDateTime changedSince, int pageSize, Consumer<List<ItemInfo>> pageVisitor) {
        long after = 0;
        while (true) {
            List<ItemInfo> page = jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id"
                            + " where it.dataset_id = :ds and it.id > :after " + statusFilter(statuses)
                            + (changedSince == null ? "" : " and it.updated_at >= :since")
                            + splitFilter(splits)
                            + " order by it.id limit :limit")
                    .param("ds", datasetId).param("after", after).param("statuses", statusNames(statuses))
                    .param("splits", splitNames(splits))
                    .param("since", changedSince).param("limit", pageSize)
                    .query(DatasetService::itemOf).list();
            if (page.isEmpty()) {
                return;
            }
            pageVisitor.accept(page);
            after = page.getLast().id();
        }
    }

    /**
     * Sets an item's status outside the review workflow (test data, repairs): under the item's row lock, without the
     * transition check. The application's own status changes all go through {@link #moveStatus}.
     */
    @Transactional
    public void setStatus(long itemId, ItemStatus status) {
        lockItem(itemId);
        int updated = jdbc.sql("update items set status = :status, updated_at = now() where id = :id")
                .param("status", status.name()).param("id", itemId).update();
        if (updated == 0) {
            throw new IllegalArgumentException("No item #" + itemId);
        }
    }

    /**
     * Locks an item's row until the end of the calling transaction (SELECT ... FOR UPDATE) and returns it as it is
     * now: what serialises submits and review decisions on one item.
     *
     * @throws IllegalArgumentException when there is no such item
     */
    @Transactional
    public ItemInfo lockItem(long itemId) {
        return jdbc.sql("select " + ITEM_COLUMNS + " from items it join images im on im.id = it.image_id where it.id = :id"
                        + " for update of it")
                .param("id", itemId).query(DatasetService::itemOf).optional()
                .orElseThrow(() -> new IllegalArgumentException("itemId: no item #" + itemId));
    }

    /**
     * Moves an item to {@code next} along the review workflow ({@link ItemStatus#canMoveTo}); staying in the same
     * status is a no-op where the workflow allows it.
     *
     * @return the status before
     * @throws IllegalStatusTransitionException when the workflow does not allow the move; nothing changes then
     */
    @Transactional
    public ItemStatus moveStatus(long itemId, ItemStatus next) {
        ItemStatus current = lockItem(itemId).status();
        if (!current.canMoveTo(next)) {
            throw new IllegalStatusTransitionException(itemId, current, next);
        }
        if (current != next) {
            jdbc.sql("update items set status = :status, updated_at = now() where id = :id")
                    .param("status", next.name()).param("id", itemId).update();
        }
        return current;
    }

    /** Records an item's newest revision (kept on the item for fast listing and search). */
    @Transactional
    public void recordLatestRevision(long itemId, long revisionId) {
        jdbc.sql("update items set latest_revision_id = :rev, updated_at = now() where id = :id")
                .param("rev", revisionId).param("id", itemId).update();
    }

    private DatasetSummary summaryOf(DatasetEntity d) {
        Map<ItemStatus, Long> counts = emptyCounts();
        jdbc.sql("select status, count(*) as n from items where dataset_id = :ds group by status")
                .param("ds", d.id())
                .query((ResultSet rs) -> {
                    counts.put(ItemStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return new DatasetSummary(d.id(), d.name(), d.description(), d.createdAt(), counts);
    }

    private static Map<ItemStatus, Long> emptyCounts() {
        Map<ItemStatus, Long> counts = new EnumMap<>(ItemStatus.class);
        for (ItemStatus s : ItemStatus.values()) {
            counts.put(s, 0L);
        }
        return counts;
    }

    private static String statusFilter(Collection<ItemStatus> statuses) {
        return statuses == null || statuses.isEmpty() ? "" : " and it.status in (:statuses)";
    }

    private static List<String> statusNames(Collection<ItemStatus> statuses) {
        return statuses == null || statuses.isEmpty() ? List.of("-") : statuses.stream().map(Enum::name).toList();
    }

    private static String splitFilter(Collection<Split> splits) {
        return splits == null || splits.isEmpty() ? "" : " and im.split in (:splits)";
    }

    private static List<String> splitNames(Collection<Split> splits) {
        return splits == null || splits.isEmpty() ? List.of("-") : splits.stream().map(Split::dbValue).toList();
    }

    /**
     * A dataset name, stripped: 1 to 200 characters, none of {@code / \ % ;} (the API takes the name as a path
     * segment, and Spring Security's firewall refuses those encoded in a path) and no control characters; not
     * {@code .} or {@code ..} (dot segments).
     */
    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: a dataset needs a name");
        }
        String trimmed = name.strip();
        if (trimmed.length() > 200) {
            throw new IllegalArgumentException("name: dataset name longer than 200 characters");
        }
        StoredText.require("name", trimmed);
        if (trimmed.chars().anyMatch(c -> FORBIDDEN_IN_NAMES.indexOf(c) >= 0) || trimmed.equals(".")
                || trimmed.equals("..")) {
            throw new IllegalArgumentException("name: \"" + trimmed + "\" is not a valid dataset name: it may not contain "
                    + "/ \\ % ; (they cannot travel in the API's paths) nor be . or ..");
        }
        return trimmed;
    }

    private static ImageInfo imageOf(ResultSet rs, int row) throws SQLException {
        return new ImageInfo(rs.getLong("id"), rs.getLong("dataset_id"), rs.getString("file_name"),
                rs.getString("content_hash"), rs.getString("media_type"), rs.getLong("byte_size"), rs.getInt("width"),
                rs.getInt("height"), rs.getString("source"), Split.fromDb(rs.getString("split")));
    }

    private static ItemInfo itemOf(ResultSet rs, int row) throws SQLException {
        ImageInfo image = new ImageInfo(rs.getLong("image_id"), rs.getLong("dataset_id"), rs.getString("file_name"),
                rs.getString("content_hash"), rs.getString("media_type"), rs.getLong("byte_size"), rs.getInt("width"),
                rs.getInt("height"), rs.getString("source"), Split.fromDb(rs.getString("split")));
        long latest = rs.getLong("latest_revision_id");
        Long latestRevisionId = rs.wasNull() ? null : latest; // wasNull() answers for the column read last
        return new ItemInfo(rs.getLong("id"), rs.getLong("dataset_id"), ItemStatus.valueOf(rs.getString("status")),
                latestRevisionId, rs.getObject("updated_at", OffsetDateTime.class), image);
    }
}

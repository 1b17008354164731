package studio.grounding.interchange;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.stereotype.Service;
import org.springframework.util.StreamUtils;
import studio.grounding.annotation.PhraseListing;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;

/**
 * Streams a dataset's latest revisions out in GranD_f's own formats, a page of items at a time, in constant
 * memory whatever the dataset size.
 */
@Service
public class ExportService {

    private static final int PAGE = 500;

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ModelVersionService models;

    ExportService(DatasetService datasets, RevisionService revisions, ModelVersionService models) {
        this.datasets = datasets;
        this.revisions = revisions;
        this.models = models;
    }

    /** GranD_f HA-style JSON, what GLaMM's GCG training loader reads. */
    public ExportReport exportGrandf(ExportRequest request, OutputStream out) {
        return writeGrandf(visitor -> forEachRecord(request, visitor), out);
    }

    /**
     * GranD_f HA-style JSON of exactly these revisions, in the order given (a snapshot passes them sorted by file
     * name, so the same snapshot always exports the same bytes).
     */
    public ExportReport exportGrandf(List<PinnedRevision> records, OutputStream out) {
        return writeGrandf(visitor -> forEachPinned(records, visitor), out);
    }

    private ExportReport writeGrandf(Consumer<Consumer<SourceRecord>> source, OutputStream out) {
        long started = System.nanoTime();
        List<String> warnings = new ArrayList<>();
        long[] masks = {0};
        GrandfWriter writer = new GrandfWriter(out);
        source.accept(record -> {
            writer.write(record).forEach(w -> warnings.add(describe(w)));
            masks[0] += record.caption().allMasks().size();
        });
        writer.close();
        return new ExportReport(ExportFormat.GRANDF, writer.recordsWritten(), masks[0], warnings, since(started));
    }

    /** One JSON object per line, lossless, with each record's status, revision, origin and model. */
    public ExportReport exportJsonl(ExportRequest request, OutputStream out) throws IOException {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        JsonlWriter writer = new JsonlWriter(out);
        forEachRecord(request, record -> {
            writer.write(record);
            counts[0]++;
            counts[1] += record.caption().allMasks().size();
        });
        writer.close();
        return new ExportReport(ExportFormat.JSONL, counts[0], counts[1], List.of(), since(started));
    }

    /**
     * The COCO GCG ground-truth pair, one per split that has items: {@code <split>_gcg_coco_mask_gt.json} and
     * {@code <split>_gcg_coco_caption_gt.json}. Files are written under temporary names and moved into place
     * when complete.
     */
    public ExportReport exportCocoGcg(ExportRequest request, Path outDir) {
        Map<Split, Consumer<Consumer<SourceRecord>>> sources = new EnumMap<>(Split.class);
        splitsOf(request).forEach(split -> sources.put(split, visitor -> forEachRecord(onlySplit(request, split), visitor)));
        return writeCocoGcg(sources, outDir);
    }

    /** The COCO GCG pair per split of exactly these revisions, in the order given, split by their pinned split. */
    public ExportReport exportCocoGcg(List<PinnedRevision> records, Path outDir) {
        return writeCocoGcg(pinnedBySplit(records), outDir);
    }

    private ExportReport writeCocoGcg(Map<Split, Consumer<Consumer<SourceRecord>>> sources, Path outDir) {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        List<String> warnings = new ArrayList<>();
        try {
            Files.createDirectories(outDir);
            for (Map.Entry<Split, Consumer<Consumer<SourceRecord>>> source : sources.entrySet()) {
                String prefix = source.getKey().dbValue() + "_gcg_coco_";
                Path maskFile = outDir.resolve(prefix + "mask_gt.json");
                Path captionFile = outDir.resolve(prefix + "caption_gt.json");
                Path maskTemp = outDir.resolve(prefix + "mask_gt.json.partial");
                Path captionTemp = outDir.resolve(prefix + "caption_gt.json.partial");
                try (OutputStream masks = Files.newOutputStream(maskTemp);
                     OutputStream captions = Files.newOutputStream(captionTemp)) {
                    writeCocoGcg(source.getValue(), masks, captions, counts, warnings);
                }
                Files.move(maskTemp, maskFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(captionTemp, captionFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the COCO GCG files to " + outDir, e);
        }
        return new ExportReport(ExportFormat.COCO_GCG, counts[0], counts[1], warnings, since(started));
    }

    /** The COCO GCG pairs as one zip stream (for the API), same files as {@link #exportCocoGcg(ExportRequest, Path)}. */
    public ExportReport exportCocoGcgZip(ExportRequest request, OutputStream out) throws IOException {
        Map<Split, Consumer<Consumer<SourceRecord>>> sources = new EnumMap<>(Split.class);
        splitsOf(request).forEach(split -> sources.put(split, visitor -> forEachRecord(onlySplit(request, split), visitor)));
        return writeCocoGcgZip(sources, out, null);
    }

    /**
     * The COCO GCG pairs of exactly these revisions as one zip stream, split by their pinned split; every entry is
     * dated {@code entryTime}, so the same records give the same bytes.
     */
    public ExportReport exportCocoGcgZip(List<PinnedRevision> records, Instant entryTime, OutputStream out)
            throws IOException {
        return writeCocoGcgZip(pinnedBySplit(records), out, entryTime);
    }

    private ExportReport writeCocoGcgZip(Map<Split, Consumer<Consumer<SourceRecord>>> sources, OutputStream out,
                                         Instant entryTime) throws IOException {
        long started = System.nanoTime();
        long[] counts = {0, 0};
        List<String> warnings = new ArrayList<>();
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<Split, Consumer<Consumer<SourceRecord>>> source : sources.entrySet()) {
            Split split = source.getKey();
            // one pass over the items: the mask file streams into the zip while the caption file goes to a
            // temporary file, which follows as the next entry (a zip cannot interleave two entries)
            String prefix = split.dbValue() + "_gcg_coco_";
            Path captions = Files.createTempFile("coco-gcg-captions-", ".json");
            try {
                zip.putNextEntry(entry(prefix + "mask_gt.json", entryTime));
                try (OutputStream captionOut = Files.newOutputStream(captions)) {
                    writeCocoGcg(source.getValue(), StreamUtils.nonClosing(zip), captionOut, counts, warnings);
                }
                zip.closeEntry();
                zip.putNextEntry(entry(prefix + "caption_gt.json", entryTime));
                Files.copy(captions, zip);
                zip.closeEntry();
            } finally {
                Files.deleteIfExists(captions);
            }
        }
        zip.finish();
        return new ExportReport(ExportFormat.COCO_GCG, counts[0], counts[1], warnings, since(started));
    }

    private static ZipEntry entry(String name, Instant time) {
        ZipEntry entry = new ZipEntry(name);
        if (time != null) {
            entry.setLastModifiedTime(FileTime.from(time));
        }
        return entry;
    }

    private void writeCocoGcg(Consumer<Consumer<SourceRecord>> source, OutputStream masks, OutputStream captions,
                              long[] counts, List<String> warnings) throws IOException {
        CocoGcgWriter writer = new CocoGcgWriter(masks, captions);
        source.accept(record -> {
            writer.write(record).forEach(w -> warnings.add(describe(w)));
            counts[0]++;
            counts[1] += record.caption().allMasks().size();
        });
        writer.close();
    }

    /** Every record of the export in item order: each item's latest revision, items without one left out. */
    private void forEachRecord(ExportRequest request, Consumer<SourceRecord> consumer) {
        DatasetSummary dataset = datasets.require(request.dataset());
        Map<Long, String> modelNames = new HashMap<>();
        long[] index = {0};
        datasets.forEachItemPage(dataset.id(), request.statuses(), request.splits(), request.changedSince(), PAGE, page -> {
            List<Long> revisionIds = page.stream().map(ItemInfo::latestRevisionId).filter(Objects::nonNull).toList();
            Map<Long, Revision> byId = new HashMap<>();
            revisions.getAll(revisionIds).forEach(r -> byId.put(r.id(), r));
            Map<Long, List<String>> references = revisions.otherReferences(revisionIds);
            Map<Long, PhraseListing> listings = revisions.listings(revisionIds);
            for (ItemInfo item : page) {
                Revision revision = item.latestRevisionId() == null ? null : byId.get(item.latestRevisionId());
                if (revision == null) {
                    continue;
                }
                consumer.accept(recordOf(index[0]++, item, revision, item.image().split(), modelNames,
                        references.getOrDefault(revision.id(), List.of()), listings.get(revision.id())));
            }
        });
    }

    /** Every pinned revision as a record, in the order given, a page at a time. */
    private void forEachPinned(List<PinnedRevision> records, Consumer<SourceRecord> consumer) {
        Map<Long, String> modelNames = new HashMap<>();
        long index = 0;
        for (int from = 0; from < records.size(); from += PAGE) {
            List<PinnedRevision> page = records.subList(from, Math.min(records.size(), from + PAGE));
            Map<Long, ItemInfo> items = new HashMap<>();
            datasets.items(page.stream().map(PinnedRevision::itemId).toList()).forEach(i -> items.put(i.id(), i));
            Map<Long, Revision> byId = new HashMap<>();
            List<Long> revisionIds = page.stream().map(PinnedRevision::revisionId).toList();
            revisions.getAll(revisionIds).forEach(r -> byId.put(r.id(), r));
            Map<Long, List<String>> references = revisions.otherReferences(revisionIds);
            Map<Long, PhraseListing> listings = revisions.listings(revisionIds);
            for (PinnedRevision pinned : page) {
                ItemInfo item = items.get(pinned.itemId());
                Revision revision = byId.get(pinned.revisionId());
                if (item == null || revision == null || revision.itemId() != item.id()) {
                    throw new IllegalArgumentException("No revision #" + pinned.revisionId() + " of item #" + pinned.itemId());
                }
                consumer.accept(recordOf(index++, item, revision, pinned.split(), modelNames,
                        references.getOrDefault(revision.id(), List.of()), listings.get(revision.id())));
            }
        }
    }

    private Map<Split, Consumer<Consumer<SourceRecord>>> pinnedBySplit(List<PinnedRevision> records) {
        Map<Split, Consumer<Consumer<SourceRecord>>> sources = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            List<PinnedRevision> ofSplit = records.stream().filter(r -> r.split() == split).toList();
            if (!ofSplit.isEmpty()) {
                sources.put(split, visitor -> forEachPinned(ofSplit, visitor));
            }
        }
        return sources;
    }

    private SourceRecord recordOf(long index, ItemInfo item, Revision revision, Split split, Map<Long, String> modelNames,
                                  List<String> otherReferences, PhraseListing listing) {
        String model = revision.modelVersionId() == null ? null : modelNames.computeIfAbsent(
                revision.modelVersionId(), id -> models.get(id).map(ModelVersion::name).orElse(null));
        RecordMetadata metadata = new RecordMetadata(item.status().name().toLowerCase(Locale.ROOT),
                Long.toString(revision.id()), revision.origin().name().toLowerCase(Locale.ROOT), model,
                Map.of("item_id", Long.toString(item.id()), "split", split.dbValue()));
        return new SourceRecord(index, item.image().fileName(), item.image().stem(),
                item.image().height(), item.image().width(), revision.caption(), revision.warnings(), metadata,
                otherReferences, listing);
    }

    private Set<Split> splitsOf(ExportRequest request) {
        Set<Split> wanted = request.splits().isEmpty() ? EnumSet.allOf(Split.class) : EnumSet.copyOf(request.splits());
        DatasetSummary dataset = datasets.require(request.dataset());
        wanted.removeIf(split -> datasets.countItems(dataset.id(), request.statuses(), Set.of(split)) == 0);
        return wanted;
    }

    private static ExportRequest onlySplit(ExportRequest request, Split split) {
        return new ExportRequest(request.dataset(), request.statuses(), Set.of(split), request.changedSince());
    }

    private static String describe(ExportWarning warning) {
        return warning.fileName() + " (record " + warning.recordIndex() + "): " + warning.reason();
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}

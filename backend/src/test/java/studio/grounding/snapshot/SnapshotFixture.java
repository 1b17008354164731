package studio.grounding.snapshot;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;
import org.springframework.context.ApplicationContext;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;

/** Datasets of real stored images with revised, accepted items, unique per call (the database is shared). */
public final class SnapshotFixture {

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final ImageStore store;
    private static int seed;

    public SnapshotFixture(ApplicationContext context) {
        this.datasets = context.getBean(DatasetService.class);
        this.revisions = context.getBean(RevisionService.class);
        this.store = context.getBean(ImageStore.class);
    }

    public DatasetSummary dataset(String name) {
        return datasets.getOrCreate(name + "-" + Long.toString(System.nanoTime(), 36), "test");
    }

    /** An item on a distinct 8×6 PNG with one revision ("A dog." with one box mask), in {@code status}. */
    public ItemInfo item(DatasetSummary dataset, String fileName, Split split, ItemStatus status) {
        StoredImage stored = store.store(new ByteArrayInputStream(png(8, 6, nextSeed())), fileName);
        ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "test", split);
        ItemInfo item = datasets.ensureItem(image);
        revise(item, "A dog.");
        datasets.setStatus(item.id(), status);
        return datasets.item(item.id()).orElseThrow();
    }

    /** A new revision of the item: {@code text} with its first word grounded by a box. */
    public Revision revise(ItemInfo item, String text) {
        int end = text.indexOf(' ') > 0 ? text.indexOf(' ') : text.length();
        GroundedCaption caption = new GroundedCaption(text,
                List.of(new PhraseSpan(0, end, text.substring(0, end), List.of(box(6, 8, 1, 1, 2, 2)))), List.of());
        return revisions.append(new NewRevision(item.id(), null, caption, Origin.HUMAN, "tester", null, "test",
                List.of(), null, 6, 8));
    }

    private static synchronized int nextSeed() {
        return ++seed * 7919 + (int) (System.nanoTime() % 1000);
    }

    static MaskRle box(int imageHeight, int imageWidth, int x, int y, int w, int h) {
        byte[] bitmap = new byte[imageHeight * imageWidth];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * imageHeight + cy] = 1;
            }
        }
        return new MaskRle(imageHeight, imageWidth, Rle.encode(bitmap, imageHeight, imageWidth).toCompressedString());
    }

    static byte[] png(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, seed * 31 + x * 7 + y * 131);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

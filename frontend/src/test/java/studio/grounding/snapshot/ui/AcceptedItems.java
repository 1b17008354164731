package studio.grounding.snapshot.ui;

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
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.mask.Rle;

/** A dataset of real stored 8×6 images whose items are ACCEPTED with a one-phrase caption ("A dog."). */
public final class AcceptedItems {

    private AcceptedItems() {
    }

    public static DatasetSummary dataset(ApplicationContext context, String name, String... fileNames) {
        DatasetService datasets = context.getBean(DatasetService.class);
        RevisionService revisions = context.getBean(RevisionService.class);
        ImageStore store = context.getBean(ImageStore.class);
        DatasetSummary dataset = datasets.getOrCreate(name + "-" + Long.toString(System.nanoTime(), 36), "test");
        int seed = (int) System.nanoTime();
        for (String fileName : fileNames) {
            ImageInfo image = datasets.addImage(dataset.id(), fileName,
                    store.store(new ByteArrayInputStream(png(seed++)), fileName), "test", Split.TRAIN);
            ItemInfo item = datasets.ensureItem(image);
            revise(revisions, item, "A dog.");
            datasets.setStatus(item.id(), ItemStatus.ACCEPTED);
        }
        return datasets.require(dataset.name());
    }

    public static void revise(RevisionService revisions, ItemInfo item, String caption) {
        byte[] bitmap = new byte[6 * 8];
        bitmap[9] = 1;
        MaskRle mask = new MaskRle(6, 8, Rle.encode(bitmap, 6, 8).toCompressedString());
        int end = caption.indexOf(' ');
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption(caption,
                List.of(new PhraseSpan(0, end, caption.substring(0, end), List.of(mask)))), Origin.HUMAN, "tester",
                null, "test", List.of(), null, 6, 8));
    }

    private static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 8; x++) {
            for (int y = 0; y < 6; y++) {
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

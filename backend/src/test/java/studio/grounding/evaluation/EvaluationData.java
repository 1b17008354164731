package studio.grounding.evaluation;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
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
import studio.grounding.model.ModelVersion;
import studio.grounding.model.ModelVersionService;

/**
 * Builds evaluation data through the real services: items on stored 10x10 PNGs, revisions of every origin, item
 * statuses. Masks are boxes, so IoUs can be computed by hand.
 */
final class EvaluationData {

    static final int H = 10;
    static final int W = 10;

    final DatasetService datasets;
    final RevisionService revisions;
    final ModelVersionService models;
    final ImageStore store;

    EvaluationData(ApplicationContext context) {
        this.datasets = context.getBean(DatasetService.class);
        this.revisions = context.getBean(RevisionService.class);
        this.models = context.getBean(ModelVersionService.class);
        this.store = context.getBean(ImageStore.class);
    }

    DatasetSummary dataset(String name) {
        return datasets.getOrCreate(name, "test");
    }

    ModelVersion model(String name) {
        return models.getOrCreate(name);
    }

    ItemInfo item(DatasetSummary dataset, String fileName, Split split) {
        StoredImage stored = store.store(new ByteArrayInputStream(png(fileName.hashCode())), fileName);
        ImageInfo image = datasets.addImage(dataset.id(), fileName, stored, "test", split);
        return datasets.ensureItem(image);
    }

    Revision model(ItemInfo item, ModelVersion model, GroundedCaption caption) {
        return revisions.append(new NewRevision(item.id(), null, caption, Origin.MODEL, "worker", model.id(), "test",
                List.of(), Map.of(), H, W));
    }

    Revision human(ItemInfo item, Long parent, GroundedCaption caption, Map<String, Double> timings) {
        return revisions.append(new NewRevision(item.id(), parent, caption, Origin.HUMAN, "annotator", null, "test",
                List.of(), timings, H, W));
    }

    Revision imported(ItemInfo item, GroundedCaption caption) {
        return revisions.append(new NewRevision(item.id(), null, caption, Origin.IMPORT, "importer", null, "test",
                List.of(), Map.of(), H, W));
    }

    void status(ItemInfo item, ItemStatus status) {
        datasets.setStatus(item.id(), status);
    }

    /** A caption whose phrases are found by their text (first occurrence), each with the given masks. */
    static GroundedCaption caption(String text, Object... phraseAndMasks) {
        List<PhraseSpan> phrases = new java.util.ArrayList<>();
        for (int i = 0; i < phraseAndMasks.length; i += 2) {
            String phrase = (String) phraseAndMasks[i];
            @SuppressWarnings("unchecked")
            List<MaskRle> masks = (List<MaskRle>) phraseAndMasks[i + 1];
            int start = text.indexOf(phrase);
            if (start < 0) {
                throw new IllegalArgumentException(phrase + " not in " + text);
            }
            phrases.add(new PhraseSpan(start, start + phrase.length(), phrase, masks));
        }
        return new GroundedCaption(text, phrases, List.of());
    }

    /** A w x h box at (x, y) on the 10x10 image, column-major RLE like COCO. */
    static MaskRle box(int x, int y, int w, int h) {
        byte[] bitmap = new byte[H * W];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * H + cy] = 1;
            }
        }
        return new MaskRle(H, W, studio.grounding.mask.Rle.encode(bitmap, H, W).toCompressedString());
    }

    static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < W; x++) {
            for (int y = 0; y < H; y++) {
                image.setRGB(x, y, seed * 31 + x * 7 + y);
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

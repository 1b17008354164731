package studio.grounding.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
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
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Gives a new installation something to look at: when the server starts on a database without any dataset, it
 * creates the dataset {@value #DATASET} from the CC0 / public-domain photos and hand-traced grounded captions
 * shipped in {@code demo/} (see {@code docs/demo-data.md}).
 *
 * <p>Only the server seeds (a web application, {@code studio.demo.enabled}, default true); a CLI run
 * ({@code spring.main.web-application-type=none}) never does. The whole demo is written in one transaction, so a
 * crash half-way leaves no dataset behind and the next start seeds again; the image files are content-addressed,
 * so storing them again is harmless.
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "studio.demo.enabled", havingValue = "true", matchIfMissing = true)
class DemoDataSeeder {

    static final String DATASET = "Demo: CC0 photos";
    static final String CAPTIONS = "demo/demo-captions.json";
    static final String IMAGES = "demo/images/";
    private static final String AUTHOR = "demo";

    private static final Logger log = LoggerFactory.getLogger(DemoDataSeeder.class);

    private final DatasetService datasets;
    private final ImageStore imageStore;
    private final RevisionService revisions;
    private final TransactionTemplate transaction;

    DemoDataSeeder(DatasetService datasets, ImageStore imageStore, RevisionService revisions,
                   PlatformTransactionManager transactionManager) {
        this.datasets = datasets;
        this.imageStore = imageStore;
        this.revisions = revisions;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @EventListener(ApplicationReadyEvent.class)
    void onServerStarted() {
        try {
            seedIfEmpty();
        } catch (RuntimeException e) {
            // the demo is a courtesy: the server stays up, and the next start tries again
            log.error("Could not create the demo dataset \"{}\"; nothing of it was kept", DATASET, e);
        }
    }

    /**
     * Creates the demo dataset if the database has no dataset at all.
     *
     * @return whether it was created now
     */
    boolean seedIfEmpty() {
        if (!datasets.list().isEmpty()) {
            return false;
        }
        List<DemoCaption> demo = readCaptions();
        // the files first: content-addressed and idempotent, they need no rollback
        List<StoredImage> stored = demo.stream().map(d -> storeImage(d.fileName())).toList();
        Boolean created = transaction.execute(status -> {
            if (!datasets.list().isEmpty()) {
                return false; // another process seeded (or a user created a dataset) meanwhile
            }
            DatasetSummary dataset = datasets.create(DATASET,
                    "Photos in the public domain or under CC0, with hand-made grounded captions to try the platform on.",
                    AUTHOR);
            for (int i = 0; i < demo.size(); i++) {
                add(dataset, demo.get(i), stored.get(i));
            }
            return true;
        });
        if (Boolean.TRUE.equals(created)) {
            log.info("Created the demo dataset \"{}\" with {} images", DATASET, demo.size());
            return true;
        }
        return false;
    }

    private void add(DatasetSummary dataset, DemoCaption demo, StoredImage image) {
        ImageInfo info = datasets.addImage(dataset.id(), demo.fileName(), image, IMAGES + demo.fileName(), Split.TRAIN);
        ItemInfo item = datasets.ensureItem(info);
        GroundedCaption caption = groundedCaption(demo, info.height(), info.width());
        revisions.append(new NewRevision(item.id(), null, caption, Origin.IMPORT, AUTHOR, null, CAPTIONS, List.of(),
                null, info.height(), info.width()));
    }

    /** The caption with one mask per instance polygon, rasterised at the image's size. */
    static GroundedCaption groundedCaption(DemoCaption demo, int height, int width) {
        List<PhraseSpan> phrases = new ArrayList<>();
        for (DemoCaption.DemoPhrase phrase : demo.phrases()) {
            List<MaskRle> masks = phrase.instances().stream()
                    .map(polygon -> new MaskRle(height, width,
                            Rle.fromPolygon(polygon, height, width).toCompressedString()))
                    .toList();
            phrases.add(new PhraseSpan(phrase.start(), phrase.end(), phrase.text(), masks));
        }
        return new GroundedCaption(demo.caption(), phrases);
    }

    static List<DemoCaption> readCaptions() {
        try (InputStream in = new ClassPathResource(CAPTIONS).getInputStream()) {
            return JsonMapper.builder().build().readValue(in, new TypeReference<List<DemoCaption>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + CAPTIONS, e);
        }
    }

    private StoredImage storeImage(String fileName) {
        try (InputStream in = new ClassPathResource(IMAGES + fileName).getInputStream()) {
            return imageStore.store(in, fileName);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the demo image " + IMAGES + fileName, e);
        }
    }
}

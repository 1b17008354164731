package studio.grounding.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageStore;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.mask.Rle;

/** On a fresh database the server start seeds the demo dataset, completely and once. */
@StudioIntegrationTest
@TestPropertySource(properties = "studio.demo.enabled=true")
class DemoDataSeederTest {

    @Autowired
    DemoDataSeeder seeder;
    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    ImageStore imageStore;

    @Test
    void seedsTheDemoDatasetOnStart() {
        DatasetSummary demo = datasets.require(DemoDataSeeder.DATASET);
        List<ItemInfo> items = datasets.items(demo.id(), List.of(), 0, 100);
        Map<String, DemoCaption> expected = DemoDataSeeder.readCaptions().stream()
                .collect(Collectors.toMap(DemoCaption::fileName, Function.identity()));

        assertThat(datasets.list()).hasSize(1);
        assertThat(items).hasSize(8);
        assertThat(items).extracting(i -> i.image().fileName()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ItemInfo item : items) {
            String name = item.image().fileName();
            int height = item.image().height();
            int width = item.image().width();
            assertThat(imageStore.find(item.image().contentHash())).as("stored file of %s", name).isPresent();
            Revision revision = revisions.latest(item.id()).orElseThrow();
            assertThat(item.latestRevisionId()).isEqualTo(revision.id());
            assertThat(revision.author()).isEqualTo("demo");
            assertThat(revision.caption().caption()).isEqualTo(expected.get(name).caption());
            assertThat(revision.caption().problems()).as(name).isEmpty();
            List<PhraseSpan> phrases = revision.caption().phrases();
            assertThat(phrases).hasSameSizeAs(expected.get(name).phrases());
            for (int p = 0; p < phrases.size(); p++) {
                PhraseSpan phrase = phrases.get(p);
                assertThat(revision.caption().caption().substring(phrase.start(), phrase.end()))
                        .as("%s phrase %d", name, p).isEqualTo(phrase.text());
                assertThat(phrase.masks()).as("%s: %s, one mask per instance", name, phrase.text())
                        .hasSize(expected.get(name).phrases().get(p).instances().size());
                for (MaskRle mask : phrase.masks()) {
                    assertThat(mask.height()).isEqualTo(height);
                    assertThat(mask.width()).isEqualTo(width);
                    Rle rle = Rle.fromString(mask.counts(), height, width);
                    assertThat(rle.area()).as("%s: %s, mask area", name, phrase.text()).isPositive();
                    double[] box = rle.bbox();
                    assertThat(box[0]).isGreaterThanOrEqualTo(0);
                    assertThat(box[1]).isGreaterThanOrEqualTo(0);
                    assertThat(box[0] + box[2]).isLessThanOrEqualTo(width);
                    assertThat(box[1] + box[3]).isLessThanOrEqualTo(height);
                    assertThat(rle.area()).isLessThan((long) height * width);
                }
            }
        }
    }

    @Test
    void seedingAgainChangesNothing() {
        DatasetSummary before = datasets.require(DemoDataSeeder.DATASET);
        long revisionsBefore = datasets.items(before.id(), List.of(), 0, 100).stream()
                .mapToLong(i -> revisions.history(i.id()).size()).sum();

        assertThat(seeder.seedIfEmpty()).isFalse();

        assertThat(datasets.list()).hasSize(1);
        List<ItemInfo> items = datasets.items(before.id(), List.of(), 0, 100);
        assertThat(items).hasSize(8);
        assertThat(items.stream().mapToLong(i -> revisions.history(i.id()).size()).sum()).isEqualTo(revisionsBefore);
    }
}

package studio.grounding.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;

@StudioIntegrationTest
class RevisionServiceTest {

    @Autowired
    RevisionService revisions;
    @Autowired
    DatasetService datasets;
    @Autowired
    JdbcClient jdbc;

    ItemInfo item;

    @BeforeEach
    void item() {
        var dataset = datasets.getOrCreate("revisions-" + System.nanoTime(), "test");
        String hash = "%064x".formatted(System.nanoTime());
        ImageInfo image = datasets.addImage(dataset.id(), "sa_1.jpg", new StoredImage(hash, 10, "image/jpeg", 8, 6),
                "test", Split.TRAIN);
        item = datasets.ensureItem(image);
    }

    @Test
    void storesAndReadsBackACaptionWithLinkedAndUnlinkedMasks() {
        MaskRle man = box(1, 1, 3, 2);
        MaskRle horse = box(4, 2, 3, 3);
        MaskRle orphan = box(0, 0, 1, 1);
        GroundedCaption caption = new GroundedCaption("A man rides a horse.",
                List.of(new PhraseSpan(0, 5, "A man", List.of(man)), new PhraseSpan(12, 19, "a horse", List.of(horse))),
                List.of(orphan));

        Revision stored = revisions.append(newRevision(caption, null, Origin.IMPORT));

        assertThat(stored.caption()).isEqualTo(caption);
        assertThat(revisions.latest(item.id())).contains(stored);
        assertThat(datasets.item(item.id()).orElseThrow().latestRevisionId()).isEqualTo(stored.id());
        assertThat(jdbc.sql("select area from masks where revision_id = :r order by ordinal").param("r", stored.id())
                .query(Long.class).list()).containsExactly(6L, 9L, 1L);
    }

    @Test
    void keepsEveryEarlierStateReadable() {
        Revision first = revisions.append(newRevision(new GroundedCaption("A dog.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(box(0, 0, 2, 2))))), null, Origin.IMPORT));
        Revision second = revisions.append(newRevision(new GroundedCaption("A brown dog.", List.of(
                new PhraseSpan(0, 11, "A brown dog", List.of(box(0, 0, 3, 3))))), first.id(), Origin.HUMAN));

        assertThat(revisions.history(item.id())).extracting(RevisionSummary::id).containsExactly(second.id(), first.id());
        assertThat(revisions.get(first.id()).orElseThrow().caption().caption()).isEqualTo("A dog.");
        assertThat(revisions.latest(item.id(), Origin.IMPORT)).contains(first);
        assertThat(second.parentId()).isEqualTo(first.id());
    }

    @Test
    void refusesAnInvalidRevisionWholeAndStoresNothing() {
        GroundedCaption bad = new GroundedCaption("A cat.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(box(0, 0, 1, 1))),
                new PhraseSpan(2, 40, "cat", List.of()),
                new PhraseSpan(2, 5, "cat", List.of(new MaskRle(6, 8, "not rle!"), new MaskRle(5, 8, "0")))));

        assertThatThrownBy(() -> revisions.append(newRevision(bad, null, Origin.HUMAN)))
                .isInstanceOfSatisfying(InvalidRevisionException.class, e -> assertThat(e.problems())
                        .extracting(GroundedCaption.FieldProblem::field)
                        .containsExactly("phrases[0].text", "phrases[1].span", "phrases[2].masks[0].counts",
                                "phrases[2].masks[1].size"));
        assertThat(revisions.history(item.id())).isEmpty();
        assertThat(jdbc.sql("select count(*) from phrases").query(Long.class).single()).isZero();
    }

    @Test
    void historyIsAppendOnlyInTheDatabaseItself() {
        Revision stored = revisions.append(newRevision(new GroundedCaption("A dog.", List.of()), null, Origin.IMPORT));

        assertThatThrownBy(() -> jdbc.sql("update caption_revisions set caption = 'changed' where id = :id")
                .param("id", stored.id()).update()).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from caption_revisions where id = :id")
                .param("id", stored.id()).update()).hasMessageContaining("append-only");
        assertThat(revisions.get(stored.id()).orElseThrow().caption().caption()).isEqualTo("A dog.");
    }

    private NewRevision newRevision(GroundedCaption caption, Long parent, Origin origin) {
        return new NewRevision(item.id(), parent, caption, origin, "tester", null, "test", List.of(), null, 6, 8);
    }

    /** A w×h box at (x, y) in the 6×8 test image, as compressed RLE. */
    private static MaskRle box(int x, int y, int w, int h) {
        byte[] bitmap = new byte[6 * 8];
        for (int cx = x; cx < x + w; cx++) {
            for (int cy = y; cy < y + h; cy++) {
                bitmap[cx * 6 + cy] = 1;
            }
        }
        return new MaskRle(6, 8, Rle.encode(bitmap, 6, 8).toCompressedString());
    }
}

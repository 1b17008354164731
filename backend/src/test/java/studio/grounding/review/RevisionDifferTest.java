package studio.grounding.review;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.WorkflowFixture.box;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;

class RevisionDifferTest {

    static Revision revision(long id, GroundedCaption caption) {
        return new Revision(id, 1, null, Origin.HUMAN, "x", null, "h", null, List.of(), OffsetDateTime.now(), caption);
    }

    @Test
    void marksInsertedAndDeletedWords() {
        List<TextSegment> segments = new ArrayList<>();
        RevisionDiffer.textDiff("A dog on the grass.", "A brown dog on grass.", segments);

        assertThat(segments).containsExactly(
                new TextSegment(TextSegment.Kind.SAME, "A ", 0, 2),
                new TextSegment(TextSegment.Kind.INSERTED, "brown ", 2, 8),
                new TextSegment(TextSegment.Kind.SAME, "dog on ", 8, 15),
                new TextSegment(TextSegment.Kind.DELETED, "the ", 9, 13),
                new TextSegment(TextSegment.Kind.SAME, "grass.", 15, 21));
    }

    @Test
    void matchesPhrasesThroughTheTextDiffAndMasksByIou() {
        GroundedCaption before = new GroundedCaption("A dog on the grass near a tree.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(box(0, 0, 2, 2))),
                new PhraseSpan(9, 12, "the", List.of()),
                new PhraseSpan(13, 18, "grass", List.of(box(0, 4, 8, 2))),
                new PhraseSpan(24, 30, "a tree", List.of(box(6, 0, 2, 3)))));
        GroundedCaption after = new GroundedCaption("A brown dog on grass with a cat.", List.of(
                new PhraseSpan(0, 11, "A brown dog", List.of(box(0, 0, 2, 2), box(3, 0, 1, 1))),
                new PhraseSpan(15, 20, "grass", List.of(box(0, 3, 8, 3))),
                new PhraseSpan(21, 25, "with", List.of(box(1, 1, 1, 1))),
                new PhraseSpan(26, 31, "a cat", List.of(box(5, 0, 2, 2)))));

        ReviewDiff diff = RevisionDiffer.diff(revision(1, before), revision(2, after));

        assertThat(diff.textChanged()).isTrue();
        // "a tree" became "a cat" in place: the same phrase with new text; "with" is new; "the" was deleted
        assertThat(diff.phrases()).extracting(PhraseChange::kind).containsExactly(PhraseChange.Kind.RESPANNED,
                PhraseChange.Kind.UNCHANGED, PhraseChange.Kind.ADDED, PhraseChange.Kind.RESPANNED,
                PhraseChange.Kind.REMOVED);
        PhraseChange dog = diff.phrases().getFirst();
        assertThat(dog.before()).isEqualTo("A dog");
        assertThat(dog.after()).isEqualTo("A brown dog");
        assertThat(dog.masks()).extracting(MaskChange::kind)
                .containsExactly(MaskChange.Kind.UNCHANGED, MaskChange.Kind.ADDED);
        PhraseChange grass = diff.phrases().get(1);
        assertThat(grass.masksChanged()).isTrue();
        assertThat(grass.masks()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MaskChange.Kind.CHANGED);
            assertThat(m.iou()).isEqualTo(16.0 / 24.0);
        });
        assertThat(diff.phrases().get(2).masks()).extracting(MaskChange::kind).containsExactly(MaskChange.Kind.ADDED);
        assertThat(diff.phrases().get(3).before()).isEqualTo("a tree");
        assertThat(diff.phrases().get(3).masks()).singleElement()
                .satisfies(m -> assertThat(m.iou()).isEqualTo(2.0 / 8.0));
        assertThat(diff.phrases().get(4).before()).isEqualTo("the");
        assertThat(diff.phrases().get(4).afterIndex()).isNull();
    }

    @Test
    void withoutAnEarlierRevisionEverythingIsAdded() {
        GroundedCaption after = new GroundedCaption("A dog.", List.of(new PhraseSpan(0, 5, "A dog", List.of())));

        ReviewDiff diff = RevisionDiffer.diff(null, revision(2, after));

        assertThat(diff.caption()).containsExactly(new TextSegment(TextSegment.Kind.INSERTED, "A dog.", 0, 6));
        assertThat(diff.phrases()).extracting(PhraseChange::kind).containsExactly(PhraseChange.Kind.ADDED);
    }
}

package studio.grounding.review.ui;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.NewRevision;
import studio.grounding.annotation.Origin;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.annotation.Revision;
import studio.grounding.annotation.RevisionService;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ImageInfo;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/** Submitted items (model pre-fill, then an annotator's edit) on a 64x48 image, and the users of the UI tests. */
record ReviewFixture(DatasetService datasets, RevisionService revisions, EditingService editing, UserService users,
                     ModelVersionService models) {

    static final String ANNOTATOR = "ann-ui";
    static final String REVIEWER = "rev-ui";
    static final int W = 64;
    static final int H = 48;

    void createUsers() {
        if (users.find(ANNOTATOR).isEmpty()) {
            users.create(ANNOTATOR, "Ann", "tulip-ledger-42", Set.of(Role.ANNOTATOR));
        }
        if (users.find(REVIEWER).isEmpty()) {
            users.create(REVIEWER, "Rita", "tulip-ledger-42", Set.of(Role.REVIEWER));
        }
    }

    ItemInfo prefilled(DatasetSummary dataset) {
        String hash = "%064x".formatted(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE);
        ImageInfo image = datasets.addImage(dataset.id(), "photo-" + UUID.randomUUID() + ".png",
                new StoredImage(hash, 100, "image/png", W, H), "test", Split.TRAIN);
        ItemInfo item = datasets.ensureItem(image);
        revisions.append(new NewRevision(item.id(), null, new GroundedCaption("A dog on grass.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(box(0, 0, 20, 20))),
                new PhraseSpan(9, 14, "grass", List.of(box(0, 30, 64, 18))))), Origin.MODEL, "worker",
                models.getOrCreate("glamm-ui-test").id(), "test", List.of(), null, H, W));
        datasets.setStatus(item.id(), ItemStatus.PREFILLED);
        return datasets.item(item.id()).orElseThrow();
    }

    /** A pre-filled item that {@code user} edited ("A brown dog", a bigger dog mask) and submitted. */
    ItemInfo submitted(DatasetSummary dataset, String user) {
        ItemInfo item = prefilled(dataset);
        Revision base = revisions.latest(item.id()).orElseThrow();
        EditorDocument doc = new EditorDocument("A brown dog on grass.", List.of(
                new EditorDocument.Phrase(0, 11, "A brown dog", List.of(mask(box(0, 0, 30, 30))), false),
                new EditorDocument.Phrase(15, 20, "grass", List.of(mask(box(0, 30, 64, 18))), false)),
                List.of(), List.of());
        if (!(editing.submit(item.id(), user, base.id(), doc, 20) instanceof SubmitResult.Submitted)) {
            throw new IllegalStateException("submit failed");
        }
        return datasets.item(item.id()).orElseThrow();
    }

    DatasetSummary dataset() {
        return datasets.create("review-ui-" + UUID.randomUUID(), null, "admin");
    }

    static MaskRle box(int x, int y, int w, int h) {
        return new MaskRle(H, W, Rle.fromBbox(new double[] {x, y, w, h}, H, W).toCompressedString());
    }

    static EditorDocument.Mask mask(MaskRle m) {
        return new EditorDocument.Mask(m.height(), m.width(), m.counts());
    }
}

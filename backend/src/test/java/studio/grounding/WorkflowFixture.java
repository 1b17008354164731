package studio.grounding;

import java.util.List;
import java.util.Set;
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
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;
import studio.grounding.dataset.StoredImage;
import studio.grounding.mask.Rle;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.Role;
import studio.grounding.security.UserService;

/** Items with a model pre-fill on an 8x6 image, and users with roles, for the editing and review tests. */
public final class WorkflowFixture {

    public static final int HEIGHT = 6;
    public static final int WIDTH = 8;

    private final DatasetService datasets;
    private final RevisionService revisions;
    private final UserService users;
    private final ModelVersionService models;
    public final DatasetSummary dataset;

    public WorkflowFixture(DatasetService datasets, RevisionService revisions, UserService users,
                           ModelVersionService models) {
        this.datasets = datasets;
        this.revisions = revisions;
        this.users = users;
        this.models = models;
        this.dataset = datasets.getOrCreate("workflow-" + System.nanoTime(), "test");
    }

    /** A fresh user with the role, named after the prefix. */
    public String user(String prefix, Role role) {
        String name = prefix + "-" + Long.toString(System.nanoTime(), 36);
        users.create(name, null, "tulip-ledger-42", Set.of(role));
        return name;
    }

    /** A NEW item without revisions. */
    public ItemInfo newItem() {
        String hash = "%064x".formatted(System.nanoTime());
        ImageInfo image = datasets.addImage(dataset.id(), "img-" + System.nanoTime() + ".jpg",
                new StoredImage(hash, 10, "image/jpeg", WIDTH, HEIGHT), "test", Split.TRAIN);
        return datasets.ensureItem(image);
    }

    /** A PREFILLED item whose model revision is "A dog on grass." with "A dog" and "grass" masked. */
    public ItemInfo prefilledItem() {
        ItemInfo item = newItem();
        prefill(item.id(), new GroundedCaption("A dog on grass.", List.of(
                new PhraseSpan(0, 5, "A dog", List.of(box(0, 0, 2, 2))),
                new PhraseSpan(9, 14, "grass", List.of(box(0, 4, 8, 2))))));
        return datasets.item(item.id()).orElseThrow();
    }

    public Revision prefill(long itemId, GroundedCaption caption) {
        long model = models.getOrCreate("glamm-test").id();
        Revision r = revisions.append(new NewRevision(itemId, null, caption, Origin.MODEL, "worker", model, "test",
                List.of(), null, HEIGHT, WIDTH));
        datasets.setStatus(itemId, ItemStatus.PREFILLED);
        return r;
    }

    public Revision human(long itemId, Long parent, GroundedCaption caption, String author) {
        return revisions.append(new NewRevision(itemId, parent, caption, Origin.HUMAN, author, null, "test",
                List.of(), null, HEIGHT, WIDTH));
    }

    public static MaskRle box(int x, int y, int w, int h) {
        return new MaskRle(HEIGHT, WIDTH, Rle.fromBbox(new double[] {x, y, w, h}, HEIGHT, WIDTH).toCompressedString());
    }
}

package studio.grounding.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import studio.grounding.StudioIntegrationTest;
import studio.grounding.WorkflowFixture;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.RevisionService;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.UserService;

@StudioIntegrationTest
class CaptionSearchTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;

    @Test
    void findsItemsByTheirLatestCaptionIgnoringCaseAndTakingWildcardsLiterally() {
        WorkflowFixture fixture = new WorkflowFixture(datasets, revisions, users, models);
        ItemInfo dog = fixture.newItem();
        ItemInfo cat = fixture.newItem();
        ItemInfo percent = fixture.newItem();
        fixture.newItem();
        var old = fixture.prefill(dog.id(), new GroundedCaption("A cat on a mat.", List.of()));
        fixture.human(dog.id(), old.id(), new GroundedCaption("A Dog on grass.", List.of()), "ann");
        fixture.prefill(cat.id(), new GroundedCaption("A cat sleeping.", List.of()));
        fixture.prefill(percent.id(), new GroundedCaption("100% dog_food", List.of()));
        long ds = fixture.dataset.id();

        assertThat(datasets.items(ds, Set.of(), "dog", 0, 10)).extracting(ItemInfo::id)
                .containsExactly(dog.id(), percent.id());
        assertThat(datasets.items(ds, Set.of(), "CAT", 0, 10)).extracting(ItemInfo::id).containsExactly(cat.id());
        assertThat(datasets.items(ds, Set.of(), "0%", 0, 10)).extracting(ItemInfo::id).containsExactly(percent.id());
        assertThat(datasets.items(ds, Set.of(), "g_o", 0, 10)).isEmpty(); // "Dog on" would match a wildcard
        assertThat(datasets.items(ds, Set.of(ItemStatus.PREFILLED), "dog", 0, 10)).extracting(ItemInfo::id)
                .containsExactly(dog.id(), percent.id());
        assertThat(datasets.countItems(ds, Set.of(), "dog")).isEqualTo(2);
        assertThat(datasets.countItems(ds, Set.of(), " ")).isEqualTo(4);
        assertThat(datasets.items(ds, Set.of(), "dog", 1, 10)).extracting(ItemInfo::id).containsExactly(percent.id());
    }
}

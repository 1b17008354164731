package studio.grounding.review.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.html.Anchor;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.DatasetSummary;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.model.ModelVersionService;
import studio.grounding.review.QueueEntry;
import studio.grounding.review.ReviewService;
import studio.grounding.security.UserService;
import studio.grounding.web.ui.UiTest;

@UiTest
class MyQueueViewTest extends SpringBrowserlessTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;
    @Autowired
    ReviewService review;
    @Autowired
    UserService users;
    @Autowired
    ModelVersionService models;

    ReviewFixture fixture;

    @BeforeEach
    void users() {
        fixture = new ReviewFixture(datasets, revisions, editing, users, models);
        fixture.createUsers();
    }

    @Test
    @WithMockUser(username = ReviewFixture.ANNOTATOR, roles = "ANNOTATOR")
    void theAnnotatorSeesRejectedWorkFirstWithTheReviewersComments() {
        DatasetSummary dataset = fixture.dataset();
        ItemInfo todo = fixture.prefilled(dataset);
        ItemInfo rejected = fixture.submitted(dataset, ReviewFixture.ANNOTATOR);
        review.reject(rejected.id(), ReviewFixture.REVIEWER, "tail missing", List.of());

        MyQueueView view = navigate(MyQueueView.class);

        var grid = test(view.queue());
        List<Long> ids = java.util.stream.IntStream.range(0, grid.size()).mapToObj(i -> grid.getRow(i).itemId()).toList();
        int row = ids.indexOf(rejected.id());
        // rejected items (other tests' too) come first
        for (int i = 0; i <= row; i++) {
            assertThat(grid.getRow(i).reason()).isEqualTo(QueueEntry.Reason.REJECTED);
        }
        assertThat(MyQueueView.comments(grid.getRow(row))).isEqualTo("tail missing (" + ReviewFixture.REVIEWER + ")");
        assertThat(grid.getCellText(row, 1)).isEqualTo("Rejected");
        assertThat(((Anchor) grid.getCellComponent(row, "open")).getHref()).isEqualTo("items/" + rejected.id() + "/edit");
        assertThat(ids).contains(todo.id());
        assertThat(grid.getRow(ids.indexOf(todo.id())).reason()).isEqualTo(QueueEntry.Reason.TO_DO);
        assertThat(view.toReview().isVisible()).isFalse();
    }

    @Test
    @WithMockUser(username = ReviewFixture.REVIEWER, roles = "REVIEWER")
    void reviewersAlsoSeeTheSubmittedItems() {
        ItemInfo submitted = fixture.submitted(fixture.dataset(), ReviewFixture.ANNOTATOR);

        MyQueueView view = navigate(MyQueueView.class);

        assertThat(view.toReview().isVisible()).isTrue();
        var grid = test(view.toReview());
        List<Long> ids = java.util.stream.IntStream.range(0, grid.size()).mapToObj(i -> grid.getRow(i).itemId()).toList();
        int row = ids.indexOf(submitted.id());
        assertThat(row).isNotNegative();
        assertThat(((Anchor) grid.getCellComponent(row, "open")).getHref())
                .isEqualTo("items/" + submitted.id() + "/review");
    }
}

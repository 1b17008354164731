package studio.grounding.review.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vaadin.browserless.SpringBrowserlessTest;
import com.vaadin.flow.component.html.Span;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.test.context.support.WithMockUser;
import studio.grounding.annotation.EditingService;
import studio.grounding.annotation.ReviewComment;
import studio.grounding.annotation.RevisionService;
import studio.grounding.dataset.DatasetService;
import studio.grounding.dataset.ItemInfo;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.model.ModelVersionService;
import studio.grounding.security.UserService;
import studio.grounding.web.ui.UiTest;

@UiTest
class ReviewViewTest extends SpringBrowserlessTest {

    @Autowired
    DatasetService datasets;
    @Autowired
    RevisionService revisions;
    @Autowired
    EditingService editing;
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
    @WithMockUser(username = ReviewFixture.REVIEWER, roles = "REVIEWER")
    void showsTheSubmissionAgainstThePrefillAndRejectsOnlyWithAComment() {
        ItemInfo item = fixture.submitted(fixture.dataset(), ReviewFixture.ANNOTATOR);

        ReviewView view = navigate("items/" + item.id() + "/review", ReviewView.class);

        assertThat(view.caption().getElement().getTextRecursively()).isEqualTo("A brown dog on grass.");
        assertThat($(Span.class, view.caption()).all().stream().filter(s -> s.hasClassName("diff-inserted"))
                .map(Span::getText)).containsExactly("brown ");
        assertThat(view.phrases().getChildren().map(c -> c.getElement().getAttribute("data-kind")))
                .containsExactly("RESPANNED", "UNCHANGED");
        assertThat(view.phrases().getElement().getTextRecursively())
                .contains("“A dog” → “A brown dog”").contains("masks: changed (IoU 0.44)").contains("masks: unchanged");
        assertThat(view.targetComments()).containsOnlyKeys("phrase:0", "mask:0", "phrase:1", "mask:1");
        assertThat(view.canvas().getElement().getProperty("masksJson")).contains("\"phraseIndex\":1");
        assertThat(view.fixLink().getHref()).isEqualTo("items/" + item.id() + "/edit");
        assertThat(view.history().getElement().getTextRecursively()).contains(ReviewFixture.ANNOTATOR + " · submitted");

        test(view.rejectButton()).click();
        assertThat(view.comment().isInvalid()).isTrue();
        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.SUBMITTED);

        test(view.comment()).setValue("The dog's tail is cut off.");
        test(view.targetComments().get("mask:0")).setValue("extend to the tail");
        test(view.rejectButton()).click();

        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.REJECTED);
        List<ReviewComment> open = editing.open(item.id(), ReviewFixture.ANNOTATOR).openComments();
        assertThat(open).extracting(ReviewComment::target, ReviewComment::comment).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "The dog's tail is cut off."),
                org.assertj.core.groups.Tuple.tuple("mask:0", "extend to the tail"));
        assertThat(view.history().getElement().getTextRecursively())
                .contains(ReviewFixture.REVIEWER + " · rejected: The dog's tail is cut off.")
                .contains(ReviewFixture.REVIEWER + " · commented · mask:0: extend to the tail");
        assertThat(view.acceptButton().isEnabled()).isFalse();
    }

    @Test
    @WithMockUser(username = ReviewFixture.REVIEWER, roles = "REVIEWER")
    void acceptsWithoutAComment() {
        ItemInfo item = fixture.submitted(fixture.dataset(), ReviewFixture.ANNOTATOR);
        ReviewView view = navigate("items/" + item.id() + "/review", ReviewView.class);

        test(view.acceptButton()).click();

        assertThat(datasets.item(item.id()).orElseThrow().status()).isEqualTo(ItemStatus.ACCEPTED);
        assertThat(view.history().getElement().getTextRecursively()).contains(ReviewFixture.REVIEWER + " · accepted");
        assertThat(view.rejectButton().isEnabled()).isFalse();
        assertThat(view.reviewNote().getText()).contains("ACCEPTED");
    }

    @Test
    @WithMockUser(username = ReviewFixture.REVIEWER, roles = "REVIEWER")
    void aReviewerCannotDecideOnTheirOwnSubmission() {
        ItemInfo item = fixture.submitted(fixture.dataset(), ReviewFixture.REVIEWER);

        ReviewView view = navigate("items/" + item.id() + "/review", ReviewView.class);

        assertThat(view.acceptButton().isEnabled()).isFalse();
        assertThat(view.rejectButton().isEnabled()).isFalse();
        assertThat(view.reviewNote().getText()).contains("another reviewer");
    }

    @Test
    @WithMockUser(username = ReviewFixture.ANNOTATOR, roles = "ANNOTATOR")
    void annotatorsCannotOpenTheReviewPage() {
        ItemInfo item = fixture.submitted(fixture.dataset(), ReviewFixture.ANNOTATOR);
        assertThatThrownBy(() -> navigate("items/" + item.id() + "/review", ReviewView.class));
        assertThat(getCurrentView()).isNotInstanceOf(ReviewView.class);
    }
}

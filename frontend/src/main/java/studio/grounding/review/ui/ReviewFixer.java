package studio.grounding.review.ui;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.SubmitResult;
import studio.grounding.annotation.ui.SubmittedItemFixer;
import studio.grounding.review.ReviewService;

/** The editor's submit for a reviewer on a SUBMITTED item: {@link ReviewService#fixAndAccept}. */
@Component
class ReviewFixer implements SubmittedItemFixer {

    private final ReviewService review;

    ReviewFixer(ReviewService review) {
        this.review = review;
    }

    @Override
    public SubmitResult fixAndAccept(long itemId, String reviewer, Long baseRevisionId, EditorDocument document,
                                     double activeSeconds) {
        try {
            return review.fixAndAccept(itemId, reviewer, baseRevisionId, document, null, activeSeconds);
        } catch (AccessDeniedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}

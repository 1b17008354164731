package studio.grounding.annotation.ui;

import studio.grounding.annotation.EditorDocument;
import studio.grounding.annotation.SubmitResult;

/**
 * What the editor's submit does when a reviewer edits a SUBMITTED item: "Fix and accept" (the reviewer's revision on
 * top of the submitted one, and the item accepted). The review feature provides the bean; the annotation feature
 * cannot call it directly because review depends on annotation. Without a bean the editor's submit is the
 * annotator's submit, which refuses a SUBMITTED item.
 */
public interface SubmittedItemFixer {

    /**
     * @return Submitted with the reviewer's revision, Rejected with the document's problems, or Conflict
     * @throws IllegalStateException when the user may not fix and accept this item (not a reviewer, their own
     *                               submission, or the item is no longer SUBMITTED); the message says why
     */
    SubmitResult fixAndAccept(long itemId, String reviewer, Long baseRevisionId, EditorDocument document,
                              double activeSeconds);
}

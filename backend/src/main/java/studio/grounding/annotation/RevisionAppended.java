package studio.grounding.annotation;

/** Published, inside the writing transaction, when a revision has been appended to an item's history. */
public record RevisionAppended(long itemId, long revisionId, Origin origin) {
}

package studio.grounding.annotation;

/** The user may not edit the item in its current status (a submitted or accepted item, for an annotator). */
public class ItemReadOnlyException extends IllegalStateException {

    public ItemReadOnlyException(String message) {
        super(message);
    }
}

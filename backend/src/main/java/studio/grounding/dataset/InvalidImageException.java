package studio.grounding.dataset;

/** An image file that the platform cannot read. */
public class InvalidImageException extends RuntimeException {

    public InvalidImageException(String message) {
        super(message);
    }
}

package studio.grounding.assist;

/** An assist request handed to a worker: what to do on which image (fetched from {@code /media/images/{hash}}). */
public record ClaimedAssist(String requestId, AssistKind kind, long itemId, String imageHash, int imageWidth,
                            int imageHeight, AssistPrompt prompt) {}

package studio.grounding.worker.model;

/**
 * What an image-encoder predictor returns: the encoder output on the Java heap, the size of the image inside the
 * model input (the SAM branch needs it to crop masks; the CLIP branch reports its crop size) and the time the
 * translator spent preprocessing.
 */
public record EncoderOutput(FloatTensor tensor, int inputHeight, int inputWidth, long preprocessNanos) {}

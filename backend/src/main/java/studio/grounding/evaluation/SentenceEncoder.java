package studio.grounding.evaluation;

/**
 * A sentence embedding model: the extension point for GLaMM's official text similarity. The official encoder is
 * {@code bert-base-uncased} (HuggingFace tokenizer, {@code max_length=512}, truncation), embedding = mean of the
 * last hidden state over all tokens including {@code [CLS]} and {@code [SEP]}. {@code BertSentenceEncoder} runs a
 * local TorchScript BERT on DJL (the weights cannot be downloaded here); an implementation returns {@code true} from
 * {@link #officialGlammEncoder()} only if it reproduces exactly that model and pooling.
 */
public interface SentenceEncoder {

    /** The embedding of one text. */
    float[] embed(String text);

    /** A stable name, e.g. {@code bert-base-uncased/mean-last-hidden}. */
    String name();

    /** Whether this is the encoder GLaMM's script uses (model, tokenizer and pooling). */
    boolean officialGlammEncoder();
}

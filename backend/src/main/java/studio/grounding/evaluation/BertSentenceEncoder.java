package studio.grounding.evaluation;

import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GLaMM's recall text embedding on DJL's PyTorch engine, offline, from a local model directory with
 * {@code model.pt} (a TorchScript BERT taking {@code input_ids, attention_mask} and returning the last hidden state
 * first), {@code tokenizer.json} (HuggingFace) and {@code config.json}. As the script does: tokenizer with special
 * tokens, truncation at 512, embedding = mean of {@code last_hidden_state[0]} over all tokens including
 * {@code [CLS]} and {@code [SEP]}.
 *
 * <p>Official only when {@code config.json} names {@code bert-base-uncased} ({@code _name_or_path}), with model type
 * {@code bert}, hidden size 768 and vocabulary 30522: the directory's own claim, which the platform cannot verify
 * further. Anything else is named after its directory and not official. Embeddings are cached per text (recall
 * compares the same labels many times). Thread-safe (synchronised).
 */
final class BertSentenceEncoder implements SentenceEncoder, AutoCloseable {

    private static final int MAX_LENGTH = 512;
    private static final int CACHE = 20_000;

    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;
    private final String name;
    private final boolean official;
    private final Map<String, float[]> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > CACHE;
        }
    };

    BertSentenceEncoder(Path dir) {
        for (String file : new String[] {"model.pt", "tokenizer.json", "config.json"}) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException("studio.evaluation.bert-model-dir: " + dir + " has no " + file);
            }
        }
        System.setProperty("ai.djl.offline", "true");
        JsonNode config;
        try {
            config = JsonMapper.builder().build().readTree(dir.resolve("config.json").toFile());
            this.tokenizer = HuggingFaceTokenizer.newInstance(dir.resolve("tokenizer.json"), Map.of(
                    "addSpecialTokens", "true", "truncation", "true", "padding", "false",
                    "maxLength", Integer.toString(MAX_LENGTH)));
        } catch (IOException e) {
            throw new UncheckedIOException("studio.evaluation.bert-model-dir: " + e.getMessage(), e);
        }
        try {
            this.model = Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(dir)
                    .optModelName("model").optEngine("PyTorch").optTranslator(new NoopTranslator()).build()
                    .loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IllegalStateException("studio.evaluation.bert-model-dir: cannot load " + dir.resolve("model.pt")
                    + ": " + e.getMessage(), e);
        }
        this.official = "bert-base-uncased".equals(config.path("_name_or_path").asString(""))
                && "bert".equals(config.path("model_type").asString(""))
                && config.path("hidden_size").asInt() == 768 && config.path("vocab_size").asInt() == 30522;
        this.name = official ? "bert-base-uncased/mean-last-hidden"
                : "bert-dir:" + dir.getFileName() + "/mean-last-hidden";
    }

    @Override
    public synchronized float[] embed(String text) {
        float[] cached = cache.get(text);
        if (cached != null) {
            return cached;
        }
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        long[] mask = encoding.getAttentionMask();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = manager.create(ids).reshape(1, ids.length);
            NDArray attention = manager.create(mask).reshape(1, mask.length);
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(input, attention),
                    false);
            float[] embedding = out.get(0).get(0).mean(new int[] {0}).toFloatArray();
            cache.put(text, embedding);
            return embedding;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean officialGlammEncoder() {
        return official;
    }

    @Override
    public synchronized void close() {
        model.close();
        tokenizer.close();
    }
}

package studio.grounding.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The settings of a run: GLaMM {@code train.py} options (same names, same defaults as its GCG finetuning example)
 * plus {@code gpus}, the number of GPUs the launchers ask for. Unknown names and malformed values are refused with
 * the field named, before anything is stored.
 */
final class Hyperparameters {

    enum Kind { INT, FLOAT, TEXT }

    private record Setting(Kind kind, String defaultValue) {
    }

    /** train.py option (without {@code --}) → kind and default, in command-line order. */
    private static final Map<String, Setting> TRAIN_OPTIONS = new LinkedHashMap<>();
    static {
        TRAIN_OPTIONS.put("lora_r", new Setting(Kind.INT, "8"));
        TRAIN_OPTIONS.put("lr", new Setting(Kind.FLOAT, "3e-4"));
        TRAIN_OPTIONS.put("epochs", new Setting(Kind.INT, "10"));
        TRAIN_OPTIONS.put("steps_per_epoch", new Setting(Kind.INT, "500"));
        TRAIN_OPTIONS.put("batch_size", new Setting(Kind.INT, "2"));
        TRAIN_OPTIONS.put("grad_accumulation_steps", new Setting(Kind.INT, "10"));
        TRAIN_OPTIONS.put("lora_alpha", new Setting(Kind.INT, "16"));
        TRAIN_OPTIONS.put("lora_dropout", new Setting(Kind.FLOAT, "0.05"));
        TRAIN_OPTIONS.put("ce_loss_weight", new Setting(Kind.FLOAT, "1.0"));
        TRAIN_OPTIONS.put("dice_loss_weight", new Setting(Kind.FLOAT, "0.5"));
        TRAIN_OPTIONS.put("bce_loss_weight", new Setting(Kind.FLOAT, "2.0"));
        TRAIN_OPTIONS.put("precision", new Setting(Kind.TEXT, "bf16"));
        TRAIN_OPTIONS.put("val_dataset", new Setting(Kind.TEXT, "PsgGCGVal"));
        TRAIN_OPTIONS.put("seed", new Setting(Kind.INT, "42"));
    }
    static final String GPUS = "gpus";
    private static final Pattern INT = Pattern.compile("[0-9]{1,9}");
    private static final Pattern FLOAT = Pattern.compile("[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?");
    private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9_|.\\-]{1,200}");

    private final Map<String, String> values;

    private Hyperparameters(Map<String, String> values) {
        this.values = values;
    }

    /** The given settings checked and completed with the defaults. */
    static Hyperparameters of(Map<String, String> given) {
        Map<String, String> values = new TreeMap<>();
        TRAIN_OPTIONS.forEach((name, setting) -> values.put(name, setting.defaultValue()));
        values.put(GPUS, "8");
        for (Map.Entry<String, String> e : given.entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().strip();
            String value = e.getValue() == null ? "" : e.getValue().strip();
            Kind kind = name.equals(GPUS) ? Kind.INT
                    : TRAIN_OPTIONS.containsKey(name) ? TRAIN_OPTIONS.get(name).kind() : null;
            if (kind == null) {
                throw new IllegalArgumentException("hyperparameters." + name + ": unknown setting; known: "
                        + String.join(", ", names()));
            }
            boolean valid = switch (kind) {
                case INT -> INT.matcher(value).matches();
                case FLOAT -> FLOAT.matcher(value).matches();
                case TEXT -> TEXT.matcher(value).matches();
            };
            if (!valid || (name.equals(GPUS) && Integer.parseInt(value) < 1)) {
                throw new IllegalArgumentException("hyperparameters." + name + ": \"" + value + "\" is not a valid "
                        + (name.equals(GPUS) ? "GPU count (1 or more)" : kind.name().toLowerCase() + " value"));
            }
            values.put(name, value);
        }
        return new Hyperparameters(values);
    }

    static List<String> names() {
        List<String> names = new java.util.ArrayList<>(TRAIN_OPTIONS.keySet());
        names.add(GPUS);
        return names;
    }

    Map<String, String> values() {
        return Map.copyOf(values);
    }

    int gpus() {
        return Integer.parseInt(values.get(GPUS));
    }

    /**
     * {@code --name 'value'} lines for train.py, in a fixed order (values are checked to hold no quote, so single
     * quotes are enough for the shell; {@code val_dataset} may contain {@code |}).
     */
    String trainOptions() {
        StringBuilder options = new StringBuilder();
        TRAIN_OPTIONS.keySet().forEach(name ->
                options.append(" \\\n  --").append(name).append(" '").append(values.get(name)).append('\''));
        return options.toString();
    }
}

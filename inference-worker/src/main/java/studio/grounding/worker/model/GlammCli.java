package studio.grounding.worker.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs GLaMM on images and writes infer.py-style prediction files, for trying a model directory by hand:
 * {@code java -cp <classpath> studio.grounding.worker.model.GlammCli MODEL_DIR OUT_DIR IMAGE... [--device=auto]}.
 * Offline: sets DJL's offline switches before DJL loads (see {@link DjlOffline}). Prints the per-stage timings.
 */
public final class GlammCli {

    private GlammCli() {}

    public static void main(String[] args) throws Exception {
        DjlOffline.enforce();
        String device = "auto";
        java.util.List<String> pos = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--device=")) {
                device = a.substring("--device=".length());
            } else {
                pos.add(a);
            }
        }
        if (pos.size() < 3) {
            System.err.println("usage: GlammCli MODEL_DIR OUT_DIR IMAGE... [--device=auto|cpu|gpu|gpu:N]");
            System.exit(2);
        }
        Path out = Path.of(pos.get(1));
        Files.createDirectories(out);
        try (GlammModel model = GlammModel.load(Path.of(pos.get(0)), GlammModel.device(device))) {
            for (String img : pos.subList(2, pos.size())) {
                Path p = Path.of(img);
                String stem = p.getFileName().toString().replaceFirst("\\.[^.]*$", "");
                GlammPrediction pred = model.predict(RgbImage.read(p));
                Files.writeString(out.resolve(stem + ".json"), pred.toGrandfJson(stem));
                System.out.printf("%s: %d phrases, %d masks, %s%n", stem, pred.phrases().size(), pred.masks().size(),
                        pred.timingsMillis());
            }
        }
    }
}

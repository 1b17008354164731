package studio.grounding.worker.jobs;

import java.util.ArrayList;
import java.util.List;
import studio.grounding.worker.model.GlammModel;
import studio.grounding.worker.model.GlammPrediction;
import studio.grounding.worker.model.RgbImage;

/** One model instance as the job loop uses it; {@link #of(GlammModel)} in production. Not shared by threads. */
@FunctionalInterface
public interface Predictor {

    GlammPrediction predict(RgbImage image) throws Exception;

    /** One prediction per image, in order; by default one image at a time. */
    default List<GlammPrediction> predictBatch(List<RgbImage> images) throws Exception {
        List<GlammPrediction> out = new ArrayList<>();
        for (RgbImage image : images) {
            out.add(predict(image));
        }
        return out;
    }

    /** The model, batched: all images of a claim in one {@link GlammModel#predictBatch} call. */
    static Predictor of(GlammModel model) {
        return new Predictor() {
            @Override
            public GlammPrediction predict(RgbImage image) {
                return model.predict(image);
            }

            @Override
            public List<GlammPrediction> predictBatch(List<RgbImage> images) {
                return model.predictBatch(images);
            }
        };
    }
}

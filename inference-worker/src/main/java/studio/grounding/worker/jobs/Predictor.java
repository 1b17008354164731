package studio.grounding.worker.jobs;

import studio.grounding.worker.model.GlammPrediction;
import studio.grounding.worker.model.RgbImage;

/** One model instance as the job loop uses it; {@code GlammModel::predict} in production. Not shared by threads. */
@FunctionalInterface
public interface Predictor {

    GlammPrediction predict(RgbImage image) throws Exception;
}

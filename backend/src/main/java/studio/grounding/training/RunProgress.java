package studio.grounding.training;

/**
 * What a run last reported in its bundle's {@code progress.json}: {@code {"step": 3, "total_steps": 10, "epoch": 0,
 * "loss": 0.41, "message": "..."}}; any field may be missing (null).
 */
public record RunProgress(Long step, Long totalSteps, Long epoch, Double loss, String message) {

    /** step / totalSteps in [0, 1], or null when unknown. */
    public Double fraction() {
        if (step == null || totalSteps == null || totalSteps <= 0) {
            return null;
        }
        return Math.max(0, Math.min(1, step / (double) totalSteps));
    }
}

package studio.grounding.training;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At server start, marks local runs that a previous platform process was supervising as FAILED (orphaned). Off in
 * the command-line jobs ({@code studio.training.recover-on-start=false}): they share the database with a running
 * server whose runs are not orphaned.
 */
@Component
class TrainingRecovery {

    private static final Logger log = LoggerFactory.getLogger(TrainingRecovery.class);

    private final TrainingService training;
    private final boolean enabled;

    TrainingRecovery(TrainingService training, @Value("${studio.training.recover-on-start:true}") boolean enabled) {
        this.training = training;
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        if (!enabled) {
            return;
        }
        List<Long> orphaned = training.failOrphanedLocalRuns();
        if (!orphaned.isEmpty()) {
            log.warn("Training runs {} were running when the platform stopped: marked FAILED (orphaned)", orphaned);
        }
    }
}

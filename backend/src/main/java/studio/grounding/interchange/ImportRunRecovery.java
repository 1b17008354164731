package studio.grounding.interchange;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * At every start of the platform (the server, and each command-line job attaching to its database), marks FAILED
 * (interrupted) the import runs still RUNNING whose process is gone (killed, crashed), so that none stays RUNNING
 * forever. Runs of live processes, and of other hosts, are left alone.
 */
@Component
class ImportRunRecovery {

    private static final Logger log = LoggerFactory.getLogger(ImportRunRecovery.class);

    private final ImportRuns runs;

    ImportRunRecovery(ImportRuns runs) {
        this.runs = runs;
    }

    @EventListener(ApplicationReadyEvent.class)
    void recover() {
        List<Long> interrupted = runs.failInterrupted();
        if (!interrupted.isEmpty()) {
            log.warn("Import runs {} were running in a process that is gone: marked FAILED (interrupted)", interrupted);
        }
    }
}

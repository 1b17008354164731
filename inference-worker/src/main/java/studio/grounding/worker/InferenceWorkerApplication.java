package studio.grounding.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The GLaMM pre-fill worker. A skeleton for now: the worker issue fills it in. */
@SpringBootApplication
public class InferenceWorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(InferenceWorkerApplication.class, args);
    }
}

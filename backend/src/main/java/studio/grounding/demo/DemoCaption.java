package studio.grounding.demo;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One image of the demo dataset as {@code demo/demo-captions.json} describes it: the caption, and per phrase its
 * character span {@code [start, end)} and one polygon ({@code [x1, y1, x2, y2, ...]}, pixel coordinates) per instance.
 */
record DemoCaption(@JsonProperty("file_name") String fileName, String caption, List<DemoPhrase> phrases) {

    record DemoPhrase(String text, int start, int end, List<double[]> instances) {
    }
}

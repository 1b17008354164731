/**
 * UI pieces of the model feature that the views of other features place: {@link
 * studio.grounding.model.ui.ModelVersionChoice} (a model version field that says how to get one when there is none).
 * Exposed as the named interface {@code ui}.
 */
@NamedInterface("ui")
package studio.grounding.model.ui;

import org.springframework.modulith.NamedInterface;
